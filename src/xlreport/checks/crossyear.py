"""Cross-year checks and roll-forward: statutory-format.md §5.3 (R6, R7, R8) and §7.

Pure core: two Report values in, findings out; one Report in, next year's Report out.
The chains between two years are declared as data (`CrossIdentity`); a chain whose
this-year side is one cell and whose other side lies wholly in last year's report
is also what roll-forward prefills, so checking and prefilling read one declaration.

Last year's cells are named with the sheet label "上年 表三" (上年 表三!D29), so they are
never mistaken for a cell of this year's workbook; their keys start with "previous.".

The rules are declared in rules/crossyear.py; usecases.files.check_pair reads the two files.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..forms import Form, form_for_year
from ..forms.statutory import T3_COLUMNS
from ..model import BLANK, Narrative, Report, State, agency_key, describe, interpret
from ..narrative.repeats import copied_findings
from ..rules.catalog import RULES_BY_ID, finding
from ..rules.findings import CellRef, Finding
from ..workbook.names import cell_ref


@dataclass(frozen=True)
class Term:
    key: str  # statutory cell key
    previous: bool = False  # the cell is in last year's report
    sign: int = 1


@dataclass(frozen=True)
class CrossIdentity:
    """Σ left == Σ right over cells of two consecutive years, checked under `rule`."""

    rule: str
    scope: str
    left: tuple[Term, ...]
    right: tuple[Term, ...]

    @property
    def carries(self) -> bool:
        """One this-year cell defined wholly by last year's cells: roll-forward can prefill it."""
        return len(self.left) == 1 and not self.left[0].previous and all(t.previous for t in self.right)


# 2019 表二 rows with 上一年项目数量 / 本年增/减 (R7) and 2021 表二 (一) rows (R8).
_PREV_ITEM_ROWS = ("item5.licensing", "item5.other_services", "item6.penalty", "item6.enforcement", "item8.fees")
_IN_FORCE_ROWS = ("item1.regulations", "item1.normative_docs")


def cross_identities(current: Form, previous: Form) -> tuple[CrossIdentity, ...]:
    """The chains that link a report in `current` form to last year's in `previous` form (§7)."""
    out = []
    for col in T3_COLUMNS:  # both forms have both rows (§7)
        this_year = current.cell(f"t3.carried_over.{col.key}")
        out.append(
            CrossIdentity(
                "X-CARRY",
                f"表三「{this_year.column_label}」列",
                (Term(this_year.key),),
                (Term(f"t3.carried_forward.{col.key}", previous=True),),
            )
        )
    both = (current.version, previous.version)
    if both == ("2019", "2019"):
        for row in _PREV_ITEM_ROWS:
            out.append(
                CrossIdentity(
                    "X-PREV-ITEMS",
                    _t2_scope(current, row),
                    (Term(f"t2.{row}.previous_items"),),
                    (Term(f"t2.{row}.previous_items", previous=True), Term(f"t2.{row}.change", previous=True)),
                )
            )
    if both == ("2021", "2021"):
        for row in _IN_FORCE_ROWS:
            out.append(
                CrossIdentity(
                    "X-IN-FORCE",
                    _t2_scope(current, row),
                    (Term(f"t2.{row}.in_force"),),
                    (
                        Term(f"t2.{row}.in_force", previous=True),
                        Term(f"t2.{row}.issued"),
                        Term(f"t2.{row}.repealed", sign=-1),
                    ),
                )
            )
    return tuple(out)


def _t2_scope(form: Form, row: str) -> str:
    cell = next(c for c in form.cells if c.key.startswith(f"t2.{row}."))
    return f"表二「{cell.block.title}·{cell.row.label}」"


# --- findings ---------------------------------------------------------------------


def _ref(report: Report, key: str, previous: bool = False) -> CellRef:
    ref = cell_ref(report, key)
    return ref.of_previous_year() if previous else ref


class _Pair:
    """This year's and last year's reports, addressed by Term."""

    def __init__(self, current: Report, previous: Report):
        self.current, self.previous = current, previous

    def report(self, term: Term) -> Report:
        return self.previous if term.previous else self.current

    def ref(self, term: Term) -> CellRef:
        return _ref(self.report(term), term.key, term.previous)

    def sum(self, terms: tuple[Term, ...]) -> Decimal | None:
        total = Decimal(0)
        for t in terms:
            n = self.report(t).number(t.key)
            if n is None:
                return None
            total += t.sign * n
        return total

    def not_numbers(self, terms: tuple[Term, ...]) -> list[Term]:
        return [t for t in terms if not self.report(t).value(t.key).is_number]


