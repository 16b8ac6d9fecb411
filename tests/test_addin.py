"""Contract tests on the built add-in (xlreport.xlam) and its install/uninstall."""

from __future__ import annotations

import ast
import difflib
import importlib
import io
import re
import shutil
import subprocess
import tomllib
import warnings
import zipfile
from pathlib import Path

import olefile
import pytest
from defusedxml import ElementTree

from xlreport.commands import Parser
from xlreport.commands import addin as addin_command
from xlreport.excel import addin, ovba
from xlreport.excel.buttons import BUTTONS

with warnings.catch_warnings():  # oletools' pyparsing grammar warns on import
    warnings.simplefilter("ignore")
    from oletools.olevba import VBA_Parser

REPO = Path(__file__).resolve().parents[1]
MACROS = REPO / "macros"
BAS_FILES = sorted(MACROS.glob("*.bas"))
CUSTOMUI_NAMESPACES = {"http://schemas.microsoft.com/office/2009/07/customui", "http://schemas.microsoft.com/office/2006/01/customui"}
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def xlam() -> bytes:
    return addin.build_addin()


@pytest.fixture(scope="module")
def parts(xlam) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(xlam)) as z:
        assert z.testzip() is None
        return {name: z.read(name) for name in z.namelist()}


@pytest.fixture(scope="module")
def ribbon(parts):
    return ElementTree.fromstring(parts["customUI/customUI.xml"])


@pytest.fixture(scope="module")
def vba_modules(xlam) -> dict[str, str]:
    parser = VBA_Parser("xlreport.xlam", data=xlam)
    return {name.rsplit(".", 1)[0]: code for _, _, name, code in parser.extract_macros()}


def crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def buttons(ribbon):
    return [el for el in ribbon.iter() if el.tag.endswith("}button")]


def ribbon_callbacks() -> dict[str, set[str]]:
    """{module: {Sub names with the (control As IRibbonControl) signature}} in macros/*.bas."""
    signature = re.compile(r"^(?:Public\s+)?Sub\s+(\w+)\s*\(\s*control\s+As\s+IRibbonControl\s*\)", re.M | re.I)
    return {path.stem: set(signature.findall(path.read_text("ascii"))) for path in BAS_FILES}


# --- the package -------------------------------------------------------------------------


def test_every_part_has_a_content_type(parts):
    types = ElementTree.fromstring(parts["[Content_Types].xml"])
    defaults = {d.get("Extension").lower() for d in types.iter(f"{CT}Default")}
    overrides = {o.get("PartName") for o in types.iter(f"{CT}Override")}
    main = [o for o in types.iter(f"{CT}Override") if o.get("PartName") == "/xl/workbook.xml"]
    assert main[0].get("ContentType") == "application/vnd.ms-excel.addin.macroEnabled.main+xml"
    for name in parts:
        if name != "[Content_Types].xml":
            assert f"/{name}" in overrides or name.rsplit(".", 1)[-1].lower() in defaults, name


def test_package_relationship_points_to_the_ribbon(parts):
    rels = ElementTree.fromstring(parts["_rels/.rels"])
    targets = [r.get("Target") for r in rels.iter(f"{PKG_REL}Relationship") if r.get("Type") in addin.RIBBON_RELATIONSHIPS]
    assert targets == ["customUI/customUI.xml"]
    assert parts["customUI/customUI.xml"] == (MACROS / "customUI.xml").read_bytes()


def test_vba_project_is_related_and_a_valid_compound_file(parts):
    rels = ElementTree.fromstring(parts["xl/_rels/workbook.xml.rels"])
    vba_rel = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
    assert [r.get("Target") for r in rels if r.get("Type") == vba_rel] == ["vbaProject.bin"]
    data = parts["xl/vbaProject.bin"]
    assert olefile.isOleFile(data)
    ole = olefile.OleFileIO(data, raise_defects=olefile.DEFECT_INCORRECT)
    assert {"/".join(p) for p in ole.listdir()} >= {"PROJECT", "PROJECTwm", "VBA/dir", "VBA/_VBA_PROJECT", "VBA/XlreportRibbon"}


def test_config_sheet_and_title_are_xlreports(parts):
    assert b'name="_xlreport.conf"' in parts["xl/workbook.xml"]
    assert b"_myaddin" not in parts["xl/workbook.xml"]
    assert "<dc:title>xlreport 年报工具</dc:title>" in parts["docProps/core.xml"].decode("utf-8")


