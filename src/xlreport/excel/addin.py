"""Build, install and uninstall the xlreport Excel add-in (xlreport.xlam), on any OS, without Excel.

The build starts from the custom-add-in template shipped in the *installed* xlwings package
(quickstart_addin_ribbon.xlam, BSD-3) and changes only: the project name (VBA project and the
xlwings module's PROJECT_NAME), the template's sample ribbon module (replaced by macros/*.bas),
the ribbon XML (macros/customUI.xml), the config sheet's name and the title. Every module it
writes is source-only, as in xlwings' own shipped add-in. See macros/README.md for why.

This module never imports xlwings: it only reads files of the installed package.
"""

from __future__ import annotations

import importlib.util
import io
import locale
import os
import re
import shutil
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import DefusedXmlException, ElementTree

from . import ovba

PROJECT_NAME = "xlreport"
ADDIN_FILE = "xlreport.xlam"
TEMPLATE = "quickstart_addin_ribbon.xlam"
XLWINGS_MODULE = "xlwings"
RIBBON_RELATIONSHIPS = (
    "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility",
    "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility",
)
_PROJECT_CONST = re.compile(r'^(Public Const PROJECT_NAME As String = )"[^"\r\n]*"', re.M)
_VERSION_CONST = re.compile(r'^Public Const XLWINGS_VERSION As String = "([^"\r\n]+)"', re.M)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class AddinError(Exception):
    """A Chinese message for the user: the add-in cannot be built or installed."""


# --- build ---------------------------------------------------------------------------------


def macros_dir() -> Path:
    """macros/ of the source tree (editable installs), else the copy a wheel installs under share/."""
    here = Path(__file__).resolve()
    for candidate in (here.parents[3] / "macros", Path(sys.prefix) / "share" / "xlreport" / "macros"):
        if (candidate / "customUI.xml").is_file():
            return candidate
    raise AddinError("找不到 macros 文件夹（customUI.xml 与 *.bas），无法生成加载项；请从源代码安装 xlreport。")


def xlwings_dir() -> Path:
    spec = importlib.util.find_spec("xlwings")
    if spec is None or not spec.origin:
        raise AddinError("未安装 xlwings：请先运行 pip install xlwings（版本见 xlreport 的安装要求）。")
    return Path(spec.origin).parent


def read_macros(folder: Path) -> tuple[dict[str, str], bytes]:
    """({module name: source with CRLF line ends}, customUI.xml bytes), checked for the rules
    that keep the add-in loadable: ASCII-only VBA, VB_Name equal to the file name, well-formed XML."""
    modules = {}
    for path in sorted(folder.glob("*.bas")):
        raw = path.read_bytes()
        for n, line in enumerate(raw.splitlines(), 1):
            if not line.isascii():
                raise AddinError(f"{path.name} 第 {n} 行含非 ASCII 字符：VBA 源码只能用 ASCII，中文请写在 customUI.xml 或 Python 中。")
        text = _crlf(raw.decode("ascii"))
        if not text.startswith(f'Attribute VB_Name = "{path.stem}"\r\n'):
            raise AddinError(f'{path.name} 第 1 行须为 Attribute VB_Name = "{path.stem}"（模块名与文件名一致）。')
        modules[path.stem] = text
    if not modules:
        raise AddinError(f"{folder} 中没有 .bas 文件。")
    ribbon = (folder / "customUI.xml").read_bytes()
    _xml(ribbon, "customUI.xml")
    return modules, ribbon


def _xml(data: bytes, what: str):
    """defusedxml refuses entity declarations and external references; either way a Chinese message."""
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise AddinError(f"{what} 不是合法的 XML：{exc}") from exc
    except DefusedXmlException as exc:
        raise AddinError(f"{what} 含有实体声明或外部引用，拒绝使用：{exc}") from exc


def _members(z: zipfile.ZipFile, what: str) -> dict[str, bytes]:
    """Every member, each size-checked before it is read."""
    from ..workbook.safezip import MAX_MEMBER_BYTES, ReadError, read_member  # the whole add-in, pictures too

    try:
        return {info.filename: read_member(z, info, MAX_MEMBER_BYTES) for info in z.infolist()}
    except ReadError as exc:
        raise AddinError(f"{what}：{exc}") from None


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def _ribbon_part(parts: dict[str, bytes]) -> str:
    for rel in _xml(parts["_rels/.rels"], "xlwings 模板的 _rels/.rels"):
        if rel.get("Type") in RIBBON_RELATIONSHIPS:
            return rel.get("Target").lstrip("/")
    raise AddinError("xlwings 模板中没有功能区（customUI）关系，无法生成加载项。")


