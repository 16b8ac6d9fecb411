"""Shared test helpers: in-memory reports built independently of the code under test."""

from __future__ import annotations

from pathlib import Path

import pytest

from xlreport.forms import FORM_2019, FORM_2021
from xlreport.model import Narrative, Report, interpret, text_value

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
REAL_REPORTS = FIXTURES / "real-reports"
SEED = REAL_REPORTS / "2020_zhuzhou_xingzheng_shenpi.txt"  # the report this project started from
FORMS = [FORM_2019, FORM_2021]
YEAR = {"2019": 2020, "2021": 2024}

T3_PARTS = ("natural", "commercial", "research", "nonprofit", "legal", "other_org")


def t3_rows(form):
    return [r.key for r in form.table("t3").blocks[0].rows]


def t3_result_rows(form):
    rows = t3_rows(form)
    return rows[rows.index("granted") : rows.index("result_total")]


def consistent_numbers(form, pick) -> dict[str, int]:
    """Numbers for every statutory cell that satisfy R1–R4, computed here by hand.

    `pick()` returns a non-negative int (random in property tests, fixed in others).
    """
    n: dict[str, int] = {}
    for cell in form.cells:
        if cell.table.key == "t2":
            n[cell.key] = pick()
    for c in T3_PARTS:
        for r in t3_result_rows(form):
            n[f"t3.{r}.{c}"] = pick()
        result_total = sum(n[f"t3.{r}.{c}"] for r in t3_result_rows(form))
        n[f"t3.result_total.{c}"] = result_total
        n[f"t3.carried_forward.{c}"] = pick()
        n[f"t3.carried_over.{c}"] = min(pick(), result_total + n[f"t3.carried_forward.{c}"])
        n[f"t3.new.{c}"] = result_total + n[f"t3.carried_forward.{c}"] - n[f"t3.carried_over.{c}"]
    for r in t3_rows(form):
        n[f"t3.{r}.total"] = sum(n[f"t3.{r}.{c}"] for c in T3_PARTS)
    for g in ("review", "direct_suit", "suit_after_review"):
        parts = [pick() for _ in range(4)]
        for o, v in zip(("upheld", "corrected", "other", "pending"), parts):
            n[f"t4.cases.{g}_{o}"] = v
        n[f"t4.cases.{g}_total"] = sum(parts)
    assert set(n) == {c.key for c in form.cells}
    return n


def full_narrative() -> Narrative:
    return Narrative(
        overview_parts=[("（一）主动公开", "全年主动公开政府信息 120 条。")],
        problems="存在的问题：政策解读形式单一。改进措施：丰富解读形式。",
        other="本年度未收取信息处理费。",
    )


def make_report(form, numbers: dict[str, object], *, year=None, agency="某某市某某局", narrative=None,
                signed_on=None) -> Report:
    """A report of `agency`; signed on 20 January of the next year unless `signed_on` says otherwise."""
    values = {c.key: interpret(numbers.get(c.key), c.unit) for c in form.cells}
    year = YEAR[form.version] if year is None else year
    if signed_on is None and isinstance(year, int):
        signed_on = f"{year + 1}年1月20日"
    cover = {"agency": text_value(agency), "year": interpret(year), "signed_on": text_value(signed_on)}
    return Report(form, values, cover, narrative if narrative is not None else full_narrative(), recorded_version=form.version)


@pytest.fixture(params=FORMS, ids=lambda f: f.version)
def form(request):
    return request.param