def test_build_is_byte_for_byte_reproducible(xlam, tmp_path):
    assert addin.build_addin() == xlam
    a, b = tmp_path / "a.xlam", tmp_path / "b.xlam"
    for out in (a, b):
        assert run_cli(["addin", "build", "-o", str(out)]) == 0
    assert a.read_bytes() == b.read_bytes() == xlam


# --- the ribbon --------------------------------------------------------------------------


def test_custom_ui_is_in_a_namespace_excel_knows(ribbon):
    namespace, local = ribbon.tag[1:].split("}")
    assert local == "customUI" and namespace in CUSTOMUI_NAMESPACES


def test_ribbon_has_one_tab_the_report_group_and_the_help_group(ribbon):
    tabs = [el for el in ribbon.iter() if el.tag.endswith("}tab")]
    assert [t.get("label") for t in tabs] == ["年报工具"]
    groups = [el for el in tabs[0] if el.tag.endswith("}group")]
    assert [(g.get("label"), [b.get("id") for b in buttons(g)]) for g in groups] == [
        ("政府信息公开年度报告", ["validate", "fill", "draft", "build", "clear_marks", "new_year"]),
        ("帮助", ["help"]),
    ]
    assert [(b.get("id"), b.get("label")) for b in buttons(ribbon)] == [
        ("validate", "校验"), ("fill", "填充合计"), ("draft", "生成初稿"), ("build", "生成报告"), ("clear_marks", "清除标记"),
        ("new_year", "新建下一年度"), ("help", "帮助"),
    ]
    for b in buttons(ribbon):
        assert b.get("imageMso") and b.get("image") is None  # built-in icons only


def test_every_on_action_names_a_ribbon_callback_in_macros(ribbon):
    callbacks = ribbon_callbacks()
    for b in buttons(ribbon):
        module, _, sub = b.get("onAction").rpartition(".")
        assert sub.startswith("Xlreport_"), "callback names carry the xlreport prefix"
        candidates = [callbacks[module]] if module else list(callbacks.values())
        assert any(sub in subs for subs in candidates), b.get("onAction")


def test_every_button_maps_to_a_python_action(ribbon):
    assert {b.get("id"): b.get("label") for b in buttons(ribbon)} == BUTTONS


def python_commands(ribbon) -> dict[str, str]:
    """The Python each button makes RunPython execute, from the VBA's command template."""
    source = (MACROS / "XlreportRibbon.bas").read_text("ascii")
    (template,) = re.findall(r'^Private Const XLREPORT_COMMAND As String = "(.*)"\s*$', source, re.M)
    assert 'Replace(XLREPORT_COMMAND, "{id}", control.Id)' in source
    return {b.get("id"): template.replace("{id}", b.get("id")) for b in buttons(ribbon)}


def test_every_python_command_imports_and_resolves(ribbon):
    for button_id, command in python_commands(ribbon).items():
        assert '"' not in command  # xlwings wraps the command in double quotes for cmd.exe
        imp, call = ast.parse(command).body
        assert isinstance(imp, ast.Import) and isinstance(call.value, ast.Call)
        (alias,) = imp.names
        assert call.value.func.value.id == (alias.asname or alias.name)
        assert [a.value for a in call.value.args] == [button_id]
        try:
            module = importlib.import_module(alias.name)
        except ModuleNotFoundError as exc:
            if exc.name and alias.name.startswith(exc.name):
                pytest.skip(f"{alias.name} 尚未实现（由 Python 端提供）")
            raise
        assert callable(getattr(module, call.value.func.attr))


# --- the VBA -----------------------------------------------------------------------------


def test_vba_sources_are_ascii():
    assert BAS_FILES
    for path in BAS_FILES:
        assert path.read_bytes().isascii(), path.name


def test_olevba_reads_back_the_macros_sources(vba_modules):
    for path in BAS_FILES:
        assert vba_modules[path.stem] == crlf(path.read_text("ascii"))


def test_xlwings_module_is_the_installed_one_with_the_project_name_set(vba_modules):
    shipped = (addin.xlwings_dir() / "xlwings_custom_addin.bas").read_text("cp1252")
    expected = shipped.replace('PROJECT_NAME As String = "myaddin"', 'PROJECT_NAME As String = "xlreport"')
    assert expected != shipped
    assert vba_modules["xlwings"] == crlf(expected)


