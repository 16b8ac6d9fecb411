"""Generated variants of the fixtures: perturbed labels, blanked cells, reordered rows, marks
and units in cells, missing or extra rows. Each still imports, or fails with a precise finding.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from test_import_fixtures import (
    CASES,
    HUAIAN,
    SEED,
    SUQIAN_2024,
    expected_seed,
    numbers,
)

import test_import_published as published  # the module, so that pytest does not collect its tests twice
from xlreport.checks.report import validate
from xlreport.importers import IMPORT_RULES, load_report
from xlreport.model import State

HUAIAN_EXPECTED = CASES["huaian2024"][4]
SEED_EXPECTED = expected_seed()


def imported(tmp_path: Path, text: str, name: str = "report.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_report(path)


def rules(findings) -> list[str]:
    return [f.rule for f in findings]


def same_numbers_except(report, expected: dict[str, str], changed: set[str]) -> None:
    got = numbers(report)
    want = {k: str(Decimal(v).normalize()) if "." in v else v for k, v in expected.items()}
    assert {k: got[k] for k in want if k not in changed} == {k: want[k] for k in want if k not in changed}


# --- layout text (pdftotext -layout of the 淮安 2024 PDF) ------------------------------------


def huaian_lines() -> list[str]:
    return HUAIAN.read_text(encoding="utf-8").split("\n")


def blank_value(lines: list[str], line_no: int, k: int) -> None:
    """Overwrite the k-th number on a line with spaces, as a PDF prints an empty cell."""
    line = lines[line_no - 1]
    m = list(re.finditer(r"(?<!\S)\d+(?:\.\d+)?(?!\S)", line))[k]
    lines[line_no - 1] = line[: m.start()] + " " * (m.end() - m.start()) + line[m.end() :]


def replace_value(lines: list[str], line_no: int, k: int, text: str) -> None:
    line = lines[line_no - 1]
    m = list(re.finditer(r"(?<!\S)\d+(?:\.\d+)?(?!\S)", line))[k]
    lines[line_no - 1] = line[: m.start()] + text + line[m.end() :]


def test_layout_label_typos_import_and_are_reported_where_they_differ(tmp_path):
    lines = huaian_lines()
    lines[147] = lines[147].replace("三类内部事务信息", "三类内容事务信息")  # line 148
    lines[131] = lines[131].replace("形，不计其他情形", "况，不计其他情形")  # 只计这一情况 (wrapped)
    lines[156] = lines[156].replace("1.本机关", "1、本机关")  # 1、 for 1.: not a difference
    lines[127] = lines[127].replace("（一）予以公开", "(一)予以公开")  # half-width parentheses
    report, findings = imported(tmp_path, "\n".join(lines))
    same_numbers_except(report, HUAIAN_EXPECTED, set())
    assert [(f.rule, f.cells[0].key) for f in findings] == [
        ("IMPORT-LABEL", "t3.partial.natural"),
        ("IMPORT-LABEL", "t3.withheld_internal.natural"),
    ]
    # the label as read: layout text may leave a piece of the vertical 三、本年度办理结果 in it
    assert findings[1].message.startswith("原文第148行，表三标签「5.属于三类内容事务信息")
    assert findings[1].message.endswith("与格式标签「5.属于三类内部事务信息」不一致，已按格式标签导入")


BLANKED = [
    # (line, k-th number on it, cell left blank, column named in the finding)
    (151, 1, "t3.withheld_process.commercial", "商业企业"),
    (193, 6, "t3.other_other.total", "总计"),
    (124, 0, "t3.new.natural", "自然人"),
    (73, 1, "t2.item1.regulations.repealed", "本年废止件数"),
    (162, 3, "t3.unavailable_needs_creation.nonprofit", "社会公益组织"),  # first line of page 5
]


@pytest.mark.parametrize("line_no, k, key, column", BLANKED, ids=[b[2] for b in BLANKED])
def test_layout_blank_cell_is_placed_by_column_position(tmp_path, line_no, k, key, column):
    lines = huaian_lines()
    blank_value(lines, line_no, k)
    report, findings = imported(tmp_path, "\n".join(lines))
    assert report.value(key).state is State.BLANK
    same_numbers_except(report, HUAIAN_EXPECTED, {key})
    assert rules(findings) == ["IMPORT-BLANK-INFERRED"]
    assert f"原文第{line_no}行" in findings[0].message and f"「{column}」为空白" in findings[0].message


def test_layout_two_blank_cells_in_one_row(tmp_path):
    lines = huaian_lines()
    blank_value(lines, 157, 1)  # 1.本机关不掌握相关政府信息: 12 and 10
    blank_value(lines, 157, 3)
    report, findings = imported(tmp_path, "\n".join(lines))
    assert report.value("t3.unavailable_not_held.commercial").state is State.BLANK
    assert report.value("t3.unavailable_not_held.legal").state is State.BLANK
    assert report.number("t3.unavailable_not_held.other_org") == 1
    assert "「商业企业」、「法律服务机构」为空白" in findings[0].message


def test_layout_table_four_missing_a_value_fails_with_a_precise_finding(tmp_path):
    lines = huaian_lines()
    blank_value(lines, 221, 5)
    report, findings = imported(tmp_path, "\n".join(lines))
    assert rules(findings) == ["IMPORT-VALUE-COUNT"]
    assert findings[0].message.startswith("原文第221行，表四「（无标签）」有 14 个数值")
    assert "该行应有 15 个" in findings[0].message
    assert all(report.value(f"t4.cases.{c}").state is State.BLANK for c in ("review_upheld", "suit_after_review_total"))


def test_layout_rows_reordered_within_a_group(tmp_path):
    lines = huaian_lines()
    lines[167], lines[169] = lines[169], lines[167]  # 1.信访举报投诉类申请 <-> 2.重复申请
    lines[134], lines[140] = lines[140], lines[134]  # 1.属于国家秘密 <-> 3.危及“三安全一稳定”
    report, findings = imported(tmp_path, "\n".join(lines))
    assert findings == []
    same_numbers_except(report, HUAIAN_EXPECTED, set())


@pytest.mark.parametrize("mark", ["无", "/", "-"])
def test_layout_marks_for_nothing_are_kept_as_text_never_zero(tmp_path, mark):
    lines = huaian_lines()
    replace_value(lines, 172, 0, mark)  # 3.要求提供公开出版物, 自然人 printed 0
    report, findings = imported(tmp_path, "\n".join(lines))
    value = report.value("t3.unprocessed_publication.natural")
    assert (value.state, value.raw, value.number) == (State.TEXT, mark, None)
    assert findings == []
    assert "CELL-TEXT" in rules(validate(report))


# --- web text (the seed: one cell per line, rows separated by blank lines) ---------------------


def seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").split("\n")


def row_at(lines: list[str], label: str) -> int:
    """Index of the line holding a row's label cell."""
    return next(i for i, line in enumerate(lines) if line.strip() == label)


