"""xlreport doctor (excel.doctor): every check's branches on faked computers under tmp_path.

A World is a Windows, Mac or Linux computer made of files under tmp_path, environment
variables, a registry dict and the Pythons on it (what each says when run). Nothing here
reads or writes a real user folder, the real registry or a real Excel.
"""

from __future__ import annotations

import json
import shutil
import sys
import tomllib
import types
from importlib import metadata
from pathlib import Path

import pytest

from conftest import REPO
from xlreport import __version__
from xlreport.excel import ribbon
from xlreport.cli import build_parser, main
from xlreport.excel import addin, doctor
from xlreport.excel.buttons import BUTTONS, COMMAND_LINE
from xlreport.excel.doctor import Machine, Status
from xlreport.excel.grid_memory import MemoryGrid
from workbooks import HUAIAN

XLWINGS = metadata.version("xlwings")  # what the add-in built here is written for
OK, NOTE, PROBLEM, UNCHECKED = Status.OK, Status.NOTE, Status.PROBLEM, Status.UNCHECKED
EXCEL_APP_PATHS = doctor.EXCEL_KEYS[0]


@pytest.fixture(scope="module")
def built() -> bytes:
    return addin.build_addin()


class World:
    """A faked computer. `healthy()` sets up everything the ribbon needs."""

    def __init__(self, tmp_path: Path, platform: str, built: bytes):
        self.tmp, self.platform, self.built = tmp_path, platform, built
        self.home = tmp_path / "home"
        self.root = tmp_path / "root"
        self.home.mkdir()
        self.root.mkdir()
        self.registry: dict[tuple[str, str], str] = {}
        self.outputs: dict[str, tuple[int | None, str, str]] = {}
        self.calls: list[list[str]] = []
        self.env = {}
        if platform == "win32":
            self.env = {
                "APPDATA": str(self.home / "AppData" / "Roaming"),
                "LOCALAPPDATA": str(self.home / "AppData" / "Local"),
                "USERPROFILE": str(self.home),
                "ProgramFiles": str(self.root / "Program Files"),
                "ProgramFiles(x86)": str(self.root / "Program Files (x86)"),
                "PATHEXT": ".COM;.EXE;.BAT;.CMD",
            }
        self.python = self.make_python("Python311/python.exe" if platform == "win32" else "venv/bin/python")
        self.workbook = None

    # --- building the computer ------------------------------------------------------

    @property
    def places(self) -> addin.Places:
        return addin.places(self.platform, self.home, self.env)

    def file(self, path: Path, data: bytes = b"") -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def make_python(self, rel: str, version=(3, 11, 9), xlreport=__version__, xlwings=XLWINGS, pin=XLWINGS) -> Path:
        exe = self.file(self.root / rel)
        facts = {"version": list(version), "xlreport": xlreport, "xlwings": xlwings,
                 "requires": [f"xlwings=={pin}", "openpyxl>=3.1.2"] if xlreport else []}
        self.outputs[str(exe)] = (0, json.dumps(facts) + "\n", "")
        return exe

    def set_config(self, text: str, where: Path | None = None) -> None:
        self.file(where or self.places.config, text.encode("utf-8"))

    def install_addin(self, data: bytes | None = None) -> Path:
        return self.file(self.places.startup / "xlreport.xlam", self.built if data is None else data)

    def healthy(self) -> World:
        if self.platform == "win32":
            excel = self.file(self.root / "Program Files" / "Microsoft Office" / "root" / "Office16" / "EXCEL.EXE")
            self.registry[(EXCEL_APP_PATHS, "")] = str(excel)
            self.set_config(f'"INTERPRETER_WIN","{self.python}"\r\n')
        elif self.platform == "darwin":
            (self.root / "Applications" / "Microsoft Excel.app").mkdir(parents=True)
            self.set_config(f'"INTERPRETER_MAC","{self.python}"\r\n')
            self.file(self.places.applescripts / f"xlwings-{XLWINGS}.applescript")
        if self.platform in ("win32", "darwin"):
            self.install_addin()
        return self

    # --- what the doctor sees -----------------------------------------------------------

    def run(self, argv):
        self.calls.append(list(argv))
        assert argv[1:] == ["-c", doctor.PROBE]
        return self.outputs.get(argv[0], (None, "", f"[WinError 2] 系统找不到指定的文件。: '{argv[0]}'"))

    def machine(self) -> Machine:
        return Machine(self.platform, self.env, self.home, self.root,
                       lambda key, name="": self.registry.get((key, name)), self.run, str(self.python))

    def diagnose(self) -> dict[str, doctor.Item]:
        items = doctor.diagnose(self.machine(), workbook=self.workbook)
        return {i.topic: i for i in items}


