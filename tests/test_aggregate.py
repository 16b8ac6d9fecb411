"""Aggregating departments' workbooks into one: exact sums, refusals in Chinese, a valid result."""

from __future__ import annotations

import random
from decimal import Decimal

import openpyxl
import pytest
from conftest import YEAR, consistent_numbers, make_report
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
    assert rows == [("文件", "机关", "年度")] + [(str(tmp_path / f"部门{i}.xlsx"), f"某县第{i}局", y) for i in range(1, 5)]
    assert ws.freeze_panes == "A2"


def test_amounts_are_summed_exactly(capsys, tmp_path):
    a = edited(HUAIAN, tmp_path / "a.xlsx", XR_T2_ITEM8_FEES_AMOUNT=0.1)
    b = edited(HUAIAN, tmp_path / "b.xlsx", XR_T2_ITEM8_FEES_AMOUNT=0.2)
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


REFUSALS = [
    # (case, how the second input differs from 淮安, words the message must contain)
    ("other-year", lambda t: edited(HUAIAN, t / "2023.xlsx", XR_COVER_YEAR=2023),
     ["年度或格式版本不一致", "2023 年度", "2024 年度", "2023.xlsx"]),
    ("other-format", lambda t: copy(ZHUZHOU, t / "zhuzhou.xlsx"),
     ["年度或格式版本不一致", "2020 年度（国办公开办函〔2019〕60号格式）", "zhuzhou.xlsx"]),
    ("text-cell", lambda t: edited(HUAIAN, t / "text.xlsx", XR_T3_NEW_NATURAL="无"),
     ["有错误，不能汇总", "text.xlsx", "表三!D5", "“无”"]),
    ("blank-cell", lambda t: edited(HUAIAN, t / "blank.xlsx", XR_T4_CASES_REVIEW_UPHELD=None),
     ["有错误，不能汇总", "blank.xlsx", "表四!B5", "为空"]),
    ("identity-broken", lambda t: edited(HUAIAN, t / "flow.xlsx", XR_T3_NEW_NATURAL=3002),
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

    reports = [make_report(FORM_2021, consistent_numbers(FORM_2021, lambda: 1)) for _ in range(3)]
    total = combine([Source(f"{i}.xlsx", r, ()) for i, r in enumerate(reports)], "合计")
    # consistent_numbers with every pick 1: 上年结转 1 and four 表四 outcomes of 1 in each report
    assert total.number("t3.carried_forward.natural") == Decimal(3)
    assert total.number("t4.cases.review_total") == Decimal(12)
    assert total.agency == "合计" and total.year == 2024
