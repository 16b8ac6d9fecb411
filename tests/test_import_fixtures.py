"""The seed and the real published reports import with every statutory number in its cell.

Expected values are typed by hand from the documents in tests/fixtures/real-reports (seed: web text of the
株洲市行政审批服务局 2020 report; fixtures: 淮安 2024 pdftotext -layout, 宿迁 2023/2024 tables).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import REAL_REPORTS
from conftest import SEED as SEED_TEXT

from xlreport.checks.report import validate
from xlreport.forms import FORM_2019, FORM_2021
from xlreport.importers import load_report
from xlreport.model import State
from xlreport.rules.findings import Severity
from xlreport.workbook.export import write_report_workbook
from xlreport.workbook.reader import read_report

SEED = SEED_TEXT
REAL = REAL_REPORTS
HUAIAN = REAL / "2024_huaian_shi_renmin_zhengfu.txt"
SUQIAN_2023 = REAL / "2023_suqian_shi.txt"
SUQIAN_2024 = REAL / "2024_suqian_shi.txt"

T3_COLUMNS = ("natural", "commercial", "research", "nonprofit", "legal", "other_org", "total")
T4_COLUMNS = tuple(f"{g}_{o}" for g in ("review", "direct_suit", "suit_after_review")
                   for o in ("upheld", "corrected", "other", "pending", "total"))

# --- as printed -------------------------------------------------------------------------

HUAIAN_T2 = {
    "t2.item1.regulations": ("1", "0", "11"),
    "t2.item1.normative_docs": ("8", "26", "66"),
    "t2.item5.licensing": ("447228",),
    "t2.item6.penalty": ("3985758",),
    "t2.item6.enforcement": ("88283",),
    "t2.item8.fees": ("96171.6",),
}
HUAIAN_T3 = """
new                        3001 53 0 0 61 4 3119
carried_over               34 0 0 0 0 0 34
granted                    1288 21 0 0 50 3 1362
partial                    447 7 0 0 0 0 454
withheld_secret            2 0 0 0 0 0 2
withheld_law               30 1 0 0 0 0 31
withheld_safety            5 0 0 0 0 0 5
withheld_third_party       6 0 0 0 0 0 6
withheld_internal          7 1 0 0 0 0 8
withheld_process           12 0 0 0 0 0 12
withheld_enforcement       9 0 0 0 0 0 9
withheld_inquiry           105 0 0 0 0 0 105
unavailable_not_held       746 12 0 0 10 1 769
unavailable_needs_creation 11 0 0 0 0 0 11
unavailable_unclear        1 0 0 0 0 0 1
unprocessed_petition       56 6 0 0 0 0 62
unprocessed_repeat         25 0 0 0 0 0 25
unprocessed_publication    0 0 0 0 0 0 0
unprocessed_abusive        0 0 0 0 0 0 0
unprocessed_confirmation   1 0 0 0 0 0 1
other_no_correction        67 3 0 0 1 0 71
other_no_fee               6 0 0 0 0 0 6
other_other                108 2 0 0 0 0 110
result_total               2932 53 0 0 61 4 3050
carried_forward            103 0 0 0 0 0 103
"""
HUAIAN_T4 = "72 64 178 37 351 13 4 8 1 26 12 1 1 6 20"

SUQIAN_2023_T2 = {
    "t2.item1.regulations": ("2", "0", "11"),
    "t2.item1.normative_docs": ("109", "489", "597"),
    "t2.item5.licensing": ("1808595",),
    "t2.item6.penalty": ("2822652",),
    "t2.item6.enforcement": ("20163",),
    "t2.item8.fees": ("59237.2449",),
}
SUQIAN_2023_T3 = """
new                        3402 99 0 4 5 1 3511
carried_over               91 3 0 0 2 0 96
granted                    1175 12 0 3 1 0 1191
partial                    319 7 0 0 2 0 328
withheld_secret            0 0 0 0 0 0 0
withheld_law               27 0 0 0 0 0 27
withheld_safety            6 0 0 0 0 0 6
withheld_third_party       38 0 0 0 0 0 38
withheld_internal          20 0 0 0 0 0 20
withheld_process           9 0 0 0 0 0 9
withheld_enforcement       21 0 0 0 0 0 21
withheld_inquiry           20 1 0 0 0 0 21
unavailable_not_held       968 74 0 1 3 1 1047
unavailable_needs_creation 26 2 0 0 0 0 28
unavailable_unclear        3 0 0 0 0 0 3
unprocessed_petition       305 0 0 0 0 0 305
unprocessed_repeat         39 0 0 0 0 0 39
unprocessed_publication    0 0 0 0 0 0 0
unprocessed_abusive        58 0 0 0 0 0 58
unprocessed_confirmation   4 0 0 0 0 0 4
other_no_correction        40 0 0 0 0 0 40
other_no_fee               10 0 0 0 0 0 10
other_other                287 3 0 0 1 0 291
result_total               3375 99 0 4 7 1 3486
carried_forward            118 3 0 0 0 0 121
"""
SUQIAN_2023_T4 = "309 17 88 26 440 1 1 16 6 24 13 0 67 9 89"

SUQIAN_2024_T2 = {
    "t2.item1.regulations": ("2", "1", "12"),
    "t2.item1.normative_docs": ("50", "227", "420"),
    "t2.item5.licensing": ("1573179",),
    "t2.item6.penalty": ("2676474",),
    "t2.item6.enforcement": ("29351",),
    "t2.item8.fees": ("72701.2578",),
}
SUQIAN_2024_T3 = """
new                        3440 75 0 1 6 3 3525
carried_over               118 3 0 0 0 0 121
granted                    1408 21 0 0 2 0 1431
partial                    462 9 0 0 0 0 471
withheld_secret            2 0 0 0 0 0 2
withheld_law               1 0 0 0 0 0 1
withheld_safety            4 0 0 0 0 0 4
withheld_third_party       16 1 0 0 0 0 17
withheld_internal          21 0 0 0 0 0 21
withheld_process           10 1 0 0 0 0 11
withheld_enforcement       21 2 0 0 0 0 23
withheld_inquiry           13 0 0 0 0 0 13
unavailable_not_held       859 33 0 0 3 2 897
unavailable_needs_creation 35 1 0 0 0 0 36
unavailable_unclear        8 0 0 0 0 0 8
unprocessed_petition       86 1 0 0 0 0 87
unprocessed_repeat         26 1 0 0 0 0 27
unprocessed_publication    0 0 0 0 0 0 0
unprocessed_abusive        3 0 0 0 0 0 3
unprocessed_confirmation   0 0 0 0 0 0 0
other_no_correction        75 1 0 1 0 0 77
other_no_fee               38 0 0 0 0 0 38
other_other                352 2 0 0 0 0 354
result_total               3440 73 0 1 5 2 3521
carried_forward            118 5 0 0 1 1 125
"""
SUQIAN_2024_T4 = "88 18 28 36 170 7 0 11 7 25 33 0 6 13 52"


def expected_2021(t2: dict, t3: str, t4: str) -> dict[str, str]:
    """Cell key -> printed number, from the tables above."""
    columns = {"item1": ("issued", "repealed", "in_force"), "item5": ("decisions",), "item6": ("decisions",),
               "item8": ("amount",)}
    out = {}
    for row, printed in t2.items():
        out.update({f"{row}.{c}": v for c, v in zip(columns[row.split(".")[1]], printed, strict=True)})
    for line in t3.strip().splitlines():
        row, *printed = line.split()
        out.update({f"t3.{row}.{c}": v for c, v in zip(T3_COLUMNS, printed, strict=True)})
    out.update({f"t4.cases.{c}": v for c, v in zip(T4_COLUMNS, t4.split(), strict=True)})
    return out


def expected_seed() -> dict[str, str]:
    """株洲 2020: every cell printed 0, except 政府集中采购 2 and "115.2万"."""
    out = {c.key: "0" for c in FORM_2019.cells}
    out["t2.item9.procurement.projects"] = "2"
    out["t2.item9.procurement.amount"] = "115.2"
    return out


CASES = {
    "seed": (SEED, FORM_2019, "株洲市行政审批服务局", 2020, expected_seed()),
    "huaian2024": (HUAIAN, FORM_2021, "淮安市人民政府", 2024, expected_2021(HUAIAN_T2, HUAIAN_T3, HUAIAN_T4)),
    "suqian2023": (SUQIAN_2023, FORM_2021, "宿迁市", 2023, expected_2021(SUQIAN_2023_T2, SUQIAN_2023_T3, SUQIAN_2023_T4)),
    "suqian2024": (SUQIAN_2024, FORM_2021, "宿迁市", 2024, expected_2021(SUQIAN_2024_T2, SUQIAN_2024_T3, SUQIAN_2024_T4)),
}


def numbers(report) -> dict[str, str]:
    return {k: format(v.number, "f") if v.is_number else v.state.value for k, v in report.values.items()}


@pytest.fixture(scope="module", params=list(CASES))
def case(request):
    path, form, agency, year, expected = CASES[request.param]
    report, findings = load_report(path)
    return request.param, report, findings, form, agency, year, expected


def test_every_statutory_number_lands_in_its_cell(case):
    _, report, _, form, _, _, expected = case
    assert set(expected) == {c.key for c in form.cells}
    got = numbers(report)
    assert {k: got[k] for k in expected} == {k: Decimal(v).normalize().to_eng_string() if "." in v else v
                                             for k, v in expected.items()}


def test_agency_year_and_format_version_are_detected(case):
    _, report, _, form, agency, year, _ = case
    assert (report.agency, report.year, report.form) == (agency, year, form)
    assert report.cover["form_document"].raw == form.document


def test_clean_documents_import_without_error_findings(case):
    name, _, findings, *_ = case
    assert [f.message for f in findings if f.severity is Severity.ERROR] == []
    if name in ("seed", "huaian2024"):  # printed with the exact statutory labels
        assert findings == []


def test_suqian_abbreviated_labels_are_placed_and_reported():
    """The 宿迁 tables come from a comparison tool that shortened three 表三 labels."""
    report, findings = load_report(SUQIAN_2024)
    labels = [f for f in findings if f.rule == "IMPORT-LABEL"]
    assert [f.cells[0].key for f in labels] == [
        "t3.partial.natural", "t3.other_no_correction.natural", "t3.other_no_fee.natural",
    ]
    assert "原文第46行" in labels[1].message and "逾期不补正" in labels[1].message
    assert report.number("t3.other_no_fee.total") == 38


def test_units_inside_cells_are_read_with_the_reader_rules():
    report, _ = load_report(SEED)
    amount = report.value("t2.item9.procurement.amount")
    assert amount.number == Decimal("115.2") and amount.raw == "115.2万" and amount.interpreted


def test_plain_printed_numbers_are_numbers_not_text():
    report, _ = load_report(HUAIAN)
    fees = report.value("t2.item8.fees.amount")
    assert fees.state is State.NUMBER and fees.number == Decimal("96171.6") and not fees.interpreted


def test_huaian_narrative_cover_and_fee():
    report, _ = load_report(HUAIAN)
    n = report.narrative
    assert n.preamble.startswith("本报告由淮安市人民政府办公室根据《中华人民共和国政府信息公开条例》")
    assert "统计期限自2024年1月1日至2024年12月31日" in n.preamble  # pdftotext's "2024 年" spacing removed
    assert n.overview_intro.startswith("2024年，我市坚持以习近平新时代中国特色社会主义思想为指导")
    assert [h for h, _ in n.overview_parts] == [
        "（一）主动公开情况", "（二）依申请公开情况", "（三）政府信息管理情况", "（四）政府信息公开平台建设情况",
        "（五）政府信息公开监督保障情况",
    ]
    # a paragraph broken by the page number "-1-" is joined again
    assert "“建设‘四最’一流营商环境高质量推进产业发展”" in n.overview_parts[0][1]
    assert "-1-" not in n.overview_parts[0][1]
    assert n.problems.startswith("对照上级新要求和公众新期待") and n.problems.endswith("增强队伍凝聚力。")
    assert n.other.endswith("全年收取政府信息公开信息处理费3940元。")
    assert n.fee_amount.number == 3940
    cover = {k: v.raw for k, v in report.cover.items()}
    assert cover["address"] == "淮安市翔宇南道1号"
    assert (cover["postcode"], cover["phone"], cover["email"]) == ("223001", "0517-83605210", "hazwgkc@163.com")


def test_seed_without_overview_heading_puts_the_parts_into_the_overview():
    report, _ = load_report(SEED)
    n = report.narrative
    assert [h for h, _ in n.overview_parts] == [
        "（一）主动公开各类事项目录", "（二）主动公开政务服务办事指南", "(三)集中公开涉企政策信息", "（四）加大社会宣传力度",
    ]
    assert n.overview_parts[3][1].endswith("省政府门户网站“我的办证故事”采用稿件6篇。")
    assert n.preamble == "" and n.problems == "" and n.other == ""
    assert report.cover["signed_on"].raw == "2021年1月29日"
    assert "株洲市行政审批服务局" not in n.overview_parts[3][1]  # the signature left the text


@pytest.mark.parametrize("path, amount, count", [(SUQIAN_2023, 2950, 25), (SUQIAN_2024, 2230, 3)])
def test_fee_amount_and_count_are_read_from_section_six(path, amount, count):
    report, _ = load_report(path)
    assert (report.narrative.fee_amount.number, report.narrative.fee_count.number) == (amount, count)


def test_round_trip_import_export_read_gives_the_same_numbers(case, tmp_path):
    name, report, *_ = case
    out = write_report_workbook(report, tmp_path / f"{name}.xlsx")
    again = read_report(out)
    assert again.form is report.form
    assert numbers(again) == numbers(report)
    assert {k: v.raw for k, v in again.values.items() if v.interpreted} == \
           {k: v.raw for k, v in report.values.items() if v.interpreted}
    assert (again.agency, again.year) == (report.agency, report.year)
    assert again.narrative.overview_parts == report.narrative.overview_parts
    assert again.narrative.problems == report.narrative.problems


def test_imported_fixture_matches_the_hand_built_example_workbook():
    from workbooks import HUAIAN as HUAIAN_XLSX

    example = read_report(HUAIAN_XLSX)
    report, _ = load_report(HUAIAN)
    assert numbers(report) == numbers(example)


def test_check_on_imported_fixtures_reports_no_table_errors(case):
    """The four printed tables satisfy R1–R4 (checked by hand for 宿迁: e.g. 2024 自然人
    3440 + 118 = 3440 + 118, 商业企业 75 + 3 = 73 + 5); what check adds are warnings only."""
    _, report, *_ = case
    assert [f.message for f in validate(report) if f.severity is Severity.ERROR] == []


def test_check_on_the_seed_warns_about_the_unit_and_the_missing_sections():
    report, _ = load_report(SEED)
    warnings = sorted((f.rule, f.cells[0].key) for f in validate(report) if f.severity is Severity.WARNING)
    assert warnings == [
        ("CELL-TEXT-NUMBER", "t2.item9.procurement.amount"),
        ("NARRATIVE-EMPTY", "narrative.other"),
        ("NARRATIVE-EMPTY", "narrative.problems"),
    ]
