"""xlreport build: default outputs, refusal on error findings, --force drafts, atomic output that
never replaces the input, the PDF step with LibreOffice missing, failing or hanging."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import docx
import lxml.html
import pytest
from workbooks import HUAIAN, ZHUZHOU, copy, edited, named_coord

from xlreport.commands import Parser, build
from xlreport.render import BuildError
from xlreport.render.pdf import docx_to_pdf
from xlreport.usecases.build import BuildRefused, build_report
from xlreport.workbook.reader import read_report


def xlreport_build(*argv) -> int:
    """The build subcommand through its own parser (the CLI registers it in COMMANDS)."""
    parser = Parser(prog="xlreport")
    build.register(parser.add_subparsers(dest="command", parser_class=Parser))
    args = parser.parse_args(["build", *map(str, argv)])
    return args.run(args)


@pytest.fixture
def huaian(tmp_path) -> Path:
    return copy(HUAIAN, tmp_path / "淮安2024.xlsx")


@pytest.fixture
def broken(tmp_path) -> Path:
    """表三 自然人 typed as 无, 商业企业 left blank: CELL-TEXT / CELL-BLANK errors."""
    return edited(HUAIAN, tmp_path / "broken.xlsx", XR_T3_NEW_NATURAL="无", XR_T3_NEW_COMMERCIAL=None)


def html_cell(path: Path, row_label: str, column: int) -> str:
    table = next(t for t in lxml.html.parse(str(path)).iter("table") if "表三" in t.find("caption").text_content())
    row = next(tr for tr in table.iter("tr") if any(th.text_content() == row_label for th in tr.iter("th")))
    return row.findall("td")[column].text_content()


def test_default_build_writes_docx_and_html_beside_the_workbook(huaian, capsys):
    before = huaian.read_bytes()
    assert xlreport_build(huaian) == 0
    docx_path, html_path = huaian.with_suffix(".docx"), huaian.with_suffix(".html")
    assert docx.Document(str(docx_path)).paragraphs[0].text == "淮安市人民政府\n2024年政府信息公开工作年度报告"
    assert html_cell(html_path, "一、本年新收政府信息公开申请数量", 6) == "3119"
    assert huaian.read_bytes() == before
    assert sorted(p.name for p in huaian.parent.iterdir()) == ["淮安2024.docx", "淮安2024.html", "淮安2024.xlsx"]
    out = capsys.readouterr().out
    assert f"已生成 {docx_path}" in out and f"已生成 {html_path}" in out


def test_output_folder_is_created_and_formats_can_be_chosen(huaian, tmp_path):
    out = tmp_path / "报告" / "2024"
    assert xlreport_build(huaian, "-o", out, "--html") == 0
    assert [p.name for p in out.iterdir()] == ["淮安2024.html"]


def test_seed_with_only_warnings_builds(tmp_path, capsys):
    seed = copy(ZHUZHOU, tmp_path / "seed.xlsx")
    assert xlreport_build(seed) == 0
    assert "2 个警告" in capsys.readouterr().out


def test_error_findings_refuse_the_build_and_are_printed_like_check(broken, capsys):
    assert xlreport_build(broken) == 1
    out, err = capsys.readouterr()
    assert "CELL-TEXT" in out and named_coord(broken, "XR_T3_NEW_NATURAL") in out
    assert "CELL-BLANK" in out and named_coord(broken, "XR_T3_NEW_COMMERCIAL") in out
    assert "【表三】" in out  # grouped by sheet, as xlreport check prints them
    assert "未生成报告" in err and "--force" in err
    assert sorted(p.name for p in broken.parent.iterdir()) == ["broken.xlsx"]


def test_force_builds_a_draft_marked_on_every_page(broken, capsys):
    assert xlreport_build(broken, "--force") == 1  # the errors are still there
    assert "不得公开发布" in capsys.readouterr().err
    section = docx.Document(str(broken.with_suffix(".docx"))).sections[0]
    assert section.header.paragraphs[0].text == "校验未通过稿"
    assert section.even_page_header.paragraphs[0].text == "校验未通过稿"
    html = broken.with_suffix(".html")
    assert "校验未通过稿" in lxml.html.parse(str(html)).find(".//title").text_content()
    assert html_cell(html, "一、本年新收政府信息公开申请数量", 0) == "无"  # a text cell shows its text
    assert html_cell(html, "一、本年新收政府信息公开申请数量", 1) == ""  # a blank stays blank, never 0


def test_build_report_refuses_without_force(broken):
    with pytest.raises(BuildRefused) as info:
        build_report(read_report(broken), broken.parent)
    assert {f.rule for f in info.value.errors} >= {"CELL-TEXT", "CELL-BLANK"}


def test_unreadable_file_exits_2_with_a_chinese_message(tmp_path, capsys):
    bad = tmp_path / "年报.xlsx"
    bad.write_text("这不是工作簿", encoding="utf-8")
    assert xlreport_build(bad) == 2
    err = capsys.readouterr().err
    assert "不是 Excel 工作簿" in err and "Traceback" not in err


def test_an_output_never_replaces_the_input(huaian, tmp_path):
    disguised = copy(huaian, tmp_path / "年报.html")  # a workbook that happens to carry an output's name
    before = disguised.read_bytes()
    with pytest.raises(BuildError, match="就是输入的工作簿"):
        build_report(read_report(huaian), tmp_path, ("html",), stem="年报", source=disguised)
    assert disguised.read_bytes() == before


def test_a_failed_write_leaves_the_previous_output_whole(huaian, monkeypatch, capsys):
    old = huaian.with_suffix(".html")
    old.write_text("上一版", encoding="utf-8")

    def locked(src, dst):  # Windows: the file is open in a browser
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    assert xlreport_build(huaian, "--html") == 2
    assert "正在 Word、WPS 或浏览器中打开" in capsys.readouterr().err
    assert old.read_text(encoding="utf-8") == "上一版"
    assert sorted(p.name for p in huaian.parent.iterdir()) == ["淮安2024.html", "淮安2024.xlsx"]  # no temp files


def test_pdf_without_libreoffice_says_so_and_keeps_the_other_outputs(huaian, tmp_path, monkeypatch, capsys):
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert xlreport_build(huaian, "--docx", "--pdf") == 2
    out, err = capsys.readouterr()
    assert "未找到 LibreOffice" in err
    assert f"已生成 {huaian.with_suffix('.docx')}" in out
    assert not huaian.with_suffix(".pdf").exists()


FAKE_SOFFICE = """#!{python}
import os, subprocess, sys, time
from pathlib import Path
args = sys.argv[1:]
Path(os.environ["FAKE_LOG"]).write_text("\\n".join(args), encoding="utf-8")
if os.environ.get("FAKE_HANG"):
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    Path(os.environ["FAKE_HANG"]).write_text(str(child.pid))
    time.sleep(60)
