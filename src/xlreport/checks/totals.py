"""Fill totals: every total cell computed from its parts, with Decimal.

The sums are the identities declared with the form (a single total cell on
the left); a total whose parts are not all numbers is left alone and reported.
"""

from __future__ import annotations

from decimal import Decimal

from ..forms import Kind
from ..model import Report
from ..rules.catalog import finding
from ..rules.findings import Finding
from ..workbook.names import cell_ref


def compute_totals(report: Report) -> tuple[dict[str, Decimal], list[Finding]]:
    """Return {total cell key: value} for every computable total, and findings for the rest."""
    form = report.form
    is_total = {c.key for c in form.cells if c.kind is Kind.TOTAL}
    definitions: dict[str, list[tuple[str, ...]]] = {}
    for identity in form.identities:
        if len(identity.left) == 1 and identity.left[0] in is_total:
            definitions.setdefault(identity.left[0], []).append(identity.right)

    known: dict[str, Decimal] = {
        c.key: report.number(c.key) for c in form.cells if c.kind is Kind.INPUT and report.number(c.key) is not None
    }
    totals: dict[str, Decimal] = {}
    progress = True
    while progress:  # totals of totals (（七）总计 × 总计) resolve on a later pass
        progress = False
        for key, candidates in definitions.items():
            if key in totals:
                continue
            for parts in candidates:
                if all(p in known for p in parts):
                    totals[key] = known[key] = sum((known[p] for p in parts), Decimal(0))
                    progress = True
                    break

    findings = []
    for key in definitions:
        if key not in totals:
            bad = sorted(_blocking_inputs(key, definitions, known), key=_order(report))
            refs = [cell_ref(report, k) for k in bad]
            findings.append(finding("FILL-SKIPPED", [cell_ref(report, key), *refs], parts="、".join(r.a1 for r in refs)))
    return totals, findings


def changed_totals(report: Report, totals: dict[str, Decimal]) -> dict[str, Decimal]:
    """The totals that differ from what the cell holds (a number typed as text counts as different)."""
    return {k: v for k, v in totals.items() if report.number(k) != v or report.value(k).interpreted}


def _blocking_inputs(key: str, definitions, known) -> set[str]:
    """The input cells that keep a total from being computed (through totals of totals)."""
    out: set[str] = set()
    for part in definitions[key][0]:
        if part in known:
            continue
        out |= _blocking_inputs(part, definitions, known) if part in definitions else {part}
    return out


def _order(report: Report):
    index = {c.key: i for i, c in enumerate(report.form.cells)}
    return lambda key: index.get(key, 0)
