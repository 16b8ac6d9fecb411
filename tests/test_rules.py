"""Every rule: a failing and a passing case, table-driven, on in-memory reports."""

from __future__ import annotations

import pytest
from conftest import FORMS, consistent_numbers, make_report
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xlreport.checks.report import validate
from xlreport.forms import FORM_2019, FORM_2021
from xlreport.model import Narrative
from xlreport.rules.catalog import CORE_RULES
from xlreport.rules.findings import Severity


def base(form):
    return consistent_numbers(form, iter(range(1, 10_000)).__next__)


def changed(form, **changes):
    """The consistent numbers with some cells replaced; keys use __ for dots."""
    n = base(form)
    for key, value in changes.items():
        n[key.replace("__", ".")] = value
    return n


def plus(form, *keys, by=1):
    n = base(form)
    for k in keys:
        n[k] += by
    return n


# (case id, form, report builder, rule that must fire, statutory cell key that must be named)
FAILING = [
    ("flow-natural", FORM_2021, lambda f: make_report(f, plus(f, "t3.new.natural", "t3.new.total")), "T3-FLOW", "t3.new.natural"),
    ("flow-2019", FORM_2019, lambda f: make_report(f, plus(f, "t3.carried_forward.legal", "t3.carried_forward.total")), "T3-FLOW", "t3.carried_forward.legal"),
    ("result-sum", FORM_2021, lambda f: make_report(f, plus(f, "t3.granted.research", "t3.granted.total")), "T3-RESULT-SUM", "t3.result_total.research"),
    ("result-sum-other-2021", FORM_2021, lambda f: make_report(f, plus(f, "t3.other_no_fee.natural", "t3.other_no_fee.total")), "T3-RESULT-SUM", "t3.other_no_fee.natural"),
    ("result-sum-other-2019", FORM_2019, lambda f: make_report(f, plus(f, "t3.other_handling.natural", "t3.other_handling.total")), "T3-RESULT-SUM", "t3.other_handling.natural"),
    ("row-sum", FORM_2021, lambda f: make_report(f, plus(f, "t3.withheld_secret.total")), "T3-ROW-SUM", "t3.withheld_secret.total"),
    ("t4-review", FORM_2021, lambda f: make_report(f, plus(f, "t4.cases.review_total")), "T4-SUM", "t4.cases.review_total"),
    ("t4-suit", FORM_2019, lambda f: make_report(f, plus(f, "t4.cases.suit_after_review_pending")), "T4-SUM", "t4.cases.suit_after_review_pending"),
    ("unchecked", FORM_2021, lambda f: make_report(f, changed(f, t3__new__natural=None)), "SUM-UNCHECKED", "t3.new.natural"),
    ("blank", FORM_2021, lambda f: make_report(f, changed(f, t4__cases__review_upheld=None)), "CELL-BLANK", "t4.cases.review_upheld"),
    ("total-blank", FORM_2021, lambda f: make_report(f, changed(f, t3__result_total__natural=None)), "TOTAL-BLANK", "t3.result_total.natural"),
    ("text-wu", FORM_2021, lambda f: make_report(f, changed(f, t3__partial__legal="无")), "CELL-TEXT", "t3.partial.legal"),
    ("text-slash", FORM_2019, lambda f: make_report(f, changed(f, t2__item1__regulations__made="/")), "CELL-TEXT", "t2.item1.regulations.made"),
    ("text-dash", FORM_2021, lambda f: make_report(f, changed(f, t4__cases__direct_suit_other="—")), "CELL-TEXT", "t4.cases.direct_suit_other"),
    ("fullwidth", FORM_2021, lambda f: make_report(f, changed(f, t2__item5__licensing__decisions="１２")), "CELL-TEXT-NUMBER", "t2.item5.licensing.decisions"),
    ("with-unit", FORM_2021, lambda f: make_report(f, changed(f, t2__item6__penalty__decisions="12件")), "CELL-TEXT-NUMBER", "t2.item6.penalty.decisions"),
    ("negative", FORM_2021, lambda f: make_report(f, changed(f, t2__item1__regulations__issued=-1)), "CELL-NEGATIVE", "t2.item1.regulations.issued"),
    ("negative-amount", FORM_2021, lambda f: make_report(f, changed(f, t2__item8__fees__amount=-0.5)), "CELL-NEGATIVE", "t2.item8.fees.amount"),
    ("decimal-count", FORM_2021, lambda f: make_report(f, changed(f, t2__item1__normative_docs__in_force=2.5)), "CELL-NOT-INTEGER", "t2.item1.normative_docs.in_force"),
    ("decimal-delta", FORM_2019, lambda f: make_report(f, changed(f, t2__item5__licensing__change=-1.5)), "CELL-NOT-INTEGER", "t2.item5.licensing.change"),
    ("version", FORM_2019, lambda f: make_report(f, base(f), year=2024), "FORM-VERSION", None),
    ("version-2021-early", FORM_2021, lambda f: make_report(f, base(f), year=2020), "FORM-VERSION", None),
    ("year-blank", FORM_2021, lambda f: make_report(f, base(f), year=""), "COVER-YEAR", None),
    ("year-text", FORM_2021, lambda f: make_report(f, base(f), year="去年"), "COVER-YEAR", None),
    ("year-early", FORM_2021, lambda f: make_report(f, base(f), year=2015), "COVER-YEAR", None),
    ("agency", FORM_2021, lambda f: make_report(f, base(f), agency=""), "COVER-REQUIRED", None),
    ("narrative", FORM_2021, lambda f: make_report(f, base(f), narrative=Narrative()), "NARRATIVE-EMPTY", None),
    ("repeated", FORM_2021, lambda f: make_report(f, base(f), narrative=Narrative(
        overview_parts=[("（一）主动公开", SUBSTANTIVE)], problems=SUBSTANTIVE, other="无。")), "NARRATIVE-REPEATED", "narrative.problems"),
    ("date-late", FORM_2021, lambda f: make_report(f, base(f), year=2024, signed_on="2025年2月10日"), "DATE-LATE", "cover.signed_on"),
    ("date-missing", FORM_2021, lambda f: make_report(f, base(f), year=2024, signed_on=""), "DATE-INVALID", "cover.signed_on"),
]

