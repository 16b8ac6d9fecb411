"""Plain-text adapter: text copied from a web page, pdftotext -layout output, "a | b | c" rows.

Four ways a table survives as text, decided per section:
- web copy: cells start with a tab, one cell per line, rows separated by blank lines (the seed),
  or a whole row per line with tabs between cells (a leading or trailing tab: an empty cell);
- "|" between cells, one row per line (empty cells at either end count, unless every row is
  bordered by "|");
- glued (a scraper lost the cell boundaries): labels followed by runs of digits, whole tables on
  one line; `glued` finds the rows, the core cuts the runs into cells (`splitter`);
- layout (pdftotext -layout): columns separated by runs of spaces, blank cells simply missing,
  long labels wrapped over several lines; the core aligns and joins those.
Section headings run into the text around them are put on lines of their own first.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from pathlib import Path

from ..workbook.safezip import ReadError
from .document import Cell, Document, Paragraph, Row, Table
from .glued import glued_rows, looks_glued, split_at_headings
from .labels import TABLE_SECTIONS, TITLE, heading_key, value_tokens

_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－]\s*\d+\s*[-—–－]|第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?)\s*$")
_CHUNK = re.compile(r"\S+(?: \S+)*")  # runs of text separated by two or more spaces
_PART_START = re.compile(r"^\s*[（(][一二三四五六七八九十][)）]")
_SENTENCE_END = ("。", "！", "？", "；", "：", "”", "）")
_CJK_SPACE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])[ \t]+|[ \t]+(?=[\u3000-\u9fff\uff00-\uffef])")


def decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (GBK files from Windows)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError(f"{name} 的文字编码无法识别（不是 UTF-8 或 GBK），请用记事本另存为 UTF-8 后再导入")


def read_text_file(path: Path) -> Document:
    return parse_text(decode(path.read_bytes(), path.name))


def parse_text(text: str, kind: str = "文本", where: Callable[[int, int], str] | None = None,
               layout: bool | None = None) -> Document:
    """`where(line, page)` names a place for messages; `layout` forces the paragraph rule
    (None: decide from the text)."""
    where = where or (lambda n, page: f"原文第{n}行")
    lines: list[tuple[int, str, int]] = []  # (line number, text, page)
    page = 1
    for n, line in enumerate(text.split("\n"), 1):
        page += line.count("\f")
        line = line.replace("\f", "").replace("\r", "").rstrip(" ")  # a lone tab is a blank cell
        if _PAGE_NUMBER.match(line):
            continue
        lines += [(n, part, page) for part in split_at_headings(line)]
    gridded = sum("\t" in t or " | " in t for _, t, _ in lines) >= 3
    if layout is None:
        layout = not gridded
    regions: list[tuple[str, list[tuple[int, str, int]]]] = [("front", [])]
    for item in lines:
        text_ = item[1]
        key = None if "\t" in text_ or "|" in text_ else heading_key(text_)
        if key:
            regions.append((key, []))
        regions[-1][1].append(item)
    doc = Document(kind=kind)
    for key, region in regions:
        if key in TABLE_SECTIONS:
            heading, body = region[0], region[1:]
            doc.blocks.append(Paragraph(heading[1].strip(), where(heading[0], heading[2])))
            doc.blocks += _table_region(body, where, key)
        else:
            doc.blocks += _paragraphs(region, where, layout)
    return doc


def _paragraphs(region, where, layout: bool) -> list[Paragraph]:
    out: list[Paragraph] = []
    body = [(n, t, p) for n, t, p in region if t.strip()]
    if not layout:
        return [Paragraph(t.strip(), where(n, p)) for n, t, p in body]
    base = min((len(t) - len(t.lstrip()) for _, t, _ in body), default=0)
    full = max((len(t.strip()) for _, t, _ in body), default=0)
    after_heading, last = False, ""  # last: the previous source line, for where paragraphs end
    for n, t, p in body:
        indent = len(t) - len(t.lstrip())
        heading = heading_key(t) is not None or (len(t.strip()) <= 60 and TITLE.match(t.strip()) is not None)
        # A paragraph starts indented, or with （一）, or after a short line that ended a sentence.
        ended = out and out[-1].text.endswith(_SENTENCE_END) and len(last) < 0.8 * full
        if not out or indent >= base + 2 or heading or after_heading or _PART_START.match(t) or ended:
            out.append(Paragraph(t.strip(), where(n, p)))
            after_heading = heading
            last = t.strip()
        else:
            last = t.strip()
            prev = out[-1].text
            glue = " " if prev[-1:].isascii() and prev[-1:].isalnum() and t.lstrip()[:1].isascii() else ""
            out[-1].text = prev + glue + t.strip()
    for para in out:  # pdftotext puts spaces between CJK and digits: "2024 年" -> "2024年"
        para.text = _CJK_SPACE.sub("", para.text)
    return out


def _table_region(region, where, key: str) -> list[Paragraph | Table]:
    if not region:
        return []
    first = where(region[0][0], region[0][2])
    if any("\t" in t for _, t, _ in region):
        return _tab_rows(region, where)
    if any("|" in t for _, t, _ in region):
        return [Table(_delimited_rows(region, where), first)]
    text = "\n".join(t for _, t, _ in region)
    if looks_glued(text, key):
        return [_glued_table(region, text, where, key)]
    rows: list[Row] = []
    previous = None  # (line number, row) of the line above
    for n, t, p in region:
        if not t.strip():
            continue
        w = where(n, p)
        row = Row([Cell(m.group(), w, m.start(), m.end()) for m in _CHUNK.finditer(t)], w)
        if previous and previous[0] == n - 1 and _wrapped_digits(previous[1], row):
            continue
        rows.append(row)
        previous = (n, row)
    return [Table(rows, first, layout=True)]


def _delimited_rows(region, where) -> list[Row]:
    """"a | b | c" rows. Every "|" separates two cells, so "（一）予以公开 | 258 | 12 |  |  | 1 | 1 | "
    ends in an empty 总计; only a table whose every row starts and ends with "|" has borders."""
    lines = [(n, t.strip(), p) for n, t, p in region if t.strip()]
    bordered = all(t.startswith("|") and t.endswith("|") and len(t) > 1 for _, t, _ in lines)
    rows = []
    for n, t, p in lines:
        cells = (t[1:-1] if bordered else t).split("|")
        rows.append(Row([Cell(c.strip(), where(n, p)) for c in cells], where(n, p)))
    return rows


def _glued_table(region, text: str, where, key: str) -> Table:
    """Rows whose cells ran together: each label with the run of values after it (see glued)."""
    starts, offset = [], 0  # offset of each source line in `text`
    for _, t, _ in region:
        starts.append(offset)
        offset += len(t) + 1
    rows = []
    for row in glued_rows(text, key):
        line = bisect_right(starts, row.start) - 1
        w = where(region[line][0], region[line][2])
        rows.append(Row([Cell(row.label, w), Cell(row.run, w)], w))
    return Table(rows, where(region[0][0], region[0][2]), glued=True)


def _wrapped_digits(above: Row, row: Row) -> bool:
    """A narrow cell wraps a long number: "178" prints as "17" with "8" on the next line, at the
    cell's left edge. Join such a line of digits into the numbers above it; True if it was one."""
    tokens = [(c.x0 + s, t) for c in row.cells for s, _, t in (value_tokens(c.text) or [(0, 0, None)])]
    above_tokens = {c.x0 + s: (c, t) for c in above.cells for s, _, t in (value_tokens(c.text) or [])}
    if not tokens or any(t is None or not t.isdigit() for _, t in tokens) or len(tokens) >= len(above_tokens):
        return False
    targets = [above_tokens.get(x) for x, _ in tokens]
    if any(t is None or not t[1].isdigit() or len(t[0].text.split()) > 1 for t in targets):
        return False
    for (_, digits), (cell, _) in zip(tokens, targets):
        cell.text += digits
        cell.x1 = max(cell.x1, cell.x0 + len(cell.text))
    return True


