"""A Report value written into a fresh standard workbook (examples, import, aggregate)."""

from __future__ import annotations

from pathlib import Path

from openpyxl.workbook import Workbook

from ..model import Report, State, Value
from . import names
from .cells import set_cell
from .reader import parse_ref
from .template import build_workbook, workbook_bytes
from .writer import atomic_write


def _cell_value(v: Value):
    """What to put in the cell: the number, or exactly what staff typed."""
    if v.state is State.BLANK:
        return None
    if v.state is State.NUMBER and not v.interpreted:
        n = v.number
        return int(n) if n == n.to_integral() else float(n)
    return v.raw


def _set(wb: Workbook, name: str, value) -> None:
    area = parse_ref(wb.defined_names[name].attr_text)
    set_cell(wb[area.sheet], *area.first, value)


def report_workbook(report: Report) -> Workbook:
    wb = build_workbook(report.form, year=report.year, agency=report.agency)
    for cell in report.form.cells:
        _set(wb, cell.defined_name, _cell_value(report.value(cell.key)))
    for key, value in report.cover.items():
        if key not in ("year", "form_document"):
            _set(wb, names.cover_name(key), _cell_value(value))
    n = report.narrative
    for name, text in (
        (names.NARR_PREAMBLE, n.preamble),
        (names.NARR_OVERVIEW_INTRO, n.overview_intro),
        (names.NARR_PROBLEMS, n.problems),
        (names.NARR_OTHER, n.other),
    ):
        _set(wb, name, text or None)
    _set(wb, names.NARR_FEE_AMOUNT, _cell_value(n.fee_amount))
    _set(wb, names.NARR_FEE_COUNT, _cell_value(n.fee_count))
    area = parse_ref(wb.defined_names[names.NARR_OVERVIEW_PARTS].attr_text)
    (r0, c0), (r1, _) = area.first, area.last
    parts = list(n.overview_parts)[: r1 - r0 + 1]
    if len(n.overview_parts) > r1 - r0 + 1:
        raise ValueError(f"总体情况最多 {r1 - r0 + 1} 个小标题")
    ws = wb[area.sheet]
    for i in range(r1 - r0 + 1):
        heading, body = parts[i] if i < len(parts) else (None, None)
        set_cell(ws, r0 + i, c0, heading or None)
        set_cell(ws, r0 + i, c0 + 1, body or None)
    return wb


def write_report_workbook(report: Report, path: str | Path) -> Path:
    """Write atomically; refuses to replace an existing file."""
    path = Path(path)
    if path.exists():
        raise FileExistsError(f"{path} 已存在，不会覆盖")
    data = workbook_bytes(report_workbook(report))
    atomic_write(path, lambda fh: fh.write(data))
    return path
