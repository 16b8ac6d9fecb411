"""The command line on good and bad input: Chinese messages, exit codes, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import openpyxl
import pytest

from workbooks import HUAIAN, ZHUZHOU, copy, edited, renamed_sheet, with_ref_error, without_name
from xlreport.cli import main
from xlreport.rules.catalog import RULES


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _zero_bytes(tmp):
    p = tmp / "empty.xlsx"
    p.write_bytes(b"")
    return p


def _text_file(tmp):
    p = tmp / "notes.xlsx"
    p.write_text("机关名称,年度\n某某局,2024\n", encoding="utf-8")
    return p


def _csv(tmp):
    p = tmp / "report.csv"
    p.write_text("a,b\n1,2\n", encoding="utf-8")
    return p


def _xls(tmp):
    p = tmp / "old.xls"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    return p


def _password(tmp):
    from msoffcrypto.format.ooxml import OOXMLFile

    p = tmp / "locked.xlsx"
    with HUAIAN.open("rb") as fh, p.open("wb") as out:
        OOXMLFile(fh).encrypt("123456", out)
    return p


def _truncated(tmp):
    p = tmp / "cut.xlsx"
    p.write_bytes(HUAIAN.read_bytes()[:4000])
    return p


def _not_a_workbook_zip(tmp):
    p = tmp / "docs.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    return p


def _folder(tmp):
    p = tmp / "dir.xlsx"
    p.mkdir()
    return p


def _ods(tmp):
    p = tmp / "sheet.ods"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    return p


# (case, how to make the file, exit code, words the message must contain)
BAD_FILES = [
    ("zero-byte", _zero_bytes, 2, ["0 字节"]),
    ("text-as-xlsx", _text_file, 2, ["不是 Excel 工作簿"]),
    ("csv", _csv, 2, ["不像政府信息公开工作年度报告"]),
    ("xls", _xls, 2, [".xls", "另存为 .xlsx"]),
    ("password", _password, 2, ["密码"]),
    ("truncated-zip", _truncated, 2, ["已损坏"]),
    ("zip-without-workbook", _not_a_workbook_zip, 2, ["xl/workbook.xml"]),
    ("directory", _folder, 2, ["文件夹"]),
    ("ods", _ods, 2, [".ods"]),
    ("missing", lambda tmp: tmp / "nowhere.xlsx", 2, ["找不到文件"]),
]


@pytest.mark.parametrize("case, make, code, words", BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_check_refuses_unreadable_files_in_chinese(capsys, tmp_path, case, make, code, words):
    got, out, err = run(capsys, "check", make(tmp_path))
    assert got == code
    assert "Traceback" not in out + err
    for word in words:
        assert word in err


# (case, edits by defined name, exit code, words in the output)
BAD_CELLS = [
    ("text", {"XR_T3_NEW_NATURAL": "无"}, 1, ["表三!D5", "“无”", "CELL-TEXT"]),
    ("negative", {"XR_T4_CASES_REVIEW_UPHELD": -72}, 1, ["表四!B5", "负数"]),
    ("decimal-count", {"XR_T2_ITEM5_LICENSING_DECISIONS": 447228.5}, 1, ["表二!B8", "应填整数"]),
    ("blank", {"XR_T3_PARTIAL_NATURAL": None}, 1, ["表三!D8", "为空"]),
    ("full-width", {"XR_T3_NEW_NATURAL": "３００１"}, 0, ["按数字 3001 读取", "表三!D5"]),
    ("unit-in-cell", {"XR_T2_ITEM8_FEES_AMOUNT": "961716000元"}, 0, ["96171.6"]),
]


@pytest.mark.parametrize("case, edits, code, words", BAD_CELLS, ids=[c[0] for c in BAD_CELLS])
def test_check_reports_bad_cells_by_sheet_and_coordinate(capsys, tmp_path, case, edits, code, words):
    got, out, err = run(capsys, "check", edited(HUAIAN, tmp_path / "x.xlsx", **edits))
    assert got == code, out
    for word in words:
        assert word in out


STRUCTURE = [
    ("deleted-row", lambda t: with_ref_error(HUAIAN, t / "r.xlsx", "XR_T3_WITHHELD_LAW_NATURAL"), 1, "NAME-MISSING"),
    ("missing-name", lambda t: without_name(HUAIAN, t / "m.xlsx", "XR_T4_CASES_REVIEW_TOTAL"), 1, "NAME-MISSING"),
    ("renamed-sheet", lambda t: renamed_sheet(HUAIAN, t / "s.xlsx", "表四", "复议诉讼"), 0, "校验通过"),
]


@pytest.mark.parametrize("case, make, code, word", STRUCTURE, ids=[c[0] for c in STRUCTURE])
def test_check_survives_structural_damage(capsys, tmp_path, case, make, code, word):
    got, out, _ = run(capsys, "check", make(tmp_path))
    assert got == code and word in out


def test_check_json_carries_every_finding_field(capsys, tmp_path):
    path = edited(HUAIAN, tmp_path / "j.xlsx", XR_T3_NEW_NATURAL=3002)
    code, out, _ = run(capsys, "check", path, "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert (data["agency"], data["year"], data["form_version"]) == ("淮安市人民政府", 2024, "2021")
    flow = next(f for f in data["findings"] if f["rule"] == "T3-FLOW")
    assert set(flow) == {"rule", "severity", "message", "cells", "left", "right", "delta"}
    assert (flow["left"], flow["right"], flow["delta"], flow["severity"]) == ("3036", "3035", "1", "error")
    assert flow["cells"][0] == {
        "key": "t3.new.natural", "cell": "表三!D5", "sheet": "表三", "coord": "D5",
        "name": "表三/一、本年新收政府信息公开申请数量/自然人",
    }


def test_check_exit_code_is_the_worst_over_several_files(capsys, tmp_path):
    good = copy(HUAIAN, tmp_path / "good.xlsx")
    bad = edited(HUAIAN, tmp_path / "bad.xlsx", XR_T3_NEW_NATURAL="无")
    assert run(capsys, "check", good)[0] == 0
    assert run(capsys, "check", good, bad)[0] == 1
    assert run(capsys, "check", good, bad, _zero_bytes(tmp_path))[0] == 2


def test_new_makes_a_workbook_in_the_format_of_the_year(capsys, tmp_path):
    for year, has_item9 in ((2020, True), (2026, False)):
        out = tmp_path / f"{year}.xlsx"
        code, text, _ = run(capsys, "new", "--year", year, "--agency", "某某局", "-o", out)
        assert code == 0 and ("〔2019〕60号" if has_item9 else "〔2021〕30号") in text
        wb = openpyxl.load_workbook(out)
        assert ("XR_T2_ITEM9_PROCUREMENT_AMOUNT" in wb.defined_names) is has_item9
        assert wb["封面"]["B2"].value == "某某局" and wb["封面"]["B3"].value == year


@pytest.mark.parametrize(
    "argv, words",
    [
        (["new", "--year", "2018", "-o", "{tmp}/a.xlsx"], ["早于"]),
        (["new", "--year", "2024", "-o", "{tmp}/a.txt"], [".xlsx"]),
        (["new", "--year", "2024", "-o", "{tmp}/no/such/dir/a.xlsx"], ["不存在"]),
        (["new", "--year", "二〇二四", "-o", "{tmp}/a.xlsx"], ["命令用法有误"]),
        (["frobnicate"], ["命令用法有误"]),
        (["check"], ["命令用法有误"]),
    ],
)
def test_usage_errors_exit_2_in_chinese(capsys, tmp_path, argv, words):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    try:  # argparse reports usage errors by SystemExit, our own checks by return code
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    assert code == 2
    assert all(w in err for w in words), err
    assert "Traceback" not in out + err


def test_new_never_overwrites(capsys, tmp_path):
    target = copy(ZHUZHOU, tmp_path / "mine.xlsx")
    before = target.read_bytes()
    code, _, err = run(capsys, "new", "--year", "2024", "-o", target)
    assert code == 2 and "不会覆盖" in err and target.read_bytes() == before


def test_fill_in_place_keeps_a_backup_and_refuses_to_overwrite_another_file(capsys, tmp_path):
    path = edited(HUAIAN, tmp_path / "f.xlsx", XR_T3_NEW_TOTAL=None)
    code, out, _ = run(capsys, "fill", path)
    assert code == 0 and "已备份" in out and "已填写 1 个合计单元格" in out
    assert len(list(tmp_path.glob("f.备份-*.xlsx"))) == 1
    other = copy(ZHUZHOU, tmp_path / "other.xlsx")
    code, _, err = run(capsys, "fill", path, "-o", other)
    assert code == 2 and "不会覆盖" in err


def test_rules_markdown_lists_every_declared_rule(capsys):
    code, out, _ = run(capsys, "rules", "--format", "markdown")
    assert code == 0
    for rule in RULES:
        assert f"`{rule.id}`" in out


def test_readme_rule_list_is_the_generated_one():
    from conftest import REPO
    from xlreport.rules.catalog import rules_markdown

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start, end = "<!-- rules:start -->\n", "<!-- rules:end -->"
    generated = readme.split(start, 1)[1].split(end, 1)[0]
    assert generated == rules_markdown(), "run: python tools/update_readme.py"


def test_the_installed_command_runs_in_a_real_process_without_traceback(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04garbage")
    proc = subprocess.run(
        [sys.executable, "-m", "xlreport.cli", "check", str(bad), str(ZHUZHOU)],
        capture_output=True, text=True, encoding="utf-8", timeout=120,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "已损坏" in proc.stderr
    assert "株洲市行政审批服务局" in proc.stdout


def test_check_previous_runs_the_cross_year_checks(capsys, tmp_path):
    this_year = edited(HUAIAN, tmp_path / "2025.xlsx", XR_COVER_YEAR=2025, XR_T3_CARRIED_OVER_NATURAL=100,
                       XR_T3_CARRIED_OVER_TOTAL=None)
    code, out, _ = run(capsys, "check", this_year, "--previous", HUAIAN)
    assert code == 1
    assert "X-CARRY" in out and "表三!D6" in out and "上年 表三!D29" in out and "相差 3" in out


def test_check_previous_refuses_years_that_are_not_consecutive(capsys, tmp_path):
    code, _, err = run(capsys, "check", HUAIAN, "--previous", ZHUZHOU)
    assert code == 2 and "不是相邻的两个年度" in err


def test_check_previous_takes_a_single_file(capsys, tmp_path):
    code, _, err = run(capsys, "check", HUAIAN, ZHUZHOU, "--previous", ZHUZHOU)
    assert code == 2 and "只能与一个文件一起使用" in err


def test_terminal_escape_codes_in_a_workbook_never_reach_the_console(capsys, tmp_path):
    # OOXML writes control characters as _xHHHH_; readers turn them back into the characters
    path = edited(HUAIAN, tmp_path / "esc.xlsx", XR_COVER_AGENCY="淮安_x001B_[2J_x001B_]0;pwned_x0007_市",
                  XR_T3_NEW_NATURAL="无_x001B_[31m")
    code, out, _ = run(capsys, "check", path)
    assert code == 1 and "\x1b" not in out and "\x07" not in out
    assert "淮安" in out and "市" in out
