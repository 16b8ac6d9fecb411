"""HTML adapter (lxml): block elements become paragraphs, <table> rows become rows of cells.

A table that holds other tables is page layout (old portals wrap the article in one) and is
read as paragraphs. Cells are taken as the row lists them: a cell spanning rows (rowspan) appears only in its first
row and one spanning columns (colspan) once, which is how the statutory tables' merged label
cells read; the core matches rows by label and puts values in declared column order.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..workbook.safezip import ReadError
from .document import Cell, Document, Paragraph, Row, Table
from .text import decode

_BLOCK = {
    "p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "h1", "h2", "h3", "h4", "h5", "h6",
    "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "center", "br", "hr", "body", "form", "figure",
    "table", "tr", "td", "th",  # a page laid out with a table around the article: walk into it
}
_SKIP = {"script", "style", "head", "noscript", "template", "iframe", "object", "select", "button"}
_SPACES = re.compile(r"[ \t\r\n\u00a0\u3000]+")
_CJK_GAP = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef])")


def _clean(text: str) -> str:
    return _CJK_GAP.sub("", _SPACES.sub(" ", text)).strip()


def read_html_file(path: Path) -> Document:
    data = path.read_bytes()
    return parse_html(data if re.search(rb"<meta[^>]+charset", data[:4096], re.I) else decode(data, path.name))


def parse_html(source: str | bytes) -> Document:
    import lxml.html

    try:
        root = lxml.html.document_fromstring(source)
    except Exception as exc:  # lxml raises ParserError on empty or binary input
        raise ReadError(f"网页无法解析：{exc}") from None
    doc = Document(kind="网页")
    buffer: list[str] = []
    line = [0]

    def flush() -> None:
        text = _clean("".join(buffer))
        buffer.clear()
        if text:
            doc.blocks.append(Paragraph(text, f"原文第{line[0]}行"))

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIP:
            return
        if tag == "table" and el.find(".//table") is None:
            flush()
            doc.blocks.append(_table(el))
            return
        if tag in _BLOCK:
            flush()
        if el.text and isinstance(el.tag, str):
            if not buffer:
                line[0] = el.sourceline or line[0]
            buffer.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                if not buffer:
                    line[0] = child.sourceline or line[0]
                buffer.append(child.tail)
        if tag in _BLOCK:
            flush()

    body = root.find("body")
    walk(body if body is not None else root)
    flush()
    return doc


def _cell_text(td) -> str:
    # <br> between the characters of a vertical label: 结<br>果<br>维<br>持 -> 结果维持
    return _clean("".join(td.itertext()).replace("\n", ""))


def _table(el) -> Table:
    rows = []
    for tr in el.iter("tr"):
        if tr.getparent() is not None and _owner_table(tr) is not el:
            continue  # a row of a nested table
        where = f"原文第{tr.sourceline}行"
        cells = [Cell(_cell_text(td), f"原文第{td.sourceline}行") for td in tr if td.tag in ("td", "th")]
        rows.append(Row(cells, where))
    return Table(rows, f"原文第{el.sourceline}行")


def _owner_table(tr):
    p = tr.getparent()
    while p is not None and p.tag != "table":
        p = p.getparent()
    return p
