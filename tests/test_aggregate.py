"""Aggregating departments' workbooks into one: exact sums, refusals in Chinese, a valid result."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import random
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from aggregate_baseline import ARGS, BASELINE, cell_values, departments as baseline_departments
from conftest import REAL_REPORTS, YEAR, consistent_numbers, make_report
from workbooks import HUAIAN, ZHUZHOU, copy, edited

from xlreport.cli import main as xlreport
from xlreport.commands import Parser
from xlreport.commands import aggregate as aggregate_command
from xlreport.rules.findings import Severity
from xlreport.usecases.files import check_file
from xlreport.workbook.export import write_report_workbook
from xlreport.workbook.writer import write_named_values


def aggregate(capsys, *argv):
    """`xlreport aggregate ...`, through the command's own parser (independent of COMMANDS)."""
    parser = Parser(prog="xlreport")
    aggregate_command.register(parser.add_subparsers(dest="command", parser_class=Parser))
    try:
        args = parser.parse_args(["aggregate", *map(str, argv)])
        code = args.run(args)
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def named_values(path) -> dict[str, object]:
    """Every defined name's cell value, read with openpyxl (not the reader under test)."""
    wb = openpyxl.load_workbook(path)
    out = {}
    for name, dn in wb.defined_names.items():
        sheet, coord = next(iter(dn.destinations))
        out[name] = wb[sheet][coord.replace("$", "").split(":")[0]].value
    return out


@pytest.fixture
def departments(tmp_path, form):
    """Four departments' consistent workbooks of one year, with the numbers each was written from."""
    rng = random.Random(f"aggregate-{form.version}")
    made = []
    for i in range(4):
        numbers = consistent_numbers(form, lambda: rng.choice([0, 0, 1, 2, 3, rng.randint(0, 500)]))
        path = write_report_workbook(make_report(form, numbers, agency=f"某县第{i + 1}局"), tmp_path / f"部门{i + 1}.xlsx")
        made.append((path, numbers))
    return made


def test_aggregate_equals_the_sums_and_validates_clean(capsys, tmp_path, form, departments):
    out = tmp_path / "全县.xlsx"
    code, text, err = aggregate(capsys, *[p for p, _ in departments], "-o", out, "--agency", "某某县人民政府")
    assert code == 0, err
    assert "已汇总 4 个文件" in text
    got = named_values(out)
    for cell in form.cells:
        expected = sum(numbers[cell.key] for _, numbers in departments)
        assert got[cell.defined_name] == expected, cell.key
    assert got["XR_COVER_AGENCY"] == "某某县人民政府" and got["XR_COVER_YEAR"] == YEAR[form.version]
    report, findings = check_file(out)
    assert report.form is form and report.recorded_version == form.version
    # the county's own text and 成文日期 are still to be written
    assert {(f.rule, f.severity) for f in findings} <= {("NARRATIVE-EMPTY", Severity.WARNING), ("DATE-INVALID", Severity.WARNING)}
    assert xlreport(["check", str(out)]) == 0


def test_the_sources_sheet_lists_every_contributing_file(capsys, tmp_path, form, departments):
    out = tmp_path / "全县.xlsx"
    assert aggregate(capsys, *[p for p, _ in departments], "-o", out, "--agency", "某某县人民政府")[0] == 0
    ws = openpyxl.load_workbook(out)["来源"]
    rows = [tuple(c.value for c in r) for r in ws.iter_rows()]
    y = YEAR[form.version]
    assert rows[0] == ("文件", "机关", "年度", "修改时间", "文件SHA-256（前12位）", "统计表数字SHA-256（前12位）")
    for i, row in enumerate(rows[1:], 1):
        path = tmp_path / f"部门{i}.xlsx"
        modified = datetime.datetime.fromtimestamp(os.stat(path).st_mtime).replace(microsecond=0)
        assert row[:5] == (str(path), f"某县第{i}局", y, modified, hashlib.sha256(path.read_bytes()).hexdigest()[:12])
        assert re.fullmatch("[0-9a-f]{12}", row[5])
    assert len(rows) == 5 and len({r[5] for r in rows[1:]}) == 4  # four departments, four different tables
    assert ws["D2"].number_format == "yyyy-mm-dd hh:mm:ss" and ws.freeze_panes == "A2"