def row_span(lines: list[str], label: str) -> tuple[int, int]:
    """[start, end) of a row: its cell lines, without the blank line after it."""
    start = end = row_at(lines, label)
    while start > 0 and lines[start - 1].startswith("\t"):
        start -= 1
    while end < len(lines) and lines[end].startswith("\t"):
        end += 1
    return start, end


def set_seed_value(lines: list[str], label: str, k: int, text: str) -> None:
    i = row_at(lines, label) + 1 + k
    assert lines[i] == "\t0"
    lines[i] = "\t" + text


def test_web_text_with_a_whole_row_per_line(tmp_path):
    """Another way browsers copy a table: one line per row, cells separated by tabs."""
    out, row = [], []
    for line in seed_lines():
        if line.startswith("\t") and line.count("\t") == 1:
            row.append(line[1:])
            continue
        if row:
            out.append("\t".join(row))
            row = []
        out.append(line)
    text = "\n".join(out)
    assert "\t一、本年新收政府信息公开申请数量\t0\t0" not in text and "一、本年新收政府信息公开申请数量\t0\t0" in text
    report, findings = imported(tmp_path, text)
    assert findings == []
    same_numbers_except(report, SEED_EXPECTED, set())


def test_web_text_label_typos_import_and_are_reported(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("5.属于三类内部事务信息", "5.属于三类内容事务信息").replace("只计这一情形", "只计这一情况")
    text = text.replace("1.属于国家秘密", "1、属于国家秘密").replace("（七）总计", "(七)总计")
    report, findings = imported(tmp_path, text)
    same_numbers_except(report, SEED_EXPECTED, set())
    assert [(f.rule, f.cells[0].key) for f in findings] == [
        ("IMPORT-LABEL", "t3.partial.natural"), ("IMPORT-LABEL", "t3.withheld_internal.natural"),
    ]


def test_web_text_blank_cell_stays_blank_and_check_reports_it(tmp_path):
    lines = seed_lines()
    set_seed_value(lines, "4.保护第三方合法权益", 2, "")
    report, findings = imported(tmp_path, "\n".join(lines))
    assert findings == []
    assert report.value("t3.withheld_third_party.research").state is State.BLANK
    same_numbers_except(report, SEED_EXPECTED, {"t3.withheld_third_party.research"})
    blank = [f for f in validate(report) if f.rule == "CELL-BLANK"]
    assert [f.cells[0].key for f in blank] == ["t3.withheld_third_party.research"]


@pytest.mark.parametrize("printed, state, number, interpreted", [
    ("无", State.TEXT, None, False),
    ("/", State.TEXT, None, False),
    ("12件", State.NUMBER, Decimal(12), True),
    ("１２", State.NUMBER, Decimal(12), False),  # full-width digits in a published page
    ("1,234", State.NUMBER, Decimal(1234), False),
])
def test_web_text_cell_marks_and_units(tmp_path, printed, state, number, interpreted):
    lines = seed_lines()
    set_seed_value(lines, "（一）予以公开", 0, printed)
    report, findings = imported(tmp_path, "\n".join(lines))
    value = report.value("t3.granted.natural")
    assert (value.state, value.number, bool(value.interpreted)) == (state, number, interpreted)
    assert findings == []


def test_web_text_negative_change_and_yuan_amount_in_2019_table_two(tmp_path):
    lines = seed_lines()
    set_seed_value(lines, "行政处罚", 1, "-18")
    i = row_at(lines, "政府集中采购")
    lines[i + 2] = "\t251000元"
    report, findings = imported(tmp_path, "\n".join(lines))
    assert report.number("t2.item6.penalty.change") == -18
    amount = report.value("t2.item9.procurement.amount")
    assert amount.number == Decimal("25.1") and "元" in amount.interpreted
    assert findings == []


def test_web_text_rows_reordered_within_a_group(tmp_path):
    lines = seed_lines()
    a, b = row_span(lines, "1.属于国家秘密"), row_span(lines, "2.其他法律行政法规禁止公开")
    lines[a[0] : b[1]] = lines[b[0] : b[1]] + lines[a[1] : b[0]] + lines[a[0] : a[1]]
    set_seed_value(lines, "2.其他法律行政法规禁止公开", 0, "5")
    report, findings = imported(tmp_path, "\n".join(lines))
    assert findings == []
    assert report.number("t3.withheld_law.natural") == 5
    assert report.number("t3.withheld_secret.natural") == 0


def test_row_left_out_is_reported_by_its_statutory_name(tmp_path):
    lines = seed_lines()
    start, end = row_span(lines, "2.重复申请")
    del lines[start:end]
    report, findings = imported(tmp_path, "\n".join(lines))
    assert rules(findings) == ["IMPORT-ROW-MISSING"]
    assert findings[0].message == "表三「（五）不予处理·2.重复申请」一行在原文中未找到，该行单元格留空"
    assert report.value("t3.unprocessed_repeat.total").state is State.BLANK


def test_row_that_matches_nothing_is_reported_with_its_values(tmp_path):
    lines = seed_lines()
    start, end = row_span(lines, "（七）总计")
    lines[start:start] = ["\t", "\t9.某某特殊情形", *["\t3"] * 7, ""]
    report, findings = imported(tmp_path, "\n".join(lines))
    assert rules(findings) == ["IMPORT-UNPLACED"]
    assert findings[0].message == (
        f"原文第{start + 2}行，表三「9.某某特殊情形」的数值 3 3 3 3 3 3 3 无法对应到表三的任何一行，未导入"
    )


def test_row_printed_twice_keeps_the_first_and_reports_the_second(tmp_path):
    lines = seed_lines()
    start, end = row_span(lines, "（一）予以公开")
    copy = [line.replace("\t0", "\t4") for line in lines[start:end]]
    lines[end:end] = ["", *copy[1:]]  # without the 三、本年度办理结果 group cell
    report, findings = imported(tmp_path, "\n".join(lines))
    assert rules(findings) == ["IMPORT-DUPLICATE"]
    assert report.number("t3.granted.natural") == 0
    assert "「（一）予以公开」与原文第158行的「三、本年度办理结果 （一）予以公开」重复" in findings[0].message
    assert "4 4 4 4 4 4 4 未导入" in findings[0].message


def test_row_with_a_cell_missing_fails_with_a_precise_finding(tmp_path):
    lines = seed_lines()
    i = row_at(lines, "6.属于四类过程性信息")
    del lines[i + 1]
    report, findings = imported(tmp_path, "\n".join(lines))
    assert rules(findings) == ["IMPORT-VALUE-COUNT"]
    assert findings[0].message == (
        f"原文第{i + 1}行，表三「6.属于四类过程性信息」有 6 个数值（0 0 0 0 0 0），该行应有 7 个，无法确定对应的列，未导入"
    )
    assert report.value("t3.withheld_process.natural").state is State.BLANK


def test_missing_table_is_reported_once(tmp_path):
    lines = seed_lines()
    del lines[row_at(lines, "三、政府信息公开行政复议、行政诉讼情况") :]
    report, findings = imported(tmp_path, "\n".join(lines))
    assert rules(findings) == ["IMPORT-TABLE-MISSING"]
    assert findings[0].message == "原文中未找到表四（四、政府信息公开行政复议、行政诉讼情况），表四各单元格留空"


def test_2019_tables_in_a_2022_report_are_imported_and_reported(tmp_path):
    text = SEED.read_text(encoding="utf-8").replace("2020年政府信息公开年度报告", "2022年政府信息公开年度报告")
    report, findings = imported(tmp_path, text)
    assert report.year == 2022 and report.form.version == "2019"
    assert rules(findings) == ["IMPORT-VERSION"]
    assert findings[0].message.startswith("表格标签「本年新制作数量」（原文第24行）属于国办公开办函〔2019〕60号格式")
    assert "FORM-VERSION" in rules(validate(report))


def test_mixed_format_labels_are_reported(tmp_path):
    text = SUQIAN_2024.read_text(encoding="utf-8").replace("本年制发件数", "本年新制作数量")
    report, findings = imported(tmp_path, text)
    assert report.form.version == "2021"
    assert "IMPORT-VERSION" in rules(findings)
    assert "同时含有" in next(f.message for f in findings if f.rule == "IMPORT-VERSION")


def test_report_without_title_asks_for_agency_and_year(tmp_path):
    lines = seed_lines()
    lines[0], lines[2] = "", "政府信息公开情况"
    report, findings = imported(tmp_path, "\n".join(lines))
    assert rules(findings)[0] == "IMPORT-TITLE"
    assert findings[0].message == "未能从标题识别机关名称和报告年度，请在工作簿“封面”中填写机关名称和报告年度"
    assert report.year is None


def test_table_four_groups_with_their_own_labels_in_any_order(tmp_path):
    text = SUQIAN_2024.read_text(encoding="utf-8").replace(
        "行政复议：结果维持 88 | 结果纠正 18 | 其他结果 28 | 尚未审结 36 | 总计 170",
        "行政复议：总计 170 | 结果纠正 18 | 结果维持 88 | 尚未审结 36 | 其他结果 28",
    )
    report, _ = imported(tmp_path, text)
    assert [report.number(f"t4.cases.review_{c}") for c in ("upheld", "corrected", "other", "pending", "total")] == \
           [88, 18, 28, 36, 170]


# Every import rule has a variant above that raises it (and the clean fixtures raise none).
TRIGGERED_BY = {
    "IMPORT-TITLE": test_report_without_title_asks_for_agency_and_year,
    "IMPORT-VERSION": test_2019_tables_in_a_2022_report_are_imported_and_reported,
    "IMPORT-TABLE-MISSING": test_missing_table_is_reported_once,
    "IMPORT-ROW-MISSING": test_row_left_out_is_reported_by_its_statutory_name,
    "IMPORT-UNPLACED": test_row_that_matches_nothing_is_reported_with_its_values,
    "IMPORT-DUPLICATE": test_row_printed_twice_keeps_the_first_and_reports_the_second,
    "IMPORT-VALUE-COUNT": test_row_with_a_cell_missing_fails_with_a_precise_finding,
    "IMPORT-BLANK-INFERRED": test_layout_blank_cell_is_placed_by_column_position,
    "IMPORT-LABEL": test_layout_label_typos_import_and_are_reported_where_they_differ,
    "IMPORT-AMBIGUOUS": published.test_table_two_split_without_quotes_is_left_blank_and_lists_the_candidates,
    "IMPORT-SPLIT-GUESSED": published.test_a_glued_row_with_a_wrong_total_is_split_the_nearest_way_and_check_reports_it,
    "IMPORT-SPLIT-NARRATIVE": published.test_table_two_split_rests_on_the_numbers_the_narrative_quotes,
}


def test_every_import_rule_has_a_variant_that_raises_it():
    assert set(TRIGGERED_BY) == {r.id for r in IMPORT_RULES}
    assert all(r.message and r.basis for r in IMPORT_RULES)
