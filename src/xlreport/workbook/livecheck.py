"""Live checks: conditional formatting and status formulas that the workbook evaluates by itself.

Excel, WPS and LibreOffice show them with no add-in and no macro. They are a subset of
`checks.report.validate`, decided so that they never contradict it:

- a statutory cell is highlighted when it is not a valid number for its domain: blank (empty,
  or only spaces: CELL-BLANK, TOTAL-BLANK), text (CELL-TEXT, and CELL-TEXT-NUMBER: "12件" is
  not a number to a spreadsheet), negative where not allowed (CELL-NEGATIVE; 2019 本年增/减 may
  be negative), a fraction where a whole number is asked (CELL-NOT-INTEGER; 万元 amounts may
  have decimals);
- an identity (R1–R4) is evaluated only when every one of its cells holds a number (ISNUMBER),
  as SUM-UNCHECKED says in Python; a broken one highlights its total, or, for the 表三 flow
  identity (no single total), its four cells. An identity with a number typed as text is not
  evaluated live (Python reads "12件" as 12); the text cell is highlighted instead;
- each table sheet's status cell counts the broken identities, the blank cells and the other
  invalid cells of that table; the cover's counts all three tables.

Only ISNUMBER, ISTEXT, ISBLANK, IF, OR, INT, LEN, TRIM, COUNT, COUNTIF, SUM and MID are used:
functions that Excel 2007+, WPS and LibreOffice evaluate alike (no IFERROR in arrays, no
TEXTJOIN, no LET, no references to other sheets inside conditional formatting). Per-cell
status codes live in formulas on a hidden sheet (SHEET_CHECKS, which the reader never opens),
so the status formulas stay short.
Every formula is built here from the form declaration and fixed sheet names, never from cell
contents.
"""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..forms import Cell, Domain, Form, Identity

# The ribbon's error red (excel.grid.ERROR_FILL): one colour means "look here" everywhere.
HIGHLIGHT_FILL, HIGHLIGHT_FONT = "FFC7CE", "9C0006"
STATUS_PREFIX = "勾稽关系："
STATUS_OK = STATUS_PREFIX + "全部相符"
# (count, wording) in the order the status line lists them
STATUS_PARTS = ("broken", "处不符"), ("blank", "个单元格未填"), ("invalid", "个单元格填写有误")
BLANK_CODE, INVALID_CODE = 1, 2  # per-cell status codes on the checks sheet; 0 is a valid number
LEGEND_MARK = "标红"
LEGEND = (
    "标红的单元格需要检查：合计与组成项之和不符；表三某列“第一项加第二项之和”不等于“第三项加第四项之和”"
    "（该列四个单元格一起标红）；未填写（没有请填 0）；填写的不是有效数字（文字、带单位的数字、负数、"
    "件数带小数）。含空白或文字单元格的勾稽关系暂不核对。颜色和顶部的状态行由公式即时计算，"
    "不需要加载项；“校验”按钮或 xlreport check 给出完整的检查结果。"
)


def _dxf():
    return {"fill": PatternFill(bgColor=HIGHLIGHT_FILL, fill_type="solid"), "font": Font(color=HIGHLIGHT_FONT)}


def _a1(row: int, col: int, absolute: bool = True) -> str:
    d = "$" if absolute else ""
    return f"{d}{get_column_letter(col)}{d}{row}"


