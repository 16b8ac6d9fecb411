"""xlreport doctor: is everything the 年报工具 ribbon needs in place on this computer?

Each check in CHECKS looks at one thing (the system; Excel or WPS; the add-in file; the Python
setting the add-in's xlwings code will read; that Python, and xlreport and xlwings in it; on a
Mac the AppleScript) and returns OK, a note, or a problem with its exact fix. The ribbon works
only when no check finds a problem (ready()). Everything outside comes through a Machine
(platform, environment variables, home, file-system root, registry reader, process runner), so
tests fake every branch. Run by `xlreport doctor` and by the ribbon's 帮助 button.

Never imports xlwings: versions come from package metadata, asked of the interpreter the add-in
will start, which need not be the one running this.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from pathlib import Path, PurePosixPath

from ..version import __version__
from . import addin
from .buttons import BUTTONS, COMMAND_LINE

MIN_PYTHON = (3, 10)  # pyproject.toml's requires-python
CONFIG_NAME = f"{addin.PROJECT_NAME}.conf"  # xlwings' GetConfig: a sheet of this name, or a file
EXCEL_PLATFORMS = ("win32", "darwin")

# Where Excel and WPS register themselves (Windows) or live (folders under an environment variable; Mac apps).
EXCEL_KEYS = (
    r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\App Paths\excel.exe",
    r"HKEY_LOCAL_MACHINE\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\App Paths\excel.exe",
    r"HKEY_CURRENT_USER\Software\Microsoft\Windows\CurrentVersion\App Paths\excel.exe",
)
EXCEL_FOLDERS = tuple(
    (var, rf"Microsoft Office\{sub}\EXCEL.EXE")
    for sub in (r"root\Office16", "Office16", "Office15", "Office14")
    for var in ("ProgramFiles", "ProgramFiles(x86)")
)
WPS_KEYS = (
    r"HKEY_CURRENT_USER\Software\Kingsoft\Office\6.0\Common",
    r"HKEY_LOCAL_MACHINE\SOFTWARE\Kingsoft\Office\6.0\Common",
    r"HKEY_LOCAL_MACHINE\SOFTWARE\WOW6432Node\Kingsoft\Office\6.0\Common",
)
WPS_FOLDERS = tuple((var, r"Kingsoft\WPS Office") for var in ("LOCALAPPDATA", "ProgramFiles", "ProgramFiles(x86)"))
EXCEL_APPS = ("/Applications/Microsoft Excel.app",)
WPS_APPS = ("/Applications/wpsoffice.app", "/Applications/WPS Office.app")
# The PATH a freshly started Excel gets on Windows: the system's, then the user's.
PATH_KEYS = (
    r"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\Session Manager\Environment",
    r"HKEY_CURRENT_USER\Environment",
)


# --- the machine the checks look at ------------------------------------------------------


Registry = Callable[[str, str], "str | None"]  # (r"HKEY_…\key", value name, "" = default) → value or None
Runner = Callable[[Sequence[str]], "tuple[int | None, str, str]"]  # argv → (exit code, None if it cannot start; stdout; stderr)


@dataclass(frozen=True)
class Machine:
    platform: str  # sys.platform
    env: Mapping[str, str]
    home: Path
    root: Path  # fixed absolute places (/Applications) are looked up below it
    registry: Registry
    run: Runner
    python: str  # the interpreter running this check

    @classmethod
    def current(cls) -> Machine:
        return cls(
            sys.platform, dict(os.environ), Path.home(), Path(os.path.abspath(os.sep)),
            read_registry if sys.platform == "win32" else no_registry, run_process, sys.executable,
        )

    @property
    def windows(self) -> bool:
        return self.platform == "win32"

    @property
    def mac(self) -> bool:
        return self.platform == "darwin"

    def fixed(self, posix_path: str) -> Path:
        return self.root.joinpath(*PurePosixPath(posix_path).parts[1:])

    def getenv(self, name: str) -> str | None:
        """Windows variable names ignore case."""
        if self.windows:
            return next((v for k, v in self.env.items() if k.upper() == name.upper()), None)
        return self.env.get(name)


def read_registry(key: str, name: str = "") -> str | None:
    import winreg  # Windows only

    hive, _, path = key.partition("\\")
    try:
        with winreg.OpenKey(getattr(winreg, hive), path) as handle:
            value, _ = winreg.QueryValueEx(handle, name)
    except OSError:
        return None
    return str(value)


def no_registry(key: str, name: str = "") -> None:
    return None


def run_process(argv: Sequence[str]) -> tuple[int | None, str, str]:
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # run from Excel: no console window flashes up
    try:
        done = subprocess.run(list(argv), capture_output=True, timeout=60, creationflags=flags)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, "", str(exc)
    return done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")


# --- findings ----------------------------------------------------------------------------


class Status(Enum):
    OK = "正常"
    NOTE = "提示"
    PROBLEM = "问题"
    UNCHECKED = "未检查"


@dataclass(frozen=True)
class Item:
    status: Status
    text: str
    fix: str = ""
    topic: str = ""


def ok(text: str) -> Item:
    return Item(Status.OK, text)


def note(text: str, fix: str = "") -> Item:
    return Item(Status.NOTE, text, fix)


def problem(text: str, fix: str) -> Item:
    return Item(Status.PROBLEM, text, fix)


def unchecked(text: str) -> Item:
    return Item(Status.UNCHECKED, text)


# --- what the checks share -----------------------------------------------------------------


@dataclass(frozen=True)
class PythonFacts:
    version: tuple[int, ...]
    xlreport: str | None
    xlwings: str | None
    xlwings_pin: str | None  # the exact xlwings version that xlreport requires

    @property
    def version_text(self) -> str:
        return ".".join(map(str, self.version))


# Run in the interpreter the add-in will start: its version and packages, without importing them.
PROBE = """\
import json, sys
facts = {"version": list(sys.version_info[:3])}
try:
    from importlib import metadata
