"""Small fakes of the xlwings objects XlGrid touches (Book, Sheets, Sheet, Range, Note, Name, App).

They behave like xlwings 0.37 for the calls used (values come back as xlwings
returns them: numbers as float, empty cells as None, colours as RGB tuples)
and record every value read and write in book.calls, so tests can assert bulk
access. Loaded from an .xlsx with openpyxl, independently of the code under test.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl

_A1 = re.compile(r"^\$?([A-Z]+)\$?(\d+)$")


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _letters(col: int) -> str:
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def _rgb(color) -> tuple[int, int, int] | None:
    if color is None:
        return None
    if isinstance(color, str):
        h = color.lstrip("#")
        return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)
    return tuple(color)


class FakeApp:
    def __init__(self):
        self.alerts: list[tuple[str | None, str, str]] = []  # (title, prompt, buttons)
        self.answers: list[str] = []  # replies to yes/no alerts, in order

    def alert(self, prompt, title=None, buttons="ok", mode=None, callback=None):
        self.alerts.append((title, prompt, buttons))
        return self.answers.pop(0) if buttons != "ok" else "ok"


class FakeNote:
    def __init__(self, sheet: FakeSheet, cell: tuple[int, int]):
        self._sheet, self._cell = sheet, cell

    @property
    def text(self) -> str:
        return self._sheet.notes[self._cell]

    @text.setter
    def text(self, value: str) -> None:
        self._sheet.notes[self._cell] = value

    def delete(self) -> None:
        del self._sheet.notes[self._cell]


class _Font:
    def __init__(self, rng: FakeRange):
        self._rng = rng

    @property
    def bold(self):
        return None

    @bold.setter
    def bold(self, value):
        self._rng.sheet.book.calls.append(("bold", self._rng.sheet.name, self._rng.address))


class FakeRange:
    def __init__(self, sheet: FakeSheet, first: tuple[int, int], last: tuple[int, int] | None = None, **options):
        self.sheet, self.first, self.last = sheet, first, last or first
        self._options = options

    def options(self, **options) -> FakeRange:
        return FakeRange(self.sheet, self.first, self.last, **{**self._options, **options})

    @property
    def row(self) -> int:
        return self.first[0]

    @property
    def column(self) -> int:
        return self.first[1]

    @property
    def shape(self) -> tuple[int, int]:
        return self.last[0] - self.first[0] + 1, self.last[1] - self.first[1] + 1

    @property
    def address(self) -> str:
        a = f"${_letters(self.first[1])}${self.first[0]}"
        return a if self.first == self.last else f"{a}:${_letters(self.last[1])}${self.last[0]}"

    @property
    def value(self):
        self.sheet.book.calls.append(("read", self.sheet.name, self.address))
        (r0, c0), (r1, c1) = self.first, self.last
        block = [[self.sheet.cells.get((r, c)) for c in range(c0, c1 + 1)] for r in range(r0, r1 + 1)]
        if self._options.get("ndim") == 2:
            return block
        if self.shape == (1, 1):
            return block[0][0]
        return block[0] if len(block) == 1 else block

    @value.setter
    def value(self, data) -> None:
        rows = data if isinstance(data, list) and data and isinstance(data[0], list) else [[data]]
        self.sheet.book.calls.append(("write", self.sheet.name, self.address, (len(rows), max(len(r) for r in rows))))
        for i, line in enumerate(rows):
            for j, v in enumerate(line):
                key = (self.first[0] + i, self.first[1] + j)
                if v is None or v == "":
                    self.sheet.cells.pop(key, None)
                else:
                    self.sheet.cells[key] = v

    @property
    def color(self):
        return self.sheet.fills.get(self.first)

    @color.setter
    def color(self, value) -> None:
        self.sheet.book.calls.append(("color", self.sheet.name, self.address, value))
        if value is None:
            self.sheet.fills.pop(self.first, None)
        else:
            self.sheet.fills[self.first] = _rgb(value)

    @property
    def note(self):
        return FakeNote(self.sheet, self.first) if self.first in self.sheet.notes else None

    def add_note(self, text: str):
        if not text:
            raise ValueError("Note text must not be empty")
        if self.first in self.sheet.notes:
            raise ValueError("This cell already has a note")
        self.sheet.notes[self.first] = text
        return FakeNote(self.sheet, self.first)

    @property
    def number_format(self):
        return "General"

    @number_format.setter
    def number_format(self, value) -> None:
        self.sheet.book.calls.append(("number_format", self.sheet.name, self.address, value))

    @property
    def font(self) -> _Font:
        return _Font(self)

    @property
    def column_width(self):
        return self.sheet.widths.get(self.first[1])

    @column_width.setter
    def column_width(self, value) -> None:
        self.sheet.widths[self.first[1]] = value


class FakeSheetApi:
    """The COM worksheet, for sheet protection on Windows."""

    def __init__(self, sheet: FakeSheet):
        self._sheet = sheet
        self.ProtectContents = False

    def Unprotect(self):
        self._sheet.book.calls.append(("unprotect", self._sheet.name))
        self.ProtectContents = False

    def Protect(self, **kwargs):
        self._sheet.book.calls.append(("protect", self._sheet.name, kwargs))
        self.ProtectContents = True


class FakeSheet:
    def __init__(self, book: FakeBook, name: str):
        self.book, self.name = book, name
        self.cells: dict[tuple[int, int], object] = {}
        self.fills: dict[tuple[int, int], tuple[int, int, int]] = {}
        self.notes: dict[tuple[int, int], str] = {}
        self.widths: dict[int, float] = {}
        self.visible = True
        self.api = FakeSheetApi(self)

    def range(self, a, b=None) -> FakeRange:
        def cell(x):
            if isinstance(x, tuple):
                return x
            m = _A1.match(x)
            return int(m.group(2)), _col(m.group(1))

        return FakeRange(self, cell(a), cell(b) if b is not None else None)

    def __getitem__(self, address: str) -> FakeRange:
        return self.range(address)

    @property
    def used_range(self) -> FakeRange:
        used = set(self.cells) | set(self.fills)  # Excel counts formatted cells as used
        if not used:
            return FakeRange(self, (1, 1))
        rows, cols = [r for r, _ in used], [c for _, c in used]
        return FakeRange(self, (min(rows), min(cols)), (max(rows), max(cols)))

    def clear(self) -> None:
        self.book.calls.append(("clear", self.name))
        self.cells.clear(), self.fills.clear(), self.notes.clear()

    def clear_contents(self) -> None:
        self.book.calls.append(("clear_contents", self.name))
        self.cells.clear()

    def activate(self) -> None:
        self.book.sheets.active = self


class FakeSheets:
    def __init__(self, book: FakeBook):
        self.book = book
        self._list: list[FakeSheet] = []
        self.active: FakeSheet | None = None

    def __iter__(self):
        return iter(list(self._list))

    def __len__(self) -> int:
        return len(self._list)

    def __getitem__(self, key):
        if isinstance(key, int):
            return self._list[key]
        return next(s for s in self._list if s.name == key)

    def add(self, name=None, before=None, after=None) -> FakeSheet:
        self.book.calls.append(("add_sheet", name))
        sheet = FakeSheet(self.book, name)
        index = self._list.index(after) + 1 if after is not None else 0
        self._list.insert(index, sheet)
        self.active = sheet  # as Excel does
        return sheet


class FakeName:
    def __init__(self, name: str, refers_to: str):
        self.name, self.refers_to = name, refers_to


class FakeBook:
    def __init__(self, fullname: str = "Book1"):
        self.fullname = fullname
        self.app = FakeApp()
        self.sheets = FakeSheets(self)
        self.names: list[FakeName] = []
        self.calls: list[tuple] = []

    def reads(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for call in self.calls:
            if call[0] == "read":
                out[call[1]] = out.get(call[1], 0) + 1
        return out

    def writes(self) -> list[tuple]:
        return [c for c in self.calls if c[0] == "write"]


def book_from_xlsx(path: Path, fullname: str | None = None) -> FakeBook:
    """A fake of the workbook as Excel would hold it after opening `path`."""
    wb = openpyxl.load_workbook(path, data_only=True)
    book = FakeBook(fullname if fullname is not None else str(Path(path).resolve()))
    for ws in wb.worksheets:
        sheet = FakeSheet(book, ws.title)
        sheet.visible = ws.sheet_state == "visible"
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None and c.value != "":
                    sheet.cells[(c.row, c.column)] = float(c.value) if isinstance(c.value, int) else c.value
                fill = c.fill
                if fill.fill_type == "solid" and fill.fgColor.type == "rgb":
                    sheet.fills[(c.row, c.column)] = _rgb(fill.fgColor.rgb[-6:])
                if c.comment is not None:
                    sheet.notes[(c.row, c.column)] = c.comment.text
        book.sheets._list.append(sheet)
    book.sheets.active = book.sheets[0]
    for name, dn in wb.defined_names.items():
        book.names.append(FakeName(name, "=" + dn.attr_text))
    return book
