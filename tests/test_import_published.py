"""Published reports as the world prints them (issue #10, parts 1–3), generated in each shape from
random consistent reports of both formats (tests/published_text.py): web text whose cells ran
together, rows delimited by "|" or tabs with empty cells at their ends, year-first titles, tables
printed with labels and no numbers. Every cell is compared with the numbers the text was made from.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import FORMS
from test_import_fixtures import CASES
from published_text import (
    delimited, glued, labels_only, narrative_quotes, random_numbers, report_text, table_lines,
)
from xlreport.cli import main
from xlreport.forms import FORM_2019, FORM_2021
from xlreport.importers import ReadError, load_report
from xlreport.model import State
from xlreport.checks.report import validate
from xlreport.rules.findings import Severity

IDENTITY_RULES = {"T3-FLOW", "T3-RESULT-SUM", "T3-ROW-SUM", "T4-SUM"}
GLUED_STYLES = {  # how the cells ran together
    "每表一行": {"space": 0.0},
    "每表一行、随机空格": {"space": 0.3},
    "每行一行": {"space": 0.0, "rows_per_line": 1},
    "每三行一行、随机空格": {"space": 0.2, "rows_per_line": 3},
}


def imported(tmp_path: Path, text: str, name: str = "report.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_report(path)


def printed_number(value) -> Decimal:
    return Decimal(str(value))


def rules(findings) -> Counter:
    return Counter(f.rule for f in findings)


# --- 1. web text whose cells ran together ---------------------------------------------------------


def glued_report(form, seed: int, space: float = 0.0, rows_per_line: int = 0):
    rng = random.Random(seed)
    numbers = random_numbers(form, rng)
    text = report_text(form, numbers, glued(rng, space, rows_per_line), overview=narrative_quotes(form, numbers, rng))
    return numbers, text


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.version)
@pytest.mark.parametrize("style", GLUED_STYLES, ids=list(GLUED_STYLES))
def test_glued_web_text_imports_each_cell_exactly_or_blank_with_ambiguous(tmp_path, form, style):
    ambiguous_rows = glued_rows = 0
    for seed in range(8):
        numbers, text = glued_report(form, seed, **GLUED_STYLES[style])
        report, findings = imported(tmp_path, text)
        assert set(rules(findings)) <= {"IMPORT-AMBIGUOUS", "IMPORT-SPLIT-NARRATIVE"}, [f.message for f in findings]
        undecided = {c.key for f in findings if f.rule == "IMPORT-AMBIGUOUS" for c in f.cells}
        for cell in form.cells:
            value = report.value(cell.key)
            if value.state is State.BLANK:  # never a guess: blank, and said so
                assert cell.key in undecided, cell.key
            else:
                assert value.number == printed_number(numbers[cell.key]), cell.key
        # the imported tables add up: whatever check finds is the blank cells, never a wrong split
        errors = {f.rule for f in validate(report) if f.severity is Severity.ERROR}
        assert errors <= {"IMPORT-AMBIGUOUS", "CELL-BLANK", "TOTAL-BLANK"}
        ambiguous_rows += rules(findings)["IMPORT-AMBIGUOUS"]
        glued_rows += sum(1 for key in ("t2", "t3", "t4") for line in table_lines(form, key, numbers) if line.values)
    assert ambiguous_rows <= 0.1 * glued_rows  # bench/bench_glued.py measures the rate


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("space", [0.0, 0.3])
def test_the_real_reports_glued_keep_every_number_or_leave_it_blank_with_a_finding(tmp_path, case, space):
    """The published reports of the fixtures (numbers typed by hand from the documents), glued: 表三
    of each, four-digit counts included, comes back whole; what is left blank is reported."""
    _, form, agency, year, printed = CASES[case]
    text = report_text(form, printed, glued(random.Random(1), space), agency=agency, year=year)
    report, findings = imported(tmp_path, text)
    assert set(rules(findings)) == {"IMPORT-AMBIGUOUS"}  # 表二 第（一）项 rows, 表四 (12 1 1 6 20 …)
    undecided = {c.key for f in findings for c in f.cells}
    for key, value in printed.items():
        got = report.value(key)
        if got.state is State.BLANK:
            assert key in undecided and not key.startswith("t3."), key
        else:
            assert got.number == Decimal(value.removesuffix("万")), key


def test_the_issues_glued_rows_import_as_printed(tmp_path):
    numbers = {c.key: 0 for c in FORM_2021.cells}
    rows = {"new": (45, 2, 47), "carried_over": (1, 0, 1), "granted": (18, 0, 18), "partial": (25, 2, 27),
            "result_total": (43, 2, 45), "carried_forward": (3, 0, 3)}
    for row, (natural, commercial, total) in rows.items():
        numbers |= {f"t3.{row}.natural": natural, f"t3.{row}.commercial": commercial, f"t3.{row}.total": total}
    numbers |= {"t4.cases.review_corrected": 1, "t4.cases.review_other": 1, "t4.cases.review_total": 2,
                "t4.cases.direct_suit_upheld": 1, "t4.cases.direct_suit_total": 1}
    text = report_text(FORM_2021, numbers, glued(random.Random(0)))
    text = text.replace("一、本年新收政府信息公开申请数量452000047", "一、本年新收政府信息公开申请数量 452000047")
    text = text.replace("（一）予以公开180000018", " （一）予以公开 180000018")
    assert ("一、本年新收政府信息公开申请数量 452000047二、上年结转政府信息公开申请数量1000001三、本年度办理结果 "
            "（一）予以公开 180000018") in text
    text = text.replace("尚未审结总计011021000100000", "尚未审结总计0 1 1 0 2 1 0 0 0 1 0 0 0 0 0")  # 表四 spaced
    report, findings = imported(tmp_path, text)
    assert findings == []
    assert all(report.number(k) == v for k, v in numbers.items())


NORMATIVE = "t2.item1.normative_docs"


def normative_report(quotes: str, t2: dict) -> str:
    numbers = {c.key: 0 for c in FORM_2021.cells} | t2
    return report_text(FORM_2021, numbers, glued(random.Random(0)), overview=quotes)


def test_table_two_split_rests_on_the_numbers_the_narrative_quotes(tmp_path):
    t2 = {f"{NORMATIVE}.issued": 64, f"{NORMATIVE}.repealed": 3, f"{NORMATIVE}.in_force": 2710}
    text = normative_report("本年度制发规范性文件64件。现行有效行政规范性文件2710件。", t2)
    assert "行政规范性文件6432710" in text
    report, findings = imported(tmp_path, text)
    assert [report.number(k) for k in t2] == [64, 3, 2710]
    (f,) = findings
    assert (f.rule, f.severity) == ("IMPORT-SPLIT-NARRATIVE", Severity.WARNING)
    assert "「行政规范性文件」的数字「6432710」可以拆成 15 种数值" in f.message
    assert "按正文“本年度制发规范性文件64件”、“现行有效行政规范性文件2710件”取 64、3、2710" in f.message
    assert [c.key for c in f.cells] == list(t2)


def test_table_two_split_without_quotes_is_left_blank_and_lists_the_candidates(tmp_path):
    t2 = {f"{NORMATIVE}.issued": 64, f"{NORMATIVE}.repealed": 3, f"{NORMATIVE}.in_force": 2710}
    report, findings = imported(tmp_path, normative_report("", t2))
    assert all(report.value(k).state is State.BLANK for k in t2)
    (f,) = findings
    assert (f.rule, f.severity) == ("IMPORT-AMBIGUOUS", Severity.ERROR)
    assert f.message.startswith("原文第6行，表二「行政规范性文件」的数字「6432710」有 15 种可能的拆分"
                                "（表二没有勾稽关系，正文也没有引用能区分它们的数字）：6、4、32710；")
    assert "64、3、2710" in f.message and "（共 15 种，只列出前 6 种）" in f.message
    assert f.message.endswith("「本年制发件数」「本年废止件数」「现行有效件数」留空，请对照原文填写")


def test_table_three_rows_that_add_up_either_way_keep_only_the_cells_they_share(tmp_path):
    # 表四 of 淮安 2024 glued: its last group "12 1 1 6 20" adds up as well as "1 2 11 6 20"
    numbers = {c.key: 0 for c in FORM_2021.cells}
    t4 = "72 64 178 37 351 13 4 8 1 26 12 1 1 6 20".split()
    numbers |= {f"t4.cases.{c.key}": int(v) for c, v in zip(FORM_2021.table("t4").blocks[0].columns, t4)}
    report, findings = imported(tmp_path, report_text(FORM_2021, numbers, glued(random.Random(0))))
    (f,) = findings
    assert f.rule == "IMPORT-AMBIGUOUS"
    assert "有 3 种拆分都满足勾稽关系" in f.message and "1、2、11、6、20" in f.message
    assert "「行政诉讼·复议后起诉·结果维持」" in f.message and "其余单元格在各种拆分中都相同，已导入" in f.message
    assert report.number("t4.cases.suit_after_review_total") == 20
    assert report.value("t4.cases.suit_after_review_upheld").state is State.BLANK


def test_a_glued_row_with_a_wrong_total_is_split_the_nearest_way_and_check_reports_it(tmp_path, capsys):
    numbers = {c.key: 0 for c in FORM_2021.cells}
    numbers |= {"t3.new.natural": 45, "t3.new.commercial": 2, "t3.new.total": 48}  # 45 + 2 ≠ 48
    numbers |= {"t3.carried_forward.natural": 45, "t3.carried_forward.commercial": 2, "t3.carried_forward.total": 47}
    path = tmp_path / "report.txt"
    path.write_text(report_text(FORM_2021, numbers, glued(random.Random(0))), encoding="utf-8")
    report, findings = load_report(path)
    (f,) = findings
    assert (f.rule, f.severity) == ("IMPORT-SPLIT-GUESSED", Severity.WARNING)
    assert "「一、本年新收政府信息公开申请数量」的数字「452000048」无论怎样拆分都不能使勾稽关系全部成立" in f.message
    assert "已按最接近的拆分导入：45、2、0、0、0、0、48" in f.message
    assert [report.number(f"t3.new.{c}") for c in ("natural", "commercial", "total")] == [45, 2, 48]
    assert main(["check", str(path), "--format", "json"]) == 1
    errors = {(f["rule"], f["cells"][0]["key"]) for f in json.loads(capsys.readouterr().out)["findings"]
              if f["severity"] == "error"}
    assert errors == {("T3-ROW-SUM", "t3.new.total"), ("T3-FLOW", "t3.new.total")}  # not hidden by the split


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.version)
def test_an_inconsistent_glued_report_never_passes_check(tmp_path, form):
    covered = sorted({k for i in form.identities for k in i.left + i.right})
    for seed in range(12):
        numbers, _ = glued_report(form, seed)
        rng = random.Random(1000 + seed)
        key = rng.choice(covered)
        numbers[key] = numbers[key] + rng.choice([1, 2, 10])
        text = report_text(form, numbers, glued(rng, rng.choice([0.0, 0.3])))
        report, findings = imported(tmp_path, text)
        errors = {f.rule for f in validate(report) if f.severity is Severity.ERROR}
        assert errors & (IDENTITY_RULES | {"IMPORT-AMBIGUOUS"}), key
        # a cell imported otherwise than printed is always in a row reported as guessed or undecided
        flagged = {c.key for f in findings if f.rule in ("IMPORT-SPLIT-GUESSED", "IMPORT-AMBIGUOUS") for c in f.cells}
        for cell in form.cells:
            number = report.number(cell.key)
            if number is not None and number != printed_number(numbers[cell.key]):
                assert cell.key in flagged, cell.key


def test_a_run_that_cannot_make_the_row_is_reported_with_its_digits(tmp_path):
    numbers = {c.key: 0 for c in FORM_2021.cells}
    text = report_text(FORM_2021, numbers, glued(random.Random(0)))
    text = text.replace("2.重复申请0000000", "2.重复申请00000")  # two cells lost in the copy
    report, findings = imported(tmp_path, text)
    (f,) = findings
    assert f.rule == "IMPORT-VALUE-COUNT"
    assert f.message == "原文第8行，表三「2.重复申请」有 5 个数值（00000），该行应有 7 个，无法确定对应的列，未导入"
    assert report.value("t3.unprocessed_repeat.natural").state is State.BLANK


def test_digits_outside_any_row_are_reported_never_dropped(tmp_path):
    numbers = {c.key: 0 for c in FORM_2021.cells}
    text = report_text(FORM_2021, numbers, glued(random.Random(0)))
    text = text.replace("（三）不予公开1.属于国家秘密", "（三）不予公开 99 1.属于国家秘密")  # after a group label
    text = text.replace("申请人情况自然人", "申请人情况 7 自然人")  # inside the header
    report, findings = imported(tmp_path, text)
    assert [(f.rule, f.message) for f in findings] == [
        ("IMPORT-UNPLACED", "原文第8行，表三「（无标签）」的数值 7 无法对应到表三的任何一行，未导入"),
        ("IMPORT-UNPLACED", "原文第8行，表三「（三）不予公开」的数值 99 无法对应到表三的任何一行，未导入"),
    ]
    assert all(report.number(k) == 0 for k in numbers)


# --- 2. delimited rows whose last cells are empty -------------------------------------------------

DELIMITERS = {"竖线": delimited(" | "), "紧贴的竖线": delimited("|"), "制表符": delimited("\t"),
              "带边框的竖线": delimited(" | ", bordered=True)}


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.version)
@pytest.mark.parametrize("style", DELIMITERS, ids=list(DELIMITERS))
def test_delimited_rows_keep_their_empty_cells_at_either_end(tmp_path, form, style):
    for seed in range(6):
        rng = random.Random(seed)
        numbers = random_numbers(form, rng)
        blank = {c.key for c in form.cells if rng.random() < 0.1}
        for line in table_lines(form, "t3", numbers)[3:]:  # every row of 表三 has some ending in blanks
            if rng.random() < 0.3:
                blank |= {f"{line.key}.{c.key}" for c in form.table("t3").blocks[0].columns[rng.randint(3, 6):]}
        if rng.random() < 0.5:
            blank |= {f"t4.cases.{c.key}" for c in form.table("t4").blocks[0].columns[12:]}
        numbers |= dict.fromkeys(blank)
        report, findings = imported(tmp_path, report_text(form, numbers, DELIMITERS[style]))
        assert findings == []
        for cell in form.cells:
            value = report.value(cell.key)
            if cell.key in blank:
                assert value.state is State.BLANK, cell.key
            else:
                assert value.number == printed_number(numbers[cell.key]), cell.key
        flagged = {f.cells[0].key for f in validate(report) if f.rule in ("CELL-BLANK", "TOTAL-BLANK")}
        assert flagged == blank


def test_the_issues_delimited_row_has_a_blank_total_that_check_reports(tmp_path, capsys):
    lines = report_text(FORM_2021, {c.key: 0 for c in FORM_2021.cells}, delimited(" | ")).split("\n")
    i = next(i for i, line in enumerate(lines) if "（一）予以公开 |" in line)
    lines[i] = "三、本年度办理结果 （一）予以公开 | 258 | 12 |  |  | 1 | 1 | "
    path = tmp_path / "report.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    report, findings = load_report(path)
    assert findings == []
    assert [report.number(f"t3.granted.{c}") for c in ("natural", "commercial", "legal", "other_org")] == [258, 12, 1, 1]
    assert report.value("t3.granted.total").state is State.BLANK
    assert main(["check", str(path), "--format", "json"]) == 1
    found = [(f["rule"], f["cells"][0]["key"]) for f in json.loads(capsys.readouterr().out)["findings"]]
    assert ("TOTAL-BLANK", "t3.granted.total") in found


# --- 3. year-first titles, tables with labels and no numbers -------------------------------------


@pytest.mark.parametrize("title, agency, year", [
    ("2022年度某某镇政府信息公开工作年度报告", "某某镇", 2022),
    ("2023年某某县人民政府政府信息公开工作年度报告", "某某县人民政府", 2023),
    ("2021年度某某市某某局政府信息公开年度报告", "某某市某某局", 2021),
    ("某某区民政局2024年度政府信息公开工作年度报告", "某某区民政局", 2024),  # agency first, as before
])
def test_titles_with_the_year_first_give_year_and_agency(tmp_path, title, agency, year):
    form = FORM_2019 if year < 2021 else FORM_2021
    text = report_text(form, random_numbers(form, random.Random(1)), delimited(" | "))
    report, findings = imported(tmp_path, title + "\n" + text.split("\n", 1)[1])
    assert (report.agency, report.year) == (agency, year)
    assert "IMPORT-TITLE" not in rules(findings)


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.version)
@pytest.mark.parametrize("render", [labels_only, delimited(" | "), glued(random.Random(0))],
                         ids=["每行一个标签", "竖线", "连在一起"])
def test_tables_printed_with_labels_and_no_numbers_import_blank(tmp_path, form, render):
    year = 2020 if form.version == "2019" else 2024
    report, findings = imported(tmp_path, report_text(form, {}, render, agency="某某镇", year=year, year_first=True))
    assert (report.agency, report.year, report.form) == ("某某镇", year, form)
    assert findings == []
    assert all(v.state is State.BLANK for v in report.values.values())
    found = rules(f for f in validate(report) if f.severity is Severity.ERROR)
    totals = sum(c.kind.value == "total" for c in form.cells)
    assert found == {"CELL-BLANK": len(form.cells) - totals, "TOTAL-BLANK": totals}


def test_a_2022_report_printed_with_the_2019_tables_and_no_numbers_is_checked_for_its_version(tmp_path, capsys):
    path = tmp_path / "report.txt"
    path.write_text(report_text(FORM_2019, {}, labels_only, agency="某某镇", year=2022, year_first=True), encoding="utf-8")
    assert main(["check", str(path), "--format", "json"]) == 1
    found = Counter(f["rule"] for f in json.loads(capsys.readouterr().out)["findings"])
    assert found["FORM-VERSION"] == 1 and found["IMPORT-VERSION"] == 1 and found["CELL-BLANK"] > 100


def test_a_table_label_without_a_title_is_still_a_report(tmp_path):
    text = "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\n二、上年结转政府信息公开申请数量\n"
    report, findings = imported(tmp_path, text)
    assert rules(findings)["IMPORT-TITLE"] == 1 and rules(findings)["IMPORT-TABLE-MISSING"] == 2


@pytest.mark.parametrize("text", [
    "关于召开会议的通知\n各单位：定于下周一召开会议。\n",
    "本报告所列数据统计期限为2024年1月1日至12月31日。\n",  # a year in a sentence is no title
])
def test_only_text_with_neither_a_title_nor_a_table_label_is_refused(tmp_path, text):
    with pytest.raises(ReadError) as exc:
        imported(tmp_path, text)
    assert str(exc.value) == ("report.txt 不像政府信息公开工作年度报告：没有“<机关名称><年份>年政府信息公开工作年度报告”"
                              "这样的标题，也没有表二、表三、表四的任何行或列标签")


def test_check_gives_the_verdict_of_each_shape(tmp_path, capsys):
    """`check REPORT`: no error where the report is consistent, errors where it has them."""
    consistent = next(text for _, text in (glued_report(FORM_2021, seed) for seed in range(40))
                      if not imported(tmp_path, text)[1])
    verdicts = {}
    for name, text in [("连在一起、一致", consistent),
                       ("带空白总计", report_text(FORM_2021, {c.key: 0 for c in FORM_2021.cells} |
                                             {"t3.new.total": None}, delimited("\t"))),
                       ("只有标签", report_text(FORM_2021, {}, labels_only))]:
        path = tmp_path / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        code = main(["check", str(path), "--format", "json"])
        found = {f["rule"] for f in json.loads(capsys.readouterr().out)["findings"] if f["severity"] == "error"}
        verdicts[name] = (code, found)
    assert verdicts["连在一起、一致"] == (0, set())
    assert verdicts["带空白总计"] == (1, {"TOTAL-BLANK"})
    assert verdicts["只有标签"] == (1, {"CELL-BLANK", "TOTAL-BLANK"})