except ImportError:
    metadata = None
for name in ("xlreport", "xlwings"):
    try:
        facts[name] = metadata.version(name)
    except Exception:
        facts[name] = None
try:
    facts["requires"] = metadata.requires("xlreport") or []
except Exception:
    facts["requires"] = []
print(json.dumps(facts))
"""
_PIN = re.compile(r"^xlwings\s*==\s*([\w.]+)")


@dataclass(frozen=True)
class Setting:
    value: str  # the interpreter, as xlwings will start it
    source: str  # where xlwings finds it (Chinese)
    key: str | None  # None: set nowhere, xlwings' default
    blank: str = ""  # where an empty INTERPRETER_WIN/_MAC stopped the search
    hidden: tuple[str, ...] = ()  # the lower places whose value it hides
    per_workbook: bool = False  # from the workbook or its folder: overrides the user's setting


@dataclass(frozen=True)
class AddinFacts:
    path: Path
    data: bytes | None = None  # None: not there
    version: str | None = None  # the xlwings version its VBA is written for
    error: str = ""


@functools.cache
def _fresh_build() -> bytes | None:
    """The add-in this xlreport and xlwings would install now; None if it cannot be built here."""
    try:
        return addin.build_addin()
    except addin.AddinError:
        return None


class Checkup:
    """The facts the checks share, each found once and only when a check asks for it.

    `workbook` is the workbook the button was pressed in (a grid or reader source: sheet_names,
    grid(sheet), path), or None from the command line without one."""

    def __init__(self, machine: Machine, workbook=None, startup: Path | None = None):
        self.m = machine
        self.workbook = workbook
        self.startup = startup
        self.places = addin.places(machine.platform, machine.home, machine.env)
        self._facts: dict[str, PythonFacts | str] = {}

    @property
    def install_command(self) -> str:
        return "xlreport addin install" + (f' --dir "{self.startup}"' if self.startup else "")

    @property
    def reinstall(self) -> str:
        return f"先退出 Excel，再在“命令提示符”（Mac：“终端”）中运行：{self.install_command}"

    # --- Excel, WPS ------------------------------------------------------------------

    def _registered(self, keys: Sequence[str], name: str) -> Path | None:
        for key in keys:
            value = self.m.registry(key, name)
            if value and Path(value.strip('"')).exists():  # uninstallers leave keys behind
                return Path(value.strip('"'))
        return None

    def _under_variables(self, folders: Sequence[tuple[str, str]]) -> Path | None:
        for var, rel in folders:
            base = self.m.getenv(var)
            place = Path(base, *rel.split("\\")) if base else None
            if place and place.exists():
                return place
        return None

    def _application(self, apps: Sequence[str]) -> Path | None:
        for app in apps:
            for place in (self.m.fixed(app), self.m.home / app.lstrip("/")):
                if place.exists():
                    return place
        return None

    @cached_property
    def excel(self) -> Path | None:
        if self.m.windows:
            return self._registered(EXCEL_KEYS, "") or self._under_variables(EXCEL_FOLDERS)
        return self._application(EXCEL_APPS)

    @cached_property
    def wps(self) -> Path | None:
        if self.m.windows:
            return self._registered(WPS_KEYS, "InstallRoot") or self._under_variables(WPS_FOLDERS)
        return self._application(WPS_APPS)

    # --- the add-in ------------------------------------------------------------------

    @cached_property
    def installed(self) -> AddinFacts:
        path = (Path(self.startup) if self.startup else self.places.startup) / addin.ADDIN_FILE
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return AddinFacts(path)
        except OSError as exc:
            return AddinFacts(path, error=exc.strerror or str(exc))
        try:
            return AddinFacts(path, data, addin.embedded_xlwings_version(data))
        except Exception as exc:  # a damaged zip, compound file or VBA project: all say "reinstall"
            return AddinFacts(path, data, error=str(exc) or type(exc).__name__)

    # --- the interpreter setting, in xlwings' GetConfig order ------------------------

    @cached_property
    def _config_sources(self) -> list[tuple[str, dict[str, str] | None, bool]]:
        """(where, {KEY: value} or None, per workbook) in the order xlwings' GetConfig reads them."""
        sources = []
        if self.workbook is not None:
            sources.append((f"当前工作簿的“{CONFIG_NAME}”工作表", sheet_config(self.workbook), True))
        sources.append((f"加载项中的“{CONFIG_NAME}”工作表", self._addin_sheet_config(), False))
        saved = getattr(self.workbook, "path", None)
        encoding = addin._config_encoding(self.m.platform)
        if saved is not None:  # xlwings skips this for a workbook never saved (or on SharePoint)
            beside = Path(saved).parent / CONFIG_NAME
            sources.append((f"工作簿所在文件夹的设置文件 {beside}", file_config(beside, encoding), True))
        sources.append((f"用户设置文件 {self.places.config}", file_config(self.places.config, encoding), False))
        return sources

    def _addin_sheet_config(self) -> dict[str, str] | None:
        # the add-in ships the sheet as "_xlreport.conf": inactive until someone renames it
        return None if self.installed.data is None else _addin_sheet(self.installed.path)

    def _lookup(self, key: str) -> tuple[str | None, int]:
        for i, (_, values, _) in enumerate(self._config_sources):
            if values is not None and key in values:
                return values[key], i
        return None, -1

    def expand(self, text: str) -> str:
        """xlwings' ExpandEnvironmentStrings: %VAR% on Windows, a leading $HOME on a Mac."""
        if self.m.windows:
            return re.sub(r"%([^%]+)%", lambda m: self.m.getenv(m.group(1)) or m.group(0), text)
        if self.m.mac and (text == "$HOME" or text.startswith("$HOME/")):
            return str(self.m.home) + text[5:]
        return text

    @cached_property
    def setting(self) -> Setting:
        own = "INTERPRETER_WIN" if self.m.windows else "INTERPRETER_MAC"
        value, i = self._lookup(own)
        if value:
            where, _, per_workbook = self._config_sources[i]
            return Setting(self.expand(value), where, own, per_workbook=per_workbook)
        blank, hidden = "", ()
        if value == "":  # GetConfig stops at the first place that has the key, even empty
            blank = self._config_sources[i][0]
            hidden = tuple(w for w, values, _ in self._config_sources[i + 1 :] if values and values.get(own))
        value, i = self._lookup("INTERPRETER")  # xlwings' older key
        if value is None:
            return Setting("python", "未设置，使用 xlwings 的默认值 python", None, blank, hidden)
        where, _, per_workbook = self._config_sources[i]
        value = self.expand(value) or ("python" if self.m.mac else "")
        return Setting(value, where, "INTERPRETER", blank, hidden, per_workbook)

    def setting_value(self, key: str) -> str:
        value, _ = self._lookup(key)
        return self.expand(value or "")

    # --- the interpreter and what is installed in it ----------------------------------

    def excel_path(self) -> list[str]:
        """Where Windows looks for a bare `python` when Excel runs it."""
        joined = ";".join(v for v in (self.m.registry(k, "Path") for k in PATH_KEYS) if v)
        return [self.expand(d) for d in (joined or self.m.getenv("PATH") or "").split(";") if d]

    def which(self, name: str) -> Path | None:
        extensions = (self.m.getenv("PATHEXT") or ".COM;.EXE;.BAT;.CMD").split(";")
        for folder in self.excel_path():
            for ext in extensions:
                candidate = Path(folder, name + ext.lower())
                if candidate.is_file():
                    return candidate
        return None

    @cached_property
    def interpreter(self) -> tuple[str | None, Item | None]:
        """(the interpreter the add-in starts, None) or (None, the problem why it cannot)."""
        s = self.setting
        install = f"在装有 xlreport 的 Python 中运行：{self.install_command}（它把该 Python 的完整路径写入 {self.places.config}）"
        if s.per_workbook:
            install += f"；并删去{s.source}中的这一设置"
        if s.value == "":
            return None, problem(f"{s.source}中的 {s.key} 为空：点击按钮时 Excel 会提示“Could not find Interpreter!”。", install)
        if s.value.lower() in ("python", "pythonw"):
            if self.m.mac:
                return None, problem(
                    "没有设置 Python 的完整路径：Mac 上的加载项会运行名为 python 的命令，而 macOS 上通常没有这个命令，按钮不会起作用。",
                    install,
                )
            found = self.which(s.value)
            if found is None:
                return None, problem(
                    f"没有设置 Python 的完整路径，Excel 的 PATH 中也找不到 {s.value}：点击按钮时会提示找不到 python。", install
                )
            return str(found), None
        if not Path(s.value).is_file():
            return None, problem(
                f"设置的 Python 不存在：{s.value}（{s.source}）。点击按钮时 Excel 会提示“Could not find Interpreter!”。", install
            )
        if self.m.mac and " " in s.value:
            return None, problem(
                f"设置的 Python 路径含空格：{s.value}。Mac 上的 xlwings 把它不加引号地交给 shell，无法运行。",
                "在路径不含空格的文件夹中建立虚拟环境，在其中安装 xlreport，再运行 " + self.install_command,
            )
        return s.value, None

    def facts(self, executable: str) -> PythonFacts | str:
        """What the interpreter says about itself, or why it could not say (asked once)."""
        if executable not in self._facts:
            self._facts[executable] = self._ask(executable)
        return self._facts[executable]

    def _ask(self, executable: str) -> PythonFacts | str:
        code, out, err = self.m.run([executable, "-c", PROBE])
        if code is None:
            return err or "无法启动"
        lines = [line for line in out.splitlines() if line.startswith("{")]
        if code != 0 or not lines:
            detail = (err or out).strip().splitlines()
            return detail[-1] if detail else f"退出码 {code}"
        try:
            raw = json.loads(lines[-1])
            pins = [m.group(1) for r in raw.get("requires", []) if (m := _PIN.match(r))]
            return PythonFacts(tuple(int(v) for v in raw["version"]), raw.get("xlreport"), raw.get("xlwings"),
                               pins[0] if pins else None)
        except (ValueError, KeyError, TypeError):
            return f"无法识别它的输出：{lines[-1][:200]}"

    def python_facts(self) -> tuple[str | None, PythonFacts | None]:
        """The add-in's interpreter and its facts, when both could be had."""
        exe, trouble = self.interpreter
        if trouble is not None:
            return exe, None
        facts = self.facts(exe)
        return exe, facts if isinstance(facts, PythonFacts) else None


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.normcase(a) == os.path.normcase(b)