@pytest.fixture
def windows(tmp_path, built) -> World:
    return World(tmp_path, "win32", built).healthy()


@pytest.fixture
def mac(tmp_path, built) -> World:
    return World(tmp_path, "darwin", built).healthy()


def expect(items: dict[str, doctor.Item], **wanted):
    """wanted: topic (spaces as _) = (status, text fragment[, fix fragment])."""
    for topic, (status, text, *fix) in wanted.items():
        item = items[topic.replace("_", " ")]
        assert item.status is status, (topic, item)
        assert text in item.text, (topic, item.text)
        if fix:
            assert fix[0] in item.fix, (topic, item.fix)


# --- healthy computers ---------------------------------------------------------------------


def test_a_healthy_windows_computer_is_ready(windows):
    items = windows.diagnose()
    assert list(items) == ["系统", "Excel", "加载项", "Python 设置", "Python", "xlreport", "xlwings"]
    assert {t: i.status for t, i in items.items()} == dict.fromkeys(items, OK)
    expect(items, Excel=(OK, "EXCEL.EXE"), 加载项=(OK, f"适配 xlwings {XLWINGS}"),
           Python_设置=(OK, f"加载项将使用 {windows.python}（用户设置文件"), Python=(OK, f"3.11.9（{windows.python}）"),
           xlwings=(OK, f"xlwings {XLWINGS}，与加载项一致"))
    assert doctor.ready(items.values())
    assert windows.calls == [[str(windows.python), "-c", doctor.PROBE]]  # the interpreter is asked once


def test_a_healthy_mac_is_ready(mac):
    items = mac.diagnose()
    assert list(items)[-1] == "AppleScript"
    assert {t: i.status for t, i in items.items()} == dict.fromkeys(items, OK)
    expect(items, Excel=(OK, "Microsoft Excel.app"), AppleScript=(OK, f"xlwings-{XLWINGS}.applescript"))


def test_linux_says_the_ribbon_needs_excel_and_lists_the_commands(tmp_path, built):
    world = World(tmp_path, "linux", built)
    items = doctor.diagnose(world.machine())
    assert [i.topic for i in items] == ["系统", "Python"]
    system, python = items
    assert system.status is PROBLEM and "Windows 或 Mac 上的 Microsoft Excel" in system.text and "Linux" in system.text
    for button, command in COMMAND_LINE.items():
        if command and button != "help":
            assert f"{BUTTONS[button]}：{command}" in system.fix
    assert python.status is OK and str(world.python) in python.text
    assert not doctor.ready(items)
    assert "本机不能使用“年报工具”功能区" in doctor.render(items)
    assert not any(world.home.iterdir())


# --- Excel or WPS --------------------------------------------------------------------------------


def _wps_in_registry(w: World):
    folder = w.root / "WPS"
    folder.mkdir()
    w.registry[(doctor.WPS_KEYS[0], "InstallRoot")] = str(folder)


def _wps_in_local_appdata(w: World):
    (w.home / "AppData" / "Local" / "Kingsoft" / "WPS Office").mkdir(parents=True)


def _no_excel(w: World):
    del w.registry[(EXCEL_APP_PATHS, "")]
    shutil.rmtree(w.root / "Program Files" / "Microsoft Office")


def _excel_key_left_behind(w: World):
    _no_excel(w)
    w.registry[(EXCEL_APP_PATHS, "")] = str(w.root / "gone" / "EXCEL.EXE")


def _excel_in_program_files_x86_only(w: World):
    _no_excel(w)
    w.file(w.root / "Program Files (x86)" / "Microsoft Office" / "Office15" / "EXCEL.EXE")


