"""Reading workbooks into reports, and filling totals, on real files."""

from __future__ import annotations

import zipfile
from decimal import Decimal

import openpyxl
import pytest
from workbooks import (
    HUAIAN,
    ZHUZHOU,
    copy,
    edited,
    named_coord,
    renamed_sheet,
    with_ref_error,
    without_name,
)

from xlreport.forms import FORM_2019, FORM_2021, Kind
from xlreport.model import State
from xlreport.rules.findings import Severity
from xlreport.usecases.files import check_file, fill_file
from xlreport.workbook.reader import read_report

# Values as printed in the two source documents (tests/fixtures/real-reports).
PRINTED = [
    (HUAIAN, "t3.new.natural", Decimal(3001)),
    (HUAIAN, "t3.new.total", Decimal(3119)),
    (HUAIAN, "t3.result_total.total", Decimal(3050)),
    (HUAIAN, "t3.carried_forward.natural", Decimal(103)),
    (HUAIAN, "t3.other_no_correction.legal", Decimal(1)),
    (HUAIAN, "t2.item6.penalty.decisions", Decimal(3985758)),
    (HUAIAN, "t2.item8.fees.amount", Decimal("96171.6")),
    (HUAIAN, "t4.cases.review_total", Decimal(351)),
    (HUAIAN, "t4.cases.suit_after_review_pending", Decimal(6)),
    (ZHUZHOU, "t2.item9.procurement.projects", Decimal(2)),
    (ZHUZHOU, "t2.item9.procurement.amount", Decimal("115.2")),
    (ZHUZHOU, "t3.other_handling.total", Decimal(0)),
]


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
@pytest.mark.parametrize("path, key, expected", PRINTED, ids=[f"{p.stem[:9]}-{k}" for p, k, _ in PRINTED])
def test_reader_finds_the_printed_values_in_their_cells(engine, path, key, expected):
    report = read_report(path, engine)
    assert report.value(key).state is State.NUMBER
    assert report.number(key) == expected


@pytest.mark.parametrize("path", [HUAIAN, ZHUZHOU], ids=lambda p: p.stem)
def test_both_engines_read_the_same_report(path):
    fast, slow = read_report(path, "calamine"), read_report(path, "openpyxl")
    assert fast.values == slow.values
    assert fast.cover == slow.cover
    assert fast.narrative == slow.narrative
    assert fast.locations == slow.locations


def test_reader_records_form_version_cover_and_narrative():
    report = read_report(ZHUZHOU)
    assert report.form is FORM_2019 and report.recorded_version == "2019"
    assert (report.agency, report.year) == ("株洲市行政审批服务局", 2020)
    assert [h for h, _ in report.narrative.overview_parts] == [
        "（一）主动公开各类事项目录", "（二）主动公开政务服务办事指南", "(三)集中公开涉企政策信息", "（四）加大社会宣传力度",
    ]
    huaian = read_report(HUAIAN)
    assert huaian.form is FORM_2021 and huaian.narrative.fee_amount.number == 3940
    assert huaian.cover["postcode"].raw == "223001"


def test_examples_validate_without_errors():
    _, findings = check_file(HUAIAN)
    assert findings == []
    _, findings = check_file(ZHUZHOU)
    # The seed document has no 五、六 sections: the two warnings are the document's, not ours.
    assert [(f.rule, f.severity) for f in findings] == [("NARRATIVE-EMPTY", Severity.WARNING)] * 2


BROKEN_CELLS = [
    ("XR_T3_NEW_NATURAL", "无", "CELL-TEXT"),
    ("XR_T3_NEW_NATURAL", "3001件", "CELL-TEXT-NUMBER"),
    ("XR_T3_NEW_NATURAL", "３００１", "CELL-TEXT-NUMBER"),
    ("XR_T3_NEW_NATURAL", None, "CELL-BLANK"),
    ("XR_T3_NEW_NATURAL", -1, "CELL-NEGATIVE"),
    ("XR_T3_NEW_NATURAL", 3000.5, "CELL-NOT-INTEGER"),
    ("XR_T3_NEW_NATURAL", 3002, "T3-FLOW"),
    ("XR_T3_NEW_TOTAL", None, "TOTAL-BLANK"),
    ("XR_T3_GRANTED_NATURAL", 1289, "T3-RESULT-SUM"),
    ("XR_T4_CASES_REVIEW_UPHELD", 73, "T4-SUM"),
    ("XR_T2_ITEM1_REGULATIONS_ISSUED", "/", "CELL-TEXT"),
]


@pytest.mark.parametrize("name, value, rule", BROKEN_CELLS, ids=[f"{n}={v!r}" for n, v, _ in BROKEN_CELLS])
def test_a_broken_cell_is_reported_at_its_coordinate(tmp_path, name, value, rule):
    path = edited(HUAIAN, tmp_path / "broken.xlsx", **{name: value})
    _, findings = check_file(path)
    where = named_coord(path, name)
    hits = [f for f in findings if f.rule == rule and where in {c.a1 for c in f.cells}]
    assert hits, [f.message for f in findings]
    # the message names a cell as 表三!D12; identities name their total, and list every part in cells
    assert all(f.cells[0].a1 in f.message for f in hits)