def _replace_once(pattern: str | re.Pattern, repl: str, text: str, what: str) -> str:
    new, n = re.subn(pattern, repl, text)
    if n != 1:
        raise AddinError(f"xlwings 模板与预期不符（{what}），请安装 xlreport 要求的 xlwings 版本。")
    return new


def build_addin(macros: Path | None = None, template: Path | None = None) -> bytes:
    """The bytes of xlreport.xlam; the same inputs always give the same bytes."""
    modules, ribbon = read_macros(macros or macros_dir())
    template = template or xlwings_dir() / TEMPLATE
    if not template.is_file():
        raise AddinError(f"找不到 xlwings 的加载项模板 {template}；请重新安装 xlwings。")
    with zipfile.ZipFile(template) as z:
        parts = _members(z, f"xlwings 的加载项模板 {template}")

    vba = parts["xl/vbaProject.bin"]
    project = ovba.Project.parse(vba)
    clash = set(modules) & set(project.names())
    if clash:
        raise AddinError(f"macros 中的模块名与 xlwings 模板重名：{'、'.join(sorted(clash))}")
    xlwings_source = _replace_once(_PROJECT_CONST, rf'\1"{PROJECT_NAME}"', project.source(XLWINGS_MODULE), "PROJECT_NAME")
    xlwings_source = _crlf(xlwings_source)  # the template stores LF only; the VBA editor writes CRLF
    # the template's sample ribbon module goes; document, class and the xlwings module stay
    samples = [n for n in project.names() if project.is_procedural(n) and n != XLWINGS_MODULE]
    parts["xl/vbaProject.bin"] = ovba.edit_project(
        vba, name=PROJECT_NAME, sources={XLWINGS_MODULE: xlwings_source, **modules}, drop=samples
    )
    parts[_ribbon_part(parts)] = ribbon
    parts["xl/workbook.xml"] = _replace_once(
        rb'name="_[^"]*\.conf"', f'name="_{PROJECT_NAME}.conf"'.encode(), parts["xl/workbook.xml"], "配置工作表"
    )
    parts["docProps/core.xml"] = _replace_once(
        rb"<dc:title\s*/>|<dc:title>[^<]*</dc:title>",
        "<dc:title>xlreport 年报工具</dc:title>".encode(),
        parts["docProps/core.xml"],
        "标题",
    )
    return _zip(parts)


def _zip(parts: dict[str, bytes]) -> bytes:
    """A zip with fixed timestamps, attributes and order, so a rebuild is byte-for-byte equal."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            z.writestr(info, data, compresslevel=6)
    return buf.getvalue()


def embedded_xlwings_version(xlam: bytes) -> str:
    """The xlwings version the add-in's VBA is written for (its XLWINGS_VERSION constant)."""
    with zipfile.ZipFile(io.BytesIO(xlam)) as z:
        source = ovba.Project.parse(_members(z, "加载项")["xl/vbaProject.bin"]).source(XLWINGS_MODULE)
    match = _VERSION_CONST.search(source)
    if not match:
        raise AddinError("加载项中找不到 XLWINGS_VERSION。")
    return match.group(1)


def write_addin(path: Path, macros: Path | None = None, template: Path | None = None) -> bytes:
    from ..workbook.writer import atomic_write

    data = build_addin(macros, template)
    atomic_write(Path(path), lambda fh: fh.write(data))
    return data


# --- install -------------------------------------------------------------------------------

LINUX_MESSAGE = """\
xlreport 加载项需要 Windows 或 macOS 上的 Microsoft Excel；本机（{system}）不能安装或卸载加载项，未做任何改动。

WPS 表格不支持 xlwings 加载项。WPS 用户和没有 Excel 的电脑请直接用命令行处理工作簿，例如：
  xlreport check 年报.xlsx     校验勾稽关系，列出全部问题
  xlreport fill 年报.xlsx      计算并填写全部合计
  xlreport -h                  查看全部命令
要把加载项带到装有 Excel 的电脑上，请在那台电脑上安装 xlreport 后运行 xlreport addin install。"""


_SYSTEMS = {"linux": "Linux", "freebsd": "FreeBSD", "cygwin": "Cygwin"}


@dataclass
class Places:
    """Where Excel on this OS loads add-ins from, and where the add-in's xlwings code reads its config."""

    startup: Path
    config: Path
    interpreter_key: str
    applescripts: Path | None = None  # macOS: RunPython goes through AppleScriptTask


@dataclass
class InstallResult:
    addin: Path
    config: Path
    xlwings_version: str
    notes: list[str] = field(default_factory=list)


