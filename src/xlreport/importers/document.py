"""What every format adapter hands the parsing core: paragraphs and tables in reading order.

Adapters keep what the source shows (cell text, blank cells, where it was) and nothing
about the statutory form; the core in `build` does all the understanding.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Cell:
    text: str
    where: str  # 原文第148行 / 第2个表格第5行, for messages
    x0: int | None = None  # column span in a pdftotext -layout line, for aligning short rows
    x1: int | None = None


@dataclass
class Row:
    cells: list[Cell]
    where: str


@dataclass
class Table:
    rows: list[Row]
    where: str
    # Rows came from a text layout (pdftotext -layout): blank cells are missing rather than
    # empty, and long labels wrap over several lines, some without values.
    layout: bool = False
    # Rows from text whose cells ran together: each row is a label cell and one cell holding the
    # run of values printed after it, still to be cut into cells (importers.splitter).
    glued: bool = False


@dataclass
class Paragraph:
    text: str
    where: str


@dataclass
class Document:
    blocks: list[Paragraph | Table] = field(default_factory=list)
    kind: str = "文本"  # 文本 / 网页 / Word / PDF, for messages