def test_a_missing_defined_name_is_a_finding_not_a_crash(tmp_path):
    path = without_name(HUAIAN, tmp_path / "noname.xlsx", "XR_T3_PARTIAL_LEGAL")
    report, findings = check_file(path)
    (f,) = [f for f in findings if f.rule == "NAME-MISSING"]
    assert "XR_T3_PARTIAL_LEGAL" in f.message and "表三" in f.message
    assert report.value("t3.partial.legal").state is State.BLANK


def earlier_template(src, dst, version):
    """The workbook as an earlier template made it: no 机关层级 or 发布日期 fields."""
    path = without_name(without_name(src, dst.with_suffix(".a.xlsx"), "XR_COVER_LEVEL"), dst.with_suffix(".b.xlsx"),
                        "XR_COVER_PUBLISHED_ON")
    return edited(path, dst, XR_META_TEMPLATE_VERSION=version)


@pytest.mark.parametrize("version", ["1", "2"])
def test_a_workbook_of_an_earlier_template_reads_without_the_later_cover_fields(tmp_path, version):
    report, findings = check_file(earlier_template(ZHUZHOU, tmp_path / "old.xlsx", version))
    assert report.template_version == version
    assert report.cover["level"].state is State.BLANK and report.cover["published_on"].state is State.BLANK
    assert "NAME-MISSING" not in {f.rule for f in findings}
    assert report.cover["signed_on"].raw == "2021年1月29日"


def test_a_later_cover_field_deleted_from_a_current_workbook_is_reported(tmp_path):
    _, findings = check_file(without_name(ZHUZHOU, tmp_path / "nolevel.xlsx", "XR_COVER_LEVEL"))
    (f,) = [f for f in findings if f.rule == "NAME-MISSING"]
    assert "XR_COVER_LEVEL" in f.message and "机关层级" in f.message


def test_a_deleted_row_leaves_ref_errors_that_are_reported(tmp_path):
    path = with_ref_error(HUAIAN, tmp_path / "deleted_row.xlsx", "XR_T3_WITHHELD_SECRET_NATURAL")
    _, findings = check_file(path)
    assert any(f.rule == "NAME-MISSING" and "XR_T3_WITHHELD_SECRET_NATURAL" in f.message for f in findings)


def test_a_renamed_sheet_still_reads_and_messages_use_the_new_name(tmp_path):
    path = renamed_sheet(HUAIAN, tmp_path / "renamed.xlsx", "表三", "表三 申请情况")
    broken = edited(path, tmp_path / "renamed_broken.xlsx", XR_T3_NEW_NATURAL="无")
    report, findings = check_file(broken)
    assert report.number("t3.new.legal") == 61
    (f,) = [f for f in findings if f.rule == "CELL-TEXT"]
    assert f.cells[0].a1.startswith("表三 申请情况!")


def test_a_workbook_without_version_record_is_inferred_and_warned(tmp_path):
    path = without_name(ZHUZHOU, tmp_path / "nometa.xlsx", "XR_META_FORM_VERSION")
    report, findings = check_file(path)
    assert report.form is FORM_2019
    assert [f.rule for f in findings if f.rule == "META-MISSING"] == ["META-MISSING"]


def test_a_2019_workbook_labelled_2021_is_flagged(tmp_path):
    path = edited(ZHUZHOU, tmp_path / "relabelled.xlsx", XR_COVER_YEAR=2021)
    _, findings = check_file(path)
    (f,) = [f for f in findings if f.rule == "FORM-VERSION"]
    assert "2021" in f.message and "〔2019〕60号" in f.message


# --- fill ---------------------------------------------------------------------------


def _all_cells(path):
    wb = openpyxl.load_workbook(path)
    return {(ws.title, c.coordinate): c.value for ws in wb for row in ws.iter_rows() for c in row}


def _total_coords(path, form):
    return {tuple(named_coord(path, c.defined_name).split("!")) for c in form.cells if c.kind is Kind.TOTAL}


def test_fill_computes_every_total_and_changes_nothing_else(tmp_path):
    totals = {c.defined_name: None for c in FORM_2021.cells if c.kind is Kind.TOTAL}
    path = edited(HUAIAN, tmp_path / "blank_totals.xlsx", **totals)
    before = _all_cells(path)
    result = fill_file(path)
    assert result.findings == []
    assert result.backup is not None and result.backup.read_bytes() != path.read_bytes()
    after = _all_cells(path)
    total_cells = _total_coords(path, FORM_2021)
    assert {k for k in before if before[k] != after[k]} <= total_cells
    # the printed totals of the document come back
    printed = read_report(HUAIAN)
    filled = read_report(path)
    for cell in FORM_2021.cells:
        assert filled.value(cell.key) == printed.value(cell.key) or filled.number(cell.key) == printed.number(cell.key)
    assert check_file(path)[1] == []