def test_a_folder_without_duplicates_aggregates_exactly_as_before(capsys, tmp_path, monkeypatch):
    """Every cell of every sheet as the aggregate wrote it before duplicates were looked for
    (tests/aggregate_baseline.py), apart from the 来源 sheet's new columns."""
    monkeypatch.chdir(tmp_path)
    baseline_departments(Path("各部门"))
    code, _, err = aggregate(capsys, "各部门", *ARGS)
    assert code == 0, err
    now = cell_values(Path("全县.xlsx"))
    sources = now["sheets"]["来源"]
    now["sheets"]["来源"] = {k: v for k, v in sources.items() if k[0] in "ABC"}
    assert now == json.loads(BASELINE.read_text(encoding="utf-8"))
    assert sorted(k for k in sources if k[0] not in "ABC") == sorted(f"{c}{r}" for c in "DEF" for r in range(1, 5))


def test_amounts_are_summed_exactly(capsys, tmp_path):
    a = edited(HUAIAN, tmp_path / "a.xlsx", XR_T2_ITEM8_FEES_AMOUNT=0.1)
    b = edited(HUAIAN, tmp_path / "b.xlsx", XR_T2_ITEM8_FEES_AMOUNT=0.2, XR_COVER_AGENCY="淮安市另一机关")
    out = tmp_path / "sum.xlsx"
    assert aggregate(capsys, a, b, "-o", out, "--agency", "合计")[0] == 0
    got = named_values(out)
    assert got["XR_T2_ITEM8_FEES_AMOUNT"] == 0.3  # 0.1 + 0.2 in binary floats would be 0.30000000000000004
    assert got["XR_T3_NEW_NATURAL"] == 2 * 3001 and got["XR_T4_CASES_REVIEW_TOTAL"] == 2 * 351
    assert got["XR_NARR_FEE_AMOUNT"] == 2 * 3940  # 信息处理费 in the narrative: both filled it in


def test_a_source_agency_that_looks_like_a_formula_stays_text(capsys, tmp_path):
    a = tmp_path / "a.xlsx"
    write_named_values(HUAIAN, a, {"XR_COVER_AGENCY": "=1+2"})  # typed as text: '=1+2
    out = tmp_path / "sum.xlsx"
    assert aggregate(capsys, a, "-o", out, "--agency", "合计")[0] == 0
    cell = openpyxl.load_workbook(out)["来源"]["B2"]
    assert cell.value == "=1+2" and cell.data_type == "s" and cell.quotePrefix


OTHER = "某某县财政局"  # another agency: not a duplicate of 淮安

REFUSALS = [
    # (case, how the second input differs from 淮安, words the message must contain)
    ("other-year", lambda t: edited(HUAIAN, t / "2023.xlsx", XR_COVER_YEAR=2023),
     ["年度或格式版本不一致", "2023 年度", "2024 年度", "2023.xlsx"]),
    ("other-format", lambda t: copy(ZHUZHOU, t / "zhuzhou.xlsx"),
     ["年度或格式版本不一致", "2020 年度（国办公开办函〔2019〕60号格式）", "zhuzhou.xlsx"]),
    ("text-cell", lambda t: edited(HUAIAN, t / "text.xlsx", XR_COVER_AGENCY=OTHER, XR_T3_NEW_NATURAL="无"),
     ["有错误，不能汇总", "text.xlsx", "表三!D5", "“无”"]),
    ("blank-cell", lambda t: edited(HUAIAN, t / "blank.xlsx", XR_COVER_AGENCY=OTHER, XR_T4_CASES_REVIEW_UPHELD=None),
     ["有错误，不能汇总", "blank.xlsx", "表四!B5", "为空"]),
    ("identity-broken", lambda t: edited(HUAIAN, t / "flow.xlsx", XR_COVER_AGENCY=OTHER, XR_T3_NEW_NATURAL=3002),
     ["flow.xlsx", "相差 1"]),
    ("unreadable", lambda t: (t / "empty.xlsx").write_bytes(b"") or t / "empty.xlsx",
     ["无法读取", "empty.xlsx", "0 字节"]),
]


