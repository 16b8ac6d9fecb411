"""Report files in folders: a supervisor's inbox (batch), last year's workbook beside this one (the ribbon).

Light on purpose: the ribbon's 校验 imports it, so nothing here loads openpyxl or lxml.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..checks.crossyear import cross_year_findings, same_agency
from ..model import Report
from ..rules.findings import Finding
from ..workbook.reader import read_cover, read_report
from ..workbook.safezip import ReadError


BACKUP_MARK = ".备份-"  # writer.backup names copies 年报.备份-20260120-093000.xlsx


def is_candidate(path: Path, suffixes) -> bool:
    """A report file found in a folder; not an Office lock file (~$), a backup, or a hidden file (._ from macOS)."""
    name = path.name
    return path.suffix.lower() in suffixes and not name.startswith(("~$", ".")) and BACKUP_MARK not in name


@dataclass(frozen=True)
class Beside:
    """Last year's standard workbook in this workbook's folder: found, none, or more than one (none chosen)."""

    year: int | None  # the year looked for
    found: Path | None = None
    candidates: tuple[Path, ...] = ()

    def note(self) -> str:
        """What to tell staff after 校验; "" when there was nothing to look for or find."""
        if self.found:
            return f"已与同一文件夹中的上年（{self.year} 年度）工作簿“{self.found.name}”做跨年度核对（含与上年内容雷同）。"
        if len(self.candidates) > 1:
            names = "、".join(f"“{p.name}”" for p in self.candidates)
            return (f"同一文件夹中有 {len(self.candidates)} 份本机关 {self.year} 年度的工作簿（{names}），"
                    "无法确定哪一份是上年报告，未做跨年度核对。请只保留一份，"
                    "或用命令 xlreport check 本年.xlsx --previous 上年.xlsx 指定。")
        return ""


def previous_beside(path: str | Path, report: Report) -> Beside:
    """Last year's workbook of the same agency in the same folder, read from the covers of the .xlsx files
    there (not subfolders; lock files, backups and this workbook itself are skipped). Never guesses:
    two candidates give none."""
    path = Path(path)
    if report.year is None or not report.agency:
        return Beside(None)
    year = report.year - 1
    found = []
    for other in sorted(path.parent.glob("*")):
        if not is_candidate(other, {".xlsx"}) or other.resolve() == path.resolve():
            continue
        try:
            cover = read_cover(other)
        except Exception:  # not a standard workbook, or unreadable: not last year's report
            continue
        y, agency = cover["year"], cover["agency"]
        if y.is_number and y.number == year and agency.raw and same_agency(str(agency.raw), report.agency):
            found.append(other)
    return Beside(year, found[0] if len(found) == 1 else None, tuple(found))


def check_beside(path: str | Path | None, report: Report) -> tuple[list[Finding], Beside]:
    """The cross-year findings against last year's workbook beside this one, if exactly one is there."""
    beside = previous_beside(path, report) if path else Beside(None)
    if beside.found is None:
        return [], beside
    try:
        previous = read_report(beside.found)
    except ReadError:
        return [], Beside(beside.year)
    return cross_year_findings(report, previous), beside