def rectangles(coords: Iterable[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """Cover cells (row, col) with few rectangles (top, left, bottom, right): column runs first,
    then neighbouring columns with the same run merged."""
    by_col: dict[int, list[int]] = {}
    for row, col in sorted(set(coords), key=lambda rc: (rc[1], rc[0])):
        by_col.setdefault(col, []).append(row)
    runs: list[list[int]] = []  # [top, left, bottom, right]
    for col, rows in sorted(by_col.items()):
        start = prev = rows[0]
        for row in rows[1:] + [None]:
            if row is not None and row == prev + 1:
                prev = row
                continue
            same = next((r for r in runs if (r[0], r[2], r[3]) == (start, prev, col - 1)), None)
            if same:
                same[3] = col
            else:
                runs.append([start, col, prev, col])
            if row is not None:
                start = prev = row
    return sorted((tuple(r) for r in runs), key=lambda r: (r[0], r[1]))


def _refs(coords: Iterable[tuple[int, int]], sheet: str = "") -> str:
    """A1 references (absolute) of cells, comma-separated, for COUNT and SUM."""
    prefix = f"'{sheet}'!" if sheet else ""
    out = []
    for top, left, bottom, right in rectangles(coords):
        ref = prefix + _a1(top, left)
        if (top, left) != (bottom, right):
            ref += ":" + _a1(bottom, right)
        out.append(ref)
    return ",".join(out)


def _bad_number(x: str, domain: Domain) -> str:
    """True for a number outside the cell's domain (statutory-format.md §5.2 R5)."""
    return {
        Domain.COUNT: f"OR({x}<0,{x}<>INT({x}))",
        Domain.DELTA: f"{x}<>INT({x})",
        Domain.AMOUNT: f"{x}<0",
    }[domain]


def cell_flag(x: str, domain: Domain) -> str:
    """Conditional-formatting condition: the cell is not a valid number (blank, text, or out of domain)."""
    return f"IF(ISNUMBER({x}),{_bad_number(x, domain)},TRUE)"


def cell_code(x: str, domain: Domain) -> str:
    """0 valid, 1 blank (empty or spaces only), 2 anything else that is not a valid number."""
    blank, invalid = BLANK_CODE, INVALID_CODE
    return (f"IF(ISNUMBER({x}),IF({_bad_number(x, domain)},{invalid},0),"
            f"IF(ISTEXT({x}),IF(LEN(TRIM({x}))=0,{blank},{invalid}),IF(ISBLANK({x}),{blank},{invalid})))")


def identity_broken(identity: Identity, where: dict[str, tuple[int, int]], sheet: str = "") -> str:
    """True when every cell of the identity holds a number and the two sides differ."""
    cells = identity.left + identity.right
    every = _refs((where[k] for k in cells), sheet)
    left, right = _refs((where[k] for k in identity.left), sheet), _refs((where[k] for k in identity.right), sheet)
    return f"IF(COUNT({every})={len(cells)},SUM({left})<>SUM({right}),FALSE)"


def blamed(identity: Identity) -> tuple[str, ...]:
    """The cells a broken identity highlights: its total, or every cell where there is none (R1)."""
    return identity.left if len(identity.left) == 1 else identity.left + identity.right


def status_formula(counts: dict[str, str]) -> str:
    """="勾稽关系：全部相符", or the non-zero counts: "勾稽关系：2 处不符，3 个单元格未填"."""
    exprs = [(counts[key], words) for key, words in STATUS_PARTS if counts.get(key)]
    any_problem = "+".join(e for e, _ in exprs) or "0"
    listed = "&".join(f'IF({e}>0,"，"&{e}&" {words}","")' for e, words in exprs) or '""'
    return f'="{STATUS_PREFIX}"&IF({any_problem}=0,"{STATUS_OK[len(STATUS_PREFIX):]}",MID({listed},2,200))'


def install(
    wb: Workbook,
    form: Form,
    where: dict[str, tuple[int, int]],
    status_cells: dict[str, tuple[Worksheet, int, int]],
    helpers: Worksheet,
    first_row: int,
) -> None:
    """Add the conditional formatting, the helper formulas and the status formulas.

    `where`: statutory cell key → (row, col) on its table's sheet; `status_cells`: table key or
    "all" → the status cell, already placed by the layout. Helper formulas go on `helpers` from
    `first_row` down (column A says what, column B holds the formula): first a code per cell,
    table by table, then a 0/1 per identity, so that each table, and all of them, are one range.
    """
    tables = {t.key: [c for c in form.cells if c.table is t] for t in form.tables}
    identities = {t.key: [i for i in form.identities if form.cell(i.left[0]).table is t] for t in form.tables}
    codes: dict[str, tuple[int, int]] = {}
    broken: dict[str, tuple[int, int]] = {}
    row = first_row
    for table in form.tables:
        ws = wb[table.name]
        _highlight_cells(ws, tables[table.key], where)
        for identity in identities[table.key]:
            ws.conditional_formatting.add(
                " ".join(_a1(*where[k], absolute=False) for k in blamed(identity)),
                FormulaRule(formula=[identity_broken(identity, where)], **_dxf()),
            )
        codes[table.key] = (row, row + len(tables[table.key]) - 1)
        for cell in tables[table.key]:
            x = f"'{table.name}'!" + _a1(*where[cell.key])
            row = _helper(helpers, row, cell.statutory_name, "=" + cell_code(x, cell.domain))
    for table in form.tables:
        if identities[table.key]:
            broken[table.key] = (row, row + len(identities[table.key]) - 1)
        for identity in identities[table.key]:
            formula = f"=IF({identity_broken(identity, where, table.name)},1,0)"
            row = _helper(helpers, row, f"{identity.rule} {identity.scope}", formula)
    codes["all"] = (first_row, max(last for _, last in codes.values()))
    if broken:
        broken["all"] = (min(first for first, _ in broken.values()), max(last for _, last in broken.values()))

    def column(rows: tuple[int, int]) -> str:
        return f"'{helpers.title}'!{_a1(rows[0], 2)}:{_a1(rows[1], 2)}"

    for key, place in status_cells.items():
        counts = {"blank": f"COUNTIF({column(codes[key])},{BLANK_CODE})",
                  "invalid": f"COUNTIF({column(codes[key])},{INVALID_CODE})"}
        if key in broken:
            counts["broken"] = f"SUM({column(broken[key])})"
        _status(place, counts)


def _highlight_cells(ws: Worksheet, cells: list[Cell], where: dict[str, tuple[int, int]]) -> None:
    """One rule per rectangle of same-domain cells, relative to its top-left cell (its anchor in
    every program: Excel anchors at the first range, LibreOffice at the top-left of all ranges)."""
    for domain in Domain:
        coords = [where[c.key] for c in cells if c.domain is domain]
        for top, left, bottom, right in rectangles(coords):
            ref = _a1(top, left, absolute=False) + ("" if (top, left) == (bottom, right) else ":" + _a1(bottom, right, absolute=False))
            ws.conditional_formatting.add(ref, FormulaRule(formula=[cell_flag(_a1(top, left, absolute=False), domain)], **_dxf()))


def _helper(ws: Worksheet, row: int, what: str, formula: str) -> int:
    ws.cell(row, 1, what)
    ws.cell(row, 2, formula)
    return row + 1


def swatch(cell) -> None:
    """The legend's sample: coloured by a rule that always holds, not by a fill, so that it shows the
    colour exactly as the live checks draw it and is never taken for a mark of the ribbon's."""
    cell.parent.conditional_formatting.add(cell.coordinate, FormulaRule(formula=["TRUE"], **_dxf()))


def _status(place: tuple[Worksheet, int, int], counts: dict[str, str]) -> None:
    ws, row, col = place
    cell = ws.cell(row, col)
    cell.value = status_formula(counts)
    ws.conditional_formatting.add(cell.coordinate, FormulaRule(formula=[f'{_a1(row, col)}<>"{STATUS_OK}"'], **_dxf()))