def test_project_holds_exactly_the_expected_modules(xlam, vba_modules):
    assert set(vba_modules) == {"ThisWorkbook", "Sheet2", "Dictionary", "xlwings"} | {p.stem for p in BAS_FILES}
    project = olefile.OleFileIO(zipfile.ZipFile(io.BytesIO(xlam)).read("xl/vbaProject.bin")).openstream("PROJECT")
    assert 'Name="xlreport"' in project.read().decode("cp1252").splitlines()


def test_addin_needs_the_xlwings_version_pinned_in_pyproject(xlam):
    deps = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]
    (spec,) = [d for d in deps if re.match(r"xlwings\b", d)]
    pinned = re.fullmatch(r"xlwings\s*==\s*([\w.]+)", spec)
    assert pinned, f"pyproject 须锁定 xlwings 的确切版本（xlwings==X），现为 {spec!r}"
    assert addin.embedded_xlwings_version(xlam) == pinned.group(1)


def test_non_ascii_vba_is_refused_with_the_file_and_line(tmp_path):
    shutil.copy(MACROS / "customUI.xml", tmp_path)
    (tmp_path / "XlreportRibbon.bas").write_text('Attribute VB_Name = "XlreportRibbon"\n\' 校验\n', "utf-8")
    with pytest.raises(addin.AddinError, match=r"XlreportRibbon\.bas 第 2 行含非 ASCII"):
        addin.build_addin(macros=tmp_path)


def test_module_name_must_match_the_file_name(tmp_path):
    shutil.copy(MACROS / "customUI.xml", tmp_path)
    (tmp_path / "Other.bas").write_text('Attribute VB_Name = "XlreportRibbon"\n', "ascii")
    with pytest.raises(addin.AddinError, match=r'Other\.bas 第 1 行须为 Attribute VB_Name = "Other"'):
        addin.build_addin(macros=tmp_path)


# --- a second, independent reader: LibreOffice's VBA import ---------------------------------

# What LibreOffice's VBA import (oox/source/ole/vbamodule.cxx) writes before a module's code, by module type.
LIBREOFFICE_HEADER = {
    "normal": "Rem Attribute VBA_ModuleType=VBAModule\nOption VBASupport 1\n",
    "document": "Rem Attribute VBA_ModuleType=VBADocumentModule\nOption VBASupport 1\n",
    "class": "Rem Attribute VBA_ModuleType=VBAClassModule\nOption VBASupport 1\nOption ClassModule\n",
}
SCRIPT = "{http://openoffice.org/2000/script}"


def as_libreoffice_keeps(source: str, kind: str) -> str:
    """A module's source as LibreOffice imports it: its header, then every line but the Attribute
    lines, each ended by LF (the empty remainder after the last line break too)."""
    lines = re.split(r"\r\n|\r|\n", source)
    return LIBREOFFICE_HEADER[kind] + "".join(line + "\n" for line in lines if not line.startswith("Attribute "))


def libreoffice_modules(xlams: dict[str, bytes], folder: Path) -> dict[str, dict[str, tuple[str, str]]]:
    """{name: {"library/module": (module type, source)}} as LibreOffice reads each add-in's VBA project.

    LibreOffice refuses the add-in content type, so each copy declares its main part a macro-enabled
    workbook, is saved as .xlsm and converted to .ods, whose Basic/<library>/<module>.xml hold the
    modules. A private profile keeps parallel runs apart."""
    sources = []
    for name, xlam in xlams.items():
        src, path = zipfile.ZipFile(io.BytesIO(xlam)), folder / f"{name}.xlsm"
        with zipfile.ZipFile(path, "w") as z:
            for member in src.namelist():
                data = src.read(member)
                if member == "[Content_Types].xml":
                    data = data.replace(b"application/vnd.ms-excel.addin.macroEnabled.main+xml",
                                        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
                z.writestr(member, data)
        sources.append(str(path))
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--norestore",
         "--convert-to", "ods", "--outdir", str(folder), *sources],
        check=True, capture_output=True, timeout=300,
    )
    found = {}
    for name in xlams:
        with zipfile.ZipFile(folder / f"{name}.ods") as ods:
            modules = {}
            for member in ods.namelist():
                if re.fullmatch(r"Basic/[^/]+/[^/]+\.xml", member):
                    root = ElementTree.fromstring(ods.read(member))
                    if root.tag == f"{SCRIPT}module":
                        modules[member[len("Basic/"):-len(".xml")]] = (root.get(f"{SCRIPT}moduleType"), root.text or "")
            found[name] = modules
    return found


