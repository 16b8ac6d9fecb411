"""Word adapter (python-docx): body paragraphs and tables in document order.

Merged cells: a cell spanning columns (w:gridSpan) is one w:tc, a cell spanning rows repeats
as w:vMerge="continue" placeholders below its first row; reading the row's own w:tc elements
and skipping the placeholders gives each merged cell once.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..workbook.safezip import ReadError
from .document import Cell, Document, Paragraph, Row, Table


def read_docx_file(path: Path) -> Document:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    from ..workbook.safezip import check_package

    try:
        with zipfile.ZipFile(path) as zf:
            check_package(zf, main_part="word/document.xml")  # python-docx inflates every part in memory: refuse a zip bomb first
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReadError(f"{path.name} 不是完整的 Word 文档（.docx），无法读取：{exc}") from None
    return parse_docx(document)


def parse_docx(document) -> Document:
    from docx.table import Table as DocxTable

    doc = Document(kind="Word")
    paragraphs = tables = 0
    for block in document.iter_inner_content():
        if isinstance(block, DocxTable):
            tables += 1
            doc.blocks.append(_table(block, tables))
        else:
            paragraphs += 1
            text = block.text.strip()
            if text:
                doc.blocks.append(Paragraph(text, f"第{paragraphs}段"))
    return doc


def _cell_text(tc) -> str:
    from docx.oxml.ns import qn

    # paragraphs of one cell, joined without a break: 结/果/维/持 -> 结果维持
    return "".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p"))).strip()


def _table(table, number: int) -> Table:
    rows = []
    for r, tr in enumerate(table._tbl.tr_lst, 1):
        where = f"第{number}个表格第{r}行"
        cells = [Cell(_cell_text(tc), where) for tc in tr.tc_lst if tc.vMerge != "continue"]
        rows.append(Row(cells, where))
    return Table(rows, f"第{number}个表格")
