"""Sum the statutory tables of many agencies' reports into one (a county compiling its departments).

`combine` is pure: reports in, one report out, or an AggregateError saying in Chinese which file
and which cell stand in the way. Only clean inputs are summed: a regional total that silently
leaves out a department, counts one twice (a resubmission beside the first submission, a copy,
the published report beside its workbook), or reads its blank cell as 0, would be a wrong
statutory number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from ..model import BLANK, Narrative, Report, State, Value, text_value
from ..rules.findings import Finding, Severity
from .duplicates import SHORT, Fingerprint, find, fingerprint, group_lines

SOURCES_SHEET = "来源"
SOURCES_HEADERS = ("文件", "机关", "年度", "修改时间", f"文件SHA-256（前{SHORT}位）", f"统计表数字SHA-256（前{SHORT}位）")
_SHOWN_PER_FILE = 3  # error messages quoted per refused file


class AggregateError(Exception):
    """Inputs that cannot be summed; the message is for staff, in Chinese."""


@dataclass(frozen=True)
class Source:
    file: str
    report: Report
    findings: tuple[Finding, ...]
    fingerprint: Fingerprint | None = None  # None: taken from the report alone (no file to hash)

    def __post_init__(self) -> None:
        if self.fingerprint is None:
            object.__setattr__(self, "fingerprint", fingerprint(self.file, self.report))


def _edition(report: Report) -> str:
    year = f"{report.year} 年度" if report.year else "报告年度无效"
    return f"{year}（{report.form.document}格式）"


def refuse_mixed(sources: list[Source]) -> None:
    groups: dict[tuple, list[str]] = {}
    for s in sources:
        groups.setdefault((s.report.year, s.report.form.version), []).append(s)
    if len(groups) > 1:
        lines = [f"  {_edition(ss[0].report)}：" + "、".join(s.file for s in ss) for ss in groups.values()]
        raise AggregateError("各文件的报告年度或格式版本不一致，不能汇总：\n" + "\n".join(lines)
                             + "\n请只汇总同一年度、同一格式的报告。")


def refuse_duplicates(sources: list[Source]) -> None:
    """No --allow-duplicates: which copy is right only staff can tell, so they remove the other."""
    prints = [s.fingerprint for s in sources]
    pairs = find(prints)
    if pairs:
        raise AggregateError("以下文件会把同一机关计算两次，不能汇总：\n" + "\n".join(group_lines(prints, pairs))
                             + "\n请每个机关只保留一份（重新报送的保留改正后的一份；同一份报告的工作簿和已发布的"
                             " .docx、.html、.pdf、.txt 也只保留一份），把其余文件移出后再汇总。")


def refuse_errors(sources: list[Source]) -> None:
    lines = []
    for s in sources:
        errors = [f for f in s.findings if f.severity is Severity.ERROR]
        if errors:
            lines.append(f"  {s.file}（{len(errors)} 个错误）：")
            lines += [f"    {f.message}" for f in errors[:_SHOWN_PER_FILE]]
            if len(errors) > _SHOWN_PER_FILE:
                lines.append(f"    ……另有 {len(errors) - _SHOWN_PER_FILE} 个")
    if lines:
        raise AggregateError("以下文件有错误，不能汇总（空白、文本不能当作 0 计入）：\n" + "\n".join(lines)
                             + "\n请先用 xlreport check 检查并改正后再汇总。")


def _sum(values: list[Value]) -> Value:
    """The sum of numbers, or blank if any is missing (optional narrative figures)."""
    if not values or any(not v.is_number for v in values):
        return BLANK
    total = sum((v.number for v in values), Decimal(0))
    return Value(State.NUMBER, total, total)


def combine(sources: list[Source], agency: str) -> Report:
    """One report whose every statutory cell is the Decimal sum over `sources`."""
    if not sources:
        raise AggregateError("没有可汇总的文件")
    refuse_mixed(sources)
    refuse_duplicates(sources)  # before errors: the stale copy is removed, not corrected
    refuse_errors(sources)
    first = sources[0].report
    form = first.form
    values: dict[str, Value] = {}
    for cell in form.cells:
        parts = [s.report.value(cell.key) for s in sources]
        for s, v in zip(sources, parts):
            if not v.is_number:  # guarded by the rules above; said plainly should a rule change
                raise AggregateError(f"{s.file}：{cell.statutory_name} 不是数字，不能汇总")
        values[cell.key] = _sum(parts)
    narrative = Narrative(
        fee_amount=_sum([s.report.narrative.fee_amount for s in sources]),
        fee_count=_sum([s.report.narrative.fee_count for s in sources]),
    )
    cover = {"agency": text_value(agency), "year": Value(State.NUMBER, Decimal(first.year), first.year)}
    return Report(form, values, cover, narrative, recorded_version=form.version)


def aggregate_workbook(report: Report, sources: list[Source]):
    """The standard workbook of `report`, plus a sheet listing the contributing files."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from ..workbook import names
    from ..workbook.cells import set_cell
    from ..workbook.export import report_workbook
    from .batch import text_width

    wb = report_workbook(report)
    before = wb.sheetnames.index(names.SHEET_META) if names.SHEET_META in wb.sheetnames else None
    ws = wb.create_sheet(SOURCES_SHEET, before)
    for c, h in enumerate(SOURCES_HEADERS, 1):
        ws.cell(1, c, h).font = Font(bold=True)
    for r, s in enumerate(sources, 2):
        p = s.fingerprint
        modified = datetime.fromisoformat(p.modified) if p.modified else None
        for c, v in enumerate((s.file, s.report.agency or None, s.report.year, modified,
                               p.sha256[:SHORT] or None, p.tables_sha256[:SHORT]), 1):
            set_cell(ws, r, c, v)
        ws.cell(r, 4).number_format = "yyyy-mm-dd hh:mm:ss"
    widths = (max([text_width(s.file) for s in sources] + [20]) + 2, 40, 8, 20, 22, 26)
    for c, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = min(width, 80)
    ws.freeze_panes = "A2"
    return wb


def read_sources(paths: list[Path], engine: str = "calamine") -> list[Source]:
    """Read and check every input; all unreadable files are named at once."""
    from ..checks.report import validate
    from ..workbook.safezip import ReadError
    from .batch import load

    sources, unreadable = [], []
    for path in paths:
        try:
            report = load(path, engine)
            facts = fingerprint(str(path), report, path)
        except ReadError as exc:
            unreadable.append(f"  {path}：{exc}")
            continue
        except Exception as exc:  # a hostile file gets a message, not a traceback
            unreadable.append(f"  {path}：读取时出错（{type(exc).__name__}）")
            continue
        sources.append(Source(str(path), report, tuple(validate(report)), facts))
    if unreadable:
        raise AggregateError("以下文件无法读取，不能汇总：\n" + "\n".join(unreadable))
    return sources


def write_aggregate(report: Report, sources: list[Source], path: str | Path) -> Path:
    """Write atomically; refuses to replace any existing file (an input above all)."""
    from ..workbook.template import workbook_bytes
    from ..workbook.writer import atomic_write

    path = Path(path)
    if path.exists():
        raise FileExistsError(f"{path} 已存在，不会覆盖；请换一个文件名")
    data = workbook_bytes(aggregate_workbook(report, sources))
    atomic_write(path, lambda fh: fh.write(data))
    return path
