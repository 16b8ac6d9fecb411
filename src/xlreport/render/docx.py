"""The report as .docx in the GB/T 9704-2012 公文 layout (python-docx plus a small oxml helper).

Page: A4 (11906 × 16838 twips); margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm, so the
type area is 156 × 225 mm; w:docGrid line pitch 579 twips (28.95 pt) with exact line spacing gives
22 lines per page. Body 3号 (16 pt) 仿宋_GB2312, title 2号 小标宋, 一、 headings 黑体, （一） headings
楷体_GB2312; digits and Latin text in Times New Roman (w:ascii/w:hAnsi). The East Asian font is set
as w:eastAsia at docDefaults and in every style we use, every *Theme attribute is removed and the
East Asian language is zh-CN, so Word never falls back to the template theme's MS Mincho. Page
numbers "— 1 —" in 4号, odd pages right and even pages left, one character in from the edge
(w:evenAndOddHeaders). Fonts are referenced by name, never embedded.

Tables: portrait pages with a smaller table font, not landscape sections. 表三's seven value
columns fit the 156 mm type area at 五号 (10.5 pt): 6 + 14 + 52 mm of row labels leave 12 mm per
value column, enough for four-digit counts; 表四's fifteen columns get 10.4 mm each at 小五 (9 pt),
where counts of cases fit and the outcome labels wrap to two lines, as in published reports.
Landscape sections would break the running odd/even page-number positions of GB/T 9704 and rotate
the table against the reading direction on screen, where these reports are read; published
reports keep the tables upright. A table that fits a page is kept on one page; a longer one repeats its header rows.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from lxml import etree

from .document import DRAFT_MARK, ReportDocument, text_width
from .grid import Grid

PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838  # A4, twips
MARGINS = {"top": 2098, "bottom": 1984, "left": 1587, "right": 1474}  # 37 / 35 / 28 / 26 mm
HEADER_DISTANCE, FOOTER_DISTANCE = 850, 1304  # 15 mm; footer line 7 mm below the type area
TYPE_WIDTH = PAGE_WIDTH - MARGINS["left"] - MARGINS["right"]  # 8845 twips = 156 mm
LINE_PITCH = 579  # twips: 225 mm / 22 lines
TWIPS_PER_MM = 1440 / 25.4

LATIN = "Times New Roman"
BODY, TITLE, HEADING1, HEADING2, PAGE_NUMBER = "仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"
SMALL_TABLE_COLUMNS = 12  # tables this wide (表四) use 小五

# style id -> (name, east asian font, size pt, paragraph properties); ids of built-in styles are kept.
_STYLES = {
    "Normal": ("Normal", BODY, 16, dict(jc="both", indent=2)),
    "Title": ("Title", TITLE, 22, dict(jc="center", after=LINE_PITCH)),
    "Heading1": ("Heading 1", HEADING1, 16, dict(indent=2, keep=True, outline=0)),
    "Heading2": ("Heading 2", HEADING2, 16, dict(indent=2, keep=True, outline=1)),
    "Header": ("Header", HEADING1, 14, dict(jc="center", line=None)),
    "Footer": ("Footer", PAGE_NUMBER, 14, dict(line=None)),
    "XrSignature": ("署名", BODY, 16, dict(jc="right")),
    "XrTable": ("表格文字", BODY, 10.5, dict(jc="center", line=None, snap=False)),
    "XrTableSmall": ("表格小字", BODY, 9, dict(jc="center", line=None, snap=False)),
}


def _rpr(east_asia: str, size: float):
    half_points = round(size * 2)
    return parse_xml(
        f"<w:rPr {nsdecls('w')}>"
        f'<w:rFonts w:ascii="{LATIN}" w:hAnsi="{LATIN}" w:eastAsia="{east_asia}" w:cs="{LATIN}"/>'
        f'<w:b w:val="0"/><w:bCs w:val="0"/><w:color w:val="000000"/><w:kern w:val="2"/>'
        f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'
        f'<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr>'
    )


def _ppr(jc: str | None = None, indent: int = 0, keep: bool = False, outline: int | None = None,
         line: int | None = LINE_PITCH, after: int = 0, snap: bool = True):
    """Paragraph properties in schema order; `indent` in characters of the first line."""
    xml = f"<w:pPr {nsdecls('w')}>"
    if keep:
        xml += "<w:keepNext/>"
    xml += '<w:widowControl w:val="0"/>'
    if not snap:
        xml += '<w:snapToGrid w:val="0"/>'
    rule = f'w:line="{line}" w:lineRule="exact"' if line else 'w:line="240" w:lineRule="auto"'
    xml += f'<w:spacing w:before="0" w:after="{after}" {rule}/>'
    xml += f'<w:ind w:left="0" w:right="0" w:firstLineChars="{indent * 100}" w:firstLine="{indent * 320}"/>'
    if jc:
        xml += f'<w:jc w:val="{jc}"/>'
    if outline is not None:
        xml += f'<w:outlineLvl w:val="{outline}"/>'
    return parse_xml(xml + "</w:pPr>")


def _replace(parent, new) -> None:
    tag = new.tag
    old = parent.find(tag)
    if old is None:
        old = parent.get_or_add_pPr() if tag == qn("w:pPr") else parent.get_or_add_rPr()
    parent.replace(old, new)


def _set_up_styles(doc, justify: bool) -> None:
    styles = doc.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault"))
    rpr_default.replace(rpr_default.find(qn("w:rPr")), _rpr(BODY, 16))
    ppr_default = defaults.find(qn("w:pPrDefault"))
    ppr_default.replace(ppr_default.find(qn("w:pPr")), parse_xml(f'<w:pPr {nsdecls("w")}><w:spacing w:after="0"/></w:pPr>'))
    by_id = {s.style_id: s for s in styles}
    for style_id, (name, font, size, para) in _STYLES.items():
        if not justify and para.get("jc") == "both":
            para = para | {"jc": "left"}
        style = by_id.get(style_id)
        if style is None:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.style_id = style_id
            style.base_style = by_id["Normal"]
        el = style.element
        _replace(el, _ppr(**para))
        _replace(el, _rpr(font, size))
    # No theme fallback anywhere (linked character styles, unused styles).
    for rfonts in styles.element.iter(qn("w:rFonts")):
        for attr in [a for a in rfonts.attrib if a.lower().endswith("theme")]:
            del rfonts.attrib[attr]
    lang = doc.settings.element.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")


def _set_up_page(doc) -> None:
    section = doc.sections[0]
    sect = section._sectPr
    pg_sz = sect.find(qn("w:pgSz"))
    pg_sz.set(qn("w:w"), str(PAGE_WIDTH))
    pg_sz.set(qn("w:h"), str(PAGE_HEIGHT))
    pg_mar = sect.find(qn("w:pgMar"))
    for side, twips in MARGINS.items():
        pg_mar.set(qn(f"w:{side}"), str(twips))
    pg_mar.set(qn("w:header"), str(HEADER_DISTANCE))
    pg_mar.set(qn("w:footer"), str(FOOTER_DISTANCE))
    pg_mar.set(qn("w:gutter"), "0")
    grid = sect.find(qn("w:docGrid"))
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    doc.settings.odd_and_even_pages_header_footer = True


def _page_numbers(doc) -> None:
    """— 1 — in 4号: odd pages right, even pages left, one character in (GB/T 9704 §7.5)."""
    section = doc.sections[0]
    for footer, jc, side in ((section.footer, "right", "w:right"), (section.even_page_footer, "left", "w:left")):
        p = footer.paragraphs[0]
        p.style = doc.styles["Footer"]
        ppr = p._p.get_or_add_pPr()
        ppr.append(parse_xml(f'<w:ind {nsdecls("w")} {side}Chars="100" {side}="280"/>'))
        ppr.append(parse_xml(f'<w:jc {nsdecls("w")} w:val="{jc}"/>'))
        p.add_run("— ")
        field = parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>')
        p._p.append(field)
        p.add_run(" —")


def _draft_headers(doc) -> None:
    section = doc.sections[0]
    for header in (section.header, section.even_page_header):
        p = header.paragraphs[0]
        p.style = doc.styles["Header"]
        p.add_run(DRAFT_MARK)


def _sub(parent, tag: str, **attrs):
    return etree.SubElement(parent, qn(tag), {qn(f"w:{k}"): str(v) for k, v in attrs.items()})


def _column_widths(grid: Grid) -> list[int]:
    """Row-label columns at fixed widths (the last one holds the long labels); values share the rest."""
    stub_mm = {0: (), 1: (46,), 2: (16, 50), 3: (6, 14, 52)}.get(grid.stub_cols, (12,) * (grid.stub_cols - 1) + (50,))
    stub = [round(mm * TWIPS_PER_MM) for mm in stub_mm]
    n = grid.ncols - grid.stub_cols
    rest = TYPE_WIDTH - sum(stub)
    values = [rest // n] * n
    values[-1] += rest - sum(values)
    return stub + values


def _table(grid: Grid):
    """A w:tbl with the grid's merges as w:gridSpan and w:vMerge."""
    style = "XrTableSmall" if grid.ncols >= SMALL_TABLE_COLUMNS else "XrTable"
    widths = _column_widths(grid)
    tbl = OxmlElement("w:tbl")
    pr = _sub(tbl, "w:tblPr")
    _sub(pr, "w:tblW", w=sum(widths), type="dxa")
    _sub(pr, "w:jc", val="center")
    borders = _sub(pr, "w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _sub(borders, f"w:{side}", val="single", sz=4, space=0, color="000000")
    _sub(pr, "w:tblLayout", type="fixed")
    margins = _sub(pr, "w:tblCellMar")
    _sub(margins, "w:left", w=57, type="dxa")
    _sub(margins, "w:right", w=57, type="dxa")
    columns = _sub(tbl, "w:tblGrid")
    for w in widths:
        _sub(columns, "w:gridCol", w=w)
    owners = grid.owners()
    for r in range(grid.nrows):
        tr = _sub(tbl, "w:tr")
        tr_pr = _sub(tr, "w:trPr")
        _sub(tr_pr, "w:cantSplit")
        if r < grid.header_rows:
            _sub(tr_pr, "w:tblHeader")
        c = 0
        while c < grid.ncols:
            cell = owners[(r, c)]
            tc = _sub(tr, "w:tc")
            tc_pr = _sub(tc, "w:tcPr")
            _sub(tc_pr, "w:tcW", w=sum(widths[c : c + cell.colspan]), type="dxa")
            if cell.colspan > 1:
                _sub(tc_pr, "w:gridSpan", val=cell.colspan)
            if cell.rowspan > 1:
                merge = _sub(tc_pr, "w:vMerge")
                if cell.row == r:
                    merge.set(qn("w:val"), "restart")
            _sub(tc_pr, "w:vAlign", val="center")
            p = _sub(tc, "w:p")
            p_pr = _sub(p, "w:pPr")
            _sub(p_pr, "w:pStyle", val=style)
            if r < grid.nrows - 1:
                _sub(p_pr, "w:keepNext")  # keeps a table that fits one page on one page
            if cell.row == r and cell.text:
                if cell.role == "corner" or (cell.role == "rowhead" and cell.rowspan == 1):
                    _sub(p_pr, "w:jc", val="left")
                for i, line in enumerate(cell.text.split("\n")):
                    run = _sub(p, "w:r")
                    if i:
                        _sub(run, "w:br")
                    t = _sub(run, "w:t")
                    t.text = line
                    t.set(qn("xml:space"), "preserve")
            c += cell.colspan
    return tbl


def _signature(doc, agency: str, date: str) -> None:
    """GB/T 9704 §7.3.5.2: the date 4 characters in from the right, the agency centred over it."""
    date_right = 4.0
    agency_right = date_right + (text_width(date) - text_width(agency)) / 2 if date else date_right
    if agency_right < 0:
        date_right, agency_right = date_right - agency_right, 0.0
    p = doc.add_paragraph(agency, style="署名")
    p.paragraph_format.right_indent = Pt(16 * agency_right)
    p.paragraph_format.space_before = Pt(2 * LINE_PITCH / 20)
    if date:
        p = doc.add_paragraph(date, style="署名")
        p.paragraph_format.right_indent = Pt(16 * date_right)


_PARAGRAPH_STYLES = {"h1": "Heading1", "h2": "Heading2", "body": "Normal"}


def render_docx(doc: ReportDocument, justify: bool = True) -> bytes:
    """The .docx; justify=False aligns body text left, for LibreOffice, which (7.x) hangs a
    line-final comma into the margin and, in a justified paragraph, drops it from the page."""
    out = Document()
    _set_up_styles(out, justify)
    _set_up_page(out)
    _page_numbers(out)
    if doc.draft:
        _draft_headers(out)
    props = out.core_properties
    props.title, props.author, props.last_modified_by = doc.title, "", ""
    props.comments, props.language = "由 xlreport 生成", "zh-CN"
    props.created = props.modified = datetime.now(timezone.utc).replace(microsecond=0, tzinfo=None)
    body_end = out.element.body.sectPr
    parts = list(doc.parts)
    for i, part in enumerate(parts):
        if part.kind == "title":
            p = out.add_paragraph(style="Title")
            for j, line in enumerate(part.text.split("\n")):
                run = p.add_run(line)
                if j < len(part.text.split("\n")) - 1:
                    run.add_break()
        elif part.kind in _PARAGRAPH_STYLES:
            out.add_paragraph(part.text)._p.style = _PARAGRAPH_STYLES[part.kind]  # by id: no lookup by name
        elif part.kind == "table":
            body_end.addprevious(_table(part.grid))
        elif part.kind == "signature":
            date = next((p.text for p in parts[i + 1 :] if p.kind == "date"), "")
            _signature(out, part.text, date)
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()