def _tab_rows(region, where) -> list[Paragraph | Table]:
    """Cells copied from a web page: "\\tcell" lines, rows separated by blank lines."""
    blocks: list[Paragraph | Table] = []
    rows: list[Row] = []
    current: Row | None = None
    after_blank = True
    for n, t, p in region:
        w = where(n, p)
        if "\t" not in t and not t.strip():
            if current is not None:
                rows.append(current)
                current = None
            after_blank = True
            continue
        if "\t" in t:
            parts = t.split("\t")
            if parts[0].strip() == "" and len(parts) == 2:  # one cell on its own line
                current = current or Row([], w)
                current.cells.append(Cell(parts[1].strip(), w))
            else:  # a whole row, tab-separated
                if current is not None:
                    rows.append(current)
                    current = None
                # every tab separates two cells: a leading or trailing one is an empty cell
                rows.append(Row([Cell(c.strip(), w) for c in parts], w))
        else:
            last = current or (rows[-1] if rows else None)
            if last is not None and last.cells and (len(t.strip()) <= 2 or current is not None and not after_blank):
                last.cells[-1].text += t.strip()  # a cell broken over lines (vertical labels 结/果/维/持)
            elif rows and current is None and not after_blank:
                rows.append(Row([Cell(t.strip(), w)], w))  # a one-cell row among whole rows: 第二十条第（五）项
            else:
                blocks.append(Paragraph(t.strip(), w))
        after_blank = False
    if current is not None:
        rows.append(current)
    if rows:
        blocks.insert(0, Table(rows, rows[0].where))
    return blocks