# --- reading xlwings' settings -------------------------------------------------------------


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)  # VBA's CStr(True) is "True"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def sheet_config(source) -> dict[str, str] | None:
    """{KEY: value} of a workbook's config sheet as xlwings reads it (column A from A1 down to the
    first blank, keys upper-cased, values from column B); None without such a sheet."""
    if CONFIG_NAME not in source.sheet_names:
        return None
    values: dict[str, str] = {}
    for row in source.grid(CONFIG_NAME):
        key = _cell_text(row[0] if row else None)
        if not key:
            break
        values.setdefault(key.upper(), _cell_text(row[1] if len(row) > 1 else None))
    return values


def file_config(path: Path, encoding: str) -> dict[str, str] | None:
    """{KEY: value} of a config file of "KEY","value" lines (keys compared without case); None if absent."""
    try:
        text = path.read_text(encoding, errors="replace")
    except OSError:
        return None
    values: dict[str, str] = {}
    for row in csv.reader(text.splitlines()):
        if row and row[0].strip():
            values.setdefault(row[0].strip().upper(), row[1].strip() if len(row) > 1 else "")
    return values


def _addin_sheet(path: Path) -> dict[str, str] | None:
    from ..workbook.reader import CalamineSource, ReadError

    try:
        source = CalamineSource(path)
    except ReadError:
        return None
    try:
        return sheet_config(source)
    except ReadError:
        return None
    finally:
        source.close()