# Two sentences of 34 and 23 counted characters: a section long enough to be judged for repetition.
SUBSTANTIVE = "本年度通过政府网站、政务新媒体等渠道主动公开政府信息1200余条，同比有所增加。围绕重点领域加强政策解读，发布图解和视频解读36篇。"

# (case id, form, report builder, rule that must stay silent)
PASSING = [
    ("delta-may-be-negative", FORM_2019, lambda f: make_report(f, changed(f, t2__item6__penalty__change=-18)), ("CELL-NEGATIVE", "CELL-NOT-INTEGER")),
    ("amount-may-have-decimals", FORM_2021, lambda f: make_report(f, changed(f, t2__item8__fees__amount=9116.36)), ("CELL-NOT-INTEGER",)),
    ("procurement-amount-2019", FORM_2019, lambda f: make_report(f, changed(f, t2__item9__procurement__amount=115.2)), ("CELL-NOT-INTEGER",)),
    ("zeros-are-numbers", FORM_2021, lambda f: make_report(f, {c.key: 0 for c in f.cells}), ("CELL-BLANK", "TOTAL-BLANK", "T3-FLOW", "SUM-UNCHECKED")),
    ("2020-uses-2019-format", FORM_2019, lambda f: make_report(f, base(f), year=2020), ("FORM-VERSION", "COVER-YEAR")),
    ("2021-uses-2021-format", FORM_2021, lambda f: make_report(f, base(f), year=2021), ("FORM-VERSION",)),
    ("year-as-text-with-nian", FORM_2021, lambda f: make_report(f, base(f), year=2025), ("COVER-YEAR",)),
    ("date-on-the-deadline", FORM_2021, lambda f: make_report(f, base(f), year=2024, signed_on="2025年1月31日"), ("DATE-LATE", "DATE-INVALID")),
    ("sections-say-different-things", FORM_2021, lambda f: make_report(f, base(f), narrative=Narrative(
        overview_parts=[("（一）主动公开", SUBSTANTIVE)],
        problems="政策解读的形式仍较单一，图解和视频解读数量偏少。下一步将丰富解读形式，提高解读的针对性和可读性，方便群众理解政策。")),
     ("NARRATIVE-REPEATED",)),
    ("overview-intro-alone", FORM_2021, lambda f: make_report(f, base(f), narrative=Narrative(overview_intro="概述", problems="问题", other="无")), ("NARRATIVE-EMPTY",)),
]

# Rules that only a file can break; their cases live in test_workbook_io.py.
FILE_LEVEL = {"NAME-MISSING", "META-MISSING", "FILL-SKIPPED"}