@pytest.mark.parametrize("case, make, words", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_inputs_that_cannot_be_summed_are_refused_by_name(capsys, tmp_path, case, make, words):
    out = tmp_path / "sum.xlsx"
    code, _, err = aggregate(capsys, copy(HUAIAN, tmp_path / "huaian.xlsx"), make(tmp_path), "-o", out, "--agency", "合计")
    assert code == 2
    for word in words:
        assert word in err, err
    assert "Traceback" not in err and not out.exists()


def test_the_result_never_replaces_a_file(capsys, tmp_path):
    a = copy(HUAIAN, tmp_path / "a.xlsx")
    before = a.read_bytes()
    code, _, err = aggregate(capsys, a, "-o", a, "--agency", "合计")
    assert code == 2 and "不会覆盖" in err and a.read_bytes() == before


def test_the_agency_of_the_result_is_required(capsys, tmp_path):
    code, _, err = aggregate(capsys, HUAIAN, "-o", tmp_path / "x.xlsx")
    assert code == 2 and "--agency" in err
    code, _, err = aggregate(capsys, HUAIAN, "-o", tmp_path / "x.xlsx", "--agency", "  ")
    assert code == 2 and "机关名称" in err


def test_a_folder_of_departments_can_be_aggregated(capsys, tmp_path, form, departments):
    out = tmp_path / "全县.xlsx"  # in the same folder: written after the folder was read
    code, text, _ = aggregate(capsys, tmp_path, "-o", out, "--agency", "某某县人民政府")
    assert code == 0 and "已汇总 4 个文件" in text


def test_the_report_renderer_accepts_the_result(capsys, tmp_path, departments, form):
    """What build renders: the document model of the aggregated workbook (build itself refuses only errors)."""
    render = pytest.importorskip("xlreport.render.document")
    from xlreport.workbook.reader import read_report

    out = tmp_path / "全县.xlsx"
    assert aggregate(capsys, *[p for p, _ in departments], "-o", out, "--agency", "某某县人民政府")[0] == 0
    document = render.compose(read_report(out))
    assert document.title == f"某某县人民政府{YEAR[form.version]}年政府信息公开工作年度报告"
    assert sum(1 for part in document.parts if part.kind == "table") >= len(form.tables)


def test_combine_sums_in_decimal_without_files():
    from conftest import FORM_2021

    from xlreport.usecases.aggregate import Source, combine

    reports = [make_report(FORM_2021, consistent_numbers(FORM_2021, lambda: k), agency=f"第{k}局") for k in (1, 2, 3)]
    total = combine([Source(f"{i}.xlsx", r, ()) for i, r in enumerate(reports)], "合计")
    # consistent_numbers with every pick k: 上年结转 k and four 表四 outcomes of k in each report
    assert total.number("t3.carried_forward.natural") == Decimal(1 + 2 + 3)
    assert total.number("t4.cases.review_total") == Decimal(4 * (1 + 2 + 3))
    assert total.agency == "合计" and total.year == 2024


# --- one agency counted twice ----------------------------------------------------------

PUBLISHED_HUAIAN = REAL_REPORTS / "2024_huaian_shi_renmin_zhengfu.txt"  # 淮安's published text of the same report
PENALTY = "XR_T2_ITEM6_PENALTY_DECISIONS"  # no identity runs through it: another number, still clean


def _huaian(t, name="a.xlsx"):
    (t / name).parent.mkdir(parents=True, exist_ok=True)
    return copy(HUAIAN, t / name)


def _pair(agency_a, agency_b):
    """Two clean workbooks with the given agencies and different numbers."""
    return lambda t: [edited(HUAIAN, t / "a.xlsx", XR_COVER_AGENCY=agency_a),
                      edited(HUAIAN, t / "b.xlsx", XR_COVER_AGENCY=agency_b, **{PENALTY: 12})]


DUPLICATES = [
    # (case, the inputs, words the refusal must contain)
    ("copy", lambda t: [_huaian(t), _huaian(t, "补报/a.xlsx")], ["a.xlsx", "补报/a.xlsx", "文件完全相同"]),
    ("renamed-copy", lambda t: [_huaian(t), _huaian(t, "淮安市政府年报（最终版）.xlsx")],
     ["a.xlsx", "淮安市政府年报（最终版）.xlsx", "文件完全相同"]),
    ("v1-v2", lambda t: [edited(HUAIAN, t / "v1.xlsx"), edited(HUAIAN, t / "v2.xlsx", **{PENALTY: 3985760})],
     ["淮安市人民政府 2024 年度，2 份", "v1.xlsx（修改于 ", "v2.xlsx（修改于 ", "——与 ", "v1.xlsx：同一机关同一年度，统计表数字不同"]),
    ("v1-with-errors-v2-corrected", lambda t: [edited(HUAIAN, t / "v1.xlsx", XR_T3_NEW_NATURAL="无"), _huaian(t, "v2.xlsx")],
     ["v1.xlsx", "v2.xlsx", "同一机关同一年度"]),
    ("three-of-one-agency", lambda t: [_huaian(t), edited(HUAIAN, t / "b.xlsx", **{PENALTY: 1}),
                                       edited(HUAIAN, t / "c.xlsx", **{PENALTY: 2})],
     ["淮安市人民政府 2024 年度，3 份", "a.xlsx（修改于", "b.xlsx（修改于", "c.xlsx（修改于", "统计表数字不同"]),
    ("spaces-in-the-name", _pair("淮安市人民政府", " 淮安市 人民政府\u3000"), ["a.xlsx", "b.xlsx", "同一机关同一年度"]),
    ("brackets-in-the-name", _pair("某某县（开发区）管委会", "某某县【开发区】管委会"), ["同一机关同一年度"]),
    ("half-and-full-width", _pair("某某县(开发区)管委会", "某某县（开发区）管委会"), ["同一机关同一年度"]),
    ("full-width-letters", _pair("ＸＸ县财政局", "xx县财政局"), ["同一机关同一年度"]),
    ("same-tables-other-name", lambda t: [_huaian(t), edited(HUAIAN, t / "b.xlsx", XR_COVER_AGENCY="淮安市政府")],
     ["b.xlsx（淮安市政府", "统计表数字完全相同（机关名称不同）"]),
    ("same-number-typed-as-text", lambda t: [_huaian(t), edited(HUAIAN, t / "b.xlsx", XR_COVER_AGENCY="淮安市政府",
                                                                XR_T3_NEW_NATURAL="3001")],
     ["统计表数字完全相同（机关名称不同）"]),
    ("published-report-beside-its-workbook", lambda t: [_huaian(t), copy(PUBLISHED_HUAIAN, t / "淮安2024.txt")],
     ["淮安市人民政府 2024 年度，2 份", "a.xlsx", "淮安2024.txt（修改于", "同一机关同一年度"]),
]


@pytest.mark.parametrize("case, make, words", DUPLICATES, ids=[d[0] for d in DUPLICATES])
def test_one_agency_is_never_counted_twice(capsys, tmp_path, case, make, words):
    inputs = make(tmp_path)
    out = tmp_path / "sum.xlsx"
    code, _, err = aggregate(capsys, *inputs, "-o", out, "--agency", "合计")
    assert code == 2 and not out.exists()
    assert "会把同一机关计算两次，不能汇总" in err and "只保留一份" in err
    for word in words:
        assert word in err, err
    assert "有错误" not in err and "Traceback" not in err  # the stale copy is named first, not its errors


def _township(t, agency, nonzero: int):
    """A clean 2021 workbook with `nonzero` non-zero input cells (表二), zeros elsewhere."""
    from conftest import FORM_2021

    t2 = [c.key for c in FORM_2021.cells if c.table.key == "t2"]
    numbers = {c.key: 0 for c in FORM_2021.cells} | {key: 3 for key in t2[:nonzero]}
    return write_report_workbook(make_report(FORM_2021, numbers, agency=agency), t / f"{agency}.xlsx")


NOT_DUPLICATES = [
    # (case, the inputs): different agencies, whatever their names or numbers share
    ("government-and-its-office", _pair("某某县人民政府", "某某县人民政府办公室")),
    ("county-and-city-bureau", _pair("某某县财政局", "某某市财政局")),
    ("name-with-and-without-brackets", _pair("某某县（开发区）管委会", "某某县开发区管委会")),
    ("two-townships-with-sparse-equal-tables", lambda t: [_township(t, "某某镇", 4), _township(t, "某某乡", 4)]),
    ("two-townships-with-nothing-to-report", lambda t: [_township(t, "某某镇", 0), _township(t, "某某乡", 0)]),
]


@pytest.mark.parametrize("case, make", NOT_DUPLICATES, ids=[d[0] for d in NOT_DUPLICATES])
def test_different_agencies_are_summed(capsys, tmp_path, case, make):
    code, text, err = aggregate(capsys, *make(tmp_path), "-o", tmp_path / "sum.xlsx", "--agency", "合计")
    assert code == 0, err
    assert "已汇总 2 个文件" in text


def test_equal_tables_with_five_non_zero_numbers_are_one_report(capsys, tmp_path):
    inputs = [_township(tmp_path, "某某镇", 5), _township(tmp_path, "某某镇人民政府", 5)]
    code, _, err = aggregate(capsys, *inputs, "-o", tmp_path / "sum.xlsx", "--agency", "合计")
    assert code == 2 and "统计表数字完全相同（机关名称不同）" in err