# --- the checks ------------------------------------------------------------------------------


def command_line_instead() -> str:
    lines = ["用命令行完成同样的工作（在工作簿所在的文件夹打开“命令提示符”或“终端”）："]
    lines += [f"  {BUTTONS[b]}：{command}" for b, command in COMMAND_LINE.items() if command and b != "help"]
    lines.append("  全部命令：xlreport -h")
    return "\n".join(lines)


_SYSTEMS = {"win32": "Windows", "darwin": "macOS", "linux": "Linux"}


def check_system(c: Checkup) -> Item:
    name = _SYSTEMS.get(c.m.platform, c.m.platform)
    if c.m.platform in EXCEL_PLATFORMS:
        return ok(name)
    return problem(
        f"本机是 {name}。“年报工具”功能区需要 Windows 或 Mac 上的 Microsoft Excel，在本机不能使用。", command_line_instead()
    )


def check_spreadsheet(c: Checkup) -> Item:
    excel, wps = c.excel, c.wps
    if excel and wps:
        return note(f"Microsoft Excel（{excel}）；另装有 WPS Office（{wps}）。",
                    "功能区只出现在 Microsoft Excel 中。用 WPS 打开工作簿时，" + command_line_instead())
    if excel:
        return ok(f"Microsoft Excel（{excel}）")
    if wps:
        return problem(f"只找到 WPS Office（{wps}），没有 Microsoft Excel。WPS 不支持 xlwings 加载项，“年报工具”功能区不会出现。",
                       command_line_instead())
    return problem("没有找到 Microsoft Excel。",
                   "安装 Microsoft Excel（Windows 版 2010 及以上，Mac 版 2016 及以上）；或" + command_line_instead())