@pytest.mark.parametrize("arrange, status, text, fix", [
    (_wps_in_local_appdata, NOTE, "另装有 WPS Office", "功能区只出现在 Microsoft Excel 中"),
    (lambda w: (_no_excel(w), _wps_in_registry(w)), PROBLEM, "只找到 WPS Office", "xlreport check 年报.xlsx"),
    (_no_excel, PROBLEM, "没有找到 Microsoft Excel", "安装 Microsoft Excel"),
    (_excel_key_left_behind, PROBLEM, "没有找到 Microsoft Excel", "xlreport fill 年报.xlsx"),
    (_excel_in_program_files_x86_only, OK, "Office15", ""),
], ids=["both", "wps-only", "neither", "stale-key", "known-folder"])
def test_windows_excel_or_wps(windows, arrange, status, text, fix):
    arrange(windows)
    expect(windows.diagnose(), Excel=(status, text, fix))


@pytest.mark.parametrize("apps, status, text", [
    (["wpsoffice.app"], PROBLEM, "只找到 WPS Office"),
    (["Microsoft Excel.app", "wpsoffice.app"], NOTE, "另装有 WPS Office"),
    ([], PROBLEM, "没有找到 Microsoft Excel"),
])
def test_mac_excel_or_wps_in_applications(mac, apps, status, text):
    shutil.rmtree(mac.root / "Applications")
    for app in apps:
        (mac.root / "Applications" / app).mkdir(parents=True)
    expect(mac.diagnose(), Excel=(status, text))


def test_mac_excel_in_the_users_own_applications_folder(mac):
    shutil.rmtree(mac.root / "Applications")
    (mac.home / "Applications" / "Microsoft Excel.app").mkdir(parents=True)
    expect(mac.diagnose(), Excel=(OK, str(mac.home / "Applications")))


# --- the add-in file -----------------------------------------------------------------------------


def _older_addin(w: World, tmp: Path) -> bytes:
    macros = tmp / "old-macros"
    shutil.copytree(REPO / "macros", macros)
    ui = macros / "customUI.xml"
    ui.write_text(ui.read_text("utf-8").replace('label="帮助"', 'label="旧帮助"'), "utf-8")
    return addin.build_addin(macros=macros)


@pytest.mark.parametrize("arrange, status, text", [
    (lambda w, tmp: (w.places.startup / "xlreport.xlam").unlink(), PROBLEM, "Excel 启动文件夹中没有加载项"),
    (lambda w, tmp: w.install_addin(b"PK\x03\x04 not really"), PROBLEM, "无法读取"),
    (lambda w, tmp: ((w.places.startup / "xlreport.xlam").unlink(), (w.places.startup / "xlreport.xlam").mkdir()),
     PROBLEM, "无法读取"),
    (lambda w, tmp: w.install_addin(_older_addin(w, tmp)), NOTE, "与本机 xlreport"),
], ids=["missing", "damaged", "a-folder", "older"])
def test_addin_file(windows, tmp_path, arrange, status, text):
    arrange(windows, tmp_path)
    items = windows.diagnose()
    expect(items, 加载项=(status, text, "先退出 Excel，再在“命令提示符”（Mac：“终端”）中运行：xlreport addin install"))
    assert doctor.ready(items.values()) is (status is NOTE)


def test_an_addin_in_another_startup_folder_is_checked_there(windows, tmp_path):
    elsewhere = windows.file(tmp_path / "XLSTART2" / "xlreport.xlam", windows.built)
    (windows.places.startup / "xlreport.xlam").unlink()
    items = {i.topic: i for i in doctor.diagnose(windows.machine(), startup=elsewhere.parent)}
    expect(items, 加载项=(OK, str(elsewhere)))
    (elsewhere).unlink()
    items = {i.topic: i for i in doctor.diagnose(windows.machine(), startup=elsewhere.parent)}
    expect(items, 加载项=(PROBLEM, str(elsewhere), f'xlreport addin install --dir "{elsewhere.parent}"'))


# --- the Python setting, in xlwings' lookup order ------------------------------------------------


def _sheet(rows) -> dict[str, list[list]]:
    return {"xlreport.conf": rows}


def test_the_active_workbooks_config_sheet_comes_first(windows, tmp_path):
    other = windows.make_python("Other/python.exe")
    windows.workbook = MemoryGrid(_sheet([["Interpreter_Win", str(other)], ["PYTHONPATH", ""]]), {}, tmp_path / "年报.xlsx")
    items = windows.diagnose()
    expect(items, Python_设置=(NOTE, f"加载项将使用 {other}（当前工作簿的“xlreport.conf”工作表）", "删去其中的设置"),
           Python=(OK, str(other)))
    assert "本命令运行于另一个 Python" in items["Python"].text


