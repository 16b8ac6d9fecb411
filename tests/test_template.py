"""The standard workbook: names, protection, validation, printed labels and merges, determinism.

Expected merge sizes are written from statutory-format.md §3–§4, not read from the code.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from collections import Counter

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell

import xlreport
from xlreport.forms import COVER_FIELDS, FORM_2019, FORM_2021, Domain, Kind
from xlreport.workbook import names
from xlreport.workbook.template import TEMPLATE_PATH, write_workbook

FORMS = (FORM_2019, FORM_2021)
SHEET_ORDER = [names.SHEET_COVER, names.SHEET_NARRATIVE, "表二", "表三", "表四", names.SHEET_META, names.SHEET_CHECKS]
CJK = re.compile(r"[\u4e00-\u9fff]")
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

# (printed text, rows spanned, columns spanned) — statutory-format.md §3.2 / §4.2
T3_MERGES_COMMON = [
    (T3_NOTE, 3, 3),
    ("申请人情况", 1, 7),
    ("自然人", 2, 1),
    ("法人或其他组织", 1, 5),
    ("总计", 2, 1),
    ("一、本年新收政府信息公开申请数量", 1, 3),
    ("二、上年结转政府信息公开申请数量", 1, 3),
    ("（一）予以公开", 1, 2),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1, 2),
    ("（三）不予公开", 8, 1),
    ("（四）无法提供", 3, 1),
    ("（五）不予处理", 5, 1),
    ("（七）总计", 1, 2),
    ("四、结转下年度继续办理", 1, 3),
]
T3_MERGES = {
    "2019": T3_MERGES_COMMON + [("三、本年度办理结果", 20, 1), ("（六）其他处理", 1, 2)],
    "2021": T3_MERGES_COMMON + [("三、本年度办理结果", 22, 1), ("（六）其他处理", 3, 1)],
}
# §3.3 (both versions): the outcome labels appear three times; under 行政复议 they span two rows.
T4_MERGES = [("行政复议", 1, 5), ("行政诉讼", 1, 10), ("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)]
T4_REPEATED = {label: [(2, 1), (1, 1), (1, 1)] for label in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")}
# §3.1 (2019, 5-column grid) and §4.1 (2021, 4-column grid)
T2_MERGES = {
    "2019": [("第二十条第（一）项", 1, 5), ("第二十条第（九）项", 1, 5), ("本年新公开数量", 1, 2),
             ("采购项目数量", 1, 2), ("采购总金额", 1, 2)],
    "2021": [("第二十条第（一）项", 1, 4), ("第二十条第（八）项", 1, 4), ("本年收费金额（单位：万元）", 1, 3)],
}
T2_WIDE_VALUES = {  # value cells spanning several grid columns
    "2019": {"t2.item8.fees.previous_items": 2, "t2.item8.fees.change": 2, "t2.item9.procurement.amount": 2},
    "2021": {"t2.item5.licensing.decisions": 3, "t2.item6.penalty.decisions": 3, "t2.item8.fees.amount": 3},
}
RULES = {  # domain -> (type, operator)
    Domain.COUNT: ("whole", "greaterThanOrEqual"),
    Domain.DELTA: ("whole", "between"),
    Domain.AMOUNT: ("decimal", "greaterThanOrEqual"),
}


# --- helpers ---------------------------------------------------------------------

def target(wb, name):
    """(sheet title, 'A1' or 'A1:B2') of a workbook-scoped defined name."""
    dests = list(wb.defined_names[name].destinations)
    assert len(dests) == 1, name
    sheet, ref = dests[0]
    return sheet, ref.replace("$", "")


def target_cell(wb, name):
    sheet, ref = target(wb, name)
    assert ":" not in ref, f"{name} -> {ref} is not a single cell"
    return wb[sheet][ref]


def validations(ws):
    """coordinate -> DataValidation objects covering it."""
    out: dict[str, list] = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            for row in ws.iter_rows(rng.min_row, rng.max_row, rng.min_col, rng.max_col):
                for c in row:
                    out.setdefault(c.coordinate, []).append(dv)
    return out


def spans(ws, text):
    """(rows, columns) of every cell showing `text`, in reading order."""
    out = []
    for row in ws.iter_rows():
        for c in row:
            if c.value == text and not isinstance(c, MergedCell):
                rng = next((r for r in ws.merged_cells.ranges if (r.min_row, r.min_col) == (c.row, c.column)), None)
                out.append((rng.max_row - rng.min_row + 1, rng.max_col - rng.min_col + 1) if rng else (1, 1))
    return out


def printed_labels(table):
    labels = {table.heading, table.note}
    for b in table.blocks:
        labels |= {b.title, b.stub}
        labels |= {r.label for r in b.rows} | {r.group for r in b.rows}
        labels |= {c.label for c in b.columns} | {p for c in b.columns for p in c.group.split("·")}
    if table.key == "t3":
        labels |= {"三、本年度办理结果", "申请人情况"}
    return labels - {""}


def sheet_strings(ws):
    return {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}


# --- fixtures ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    out = tmp_path_factory.mktemp("workbooks")
    return {f.version: write_workbook(out / f"form{f.version}.xlsx", f) for f in FORMS}


@pytest.fixture(scope="module")
def books(saved):
    return {version: load_workbook(path) for version, path in saved.items()}


@pytest.fixture(params=FORMS, ids=lambda f: f.version)
def form_and_book(request, books):
    return request.param, books[request.param.version]


# --- determinism ---------------------------------------------------------------------

def test_committed_template_is_byte_identical_to_a_fresh_build(tmp_path):
    fresh = write_workbook(tmp_path / "fresh.xlsx", FORM_2021)
    assert TEMPLATE_PATH.read_bytes() == fresh.read_bytes(), "run: python -m xlreport.workbook.template"


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.version)
def test_building_twice_gives_identical_bytes(tmp_path, form):
    a = write_workbook(tmp_path / "a.xlsx", form, year=2025, agency="某某市某某局")
    b = write_workbook(tmp_path / "b.xlsx", form, year=2025, agency="某某市某某局")
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_writing_replaces_the_file_atomically_without_leftovers(tmp_path):
    path = tmp_path / "report.xlsx"
    path.write_bytes(b"old")
    write_workbook(path, FORM_2021)
    assert zipfile.is_zipfile(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.xlsx"]


# --- structure -----------------------------------------------------------------------

def test_sheets_come_in_the_standard_order_with_the_meta_and_checks_sheets_hidden(form_and_book):
    form, wb = form_and_book
    assert wb.sheetnames == SHEET_ORDER
    assert wb[names.SHEET_META].sheet_state == wb[names.SHEET_CHECKS].sheet_state == "hidden"
    assert all(wb[s].sheet_state == "visible" for s in SHEET_ORDER[:-2])


def test_every_sheet_is_protected_without_a_password(form_and_book):
    _, wb = form_and_book
    for ws in wb.worksheets:
        p = ws.protection
        assert p.sheet, ws.title
        assert not p.password and not p.hashValue, ws.title
        assert not p.formatCells and not p.selectUnlockedCells, ws.title


def test_every_statutory_cell_has_exactly_one_name_on_its_tables_sheet(form_and_book):
    form, wb = form_and_book
    pointing = Counter(target(wb, n) for n in wb.defined_names if n.startswith("XR_"))
    for cell in form.cells:
        sheet, ref = target(wb, cell.defined_name)
        assert sheet == cell.table.name, cell.key
        assert ":" not in ref, cell.key
        assert pointing[(sheet, ref)] == 1, cell.key
        assert re.fullmatch(rf"'{cell.table.name}'!\$[A-Z]+\$\d+", wb.defined_names[cell.defined_name].attr_text)


def test_inputs_are_unlocked_and_validated_totals_are_locked_empty_and_unvalidated(form_and_book):
    form, wb = form_and_book
    dvs = {t.name: validations(wb[t.name]) for t in form.tables}
    for cell in form.cells:
        c = target_cell(wb, cell.defined_name)
        covering = dvs[cell.table.name].get(c.coordinate, [])
        if cell.kind is Kind.TOTAL:
            assert c.protection.locked, cell.key
            assert c.value is None, cell.key
            assert covering == [], cell.key
            continue
        assert not c.protection.locked, cell.key
        assert len(covering) == 1, cell.key
        dv = covering[0]
        assert (dv.type, dv.operator) == RULES[cell.domain], cell.key
        if cell.domain is Domain.DELTA:
            assert float(dv.formula1) < 0 < float(dv.formula2)
        else:
            assert dv.formula1 == "0"
        assert dv.errorStyle == "stop" and dv.showErrorMessage and CJK.search(dv.error or "")
        assert dv.showInputMessage and CJK.search(dv.prompt or "") and cell.row.label in dv.prompt
        assert c.number_format == ("0" if cell.domain is not Domain.AMOUNT else "0.00##")


def test_the_only_formula_on_a_table_sheet_is_its_status_line_in_row_one(form_and_book):
    form, wb = form_and_book
    for t in form.tables:
        formulas = [c for row in wb[t.name].iter_rows() for c in row if c.data_type == "f"]
        status = target_cell(wb, f"XR_STATUS_{t.key.upper()}")
        assert formulas == [status] and status.row == 1 and status.parent.title == t.name
        assert status.protection.locked and "勾稽关系" in status.value


def test_cover_states_the_overall_status_below_its_fields(form_and_book):
    _, wb = form_and_book
    status = target_cell(wb, "XR_STATUS_ALL")
    last_field = target_cell(wb, names.cover_name(COVER_FIELDS[-1].key))
    assert status.parent.title == names.SHEET_COVER and status.column == last_field.column
    assert status.row > last_field.row and status.data_type == "f" and status.protection.locked


def test_every_statutory_cell_and_status_line_has_a_highlighting_rule_and_each_sheet_a_legend(form_and_book):
    form, wb = form_and_book
    for t in form.tables:
        ws = wb[t.name]
        covered: dict[str, list[str]] = {}
        for cf in ws.conditional_formatting:
            for rule in cf.rules:
                assert rule.type == "expression" and rule.dxf.fill.bgColor.rgb.endswith("FFC7CE"), t.name
                for rng in cf.sqref.ranges:
                    for row in ws.iter_rows(rng.min_row, rng.max_row, rng.min_col, rng.max_col):
                        for c in row:
                            covered.setdefault(c.coordinate, []).append(rule.formula[0])
        named = [target_cell(wb, c.defined_name).coordinate for c in form.cells if c.table is t]
        named.append(target_cell(wb, f"XR_STATUS_{t.key.upper()}").coordinate)
        assert all(covered.get(coord) for coord in named), t.name
        (legend,) = [c for row in ws.iter_rows() for c in row if c.value == "标红"]  # coloured by a rule that always holds
        assert covered[legend.coordinate] == ["TRUE"] and legend.row > max(int(re.sub(r"[A-Z]", "", n)) for n in named)


def test_value_cells_are_the_top_left_of_their_merge(form_and_book):
    form, wb = form_and_book
    for cell in form.cells:
        c = target_cell(wb, cell.defined_name)
        assert not isinstance(c, MergedCell), cell.key
        for rng in wb[cell.table.name].merged_cells.ranges:
            if c.coordinate in rng:
                assert (rng.min_row, rng.min_col) == (c.row, c.column), cell.key
    for key, width in T2_WIDE_VALUES[form.version].items():
        c = target_cell(wb, form.cell(key).defined_name)
        (rng,) = [r for r in wb["表二"].merged_cells.ranges if c.coordinate in r]
        assert rng.max_col - rng.min_col + 1 == width, key


# --- printed labels and merges -----------------------------------------------------

def test_every_printed_label_appears_on_its_tables_sheet(form_and_book):
    form, wb = form_and_book
    for t in form.tables:
        missing = printed_labels(t) - sheet_strings(wb[t.name])
        assert not missing, (t.name, missing)


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.version)
def test_table_three_merges_follow_the_printed_format(books, form):
    ws = books[form.version]["表三"]
    for text, rows, cols in T3_MERGES[form.version]:
        assert spans(ws, text) == [(rows, cols)], text


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.version)
def test_table_four_merges_follow_the_printed_format(books, form):
    ws = books[form.version]["表四"]
    for text, rows, cols in T4_MERGES:
        assert spans(ws, text) == [(rows, cols)], text
    for text, expected in T4_REPEATED.items():
        assert spans(ws, text) == expected, text
    assert len(form.table("t4").blocks[0].columns) == 15


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.version)
def test_table_two_merges_follow_the_printed_format(books, form):
    ws = books[form.version]["表二"]
    for text, rows, cols in T2_MERGES[form.version]:
        assert spans(ws, text) == [(rows, cols)], text


def test_table_sheets_print_on_a4_one_page_wide(form_and_book):
    form, wb = form_and_book
    for t in form.tables:
        ws = wb[t.name]
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) and ws.page_setup.fitToWidth == 1
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_options.horizontalCentered
        assert ws.page_setup.orientation == ("portrait" if t.key == "t2" else "landscape")
        assert ws.print_area and ws.print_title_rows


# --- meta, cover, narrative -----------------------------------------------------------

def test_meta_sheet_names_hold_form_and_template_version_as_text(form_and_book):
    form, wb = form_and_book
    for name, value in ((names.META_FORM_VERSION, form.version), (names.META_TEMPLATE_VERSION, xlreport.TEMPLATE_VERSION)):
        c = target_cell(wb, name)
        assert c.parent.title == names.SHEET_META
        assert c.value == value and isinstance(c.value, str)
    assert form.document in sheet_strings(wb[names.SHEET_META])


def test_cover_has_a_named_cell_for_every_field(form_and_book):
    _, wb = form_and_book
    for field in COVER_FIELDS:
        c = target_cell(wb, names.cover_name(field.key))
        assert c.parent.title == names.SHEET_COVER and c.column_letter == "B"
        assert c.offset(column=-1).value == field.label
        assert c.protection.locked == (field.key == "form_document"), field.key


def test_cover_year_is_validated_and_drives_the_derived_format_document(form_and_book):
    _, wb = form_and_book
    year = target_cell(wb, names.cover_name("year"))
    (dv,) = validations(year.parent)[year.coordinate]
    assert (dv.type, dv.operator, dv.formula1, dv.formula2) == ("whole", "between", "2019", "2100")
    doc = target_cell(wb, names.cover_name("form_document"))
    assert doc.data_type == "f" and f'{year.coordinate}=""' in doc.value
    assert FORM_2019.document in doc.value and FORM_2021.document in doc.value


def test_cover_offers_the_agency_levels_as_a_drop_down(form_and_book):
    _, wb = form_and_book
    level = target_cell(wb, names.cover_name("level"))
    (dv,) = validations(level.parent)[level.coordinate]
    assert (dv.type, dv.formula1) == ("list", '"本级人民政府,政府部门,其他"')
    assert dv.allow_blank and dv.showErrorMessage and "下拉列表" in dv.error and "空白时按机关名称判断" in dv.prompt
    assert level.value is None and not level.protection.locked


def test_other_text_fields_of_the_cover_take_any_text(form_and_book):
    _, wb = form_and_book
    for key in ("signed_on", "published_on", "phone"):
        c = target_cell(wb, names.cover_name(key))
        (dv,) = validations(c.parent)[c.coordinate]
        assert dv.type is None and c.number_format == "@"


@pytest.mark.parametrize("year, agency", [(2025, "某某市某某局"), (None, "")])
def test_year_and_agency_prefill_the_cover(tmp_path, year, agency):
    wb = load_workbook(write_workbook(tmp_path / "r.xlsx", FORM_2021, year=year, agency=agency))
    assert target_cell(wb, names.cover_name("year")).value == year
    assert target_cell(wb, names.cover_name("agency")).value == (agency or None)


def test_narrative_has_named_text_cells_and_a_two_column_overview_range(form_and_book):
    form, wb = form_and_book
    for name, heading in names.NARRATIVE_TEXTS:
        c = target_cell(wb, name)
        assert c.parent.title == names.SHEET_NARRATIVE and not c.protection.locked
        assert c.value is None and heading in sheet_strings(c.parent)
    sheet, ref = target(wb, names.NARR_OVERVIEW_PARTS)
    rows = list(wb[sheet][ref])
    assert sheet == names.SHEET_NARRATIVE
    assert len(rows) == names.OVERVIEW_SLOTS and all(len(r) == 2 for r in rows)
    assert [r[0].value for r in rows] == list(form.overview_parts) + [None] * (names.OVERVIEW_SLOTS - len(form.overview_parts))
    assert all(r[1].value is None and not r[0].protection.locked and not r[1].protection.locked for r in rows)


@pytest.mark.parametrize("name, rule", [(names.NARR_FEE_AMOUNT, ("decimal", "greaterThanOrEqual")),
                                        (names.NARR_FEE_COUNT, ("whole", "greaterThanOrEqual"))])
def test_fee_inputs_are_validated_numbers(books, name, rule):
    c = target_cell(books["2021"], name)
    (dv,) = validations(c.parent)[c.coordinate]
    assert (dv.type, dv.operator, dv.formula1) == (*rule, "0") and CJK.search(dv.prompt)
    assert not c.protection.locked


# --- LibreOffice round trip --------------------------------------------------------------

@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice not installed (CI always installs it)")
@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.version)
def test_libreoffice_round_trip_keeps_names_labels_meta_and_live_checks(tmp_path, saved, books, form):
    out = tmp_path / "out"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "xlsx", "--outdir", str(out), str(saved[form.version])],
        check=True, capture_output=True, timeout=120,
    )
    original, wb = books[form.version], load_workbook(out / saved[form.version].name)
    for name in (n for n in original.defined_names if n.startswith("XR_")):
        assert target(wb, name) == target(original, name), name
    for t in form.tables:
        assert not printed_labels(t) - sheet_strings(wb[t.name]), t.name
        dvs = validations(wb[t.name])
        for cell in (c for c in form.cells if c.table is t and c.kind is Kind.INPUT):
            coordinate = target_cell(wb, cell.defined_name).coordinate
            assert [(d.type, d.operator) for d in dvs.get(coordinate, [])] == [RULES[cell.domain]], cell.key
    for ws in original.worksheets:  # live checks: what they compute is tested in test_live_checks
        rules = [sorted((str(cf.sqref), len(cf.rules)) for cf in w.conditional_formatting) for w in (ws, wb[ws.title])]
        formulas = [sorted(c.coordinate for row in w.iter_rows() for c in row if c.data_type == "f") for w in (ws, wb[ws.title])]
        assert rules[0] == rules[1] and formulas[0] == formulas[1], ws.title
    meta = wb[names.SHEET_META]
    assert meta.sheet_state == "hidden"
    assert str(target_cell(wb, names.META_FORM_VERSION).value) == form.version
    assert str(target_cell(wb, names.META_TEMPLATE_VERSION).value) == xlreport.TEMPLATE_VERSION