if not os.environ.get("FAKE_FAIL"):
    src = Path(args[-1])
    Path(args[args.index("--outdir") + 1], src.stem + ".pdf").write_bytes(b"%PDF-1.7 " + src.read_bytes()[:2])
else:
    print("Error: source file could not be loaded", file=sys.stderr)
"""


@pytest.fixture
def fake_soffice(tmp_path, monkeypatch):
    folder = tmp_path / "bin"
    folder.mkdir()
    exe = folder / "soffice"
    exe.write_text(FAKE_SOFFICE.format(python=sys.executable), encoding="utf-8")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.setenv("FAKE_LOG", str(tmp_path / "argv.txt"))
    return exe


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX shebang script stands in for soffice")
def test_pdf_conversion_uses_a_private_profile_headless(huaian, fake_soffice, tmp_path):
    assert xlreport_build(huaian, "--pdf") == 0
    assert huaian.with_suffix(".pdf").read_bytes() == b"%PDF-1.7 PK"  # converted from the .docx zip
    argv = (tmp_path / "argv.txt").read_text(encoding="utf-8").splitlines()
    assert "--headless" in argv and argv[argv.index("--convert-to") + 1] == "pdf"
    profile = next(a for a in argv if a.startswith("-env:UserInstallation=file:///"))
    assert not Path(profile.split("file://", 1)[1]).exists()  # temporary, removed afterwards


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX shebang script stands in for soffice")
def test_pdf_conversion_failure_is_reported(fake_soffice, monkeypatch):
    monkeypatch.setenv("FAKE_FAIL", "1")
    with pytest.raises(BuildError, match="LibreOffice 未能生成 PDF：Error: source file could not be loaded"):
        docx_to_pdf(b"PK")


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see the stopped processes")
def test_a_hanging_conversion_times_out_and_its_processes_are_stopped(fake_soffice, tmp_path, monkeypatch):
    pid_file = tmp_path / "child.pid"
    monkeypatch.setenv("FAKE_HANG", str(pid_file))
    with pytest.raises(BuildError, match="超时"):
        docx_to_pdf(b"PK", timeout=2)
    child = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child)


def test_importing_the_renderer_does_not_import_python_docx():
    """python-docx is loaded only when a .docx is rendered (each ribbon click is a new process)."""
    code = "import sys, xlreport.render, xlreport.commands.build; print('docx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