def test_a_config_sheet_is_read_down_to_its_first_blank_row(windows, tmp_path):
    rows = [["PYTHONPATH", None], ["Show Console", True], ["Use UDF Server", 1.0], [None, None], ["Interpreter_Win", "C:\\later"]]
    windows.workbook = MemoryGrid(_sheet(rows), {}, tmp_path / "年报.xlsx")
    expect(windows.diagnose(), Python_设置=(OK, "用户设置文件"), Python=(OK, str(windows.python)))
    assert doctor.sheet_config(windows.workbook) == {"PYTHONPATH": "", "SHOW CONSOLE": "True", "USE UDF SERVER": "1"}


def test_a_config_file_beside_the_workbook_comes_before_the_users(windows, tmp_path):
    other = windows.make_python("Beside/python.exe")
    windows.set_config(f'"INTERPRETER_WIN","{other}"\r\n', tmp_path / "报告" / "xlreport.conf")
    windows.workbook = MemoryGrid({"封面": [[None]]}, {}, tmp_path / "报告" / "年报.xlsx")
    expect(windows.diagnose(), Python_设置=(NOTE, f"工作簿所在文件夹的设置文件 {tmp_path / '报告' / 'xlreport.conf'}"),
           Python=(OK, str(other)))


def test_an_unsaved_workbook_has_no_folder_to_look_in(windows, tmp_path):
    windows.workbook = MemoryGrid({"Sheet1": [[None]]}, {}, None)
    expect(windows.diagnose(), Python_设置=(OK, "用户设置文件"))


def test_an_activated_addin_sheet_with_a_blank_entry_hides_the_users_setting(windows, tmp_path):
    """xlwings' GetConfig stops at the first place that has the key, even when it is empty."""
    windows.install_addin(_rezip(windows.built, {"xl/workbook.xml": lambda x: x.replace(b'name="_xlreport.conf"', b'name="xlreport.conf"')}))
    windows.registry[(doctor.PATH_KEYS[1], "Path")] = r"%USERPROFILE%\no-python"
    items = windows.diagnose()
    expect(items, Python_设置=(NOTE, "加载项中的“xlreport.conf”工作表中的 INTERPRETER_WIN 为空", "删去加载项中的“xlreport.conf”工作表中的空设置"),
           Python=(PROBLEM, "Excel 的 PATH 中也找不到 python"))
    assert f"用户设置文件 {windows.places.config}中的设置因此不起作用" in items["Python 设置"].text


def _rezip(xlam: bytes, edits) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlam)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, edits[name](data) if name in edits else data)
    return out.getvalue()


@pytest.mark.parametrize("config, path_value, status, text", [
    ("", "{folder}", OK, "{python}"),
    ('"INTERPRETER","{python}"\r\n', "", OK, "{python}"),
    ('"interpreter_win","%USERPROFILE%\\venv\\python.exe"\r\n', "", OK, "{home}\\venv\\python.exe"),
], ids=["python-on-path", "legacy-key", "expanded-variable"])
def test_where_the_interpreter_comes_from(windows, config, path_value, status, text):
    fields = {"python": windows.python, "folder": windows.python.parent, "home": windows.home}
    if "USERPROFILE" in config:
        expanded = Path(f"{windows.home}\\venv\\python.exe")  # on this POSIX file system "\\" is part of a name
        windows.outputs[str(expanded)] = windows.outputs[str(windows.python)]
        windows.file(expanded)
    windows.set_config(config.format(**fields))
    if path_value:
        windows.registry[(doctor.PATH_KEYS[0], "Path")] = r"C:\Windows;" + path_value.format(**fields)
        windows.env["PATH"] = str(windows.tmp / "activated-venv")  # a console's PATH is not Excel's
    items = windows.diagnose()
    expect(items, Python=(status, text.format(**fields)))
    if not config:
        expect(items, Python_设置=(NOTE, "未设置，使用 xlwings 的默认值 python", "xlreport addin install"))


