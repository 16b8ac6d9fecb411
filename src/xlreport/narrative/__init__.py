"""The narrative: drafting it from the numbers, and reading numbers back out of typed text.

Both directions name the table quantities a report talks about in the same way: a
Quantity is a sum of statutory cells (one cell, or e.g. the eight 不予公开 rows of 表三),
declared here from the form so that 2019 and 2021 formats need no special cases.
Pure: no file access.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal

from ..forms import Form
from ..forms.statutory import (
    T3_PART_COLUMNS,
    T3_RESULT_FIRST,
    T3_RESULT_TOTAL,
    T4_OUTCOMES,
)
from ..model import Report
from ..rules.findings import CellRef
from ..workbook.names import cell_ref


@dataclass(frozen=True)
class Quantity:
    key: str  # stable id: "new", "withheld", "suits.upheld", "t2.regulations.issued"
    label: str  # how a sentence names it: 本年新收申请, 不予公开
    cells: tuple[str, ...]  # statutory cell keys, summed
    source: str = ""  # how several cells are named together in a message


def amount(report: Report, q: Quantity) -> Decimal | None:
    """The sum of the quantity's cells, or None when one of them is not a number (blank ≠ 0)."""
    total = Decimal(0)
    for key in q.cells:
        n = report.number(key)
        if n is None:
            return None
        total += n
    return total


def round_half_up(x: Decimal, unit: Decimal) -> Decimal:
    """x to the unit (Decimal("0.1")), keeping every integer digit: a share of 10**40 % from a
    nonsense cell must print, and the default 28-digit context would raise InvalidOperation."""
    return x.quantize(unit, ROUND_HALF_UP, Context(prec=max(28, x.adjusted() - unit.adjusted() + 2)))


def not_numbers(report: Report, q: Quantity) -> list[str]:
    return [k for k in q.cells if not report.value(k).is_number]


def result_groups(form: Form) -> list[tuple[str, tuple[str, ...]]]:
    """表三 本年度办理结果 by printed group: [("予以公开", (row keys)), …, ("其他处理", …)].

    （六）其他处理 is one row in 2019 and three in 2021; the grouping follows the declaration.
    """
    rows = form.table("t3").blocks[0].rows
    keys = [r.key for r in rows]
    groups: dict[str, list[str]] = {}
    for row in rows[keys.index(T3_RESULT_FIRST) : keys.index(T3_RESULT_TOTAL)]:
        label = row.group or row.label  # "（三）不予公开" or "（二）部分公开（区分处理的…）"
        short = label.split("）", 1)[1].split("（", 1)[0]
        groups.setdefault(short, []).append(row.key)
    return [(k, tuple(v)) for k, v in groups.items()]


def _t3(row: str, col: str = "total") -> str:
    return f"t3.{row}.{col}"


def _t4(group: str, outcome: str = "total") -> str:
    return f"t4.cases.{group}_{outcome}"


_LEGAL = tuple(c for c in T3_PART_COLUMNS if c != "natural")
_T4_LABEL = {"review": "行政复议", "direct_suit": "未经复议直接起诉的行政诉讼", "suit_after_review": "复议后起诉的行政诉讼"}
_SUIT_GROUPS = ("direct_suit", "suit_after_review")


@functools.cache
def quantities(form: Form) -> dict[str, Quantity]:
    """Every quantity a narrative quotes, for this form version."""
    qs = [
        Quantity("new", "本年新收申请", (_t3("new"),)),
        Quantity("carried_over", "上年结转申请", (_t3("carried_over"),)),
        Quantity("received_all", "收办申请（本年新收与上年结转之和）", (_t3("new"), _t3("carried_over")),
                 "表三“一、本年新收”与“二、上年结转”的总计之和"),
        Quantity("results", "办理结果总计", (_t3("result_total"),)),
        Quantity("carried_forward", "结转下年度继续办理", (_t3("carried_forward"),)),
        Quantity("natural", "本年新收申请中的自然人申请", (_t3("new", "natural"),)),
        Quantity("natural_all", "收办申请中的自然人申请", (_t3("new", "natural"), _t3("carried_over", "natural")),
                 "表三“自然人”列“一、本年新收”与“二、上年结转”之和"),
        Quantity("legal", "本年新收申请中的法人或其他组织申请", tuple(_t3("new", c) for c in _LEGAL),
                 "表三“一、本年新收”行法人或其他组织五列之和"),
        Quantity("legal_all", "收办申请中的法人或其他组织申请",
                 tuple(_t3(r, c) for r in ("new", "carried_over") for c in _LEGAL),
                 "表三“一、本年新收”“二、上年结转”两行法人或其他组织各列之和"),
    ]
    for short, rows in result_groups(form):
        source = f"表三“{short}”各项的总计之和" if len(rows) > 1 else ""
        qs.append(Quantity(short, short, tuple(_t3(r) for r in rows), source))
    qs.append(Quantity("review", "行政复议", (_t4("review"),)))
    qs.append(Quantity("suits", "行政诉讼", tuple(_t4(g) for g in _SUIT_GROUPS),
                       "表四“未经复议直接起诉”与“复议后起诉”的总计之和"))
    for g in _SUIT_GROUPS:
        qs.append(Quantity(g, _T4_LABEL[g], (_t4(g),)))
    for okey, olabel in T4_OUTCOMES:
        for g in ("review", *_SUIT_GROUPS):
            qs.append(Quantity(f"{g}.{okey}", f"{_T4_LABEL[g]}{olabel}", (_t4(g, okey),)))
        qs.append(Quantity(f"suits.{okey}", f"行政诉讼{olabel}", tuple(_t4(g, okey) for g in _SUIT_GROUPS),
                           f"表四两类行政诉讼“{olabel}”之和"))
    item1 = next(b for b in form.table("t2").blocks if b.key == "item1")
    for row in item1.rows:
        for col in item1.columns:
            qs.append(Quantity(f"t2.{row.key}.{col.key}", f"{row.label}{col.label}", (f"t2.item1.{row.key}.{col.key}",)))
    return {q.key: q for q in qs}


# --- the narrative's sections, as checks name them ------------------------------------------


@dataclass(frozen=True)
class Section:
    ref: CellRef
    name: str  # 一、总体情况·（二）依申请公开
    text: str
    heading: str = ""


def sections(report: Report) -> list[Section]:
    """Every narrative text that is not empty, in report order: 前言, 一 (导语, sub-headings), 五, 六."""
    n = report.narrative
    out = []
    for key, name, text in (
        ("narrative.preamble", "前言", n.preamble),
        ("narrative.overview", "一、总体情况", n.overview_intro),
    ):
        out.append(Section(cell_ref(report, key), name, text))
    overview = cell_ref(report, "narrative.overview")
    for i, (heading, body) in enumerate(n.overview_parts):
        loc = report.locations.get(f"narrative.overview.{i}")  # recorded by readers that know the part's cell
        ref = CellRef("narrative.overview", loc.sheet if loc else overview.sheet, loc.coord if loc else "",
                      f"{overview.name}/{heading}")
        out.append(Section(ref, f"一、总体情况·{heading}" if heading else "一、总体情况", body, heading))
    out.append(Section(cell_ref(report, "narrative.problems"), "五、存在的主要问题及改进情况", n.problems))
    out.append(Section(cell_ref(report, "narrative.other"), "六、其他需要报告的事项", n.other))
    return [s for s in out if s.text.strip()]