def test_fill_keeps_every_other_part_of_the_file_byte_for_byte(tmp_path):
    path = edited(HUAIAN, tmp_path / "one_total.xlsx", XR_T4_CASES_REVIEW_TOTAL=None)
    out = tmp_path / "out.xlsx"
    fill_file(path, out)
    with zipfile.ZipFile(path) as a, zipfile.ZipFile(out) as b:
        assert a.namelist() == b.namelist()
        changed = [n for n in a.namelist() if a.read(n) != b.read(n)]
    assert len(changed) == 1 and changed[0].startswith("xl/worksheets/")
    assert read_report(out).number("t4.cases.review_total") == 351


def test_fill_drops_formula_results_a_spreadsheet_cached_and_asks_for_recalculation(tmp_path):
    """Results cached by Excel, WPS or LibreOffice (the live-check status lines) may depend on the
    totals fill writes: they go, the formulas stay, and the workbook asks for a full recalculation."""
    path = edited(HUAIAN, tmp_path / "one_total.xlsx", XR_T4_CASES_REVIEW_TOTAL=None)
    cached = tmp_path / "cached.xlsx"
    with zipfile.ZipFile(path) as a, zipfile.ZipFile(cached, "w", zipfile.ZIP_DEFLATED) as b:
        for info in a.infolist():
            data = a.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(b"</f><v></v>", b"</f><v>0</v>")
            b.writestr(info, data)
    out = tmp_path / "out.xlsx"
    fill_file(cached, out)
    with zipfile.ZipFile(cached) as a, zipfile.ZipFile(out) as b:
        formula_sheets = {n for n in a.namelist() if b"</f><v>" in a.read(n)}
        changed = {n for n in a.namelist() if a.read(n) != b.read(n)}
        assert not any(b"</f><v>" in b.read(n) for n in b.namelist())
        assert b'fullCalcOnLoad="1"' in b.read("xl/workbook.xml")
    assert len(formula_sheets) >= 4 and changed - {"xl/workbook.xml"} == formula_sheets
    formulas = [{(ws.title, c.coordinate): c.value for ws in openpyxl.load_workbook(p) for row in ws.iter_rows()
                 for c in row if c.data_type == "f"} for p in (cached, out)]
    assert formulas[0] == formulas[1] and formulas[0]
    assert read_report(out).number("t4.cases.review_total") == 351


def test_fill_to_another_file_leaves_the_input_untouched(tmp_path):
    path = edited(HUAIAN, tmp_path / "in.xlsx", XR_T3_NEW_TOTAL=1)
    original = path.read_bytes()
    fill_file(path, tmp_path / "out.xlsx")
    assert path.read_bytes() == original
    assert read_report(tmp_path / "out.xlsx").number("t3.new.total") == 3119


def test_fill_leaves_totals_over_non_numbers_alone_and_reports_them(tmp_path):
    path = edited(HUAIAN, tmp_path / "text.xlsx", XR_T3_PARTIAL_LEGAL="无", XR_T3_PARTIAL_TOTAL=999)
    result = fill_file(path)
    skipped = {f.cells[0].key for f in result.findings if f.rule == "FILL-SKIPPED"}
    assert {"t3.partial.total", "t3.result_total.legal", "t3.result_total.total"} <= skipped
    report = read_report(path)
    assert report.number("t3.partial.total") == 999  # left alone
    assert report.value("t3.partial.legal").raw == "无"  # input never touched
    assert report.number("t3.new.total") == 3119


def test_fill_replaces_a_formula_in_a_total_cell_with_its_value(tmp_path):
    path = edited(HUAIAN, tmp_path / "formula.xlsx", XR_T4_CASES_DIRECT_SUIT_TOTAL="=SUM(K5:N5)")
    fill_file(path)
    wb = openpyxl.load_workbook(path)
    sheet, coord = named_coord(path, "XR_T4_CASES_DIRECT_SUIT_TOTAL").split("!")
    assert wb[sheet][coord].value == 26


def test_fill_of_a_complete_workbook_writes_nothing(tmp_path):
    path = copy(HUAIAN, tmp_path / "complete.xlsx")
    original = path.read_bytes()
    result = fill_file(path)
    assert result.written == {} and result.backup is None
    assert path.read_bytes() == original


def test_writer_puts_text_into_a_named_cell_and_keeps_markup_characters(tmp_path):
    from xlreport.workbook.writer import write_named_values

    out = tmp_path / "text.xlsx"
    write_named_values(ZHUZHOU, out, {"XR_NARR_PROBLEMS": " 一是<解读>不足 & 二是…"})
    assert read_report(out).narrative.problems == "一是<解读>不足 & 二是…"
    sheet, coord = named_coord(out, "XR_NARR_PROBLEMS").split("!")
    assert openpyxl.load_workbook(out)[sheet][coord].value == " 一是<解读>不足 & 二是…"
    assert read_report(out).values == read_report(ZHUZHOU).values