def test_without_a_setting_or_registry_path_the_process_path_is_searched(windows):
    windows.set_config("")
    windows.env["Path"] = f"{windows.tmp / 'none'};{windows.python.parent}"  # Windows spells it Path
    expect(windows.diagnose(), Python=(OK, str(windows.python)))


@pytest.mark.parametrize("config, text", [
    ('"INTERPRETER_WIN","C:\\gone\\python.exe"\r\n', "设置的 Python 不存在：C:\\gone\\python.exe"),
    ('"INTERPRETER","  "\r\n', "中的 INTERPRETER 为空"),
    ("", "Excel 的 PATH 中也找不到 python"),
], ids=["missing-file", "empty", "not-on-path"])
def test_an_interpreter_that_cannot_be_found(windows, config, text):
    windows.set_config(config)
    items = windows.diagnose()
    expect(items, Python=(PROBLEM, text, "在装有 xlreport 的 Python 中运行：xlreport addin install"),
           xlreport=(UNCHECKED, "不能运行"), xlwings=(UNCHECKED, "不能运行"))
    assert not doctor.ready(items.values())
    assert windows.calls == []  # nothing was run


def test_conda_settings_are_mentioned(windows):
    windows.set_config(f'"INTERPRETER_WIN","{windows.python}"\r\n"CONDA PATH","C:\\miniconda3"\r\n"CONDA ENV","nianbao"\r\n')
    expect(windows.diagnose(), Python_设置=(OK, "另设置了 conda 环境 nianbao（C:\\miniconda3）"))


# --- the interpreter and its packages ------------------------------------------------------------


def test_an_interpreter_that_does_not_run(windows):
    windows.outputs[str(windows.python)] = (1, "", "Traceback…\nImportError: DLL load failed")
    expect(windows.diagnose(), Python=(PROBLEM, "无法运行", "xlreport addin install"))
    assert "DLL load failed" in windows.diagnose()["Python"].text


def test_the_windows_store_alias_is_named(windows):
    alias = windows.file(windows.home / "AppData" / "Local" / "Microsoft" / "WindowsApps" / "python.exe")
    windows.set_config(f'"INTERPRETER_WIN","{alias}"\r\n')
    windows.outputs[str(alias)] = (9009, "", "Python was not found; run without arguments to install from the Microsoft Store")
    expect(windows.diagnose(), Python=(PROBLEM, "这是 Windows 的“应用执行别名”", "应用执行别名 中关闭 python.exe 和 python3.exe"))


def test_an_old_python(windows):
    windows.make_python("Python311/python.exe", version=(3, 8, 10))
    expect(windows.diagnose(), Python=(PROBLEM, "是 Python 3.8.10，xlreport 需要 Python 3.10 及以上", "pip install xlreport"))


def test_unreadable_answers_from_the_interpreter(windows):
    windows.outputs[str(windows.python)] = (0, "{not json\n", "")
    expect(windows.diagnose(), Python=(PROBLEM, "无法识别它的输出"))


@pytest.mark.parametrize("facts, topic, status, text, fix", [
    (dict(xlreport=None), "xlreport", PROBLEM, "中没有安装 xlreport", "-m pip install xlreport"),
    (dict(xlreport="0.0.9"), "xlreport", NOTE, f"xlreport 0.0.9，与本命令的 xlreport {__version__} 不同", f"xlreport=={__version__}"),
    (dict(xlwings=None), "xlwings", PROBLEM, "中没有安装 xlwings", f"-m pip install xlwings=={XLWINGS}"),
    (dict(xlwings="0.30.0"), "xlwings", PROBLEM, f"xlwings 0.30.0，而 xlreport {__version__} 要求 xlwings {XLWINGS}",
     f"-m pip install xlwings=={XLWINGS}"),
    (dict(xlwings="0.36.1", pin="0.36.1"), "xlwings", PROBLEM, f"加载项却是按 xlwings {XLWINGS} 生成的",
     "按 xlwings 0.36.1 重新生成加载项"),
], ids=["no-xlreport", "other-xlreport", "no-xlwings", "xlwings-not-the-pin", "addin-for-other-xlwings"])
def test_packages_in_the_addins_python(windows, facts, topic, status, text, fix):
    windows.make_python("Python311/python.exe", **facts)
    items = windows.diagnose()
    expect(items, **{topic: (status, text, fix)})
    assert doctor.ready(items.values()) is (status is NOTE)


