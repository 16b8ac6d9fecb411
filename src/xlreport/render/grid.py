"""The statutory tables as grids of cells with row and column spans.

Built from the form declarations (tables, blocks, rows, columns, Row.group, Column.group), so the
.docx merges and the HTML rowspan/colspan come from one place. Official layouts, statutory-format.md:

- 表二 (§3.1, §4.1): per 第二十条 item a full-width title row, a header row (信息内容 | columns),
  data rows. Blocks share one grid; where their column counts do not divide it (2019: 3 and 2
  columns) the grid gets one more column and the spare span goes to the middle column, as printed.
- 表三 (§3.2, §4.2): the 勾稽 note in the corner, 申请人情况 over nested column headers, nested row
  labels (三、本年度办理结果 › （三）不予公开 › 1.属于国家秘密).
- 表四 (§3.3): nested column headers (行政复议 / 行政诉讼 › 未经复议直接起诉 …) over one row of values,
  with no row label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..forms import Column, Domain, Table
from ..forms.layout import column_paths, row_paths, tree_spans, value_spans
from ..model import Report, State, Value, format_number


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean(text: object) -> str:
    """Text as typed, minus control characters, lone surrogates (undecodable bytes) and U+FFFE/U+FFFF,
    which neither XML nor HTML can carry."""
    return _CONTROL.sub("", "" if text is None else str(text))


@dataclass(frozen=True)
class GridCell:
    row: int
    col: int
    text: str
    # title (表二 block title) | corner (勾稽 note) | colhead | stubhead (信息内容) | rowhead | value
    role: str
    rowspan: int = 1
    colspan: int = 1
    key: str = ""  # statutory cell key of a value cell

    @property
    def is_header(self) -> bool:
        return self.role not in ("value", "corner")


@dataclass(frozen=True)
class Grid:
    table: str  # t2, t3, t4
    caption: str
    nrows: int
    ncols: int
    stub_cols: int  # leading columns that hold row labels
    header_rows: int  # leading rows repeated on every page (0 for 表二: each block has its own)
    groups: tuple[int, ...]  # first row of each body group (one per 表二 block)
    cells: tuple[GridCell, ...]

    def rows(self) -> list[list[GridCell]]:
        """Cells by the row they start in, left to right."""
        out: list[list[GridCell]] = [[] for _ in range(self.nrows)]
        for cell in sorted(self.cells, key=lambda c: (c.row, c.col)):
            out[cell.row].append(cell)
        return out

    def owners(self) -> dict[tuple[int, int], GridCell]:
        """(row, col) -> the cell covering it, for renderers that need every grid position."""
        return {
            (r, c): cell
            for cell in self.cells
            for r in range(cell.row, cell.row + cell.rowspan)
            for c in range(cell.col, cell.col + cell.colspan)
        }


def value_text(value: Value, column: Column) -> str:
    """A value exactly as held: the number, nothing for a blank, the text for a text cell.

    An amount whose printed header names no unit (2019 采购总金额) carries its unit, as reports do.
    """
    if value.state is State.BLANK:
        return ""
    if value.state is State.TEXT:
        return clean(value.raw)
    text = format_number(value.number)
    if column.domain is Domain.AMOUNT and column.unit not in column.label:
        text += column.unit
    return text


def caption(table: Table) -> str:
    return f"{table.name}　{table.heading.split('、', 1)[-1]}"


def table_grid(report: Report, table: Table) -> Grid:
    if len(table.blocks) > 1 or table.blocks[0].title:
        return _blocks_grid(report, table)
    return _cross_grid(report, table)


def _cell_keys(report: Report, table: Table) -> dict[tuple[str, str, str], str]:
    return {(c.block.key, c.row.key, c.column.key): c.key for c in report.form.cells if c.table.key == table.key}


def _blocks_grid(report: Report, table: Table) -> Grid:
    keys = _cell_keys(report, table)
    counts = {len(b.columns) for b in table.blocks}
    width = max(counts) + (1 if any(max(counts) % n for n in counts) else 0)
    ncols = 1 + width
    cells: list[GridCell] = []
    groups = []
    row = 0
    for block in table.blocks:
        groups.append(row)
        cells.append(GridCell(row, 0, block.title, "title", colspan=ncols))
        cells.append(GridCell(row + 1, 0, block.stub, "stubhead"))
        spans = value_spans(len(block.columns), width)
        col = 1
        for column, span in zip(block.columns, spans):
            cells.append(GridCell(row + 1, col, column.label, "colhead", colspan=span))
            for i, r in enumerate(block.rows):
                key = keys[(block.key, r.key, column.key)]
                text = value_text(report.value(key), column)
                cells.append(GridCell(row + 2 + i, col, text, "value", colspan=span, key=key))
            col += span
        for i, r in enumerate(block.rows):
            cells.append(GridCell(row + 2 + i, 0, r.label, "rowhead"))
        row += 2 + len(block.rows)
    return Grid(table.key, caption(table), row, ncols, 1, 0, tuple(groups), tuple(cells))


def _cross_grid(report: Report, table: Table) -> Grid:
    (block,) = table.blocks
    keys = _cell_keys(report, table)
    col_paths = column_paths(table, block)
    head = max(map(len, col_paths))
    # A single unlabelled line of values (表四) prints no row label.
    if len(block.rows) == 1 and not table.note:
        rows, stub = [], 0
    else:
        rows = row_paths(table, block)
        stub = max(map(len, rows))
    cells: list[GridCell] = []
    if stub:
        cells.append(GridCell(0, 0, table.note, "corner", rowspan=head, colspan=stub))
    for i, j, l0, l1, text in tree_spans(col_paths, head):
        cells.append(GridCell(l0, stub + i, text, "colhead", rowspan=l1 - l0 + 1, colspan=j - i + 1))
    for i, j, l0, l1, text in tree_spans(rows, stub):
        cells.append(GridCell(head + i, l0, text, "rowhead", rowspan=j - i + 1, colspan=l1 - l0 + 1))
    for ri, r in enumerate(block.rows):
        for ci, column in enumerate(block.columns):
            key = keys[(block.key, r.key, column.key)]
            cells.append(GridCell(head + ri, stub + ci, value_text(report.value(key), column), "value", key=key))
    nrows = head + len(block.rows)
    return Grid(table.key, caption(table), nrows, stub + len(block.columns), stub, head, (head,), tuple(cells))