def expected_modules() -> dict[str, tuple[str, str]]:
    """Every module of the add-in as LibreOffice should show it, from sources our writer never touched:
    macros/*.bas, the installed xlwings module, and the template's other modules read by olevba."""
    template = addin.xlwings_dir() / addin.TEMPLATE
    kept = {name.rsplit(".", 1)[0]: code for _, _, name, code in VBA_Parser(str(template), data=template.read_bytes()).extract_macros()}
    shipped = (addin.xlwings_dir() / "xlwings_custom_addin.bas").read_text("cp1252")
    sources = {
        **{path.stem: ("normal", path.read_text("ascii")) for path in BAS_FILES},
        "xlwings": ("normal", shipped.replace('PROJECT_NAME As String = "myaddin"', 'PROJECT_NAME As String = "xlreport"')),
        "Dictionary": ("class", kept["Dictionary"]),
        "ThisWorkbook": ("document", kept["ThisWorkbook"]),
        "Sheet2": ("document", kept["Sheet2"]),
    }
    return {f"xlreport/{name}": (kind, as_libreoffice_keeps(code, kind)) for name, (kind, code) in sources.items()}


@pytest.mark.skipif(not SOFFICE, reason="LibreOffice (soffice) is not installed; CI installs it")
def test_libreoffice_reads_every_module_of_the_addin(xlam, tmp_path, monkeypatch):
    """A second reader, independent of olevba, of the compound file, the dir stream and the compression.

    The control: a build whose compressor copies from one byte too far back in the module sources
    (the dir stream kept right, so the project still loads) must differ in exactly the rewritten modules."""
    compress, longest_match = ovba.compress, ovba._longest_match

    def one_byte_off(data, start, cur, end):
        offset, length = longest_match(data, start, cur, end)
        return (offset + 1, length) if length and offset < cur - start else (offset, length)

    def compress_sources_wrongly(data: bytes) -> bytes:
        if data.startswith(b"Attribute "):
            monkeypatch.setattr(ovba, "_longest_match", one_byte_off)
        try:
            return compress(data)
        finally:
            monkeypatch.setattr(ovba, "_longest_match", longest_match)

    monkeypatch.setattr(ovba, "compress", compress_sources_wrongly)
    broken = addin.build_addin()
    monkeypatch.undo()
    read = libreoffice_modules({"xlreport": xlam, "broken": broken}, tmp_path)
    expected = expected_modules()
    assert set(read["xlreport"]) == set(expected)
    for module, (kind, source) in expected.items():
        assert read["xlreport"][module][0] == kind, module
        assert read["xlreport"][module][1] == source, module
    rewritten = {f"xlreport/{p.stem}" for p in BAS_FILES} | {"xlreport/xlwings"}
    assert {m for m in expected if read["broken"].get(m) != expected[m]} == rewritten


# --- the dir stream beside one saved by Excel ----------------------------------------------------