def test_without_the_addin_xlwings_is_checked_against_the_pin(windows):
    (windows.places.startup / "xlreport.xlam").unlink()
    expect(windows.diagnose(), xlwings=(OK, f"xlwings {XLWINGS}"))
    assert "与加载项一致" not in windows.diagnose()["xlwings"].text


# --- Mac specifics -----------------------------------------------------------------------------


def test_mac_without_a_full_interpreter_path(mac):
    mac.set_config("")
    expect(mac.diagnose(), Python=(PROBLEM, "macOS 上通常没有这个命令", "xlreport addin install"))


def test_mac_interpreter_path_with_a_space(mac):
    spaced = mac.make_python("my env/bin/python")
    mac.set_config(f'"INTERPRETER_MAC","{spaced}"\r\n')
    expect(mac.diagnose(), Python=(PROBLEM, "路径含空格", "路径不含空格的文件夹"))


def test_mac_home_in_the_setting_is_expanded(mac):
    python = mac.home / "envs" / "nb" / "bin" / "python"
    mac.file(python)
    mac.outputs[str(python)] = mac.outputs[str(mac.python)]
    mac.set_config('"INTERPRETER_MAC","$HOME/envs/nb/bin/python"\r\n')
    expect(mac.diagnose(), Python_设置=(OK, f"加载项将使用 {python}"), Python=(OK, "3.11.9"))


def test_mac_applescript_missing(mac):
    (mac.places.applescripts / f"xlwings-{XLWINGS}.applescript").unlink()
    expect(mac.diagnose(), AppleScript=(PROBLEM, "To enable RunPython", "xlreport addin install"))


def test_mac_applescript_unknown_without_addin_or_python(mac):
    (mac.places.startup / "xlreport.xlam").unlink()
    mac.set_config("")
    expect(mac.diagnose(), AppleScript=(UNCHECKED, "不知道加载项适配的 xlwings 版本"))


# --- the report, the command, the button ---------------------------------------------------------


def test_report_lists_each_item_its_fix_and_a_conclusion(windows):
    (windows.places.startup / "xlreport.xlam").unlink()
    text = doctor.render(doctor.diagnose(windows.machine()))
    assert text.splitlines()[0] == f"xlreport 环境检查（xlreport {__version__}）"
    assert f"[问题] 加载项：Excel 启动文件夹中没有加载项：{windows.places.startup / 'xlreport.xlam'}" in text
    assert "       解决办法：先退出 Excel" in text
    assert text.endswith("结论：有 1 个问题，“年报工具”功能区不能正常使用。请按“解决办法”逐项处理，再运行 xlreport doctor 复查。")


def test_help_button_shows_the_report_and_saves_it(windows, tmp_path):
    grid = MemoryGrid.from_file(HUAIAN)
    report = tmp_path / "log" / "环境检查.txt"
    items = ribbon.perform(grid, "help", tmp_path / "x.log", report_file=report, machine=windows.machine())
    assert doctor.ready(items)
    ((title, message),) = grid.alerts
    assert title == "帮助"
    saved = report.read_bytes()
    assert saved.startswith(b"\xef\xbb\xbf")
    assert message == saved.decode("utf-8-sig") + f"\n\n以上内容已保存到 {report}，可打开复制，发给技术支持。"
    assert "结论：“年报工具”功能区所需的条件都已具备。" in message


def test_help_button_reads_the_workbooks_own_setting(windows, tmp_path):
    other = windows.make_python("Other/python.exe", xlwings=None)
    grid = MemoryGrid(_sheet([["INTERPRETER_WIN", str(other)]]), {}, tmp_path / "年报.xlsx")
    items = ribbon.perform(grid, "help", tmp_path / "x.log", report_file=tmp_path / "r.txt", machine=windows.machine())
    assert not doctor.ready(items)
    assert "[问题] xlwings：" in grid.alerts[0][1] and str(other) in grid.alerts[0][1]


def test_help_button_still_shows_the_report_when_it_cannot_be_saved(windows, tmp_path):
    blocker = windows.file(tmp_path / "not-a-folder")
    grid = MemoryGrid.from_file(HUAIAN)
    ribbon.perform(grid, "help", tmp_path / "x.log", report_file=blocker / "r.txt", machine=windows.machine())
    assert "（未能保存到" in grid.alerts[0][1] and "[正常] 系统：Windows" in grid.alerts[0][1]