def places(platform: str = sys.platform, home: Path | None = None, env: dict | None = None) -> Places | None:
    """None where Excel cannot run (Linux and the rest)."""
    home = Path(home) if home else Path.home()
    env = os.environ if env is None else env
    if platform == "win32":
        appdata = Path(env["APPDATA"]) if env.get("APPDATA") else home / "AppData" / "Roaming"
        profile = Path(env["USERPROFILE"]) if env.get("USERPROFILE") else home
        return Places(
            startup=appdata / "Microsoft" / "Excel" / "XLSTART",
            config=profile / f".{PROJECT_NAME}" / f"{PROJECT_NAME}.conf",
            interpreter_key="INTERPRETER_WIN",
        )
    if platform == "darwin":
        office = home / "Library" / "Group Containers" / "UBF8T346G9.Office"
        # Finder shows "User Content/Startup"; on disk the folders usually carry ".localized"
        startup = office / "User Content.localized" / "Startup.localized" / "Excel"
        if not (office / "User Content.localized").exists() and (office / "User Content").exists():
            startup = office / "User Content" / "Startup" / "Excel"
        return Places(
            startup=startup,
            config=home / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / f"{PROJECT_NAME}.conf",
            interpreter_key="INTERPRETER_MAC",
            applescripts=home / "Library" / "Application Scripts" / "com.microsoft.Excel",
        )
    return None


def _config_encoding(platform: str) -> str:
    # VBA's Open ... For Input reads the ANSI code page on Windows (GBK on Chinese Windows)
    if platform == "win32":
        return getattr(locale, "getencoding", lambda: locale.getpreferredencoding(False))()
    return "utf-8"


def set_config(path: Path, key: str, value: str, encoding: str) -> str | None:
    """Set one "KEY","value" line of an xlwings config file, keeping every other line; the old value."""
    from ..workbook.writer import atomic_write

    lines = path.read_text(encoding=encoding).splitlines() if path.exists() else []
    line, old = f'"{key}","{value}"', None
    for i, existing in enumerate(lines):
        name, _, rest = existing.partition(",")
        if name.strip().strip('"').upper() == key:
            old = rest.strip().strip('"')
            lines[i] = line
            break
    else:
        lines.append(line)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, lambda fh: fh.write(("\r\n".join(lines) + "\r\n").encode(encoding)))
    return old


def install(
    platform: str = sys.platform,
    home: Path | None = None,
    env: dict | None = None,
    interpreter: str = sys.executable,
    startup: Path | None = None,
) -> InstallResult:
    """Build the add-in from the installed xlwings into Excel's startup folder and point its
    config at this Python. Raises AddinError with a Chinese message on Linux or on failure."""
    where = places(platform, home, env)
    if where is None:
        raise AddinError(LINUX_MESSAGE.format(system=_SYSTEMS.get(platform, platform)))
    target = Path(startup) if startup else where.startup
    from ..workbook.writer import atomic_write

    data = build_addin()
    version = embedded_xlwings_version(data)
    notes = []
    try:
        target.mkdir(parents=True, exist_ok=True)
        atomic_write(target / ADDIN_FILE, lambda fh: fh.write(data))
        old = set_config(where.config, where.interpreter_key, interpreter, _config_encoding(platform))
        if old is not None and old != interpreter:
            notes.append(f"配置中的 Python 解释器已由 {old} 改为 {interpreter}")
        if where.applescripts is not None:
            script = f"xlwings-{version}.applescript"
            where.applescripts.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(xlwings_dir() / script, where.applescripts / script)
            notes.append(f"已复制 {script} 到 {where.applescripts}（Excel 通过它启动 Python）")
    except PermissionError as exc:
        raise AddinError(f"无法写入 {exc.filename}：如果 Excel 正在运行，请先退出 Excel 再安装。") from exc
    except OSError as exc:
        raise AddinError(f"安装失败：{exc}") from exc
    return InstallResult(target / ADDIN_FILE, where.config, version, notes)


def uninstall(
    platform: str = sys.platform, home: Path | None = None, env: dict | None = None, startup: Path | None = None
) -> Path | None:
    """Remove the add-in from Excel's startup folder; the removed path, or None if it was not there.
    The config file stays: it may hold the user's own settings."""
    where = places(platform, home, env)
    if where is None:
        raise AddinError(LINUX_MESSAGE.format(system=_SYSTEMS.get(platform, platform)))
    path = (Path(startup) if startup else where.startup) / ADDIN_FILE
    try:
        path.unlink()
    except FileNotFoundError:
        return None
    except PermissionError as exc:
        raise AddinError(f"无法删除 {path}：如果 Excel 正在运行，请先退出 Excel 再卸载。") from exc
    return path
