"""What the ribbon and the command line do, on files: load any report, check it (alone or against last year), fill it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..checks.crossyear import cross_year_findings
from ..checks.report import validate
from ..checks.totals import changed_totals, compute_totals
from ..model import Report
from ..rules.findings import Finding
from ..workbook.reader import read_report
from ..workbook.safezip import ReadError
from ..workbook.writer import backup, write_named_values


def load_any(path: str | Path, engine: str = "calamine") -> Report:
    """A standard workbook, or a published report (text, HTML, .docx, PDF) through the importer."""
    from ..importers import load_report

    report, _ = load_report(path, engine)  # the import findings are also in report.read_findings
    return report


def check_file(path: str | Path, engine: str = "calamine") -> tuple[Report, list[Finding]]:
    report = load_any(path, engine)
    return report, validate(report)


@dataclass
class FillResult:
    output: Path
    written: dict[str, Decimal]  # total cell key → value written
    findings: list[Finding]
    backup: Path | None = None
    unchanged: list[str] = field(default_factory=list)


def fill_file(path: str | Path, output: str | Path | None = None, keep_backup: bool = True) -> FillResult:
    """Compute totals and write only total cells; in place (with a backup) unless output is given."""
    src = Path(path)
    report = read_report(src)
    if report.read_findings:
        errors = "；".join(f.message for f in report.read_findings if f.rule == "NAME-MISSING")
        if errors:
            raise ReadError(f"工作簿结构不完整，未填充合计：{errors}")
    totals, findings = compute_totals(report)
    changed = changed_totals(report, totals)
    dst = Path(output) if output else src
    in_place = dst.resolve() == src.resolve()
    saved = None
    if changed or not in_place:
        if in_place and keep_backup:
            saved = backup(src)
        by_name = {report.form.cell(k).defined_name: v for k, v in changed.items()}
        write_named_values(src, dst, by_name)
    return FillResult(dst, changed, findings, saved, sorted(set(totals) - set(changed)))


def check_pair(path: str | Path, previous_path: str | Path) -> tuple[Report, list[Finding]]:
    """`check FILE --previous LAST`: this year's own findings, then the cross-year ones."""
    report = load_any(path)
    previous = load_any(previous_path)
    return report, validate(report) + cross_year_findings(report, previous)