@pytest.mark.parametrize("case, form, build, rule, key", FAILING, ids=[c[0] for c in FAILING])
def test_rule_fires_and_names_the_cell(case, form, build, rule, key):
    findings = [f for f in validate(build(form)) if f.rule == rule]
    assert findings, f"{rule} did not fire"
    if key:
        assert any(key in {c.key for c in f.cells} for f in findings)
    for f in findings:
        assert f.message and f.cells, "every finding says what and where"


@pytest.mark.parametrize("case, form, build, rules", PASSING, ids=[c[0] for c in PASSING])
def test_rule_stays_silent_on_valid_input(case, form, build, rules):
    fired = {f.rule for f in validate(build(form))}
    assert not fired & set(rules)


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.version)
def test_a_consistent_complete_report_has_no_findings(form):
    assert validate(make_report(form, base(form))) == []


def test_every_rule_has_a_failing_and_a_passing_case():
    failing = {c[3] for c in FAILING} | FILE_LEVEL
    passing = {r for c in PASSING for r in c[3]}
    declared = {r.id for r in CORE_RULES}  # other rule families are covered in their own test modules
    assert declared <= failing, declared - failing
    # the clean report of test_a_consistent_complete_report_has_no_findings passes every rule;
    # these get a targeted passing case as well
    assert {"CELL-NEGATIVE", "CELL-NOT-INTEGER", "FORM-VERSION", "COVER-YEAR", "NARRATIVE-EMPTY"} <= passing


def test_flow_finding_carries_both_sides_and_the_difference():
    report = make_report(FORM_2021, plus(FORM_2021, "t3.new.natural", "t3.new.total", by=3))
    (f,) = [f for f in validate(report) if f.rule == "T3-FLOW" and f.cells[0].key == "t3.new.natural"]
    n = base(FORM_2021)
    assert f.left == n["t3.new.natural"] + 3 + n["t3.carried_over.natural"]
    assert f.right == n["t3.result_total.natural"] + n["t3.carried_forward.natural"]
    assert f.delta == 3
    assert "表三「自然人」列" in f.message and "相差 3" in f.message
    assert f.severity is Severity.ERROR


def test_text_read_as_number_still_takes_part_in_the_sums():
    report = make_report(FORM_2021, changed(FORM_2021, t3__new__natural=f"{base(FORM_2021)['t3.new.natural']}件"))
    assert [f.rule for f in validate(report)] == ["CELL-TEXT-NUMBER"]


def test_a_blank_is_not_a_zero():
    zeros = {c.key: 0 for c in FORM_2021.cells}
    zeros["t3.granted.natural"] = None
    rules = {f.rule for f in validate(make_report(FORM_2021, zeros))}
    assert "CELL-BLANK" in rules and "SUM-UNCHECKED" in rules
    assert "T3-RESULT-SUM" not in rules  # not silently summed as 0 either


def test_messages_name_the_cell_as_sheet_and_statutory_labels():
    report = make_report(FORM_2021, changed(FORM_2021, t3__withheld_secret__natural="无"))
    (f,) = [f for f in validate(report) if f.rule == "CELL-TEXT"]
    assert f.cells[0].name == "表三/（三）不予公开·1.属于国家秘密/自然人"
    assert "“无”" in f.message and "非负整数" in f.message


# --- properties ------------------------------------------------------------------

counts = st.integers(min_value=0, max_value=5000)


@st.composite
def consistent_reports(draw):
    form = draw(st.sampled_from(FORMS))
    return form, consistent_numbers(form, lambda: draw(counts))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports())
def test_random_consistent_reports_validate_clean(case):
    form, numbers = case
    assert validate(make_report(form, numbers)) == []


IDENTITY_COVERED = {k for f in FORMS for i in f.identities for k in i.left + i.right}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports(), st.data())
def test_any_single_cell_change_is_flagged_on_that_cell(case, data):
    form, numbers = case
    cell = data.draw(st.sampled_from(form.cells), label="cell")
    if cell.key in IDENTITY_COVERED:
        new = numbers[cell.key] + data.draw(st.integers(-50, 50).filter(bool), label="delta")
    else:  # 表二 has no identities: only a value outside its domain can be wrong
        new = data.draw(st.sampled_from(["无", None, -7 if cell.domain.value != "delta" else 1.5, "x"]), label="bad")
    numbers = dict(numbers, **{cell.key: new})
    flagged = [f for f in validate(make_report(form, numbers)) if f.severity is not Severity.INFO]
    assert any(cell.key in {c.key for c in f.cells} for f in flagged)