def check_addin(c: Checkup) -> Item:
    a = c.installed
    if a.data is None and not a.error:
        return problem(f"Excel 启动文件夹中没有加载项：{a.path}", c.reinstall)
    if a.error:
        return problem(f"加载项 {a.path} 无法读取：{a.error}", c.reinstall)
    fresh = _fresh_build()
    if fresh is not None and fresh != a.data:
        return note(f"{a.path}（适配 xlwings {a.version}），但与本机 xlreport {__version__} 生成的加载项不同：可能是旧版本，按钮可能不全。",
                    c.reinstall)
    return ok(f"{a.path}（适配 xlwings {a.version}）")


def check_setting(c: Checkup) -> Item:
    s = c.setting
    text = f"加载项将使用 {s.value}（{s.source}）" if s.key else f"加载项将运行 {s.value}（{s.source}）"
    fixes = []
    if s.hidden:
        own = "INTERPRETER_WIN" if c.m.windows else "INTERPRETER_MAC"
        text += f"\n{s.blank}中的 {own} 为空，{'、'.join(s.hidden)}中的设置因此不起作用。"
        fixes.append(f"删去{s.blank}中的空设置")
    if s.per_workbook:
        text += "\n这一设置只对这个工作簿（或它所在的文件夹）有效，优先于本机的用户设置文件。"
        fixes.append("若工作簿是从别的电脑复制来的，删去其中的设置")
    conda_env, conda_path = c.setting_value("CONDA ENV"), c.setting_value("CONDA PATH")
    if conda_env and conda_path:
        text += f"\n另设置了 conda 环境 {conda_env}（{conda_path}）：xlwings 先激活它，再运行上面的 Python。"
    if s.key is None:
        fixes.append(f"运行 {c.install_command}，把本机 Python 的完整路径写入 {c.places.config}")
    return note(text, "；".join(fixes)) if fixes else ok(text)


