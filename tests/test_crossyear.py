"""Cross-year checks (statutory-format.md §5.3): every rule failing and passing, table-driven;
the 宿迁 2023 → 2024 pair hand-copied from the documents; check_pair on workbook files."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import consistent_numbers, make_report
from workbooks import HUAIAN, ZHUZHOU, edited

from xlreport.checks.crossyear import cross_year_findings, roll_forward
from xlreport.forms import FORM_2019, FORM_2021
from xlreport.rules.crossyear import CROSS_YEAR_RULES
from xlreport.rules.findings import Severity
from xlreport.usecases.files import check_pair
from xlreport.workbook.export import write_report_workbook
from xlreport.workbook.reader import read_report

T3_COLUMNS = ("natural", "commercial", "research", "nonprofit", "legal", "other_org", "total")
T4_COLUMNS = tuple(f"{g}_{o}" for g in ("review", "direct_suit", "suit_after_review")
                   for o in ("upheld", "corrected", "other", "pending", "total"))


def linked_pair(prev_form, cur_form):
    """Two reports of consecutive years whose chains hold; numbers set here by hand."""
    prev = consistent_numbers(prev_form, iter(range(1, 10_000)).__next__)
    cur = consistent_numbers(cur_form, iter(range(50, 10_000)).__next__)
    for c in T3_COLUMNS:
        cur[f"t3.carried_over.{c}"] = prev[f"t3.carried_forward.{c}"]
    if (prev_form.version, cur_form.version) == ("2019", "2019"):
        for row in ("item5.licensing", "item5.other_services", "item6.penalty", "item6.enforcement", "item8.fees"):
            cur[f"t2.{row}.previous_items"] = prev[f"t2.{row}.previous_items"] + prev[f"t2.{row}.change"]
    if (prev_form.version, cur_form.version) == ("2021", "2021"):
        for row in ("item1.regulations", "item1.normative_docs"):
            cur[f"t2.{row}.in_force"] = prev[f"t2.{row}.in_force"] + cur[f"t2.{row}.issued"] - cur[f"t2.{row}.repealed"]
    return prev, cur


def pair(prev_form=FORM_2021, cur_form=FORM_2021, prev_year=2023, prev_changes=None, cur_changes=None,
         cur_year=None, prev_agency="某某市某某局", cur_agency="某某市某某局", prev_problems=None, cur_problems=None):
    prev, cur = linked_pair(prev_form, cur_form)
    prev.update(prev_changes or {})
    cur.update(cur_changes or {})
    previous = make_report(prev_form, prev, year=prev_year, agency=prev_agency)
    current = make_report(cur_form, cur, year=prev_year + 1 if cur_year is None else cur_year, agency=cur_agency)
    for report, problems in ((previous, prev_problems), (current, cur_problems)):
        if problems is not None:
            report.narrative.problems = problems
    return current, previous


# 五 of two years: 3 sentences of 24, 18 and 16 counted characters; the second year changes only the year.
PROBLEMS_2023 = "2023年政务公开工作取得一定成效，但与群众期待仍有差距。政策解读的形式较为单一，图解和视频偏少。依申请公开答复文书仍需进一步规范。"
PROBLEMS_2024 = PROBLEMS_2023.replace("2023年", "2024年")


# (case id, pair builder, rule, this year's cell key named first, left, right)
FAILING = [
    ("carry-natural", lambda: pair(prev_changes={"t3.carried_forward.natural": 7}, cur_changes={"t3.carried_over.natural": 5}),
     "X-CARRY", "t3.carried_over.natural", 5, 7),
    ("carry-total-column", lambda: pair(FORM_2019, FORM_2019, 2019, {"t3.carried_forward.total": 12}, {"t3.carried_over.total": 13}),
     "X-CARRY", "t3.carried_over.total", 13, 12),
    ("carry-across-format-change", lambda: pair(FORM_2019, FORM_2021, 2020, {"t3.carried_forward.legal": 3}, {"t3.carried_over.legal": 0}),
     "X-CARRY", "t3.carried_over.legal", 0, 3),
    ("prev-items-licensing", lambda: pair(FORM_2019, FORM_2019, 2019,
                                          {"t2.item5.licensing.previous_items": 396, "t2.item5.licensing.change": 4},
                                          {"t2.item5.licensing.previous_items": 396}),
     "X-PREV-ITEMS", "t2.item5.licensing.previous_items", 396, 400),
    ("prev-items-negative-change", lambda: pair(FORM_2019, FORM_2019, 2019,
                                                {"t2.item8.fees.previous_items": 35, "t2.item8.fees.change": -15},
                                                {"t2.item8.fees.previous_items": 35}),
     "X-PREV-ITEMS", "t2.item8.fees.previous_items", 35, 20),
    ("in-force-regulations", lambda: pair(prev_changes={"t2.item1.regulations.in_force": 11},
                                          cur_changes={"t2.item1.regulations.issued": 2, "t2.item1.regulations.repealed": 1,
                                                       "t2.item1.regulations.in_force": 13}),
     "X-IN-FORCE", "t2.item1.regulations.in_force", 13, 12),
    ("in-force-normative", lambda: pair(prev_changes={"t2.item1.normative_docs.in_force": 597},
                                        cur_changes={"t2.item1.normative_docs.issued": 50, "t2.item1.normative_docs.repealed": 227,
                                                     "t2.item1.normative_docs.in_force": 400}),
     "X-IN-FORCE", "t2.item1.normative_docs.in_force", 400, 420),
    ("years-gap", lambda: pair(cur_year=2025), "X-YEARS", "cover.year", 2025, 2023),
    ("years-same", lambda: pair(cur_year=2023), "X-YEARS", "cover.year", 2023, 2023),
    ("years-swapped", lambda: pair(cur_year=2022), "X-YEARS", "cover.year", 2022, 2023),
    ("years-missing", lambda: pair(cur_year=""), "X-YEARS", "cover.year", None, None),
    ("agency", lambda: pair(cur_agency="某某市另一局"), "X-AGENCY", "cover.agency", None, None),
    ("carry-blank-last-year", lambda: pair(prev_changes={"t3.carried_forward.natural": None}),
     "SUM-UNCHECKED", "t3.carried_over.natural", None, None),
    ("copied-narrative", lambda: pair(prev_problems=PROBLEMS_2023, cur_problems=PROBLEMS_2024),
     "X-COPIED", "narrative.problems", 100, 50),
]

# (case id, pair builder, rules that must stay silent)
PASSING = [
    ("linked-2021", lambda: pair(), ("X-CARRY", "X-IN-FORCE", "X-YEARS", "X-AGENCY", "SUM-UNCHECKED")),
    ("linked-2019", lambda: pair(FORM_2019, FORM_2019, 2019), ("X-CARRY", "X-PREV-ITEMS", "X-YEARS", "SUM-UNCHECKED")),
    ("linked-across-format-change", lambda: pair(FORM_2019, FORM_2021, 2020), ("X-CARRY", "X-YEARS", "SUM-UNCHECKED")),
    # No 表二 chain across the format change (§7): wildly different 表二 numbers are not compared.
    ("no-t2-chain-2020-2021", lambda: pair(FORM_2019, FORM_2021, 2020, {"t2.item5.licensing.previous_items": 1},
                                           {"t2.item1.regulations.in_force": 999}), ("X-PREV-ITEMS", "X-IN-FORCE")),
    # R7 evidence (§5.3, the S9 2019 → 2020 reports): 396+0 → 396, 10+0 → 10, 2648+0 → 2648, 126+0 → 126, 35+0 → 35.
    ("prev-items-s9-2019-2020", lambda: pair(FORM_2019, FORM_2019, 2019, {
        "t2.item5.licensing.previous_items": 396, "t2.item5.licensing.change": 0,
        "t2.item5.other_services.previous_items": 10, "t2.item5.other_services.change": 0,
        "t2.item6.penalty.previous_items": 2648, "t2.item6.penalty.change": 0,
        "t2.item6.enforcement.previous_items": 126, "t2.item6.enforcement.change": 0,
        "t2.item8.fees.previous_items": 35, "t2.item8.fees.change": 0,
    }, {
        "t2.item5.licensing.previous_items": 396, "t2.item5.other_services.previous_items": 10,
        "t2.item6.penalty.previous_items": 2648, "t2.item6.penalty.change": -18,
        "t2.item6.enforcement.previous_items": 126, "t2.item8.fees.previous_items": 35, "t2.item8.fees.change": -15,
    }), ("X-PREV-ITEMS",)),
    ("agency-spacing", lambda: pair(prev_agency="某某市 某某局"), ("X-AGENCY",)),
    ("agency-width-and-brackets", lambda: pair(cur_agency="某某市（开发区）某某局", prev_agency="某某市【开发区】 某某局"), ("X-AGENCY",)),
    ("narrative-rewritten", lambda: pair(prev_problems=PROBLEMS_2023,
                                         cur_problems="2024年政府网站改版后栏目调整较多，部分信息未及时迁移。依申请公开办理平台尚未与档案系统对接。"),
     ("X-COPIED",)),
    ("agency-blank-last-year", lambda: pair(prev_agency=""), ("X-AGENCY",)),
]


@pytest.mark.parametrize("case, build, rule, key, left, right", FAILING, ids=[c[0] for c in FAILING])
def test_cross_year_rule_fires_on_this_years_cell(case, build, rule, key, left, right):
    current, previous = build()
    found = [f for f in cross_year_findings(current, previous) if f.rule == rule]
    assert len(found) == 1, found
    (f,) = found
    assert f.cells[0].key == key and not f.cells[0].sheet.startswith("上年")
    assert any(c.sheet.startswith("上年 ") and c.key.startswith("previous.") for c in f.cells), "last year's cell is named"
    assert f.left == (None if left is None else Decimal(left))
    assert f.right == (None if right is None else Decimal(right))
    if left is not None:
        assert f.delta == Decimal(left) - Decimal(right)
        assert f"相差 {abs(left - right)}" in f.message or rule in ("X-YEARS", "X-COPIED")


@pytest.mark.parametrize("case, build, rules", PASSING, ids=[c[0] for c in PASSING])
def test_cross_year_rule_stays_silent_on_linked_years(case, build, rules):
    current, previous = build()
    fired = {f.rule for f in cross_year_findings(current, previous)}
    assert not fired & set(rules), fired


def test_every_cross_year_rule_has_a_failing_and_a_passing_case():
    declared = {r.id for r in CROSS_YEAR_RULES} - {"NEXT-NOT-CARRIED"}  # roll-forward: tests/test_next.py
    assert declared <= {c[2] for c in FAILING}
    assert declared <= {r for c in PASSING for r in c[2]}


@pytest.mark.parametrize("rule, severity", [
    ("X-YEARS", Severity.ERROR), ("X-CARRY", Severity.ERROR),
    ("X-PREV-ITEMS", Severity.WARNING), ("X-IN-FORCE", Severity.WARNING), ("X-AGENCY", Severity.WARNING),
])
def test_only_the_logically_necessary_chains_are_errors(rule, severity):
    assert {r.id: r.severity for r in CROSS_YEAR_RULES}[rule] is severity


def test_in_force_warning_says_documents_also_lapse():
    current, previous = next(c[1] for c in FAILING if c[0] == "in-force-regulations")()
    (f,) = [f for f in cross_year_findings(current, previous) if f.rule == "X-IN-FORCE"]
    assert "失效" in f.message and "提醒" in f.message


def test_a_non_consecutive_pair_is_refused_before_any_comparison():
    current, previous = pair(cur_year=2025, cur_changes={"t3.carried_over.natural": 999_999})
    (f,) = cross_year_findings(current, previous)
    assert f.rule == "X-YEARS" and f.severity is Severity.ERROR
    assert "2025 年度" in f.message and "2023 年度" in f.message and "不是相邻" in f.message


def test_a_swapped_pair_is_explained():
    (f,) = cross_year_findings(*reversed(pair()))
    assert "放反" in f.message


def test_carry_checks_all_seven_columns():
    changes = {f"t3.carried_over.{c}": 10_000 + i for i, c in enumerate(T3_COLUMNS)}
    findings = [f for f in cross_year_findings(*pair(cur_changes=changes)) if f.rule == "X-CARRY"]
    assert [f.cells[0].key for f in findings] == [f"t3.carried_over.{c}" for c in T3_COLUMNS]
    assert "表三「法人或其他组织·商业企业」列" in findings[1].message


# --- 宿迁市 2023 → 2024, hand-copied from fixtures/real-reports/2023_suqian_shi.txt and 2024_suqian_shi.txt ---

SUQIAN_T3_ROWS = (
    "new", "carried_over", "granted", "partial",
    "withheld_secret", "withheld_law", "withheld_safety", "withheld_third_party",
    "withheld_internal", "withheld_process", "withheld_enforcement", "withheld_inquiry",
    "unavailable_not_held", "unavailable_needs_creation", "unavailable_unclear",
    "unprocessed_petition", "unprocessed_repeat", "unprocessed_publication", "unprocessed_abusive",
    "unprocessed_confirmation", "other_no_correction", "other_no_fee", "other_other",
    "result_total", "carried_forward",
)
SUQIAN = {
    2023: {
        "t2": {"item1.regulations": (2, 0, 11), "item1.normative_docs": (109, 489, 597),
               "item5.licensing": (1808595,), "item6.penalty": (2822652,), "item6.enforcement": (20163,),
               "item8.fees": (59237.2449,)},
        "t3": (
            (3402, 99, 0, 4, 5, 1, 3511), (91, 3, 0, 0, 2, 0, 96), (1175, 12, 0, 3, 1, 0, 1191), (319, 7, 0, 0, 2, 0, 328),
            (0, 0, 0, 0, 0, 0, 0), (27, 0, 0, 0, 0, 0, 27), (6, 0, 0, 0, 0, 0, 6), (38, 0, 0, 0, 0, 0, 38),
            (20, 0, 0, 0, 0, 0, 20), (9, 0, 0, 0, 0, 0, 9), (21, 0, 0, 0, 0, 0, 21), (20, 1, 0, 0, 0, 0, 21),
            (968, 74, 0, 1, 3, 1, 1047), (26, 2, 0, 0, 0, 0, 28), (3, 0, 0, 0, 0, 0, 3),
            (305, 0, 0, 0, 0, 0, 305), (39, 0, 0, 0, 0, 0, 39), (0, 0, 0, 0, 0, 0, 0), (58, 0, 0, 0, 0, 0, 58),
            (4, 0, 0, 0, 0, 0, 4), (40, 0, 0, 0, 0, 0, 40), (10, 0, 0, 0, 0, 0, 10), (287, 3, 0, 0, 1, 0, 291),
            (3375, 99, 0, 4, 7, 1, 3486), (118, 3, 0, 0, 0, 0, 121),
        ),
        "t4": (309, 17, 88, 26, 440, 1, 1, 16, 6, 24, 13, 0, 67, 9, 89),
    },
    2024: {
        "t2": {"item1.regulations": (2, 1, 12), "item1.normative_docs": (50, 227, 420),
               "item5.licensing": (1573179,), "item6.penalty": (2676474,), "item6.enforcement": (29351,),
               "item8.fees": (72701.2578,)},
        "t3": (
            (3440, 75, 0, 1, 6, 3, 3525), (118, 3, 0, 0, 0, 0, 121), (1408, 21, 0, 0, 2, 0, 1431), (462, 9, 0, 0, 0, 0, 471),
            (2, 0, 0, 0, 0, 0, 2), (1, 0, 0, 0, 0, 0, 1), (4, 0, 0, 0, 0, 0, 4), (16, 1, 0, 0, 0, 0, 17),
            (21, 0, 0, 0, 0, 0, 21), (10, 1, 0, 0, 0, 0, 11), (21, 2, 0, 0, 0, 0, 23), (13, 0, 0, 0, 0, 0, 13),
            (859, 33, 0, 0, 3, 2, 897), (35, 1, 0, 0, 0, 0, 36), (8, 0, 0, 0, 0, 0, 8),
            (86, 1, 0, 0, 0, 0, 87), (26, 1, 0, 0, 0, 0, 27), (0, 0, 0, 0, 0, 0, 0), (3, 0, 0, 0, 0, 0, 3),
            (0, 0, 0, 0, 0, 0, 0), (75, 1, 0, 1, 0, 0, 77), (38, 0, 0, 0, 0, 0, 38), (352, 2, 0, 0, 0, 0, 354),
            (3440, 73, 0, 1, 5, 2, 3521), (118, 5, 0, 0, 1, 1, 125),
        ),
        "t4": (88, 18, 28, 36, 170, 7, 0, 11, 7, 25, 33, 0, 6, 13, 52),
    },
}


def suqian(year, **changes):
    data = SUQIAN[year]
    n = {}
    for row, values in data["t2"].items():
        block = next(b for b in FORM_2021.table("t2").blocks if b.key == row.split(".")[0])
        n.update({f"t2.{row}.{c.key}": v for c, v in zip(block.columns, values, strict=True)})
    for row, values in zip(SUQIAN_T3_ROWS, data["t3"], strict=True):
        n.update({f"t3.{row}.{c}": v for c, v in zip(T3_COLUMNS, values, strict=True)})
    n.update({f"t4.cases.{c}": v for c, v in zip(T4_COLUMNS, data["t4"], strict=True)})
    n.update({k.replace("__", "."): v for k, v in changes.items()})
    return make_report(FORM_2021, n, year=year, agency="宿迁市")


def test_suqian_2024_carries_2023_over_and_keeps_its_in_force_chain():
    # 2023 结转下年度 118/3/0/0/0/0/121 = 2024 上年结转; R8: 11+2−1 = 12, 597+50−227 = 420 (§5.3).
    assert cross_year_findings(suqian(2024), suqian(2023)) == []


@pytest.mark.parametrize("changes, rule, key, left, right", [
    ({"t3__carried_over__total": 120}, "X-CARRY", "t3.carried_over.total", 120, 121),
    ({"t2__item1__regulations__repealed": 0}, "X-IN-FORCE", "t2.item1.regulations.in_force", 12, 13),
    ({"t2__item1__normative_docs__issued": 49}, "X-IN-FORCE", "t2.item1.normative_docs.in_force", 420, 419),
])
def test_suqian_pair_with_one_number_changed_is_flagged(changes, rule, key, left, right):
    (f,) = cross_year_findings(suqian(2024, **changes), suqian(2023))
    assert (f.rule, f.cells[0].key, f.left, f.right) == (rule, key, left, right)


# --- files ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def huaian_2025(tmp_path_factory):
    """淮安 2025 rolled forward from the 2024 example: a real this-year/last-year pair of files."""
    return write_report_workbook(roll_forward(read_report(HUAIAN)), tmp_path_factory.mktemp("next") / "2025.xlsx")


def test_check_pair_on_files_adds_cross_year_findings_to_the_files_own(huaian_2025):
    report, findings = check_pair(huaian_2025, HUAIAN)
    assert report.year == 2025
    rules = {f.rule for f in findings}
    assert "CELL-BLANK" in rules  # this year's own validation is included
    assert not {r for r in rules if r.startswith("X-")}


def test_check_pair_names_this_years_and_last_years_cells(huaian_2025, tmp_path):
    # 淮安 2024 结转下年度·自然人 = 103 (表三!D29); this year's 上年结转·自然人 (表三!D6) typed as 100.
    changed = edited(huaian_2025, tmp_path / "2025b.xlsx", XR_T3_CARRIED_OVER_NATURAL=100)
    _, findings = check_pair(changed, HUAIAN)
    (f,) = [f for f in findings if f.rule == "X-CARRY"]
    assert [c.a1 for c in f.cells] == ["表三!D6", "上年 表三!D29"]
    assert (f.left, f.right, f.delta) == (100, 103, -3)
    assert "表三!D6" in f.message and "上年 表三!D29" in f.message and "相差 3" in f.message


def test_check_pair_refuses_years_that_are_not_consecutive():
    _, findings = check_pair(ZHUZHOU, HUAIAN)
    (f,) = [f for f in findings if f.rule.startswith("X-")]
    assert f.rule == "X-YEARS" and "2020 年度" in f.message and "2024 年度" in f.message