def test_doctor_command_exit_code_follows_readiness(windows, monkeypatch, capsys):
    monkeypatch.setattr(Machine, "current", classmethod(lambda cls: windows.machine()))
    assert main(["doctor"]) == 0
    assert "结论：“年报工具”功能区所需的条件都已具备。" in capsys.readouterr().out
    windows.set_config('"INTERPRETER_WIN","C:\\gone\\python.exe"\r\n')
    assert main(["doctor"]) == 1


def test_doctor_command_reads_a_workbook_and_refuses_a_bad_one(windows, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(Machine, "current", classmethod(lambda cls: windows.machine()))
    windows.set_config('"INTERPRETER_WIN","C:\\gone\\python.exe"\r\n', tmp_path / "xlreport.conf")
    book = shutil.copy(HUAIAN, tmp_path / "年报.xlsx")
    assert main(["doctor", str(book)]) == 1
    assert f"工作簿所在文件夹的设置文件 {tmp_path / 'xlreport.conf'}" in capsys.readouterr().out
    (tmp_path / "坏.xlsx").write_bytes(b"")
    assert main(["doctor", str(tmp_path / "坏.xlsx")]) == 2
    assert "空文件" in capsys.readouterr().err


def test_doctor_on_this_linux_machine(capsys):
    if sys.platform in doctor.EXCEL_PLATFORMS:
        pytest.skip("this machine could run Excel; the faked computers above cover it")
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "本机是 Linux" in out and "xlreport check 年报.xlsx" in out and "Traceback" not in out


# --- the real adapters ---------------------------------------------------------------------------


def test_probe_reports_this_python_and_its_packages():
    facts = doctor.Checkup(Machine.current()).facts(sys.executable)
    assert facts.version == tuple(sys.version_info[:3])
    assert facts.xlwings == XLWINGS and facts.xlreport == metadata.version("xlreport")
    (pin,) = [r for r in metadata.requires("xlreport") if r.startswith("xlwings")]
    assert pin.replace(" ", "").startswith(f"xlwings=={facts.xlwings_pin}")


def test_run_process_reports_a_program_that_cannot_start(tmp_path):
    code, out, err = doctor.run_process([str(tmp_path / "no-python"), "-c", "pass"])
    assert code is None and out == "" and err


def test_registry_reader_splits_hive_and_key(monkeypatch):
    opened = []

    class Key:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def open_key(hive, path):
        opened.append((hive, path))
        if path.endswith("Missing"):
            raise FileNotFoundError(path)
        return Key()

    fake = types.SimpleNamespace(HKEY_CURRENT_USER="HKCU", HKEY_LOCAL_MACHINE="HKLM", OpenKey=open_key,
                                 QueryValueEx=lambda key, name: (f"value of {name or '(default)'}", 1))
    monkeypatch.setitem(sys.modules, "winreg", fake)
    assert doctor.read_registry(r"HKEY_CURRENT_USER\Software\Kingsoft\Office\6.0\Common", "InstallRoot") == "value of InstallRoot"
    assert doctor.read_registry(r"HKEY_LOCAL_MACHINE\SOFTWARE\Missing") is None
    assert opened == [("HKCU", r"Software\Kingsoft\Office\6.0\Common"), ("HKLM", r"SOFTWARE\Missing")]


def test_minimum_python_is_pyprojects():
    requires = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["requires-python"]
    assert requires == ">=" + ".".join(map(str, doctor.MIN_PYTHON))


def test_every_button_names_its_command_line_equivalent_and_it_parses():
    assert set(COMMAND_LINE) == set(BUTTONS)
    parser = build_parser()
    for command in filter(None, COMMAND_LINE.values()):
        args = parser.parse_args(command.split()[1:])
        assert callable(args.run), command


def test_readme_lists_every_button_and_every_command():
    readme = (REPO / "README.md").read_text("utf-8")
    for label in BUTTONS.values():
        assert f"\n| {label} | " in readme, label
    for command in build_parser()._subparsers._group_actions[0].choices:
        assert f"\nxlreport {command} " in readme, command