def check_python(c: Checkup) -> Item:
    if c.m.platform in EXCEL_PLATFORMS:
        exe, trouble = c.interpreter
        if trouble is not None:
            return trouble
    else:
        exe = c.m.python
    facts = c.facts(exe)
    if isinstance(facts, str):
        text = f"无法运行 {exe}：{facts}"
        fix = f"在装有 xlreport 的 Python 中运行：{c.install_command}"
        if "\\WindowsApps\\" in exe or "/WindowsApps/" in exe:
            text += "\n这是 Windows 的“应用执行别名”（打开应用商店的占位程序），不是真正的 Python。"
            fix = "在 Windows 设置 › 应用 › 应用执行别名 中关闭 python.exe 和 python3.exe；然后" + fix
        return problem(text, fix)
    if facts.version < MIN_PYTHON:
        need = ".".join(map(str, MIN_PYTHON))
        return problem(f"{exe} 是 Python {facts.version_text}，xlreport 需要 Python {need} 及以上。",
                       f"安装 Python {need} 或更新版本，在其中运行 pip install xlreport，再运行 {c.install_command}")
    text = f"{facts.version_text}（{exe}）"
    if c.m.platform in EXCEL_PLATFORMS and not _same_file(exe, c.m.python):
        text += f"\n本命令运行于另一个 Python（{c.m.python}）；加载项使用的是上面这个，下面两项检查的是它。"
    return ok(text)


def check_xlreport(c: Checkup) -> Item:
    exe, facts = c.python_facts()
    if facts is None:
        return unchecked("加载项使用的 Python 不能运行，见上一项。")
    if facts.xlreport is None:
        return problem(f"{exe} 中没有安装 xlreport：点击按钮会提示 No module named 'xlreport'。",
                       f"运行 {c.install_command}，改用装有 xlreport 的 Python（{c.m.python}）；"
                       f"或在该 Python 中安装：\"{exe}\" -m pip install xlreport")
    if facts.xlreport != __version__:
        return note(f"xlreport {facts.xlreport}，与本命令的 xlreport {__version__} 不同。",
                    f"让两处一致：\"{exe}\" -m pip install xlreport=={__version__}，再运行 {c.install_command}")
    return ok(f"xlreport {facts.xlreport}")


def check_xlwings(c: Checkup) -> Item:
    exe, facts = c.python_facts()
    if facts is None:
        return unchecked("加载项使用的 Python 不能运行，见上面的“Python”一项。")
    wanted = facts.xlwings_pin or c.installed.version
    if facts.xlwings is None:
        return problem(f"{exe} 中没有安装 xlwings。", f'"{exe}" -m pip install xlwings=={wanted}' if wanted else f'"{exe}" -m pip install xlreport')
    if facts.xlwings_pin and facts.xlwings != facts.xlwings_pin:
        return problem(f"xlwings {facts.xlwings}，而 xlreport {facts.xlreport} 要求 xlwings {facts.xlwings_pin}。",
                       f'"{exe}" -m pip install xlwings=={facts.xlwings_pin}；然后{c.reinstall}')
    if c.installed.version and c.installed.version != facts.xlwings:
        return problem(f"xlwings {facts.xlwings}，加载项却是按 xlwings {c.installed.version} 生成的：两者必须一致。",
                       f"{c.reinstall}（按 xlwings {facts.xlwings} 重新生成加载项）")
    return ok(f"xlwings {facts.xlwings}" + ("，与加载项一致" if c.installed.version else ""))


