"""Single-workbook validation: §5.1, §5.2 and §5.5 of statutory-format.md.

Pure: a Report in, findings out. Never raises for bad data.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache

from ..forms import DOMAIN_TEXT, Domain, Identity, Kind, form_for_year
from ..model import BLANK, Report, State, Value, describe, format_number
from ..rules.catalog import RULES_BY_ID, finding
from ..rules.findings import Finding
from ..workbook.names import cell_ref
from .timeliness import FIRST_YEAR, timeliness_findings



def text_findings(report: Report) -> list[Finding]:
    """Numbers typed in the narrative against the table cells (TXT-*, §5.4)."""
    from ..narrative.textcheck import text_findings as check_text

    return check_text(report)


def repeated_findings(report: Report) -> list[Finding]:
    """A section of the narrative that mostly repeats another (NARRATIVE-REPEATED)."""
    from ..narrative.repeats import repeated_findings as repeated

    return repeated(report)


def validate(report: Report) -> list[Finding]:
    out: list[Finding] = list(report.read_findings)
    out += check_cover(report)
    out += check_cells(report)
    out += check_identities(report)
    out += timeliness_findings(report)
    out += check_narrative(report)
    out += repeated_findings(report)
    out += text_findings(report)
    return out


def check_cover(report: Report) -> Iterator[Finding]:
    if not report.agency:
        yield finding("COVER-REQUIRED", [cell_ref(report, "cover.agency")])
    year_value = report.cover.get("year")
    year = report.year
    ref = cell_ref(report, "cover.year")
    if year is None:
        problem = "为空" if year_value is None or year_value.state is State.BLANK else f"填写的是{describe(year_value)}"
        yield finding("COVER-YEAR", [ref], problem=problem)
        return
    if year < FIRST_YEAR:
        yield finding("COVER-YEAR", [ref], problem=f"为 {year} 年，早于统一格式")
        return
    expected = form_for_year(year)
    if expected.version != report.form.version:
        yield finding(
            "FORM-VERSION",
            [ref],
            year=year,
            expected=expected.document,
            actual=report.form.document,
        )


@lru_cache(maxsize=None)  # one per format version
def _cell_domains(form) -> tuple[tuple[str, Domain, bool], ...]:
    """(key, domain, is a total) of every statutory cell, looked up once rather than per check."""
    return tuple((c.key, c.domain, c.kind is Kind.TOTAL) for c in form.cells)


def check_cells(report: Report) -> Iterator[Finding]:
    values = report.values
    for key, domain, is_total in _cell_domains(report.form):
        value = values.get(key, BLANK)
        n = value.number
        if n is not None and not value.interpreted and n >= 0 and (domain is Domain.AMOUNT or n == n.to_integral()):
            continue  # the common case, without a generator per cell
        yield from check_value(report, key, value, domain, is_total)


def check_value(report: Report, key: str, value: Value, domain: Domain, is_total: bool = False) -> Iterator[Finding]:
    if value.state is State.NUMBER and not value.interpreted:
        n = value.number
        if (n >= 0 or domain is Domain.DELTA) and (domain is Domain.AMOUNT or n == n.to_integral()):
            return  # the common case, decided without building a cell reference
    ref = cell_ref(report, key)
    if value.state is State.BLANK:
        yield finding("TOTAL-BLANK" if is_total else "CELL-BLANK", [ref])
        return
    if value.state is State.TEXT:
        yield finding("CELL-TEXT", [ref], value=describe(value), domain=DOMAIN_TEXT[domain])
        return
    n = value.number
    if value.interpreted:
        yield finding("CELL-TEXT-NUMBER", [ref], value=f"“{value.raw}”", number=format_number(n), how=value.interpreted)
    if n < 0 and domain is not Domain.DELTA:
        yield finding("CELL-NEGATIVE", [ref], number=format_number(n), domain=DOMAIN_TEXT[domain])
    if domain is not Domain.AMOUNT and n != n.to_integral():
        yield finding("CELL-NOT-INTEGER", [ref], number=format_number(n))


def _sum(values: dict[str, Value], keys: tuple[str, ...]) -> Decimal | None:
    total = Decimal(0)
    for key in keys:
        v = values.get(key)
        if v is None or v.number is None:
            return None
        total += v.number
    return total


def evaluate_identity(report: Report, identity: Identity) -> Finding | None:
    left, right = _sum(report.values, identity.left), _sum(report.values, identity.right)
    if left == right and left is not None:
        return None
    refs = [cell_ref(report, k) for k in identity.left + identity.right]
    if left is None or right is None:
        bad = [r for r in refs if not report.value(r.key).is_number]
        return finding(
            "SUM-UNCHECKED",
            refs,
            scope=identity.scope,
            parts="、".join(r.a1 for r in bad),
            rule_title=RULES_BY_ID[identity.rule].title,
        )
    return finding(identity.rule, refs, left, right, scope=identity.scope)


def check_identities(report: Report) -> Iterator[Finding]:
    for identity in report.form.identities:
        f = evaluate_identity(report, identity)
        if f is not None:
            yield f


def check_narrative(report: Report) -> Iterator[Finding]:
    n = report.narrative
    overview = n.overview_intro.strip() or any(text.strip() for _, text in n.overview_parts)
    sections = (
        ("narrative.overview", "一、总体情况", overview),
        ("narrative.problems", "五、存在的主要问题及改进情况", n.problems.strip()),
        ("narrative.other", "六、其他需要报告的事项", n.other.strip()),
    )
    for key, section, text in sections:
        if not text:
            yield finding("NARRATIVE-EMPTY", [cell_ref(report, key)], section=section)
    for key, value, domain in (
        ("narrative.fee_amount", n.fee_amount, Domain.AMOUNT),
        ("narrative.fee_count", n.fee_count, Domain.COUNT),
    ):
        if value.state is not State.BLANK:  # optional fields
            yield from check_value(report, key, value, domain)