def _year_text(report: Report) -> str:
    return f" {report.year} 年度" if report.year is not None else "（报告年度未填写或无效）"


def years_finding(current: Report, previous: Report) -> Finding | None:
    """X-YEARS: the pair must be last year and this year."""
    y, p = current.year, previous.year
    if y is not None and p is not None and y - p == 1:
        return None
    if y is None or p is None:
        hint = "请先在封面填写报告年度。"
    elif p - y == 1:
        hint = "两份文件可能放反了：--previous 后面应是上一年度的报告。"
    elif y == p:
        hint = "两份报告是同一年度的，--previous 后面应是上一年度的报告。"
    else:
        hint = f"请改用 {y - 1} 年度的报告作为上年报告。"
    refs = [_ref(current, "cover.year"), _ref(previous, "cover.year", previous=True)]
    left, right = (Decimal(y), Decimal(p)) if y is not None and p is not None else (None, None)
    return finding("X-YEARS", refs, left, right, year=_year_text(current), previous_year=_year_text(previous), hint=hint)


def same_agency(a: str, b: str) -> bool:
    """The same agency name, however it is written (model.agency_key: spaces, width, brackets)."""
    return agency_key(a) == agency_key(b)


def cross_year_findings(current: Report, previous: Report) -> list[Finding]:
    """Findings of this year's report against last year's; refused (X-YEARS only) unless consecutive."""
    refused = years_finding(current, previous)
    if refused is not None:
        return [refused]
    out: list[Finding] = []
    if current.agency and previous.agency and not same_agency(current.agency, previous.agency):
        refs = [_ref(current, "cover.agency"), _ref(previous, "cover.agency", previous=True)]
        out.append(finding("X-AGENCY", refs, agency=current.agency, previous_agency=previous.agency))
    pair = _Pair(current, previous)
    for identity in cross_identities(current.form, previous.form):
        f = _evaluate(pair, identity)
        if f is not None:
            out.append(f)
    return out + copied_findings(current, previous)


def _evaluate(pair: _Pair, identity: CrossIdentity) -> Finding | None:
    left, right = pair.sum(identity.left), pair.sum(identity.right)
    if left is not None and left == right:
        return None
    refs = [pair.ref(t) for t in identity.left + identity.right]
    if left is None or right is None:
        bad = pair.not_numbers(identity.left + identity.right)
        return finding(
            "SUM-UNCHECKED", refs, scope=identity.scope,
            parts="、".join(pair.ref(t).a1 for t in bad), rule_title=RULES_BY_ID[identity.rule].title,
        )
    terms = "、".join(r.a1 for r in refs[len(identity.left):])
    return finding(identity.rule, refs, left, right, scope=identity.scope, terms=terms)


# --- roll forward -----------------------------------------------------------------

# Cover fields that belong to one report year; every other cover field (agency, contacts) carries over.
_COVER_PER_YEAR = ("year", "form_document", "signed_on", "published_on")


def roll_forward(report: Report) -> Report:
    """Next year's report: cover carried over, 上年结转 (and 2019→2020 上一年项目数量) prefilled, all else empty.

    The new form is the one for the new year (2020 → 2021 changes format). Cells that
    could not be prefilled (blank or text last year) are reported in `read_findings`.
    Raises ValueError (Chinese message) when the report year is missing or too early.
    """
    if report.year is None:
        raise ValueError("报告年度未填写或无效，无法确定下一年度")
    year = report.year + 1
    form = form_for_year(year)
    cover = {k: v for k, v in report.cover.items() if k not in _COVER_PER_YEAR}
    cover["year"] = interpret(year)
    new = Report(
        form,
        {c.key: BLANK for c in form.cells},
        cover,
        Narrative(overview_parts=[(heading, "") for heading in form.overview_parts]),
        recorded_version=form.version,
    )
    pair = _Pair(new, report)
    for identity in cross_identities(form, report.form):
        if not identity.carries:
            continue
        (target,) = identity.left
        total = pair.sum(identity.right)
        if total is not None:
            new.values[target.key] = interpret(total)
            continue
        parts = "、".join(
            f"{pair.ref(t).a1}（{describe(report.value(t.key))}）" for t in pair.not_numbers(identity.right)
        )
        new.read_findings.append(
            finding("NEXT-NOT-CARRIED", [pair.ref(target), *(pair.ref(t) for t in identity.right)], parts=parts)
        )
    return new


def carried_keys(report: Report) -> list[str]:
    """The statutory cells of a rolled-forward report that hold a number (what was prefilled)."""
    return [c.key for c in report.form.cells if report.value(c.key).state is State.NUMBER]