EXCEL_SAVED = "quickstart.xlsm"  # in the xlwings package: saved by Excel (p-code cache, _VBA_PROJECT version 0x00B5)
RECORD_NAMES = {
    0x01: "PROJECTSYSKIND", 0x4A: "PROJECTCOMPATVERSION", 0x02: "PROJECTLCID", 0x14: "PROJECTLCIDINVOKE",
    0x03: "PROJECTCODEPAGE", 0x04: "PROJECTNAME", 0x05: "PROJECTDOCSTRING", 0x40: "PROJECTDOCSTRING (Unicode)",
    0x06: "PROJECTHELPFILEPATH", 0x3D: "PROJECTHELPFILEPATH (2)", 0x07: "PROJECTHELPCONTEXT", 0x08: "PROJECTLIBFLAGS",
    0x09: "PROJECTVERSION", 0x0C: "PROJECTCONSTANTS", 0x3C: "PROJECTCONSTANTS (Unicode)", 0x16: "REFERENCENAME",
    0x3E: "REFERENCENAME (Unicode)", 0x33: "REFERENCEORIGINAL", 0x2F: "REFERENCECONTROL", 0x30: "REFERENCECONTROL (extended)",
    0x0D: "REFERENCEREGISTERED", 0x0E: "REFERENCEPROJECT", 0x0F: "PROJECTMODULES", 0x13: "PROJECTCOOKIE",
    0x19: "MODULENAME", 0x47: "MODULENAMEUNICODE", 0x1A: "MODULESTREAMNAME", 0x32: "MODULESTREAMNAME (Unicode)",
    0x1C: "MODULEDOCSTRING", 0x48: "MODULEDOCSTRING (Unicode)", 0x31: "MODULEOFFSET", 0x1E: "MODULEHELPCONTEXT",
    0x2C: "MODULECOOKIE", 0x21: "MODULETYPE (procedural)", 0x22: "MODULETYPE (document, class)", 0x25: "MODULEREADONLY",
    0x28: "MODULEPRIVATE", 0x2B: "MODULE terminator", 0x10: "dir terminator",
}


def dir_outline(vba_bin: bytes) -> dict:
    """The dir stream's record ids in order, by part: project information, each reference,
    the modules' header, each kind of module, the terminator (MS-OVBA §2.3.4.2)."""
    project = ovba.Project.parse(vba_bin)
    head = [rid for rid, _ in project.head]
    first_ref = next(i for i, rid in enumerate(head) if rid in (0x16, 0x0F))
    modules_at = head.index(0x0F)
    references, current = [], []
    for rid in head[first_ref:modules_at]:
        if rid == 0x16 and (not current or current[-1] not in (0x2F,)):  # a name starts a reference, except inside a control's
            current = []
            references.append(current)
        current.append(rid)
    return {
        "information": head[:first_ref],
        "references": {tuple(r) for r in references},
        "modules header": head[modules_at:],
        "modules": {tuple(rid for rid, _ in m.records) for m in project.modules},
        "terminator": [rid for rid, _ in project.tail],
    }


def omitted(excel: list[int], ours: list[int]) -> list[str]:
    """Records of Excel's sequence that ours lacks, in Excel's order."""
    ops = difflib.SequenceMatcher(None, excel, ours, autojunk=False).get_opcodes()
    return [RECORD_NAMES[rid] for tag, i1, i2, _, _ in ops if tag in ("delete", "replace") for rid in excel[i1:i2]]


def test_dir_stream_has_the_records_of_an_excel_saved_project_but_compatversion(parts):
    """Listed in macros/README.md: ours (the xlwings template's, edited) omits PROJECTCOMPATVERSION only."""
    excel = dir_outline(zipfile.ZipFile(addin.xlwings_dir() / EXCEL_SAVED).read("xl/vbaProject.bin"))
    ours = dir_outline(parts["xl/vbaProject.bin"])
    assert omitted(excel["information"], ours["information"]) == ["PROJECTCOMPATVERSION"]
    assert ours["modules header"] == excel["modules header"] and ours["terminator"] == excel["terminator"]
    assert ours["modules"] == excel["modules"]  # one shape for standard modules, one for document and class modules
    # Excel's project also references another VBA project (xlwings.xlam): a reference, not a record ours lacks
    assert ours["references"] == excel["references"] - {(0x16, 0x3E, 0x0E)}


# --- install / uninstall -----------------------------------------------------------------


def run_cli(argv: list[str]) -> int:
    parser = Parser(prog="xlreport")
    addin_command.register(parser.add_subparsers(dest="command", parser_class=Parser))
    args = parser.parse_args(argv)
    return args.run(args)


def windows(tmp_path) -> dict:
    return {"platform": "win32", "home": tmp_path, "env": {"APPDATA": str(tmp_path / "Roaming"), "USERPROFILE": str(tmp_path / "me")}}


def test_windows_install_puts_the_addin_in_xlstart_and_sets_the_interpreter(tmp_path, xlam):
    result = addin.install(**windows(tmp_path), interpreter=r"C:\envs\年报\python.exe")
    assert result.addin == tmp_path / "Roaming" / "Microsoft" / "Excel" / "XLSTART" / "xlreport.xlam"
    assert result.addin.read_bytes() == xlam
    assert result.config == tmp_path / "me" / ".xlreport" / "xlreport.conf"
    assert result.config.read_bytes().decode(addin._config_encoding("win32")) == '"INTERPRETER_WIN","C:\\envs\\年报\\python.exe"\r\n'
    assert result.xlwings_version == addin.embedded_xlwings_version(xlam)