def check_applescript(c: Checkup) -> Item:
    _, facts = c.python_facts()
    version = c.installed.version or (facts.xlwings if facts else None)
    if not version:
        return unchecked("不知道加载项适配的 xlwings 版本，见上面的“加载项”一项。")
    script = c.places.applescripts / f"xlwings-{version}.applescript"
    if script.is_file():
        return ok(str(script))
    return problem(f"缺少 {script}：Mac 上的 Excel 通过它启动 Python，没有它点击按钮会提示“To enable RunPython…”。",
                   f"运行 {c.install_command}（会复制这个文件）")


@dataclass(frozen=True)
class Check:
    topic: str
    run: Callable[[Checkup], Item]
    platforms: tuple[str, ...] | None = EXCEL_PLATFORMS  # None: everywhere


CHECKS = (
    Check("系统", check_system, None),
    Check("Excel", check_spreadsheet),
    Check("加载项", check_addin),
    Check("Python 设置", check_setting),
    Check("Python", check_python, None),
    Check("xlreport", check_xlreport),
    Check("xlwings", check_xlwings),
    Check("AppleScript", check_applescript, ("darwin",)),
)


# --- running and reporting ---------------------------------------------------------------------


def diagnose(machine: Machine, workbook=None, startup: Path | None = None) -> list[Item]:
    checkup = Checkup(machine, workbook, startup)
    return [
        dataclasses.replace(check.run(checkup), topic=check.topic)
        for check in CHECKS
        if check.platforms is None or machine.platform in check.platforms
    ]


def ready(items: Sequence[Item]) -> bool:
    """Everything the ribbon needs is in place: no problem, nothing left unchecked."""
    return all(i.status in (Status.OK, Status.NOTE) for i in items)


def render(items: Sequence[Item]) -> str:
    lines = [f"xlreport 环境检查（xlreport {__version__}）", ""]
    for item in items:
        head, *rest = item.text.splitlines()
        lines.append(f"[{item.status.value}] {item.topic}：{head}")
        lines += [f"       {line}" for line in rest]
        if item.fix:
            fix_head, *fix_rest = item.fix.splitlines()
            lines.append(f"       解决办法：{fix_head}")
            lines += [f"       {line}" for line in fix_rest]
    problems = sum(1 for i in items if i.status is Status.PROBLEM)
    lines.append("")
    if ready(items):
        lines.append("结论：“年报工具”功能区所需的条件都已具备。")
    elif items[0].status is Status.PROBLEM:  # the system: no Excel here at all
        lines.append("结论：本机不能使用“年报工具”功能区，请按上面列出的命令行工作。")
    else:
        lines.append(f"结论：有 {problems} 个问题，“年报工具”功能区不能正常使用。请按“解决办法”逐项处理，再运行 xlreport doctor 复查。")
    return "\n".join(lines)


def ribbon_help(grid, report_file: Path, machine: Machine | None = None) -> list[Item]:
    """The 帮助 button: the report in a dialog, and in a text file staff can copy and send."""
    from ..workbook.writer import atomic_write

    items = diagnose(machine or Machine.current(), workbook=grid)
    text = render(items)
    try:
        report_file.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(report_file, lambda fh: fh.write(text.encode("utf-8-sig")))  # a BOM: Notepad shows it as UTF-8
        saved = f"\n\n以上内容已保存到 {report_file}，可打开复制，发给技术支持。"
    except OSError as exc:
        saved = f"\n\n（未能保存到 {report_file}：{exc.strerror or exc}）"
    grid.alert(BUTTONS["help"], text + saved)
    return items