def test_reinstall_keeps_the_users_other_settings(tmp_path):
    config = tmp_path / "me" / ".xlreport" / "xlreport.conf"
    config.parent.mkdir(parents=True)
    config.write_text('"PYTHONPATH","D:\\code"\r\n"INTERPRETER_WIN","C:\\old\\python.exe"\r\n', "utf-8")
    result = addin.install(**windows(tmp_path), interpreter=r"C:\new\python.exe")
    assert config.read_bytes().decode("utf-8") == '"PYTHONPATH","D:\\code"\r\n"INTERPRETER_WIN","C:\\new\\python.exe"\r\n'
    assert result.notes == ["配置中的 Python 解释器已由 C:\\old\\python.exe 改为 C:\\new\\python.exe"]


def test_mac_install_uses_the_startup_folder_config_and_applescript(tmp_path, xlam):
    result = addin.install(platform="darwin", home=tmp_path, env={}, interpreter="/Users/me/venv/bin/python")
    office = tmp_path / "Library" / "Group Containers" / "UBF8T346G9.Office"
    assert result.addin == office / "User Content.localized" / "Startup.localized" / "Excel" / "xlreport.xlam"
    assert result.addin.read_bytes() == xlam
    config = tmp_path / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / "xlreport.conf"
    assert config.read_bytes().decode("utf-8") == '"INTERPRETER_MAC","/Users/me/venv/bin/python"\r\n'
    version = addin.embedded_xlwings_version(xlam)
    script = tmp_path / "Library" / "Application Scripts" / "com.microsoft.Excel" / f"xlwings-{version}.applescript"
    assert script.read_bytes() == (addin.xlwings_dir() / f"xlwings-{version}.applescript").read_bytes()


def test_mac_install_follows_an_unlocalized_user_content_folder(tmp_path):
    office = tmp_path / "Library" / "Group Containers" / "UBF8T346G9.Office"
    (office / "User Content").mkdir(parents=True)
    result = addin.install(platform="darwin", home=tmp_path, env={}, interpreter="/usr/bin/python3")
    assert result.addin == office / "User Content" / "Startup" / "Excel" / "xlreport.xlam"


def test_uninstall_removes_only_the_addin(tmp_path):
    result = addin.install(**windows(tmp_path), interpreter="python")
    assert addin.uninstall(**windows(tmp_path)) == result.addin
    assert not result.addin.exists() and result.config.exists()
    assert addin.uninstall(**windows(tmp_path)) is None


def test_install_elsewhere_with_dir(tmp_path):
    result = addin.install(**windows(tmp_path), interpreter="python", startup=tmp_path / "custom")
    assert result.addin == tmp_path / "custom" / "xlreport.xlam"


@pytest.mark.parametrize("action", ["install", "uninstall"])
def test_linux_explains_that_excel_is_needed_and_points_wps_users_to_the_cli(action, capsys, tmp_path):
    with pytest.raises(addin.AddinError) as exc:
        getattr(addin, action)(platform="linux", home=tmp_path, env={})
    message = str(exc.value)
    assert "Microsoft Excel" in message and "Linux" in message and "WPS" in message
    assert "xlreport check" in message and "xlreport fill" in message
    assert not any(tmp_path.iterdir())
    if action == "install":
        assert run_cli(["addin", "install", "--dir", str(tmp_path)]) == 2  # this machine is Linux
        err = capsys.readouterr().err
        assert "WPS" in err and "Traceback" not in err


def test_build_refuses_an_output_that_is_not_xlam(tmp_path, capsys):
    assert run_cli(["addin", "build", "-o", str(tmp_path / "年报.xlsx")]) == 2
    assert "须以 .xlam 结尾" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_build_into_a_missing_folder_is_a_clear_error(tmp_path, capsys):
    assert run_cli(["addin", "build", "-o", str(tmp_path / "没有" / "xlreport.xlam")]) == 2
    err = capsys.readouterr().err
    assert "无法写入" in err and "Traceback" not in err
