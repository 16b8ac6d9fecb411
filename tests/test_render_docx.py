"""The .docx report read back with python-docx: statutory values in their cells, the official merges,
GB/T 9704 page set-up and fonts, page numbers, the draft header; one LibreOffice conversion to
PDF and PNG (skipped only where soffice is missing)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile

import docx
import pytest
import render_expected as X
from conftest import consistent_numbers, make_report
from docx.enum.text import WD_ALIGN_PARAGRAPH
from lxml import etree
from workbooks import HUAIAN, ZHUZHOU

from xlreport.forms import FORM_2021
from xlreport.render.document import compose
from xlreport.render.docx import render_docx
from xlreport.usecases.build import build_report
from xlreport.workbook.reader import read_report

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
TWIPS_PER_MM = 1440 / 25.4


def w(el, attr):
    return el.get(W + attr)


@pytest.fixture(scope="module")
def huaian_bytes():
    return render_docx(compose(read_report(HUAIAN)))


@pytest.fixture(scope="module")
def seed_doc():
    return docx.Document(io.BytesIO(render_docx(compose(read_report(ZHUZHOU)))))


def part(data: bytes, name: str):
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return etree.fromstring(zf.read(name))


def read_table(table) -> X.ReadTable:
    return X.ReadTable({
        (r, c): (cell.text, cell._tc)
        for r, row in enumerate(table.rows)
        for c, cell in enumerate(row.cells)
    })


def tables(document) -> dict[str, X.ReadTable]:
    return dict(zip(("表二", "表三", "表四"), map(read_table, document.tables), strict=True))


def test_huaian_every_value_is_in_its_statutory_cell(huaian_bytes):
    t = tables(docx.Document(io.BytesIO(huaian_bytes)))
    assert t["表二"].block_values() == X.HUAIAN_T2
    assert t["表三"].cross_values(head=3, stub=3) == X.t3_expected(X.HUAIAN_T3)
    assert t["表四"].cross_values(head=3, stub=0) == X.t4_expected(X.HUAIAN_T4)


def test_seed_tables_reproduce_the_seed_document(seed_doc):
    t = tables(seed_doc)
    assert t["表二"].block_values() == X.SEED_T2
    assert t["表三"].cross_values(head=3, stub=3) == X.t3_expected(X.SEED_T3)
    assert t["表四"].cross_values(head=3, stub=0) == X.t4_expected(X.SEED_T4)


def test_seed_texts_reproduce_the_seed_document(seed_doc):
    flow = [(p.style.name, p.text) for p in seed_doc.paragraphs]
    assert flow[0] == ("Title", X.SEED_TITLE.replace("局2020", "局\n2020"))  # two lines, broken after the agency
    overview = flow.index(("Heading 1", "一、总体情况"))
    expected = [item for sub, body in X.SEED_OVERVIEW for item in (("Heading 2", sub), ("Normal", body))]
    assert flow[overview + 1 : overview + 1 + len(expected)] == expected
    assert [h for s, h in flow if s == "Heading 1"] == X.HEADINGS
    assert [text for _, text in flow[-2:]] == list(X.SEED_SIGNATURE)


@pytest.mark.parametrize("path,version", [(ZHUZHOU, "2019"), (HUAIAN, "2021")])
def test_tables_have_the_official_merges(path, version):
    t = tables(docx.Document(io.BytesIO(render_docx(compose(read_report(path))))))
    for name, merges in (("表三", X.T3_MERGES[version]), ("表四", X.T4_MERGES), ("表二", X.T2_MERGES[version])):
        for text, rows, cols in merges:
            assert t[name].span(text) == (rows, cols), (name, text)


def test_page_is_a4_with_the_gbt9704_type_area_and_22_lines(huaian_bytes):
    sect = part(huaian_bytes, "word/document.xml").find(f".//{W}body/{W}sectPr")
    size, margins, grid = sect.find(W + "pgSz"), sect.find(W + "pgMar"), sect.find(W + "docGrid")
    assert (w(size, "w"), w(size, "h")) == ("11906", "16838")
    mm = {side: int(w(margins, side)) / TWIPS_PER_MM for side in ("top", "bottom", "left", "right")}
    assert round(mm["top"]) == 37 and round(mm["left"]) == 28
    assert round(210 - mm["left"] - mm["right"]) == 156 and round(297 - mm["top"] - mm["bottom"]) == 225
    assert (w(grid, "type"), w(grid, "linePitch")) == ("lines", "579")
    assert (int(w(size, "h")) - int(w(margins, "top")) - int(w(margins, "bottom"))) // 579 == 22


def test_east_asian_fonts_are_set_without_theme_fallback(huaian_bytes):
    styles = part(huaian_bytes, "word/styles.xml")
    for rfonts in styles.iter(W + "rFonts"):
        assert not [a for a in rfonts.attrib if a.lower().endswith("theme")], rfonts.attrib
    default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    fonts = default.find(W + "rFonts")
    assert (w(fonts, "eastAsia"), w(fonts, "ascii"), w(fonts, "hAnsi")) == ("仿宋_GB2312", "Times New Roman", "Times New Roman")
    assert w(default.find(W + "lang"), "eastAsia") == "zh-CN"
    by_id = {w(s, "styleId"): s for s in styles.iter(W + "style")}
    for style_id, font, half_points in (
        ("Normal", "仿宋_GB2312", "32"),  # 3号
        ("Title", "方正小标宋简体", "44"),  # 2号
        ("Heading1", "黑体", "32"),
        ("Heading2", "楷体_GB2312", "32"),
        ("Footer", "宋体", "28"),  # 4号 page numbers
    ):
        rpr = by_id[style_id].find(W + "rPr")
        assert w(rpr.find(W + "rFonts"), "eastAsia") == font, style_id
        assert w(rpr.find(W + "rFonts"), "ascii") == "Times New Roman", style_id  # digits
        assert w(rpr.find(W + "sz"), "val") == half_points, style_id
        assert w(rpr.find(W + "lang"), "eastAsia") == "zh-CN"
    spacing = by_id["Normal"].find(f"{W}pPr/{W}spacing")
    assert (w(spacing, "line"), w(spacing, "lineRule")) == ("579", "exact")
    lang = part(huaian_bytes, "word/settings.xml").find(W + "themeFontLang")
    assert w(lang, "eastAsia") == "zh-CN"


def test_tables_use_a_smaller_font_and_the_widest_the_smallest(huaian_bytes):
    document = docx.Document(io.BytesIO(huaian_bytes))
    sizes = [{p.style.font.size.pt for cell in t._cells for p in cell.paragraphs} for t in document.tables]
    assert sizes == [{10.5}, {10.5}, {9.0}]  # 表二, 表三 五号; 表四 小五
    widths = [sum(int(w(g, "w")) for g in t._tbl.tblGrid.iter(W + "gridCol")) for t in document.tables]
    assert all(abs(x / TWIPS_PER_MM - 156) < 0.5 for x in widths)  # the type area, portrait


def test_page_numbers_odd_right_even_left_with_dashes(huaian_bytes):
    document = docx.Document(io.BytesIO(huaian_bytes))
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, alignment in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        (p,) = footer.paragraphs
        assert p.alignment == alignment
        field = p._p.find(W + "fldSimple")
        assert w(field, "instr").strip() == "PAGE"
        assert "".join(t.text for t in p._p.iter(W + "t")) == "— 1 —"


def test_draft_header_on_every_page_only_when_draft():
    report = make_report(FORM_2021, consistent_numbers(FORM_2021, lambda: 1))
    draft = docx.Document(io.BytesIO(render_docx(compose(report, draft=True)))).sections[0]
    final = docx.Document(io.BytesIO(render_docx(compose(report)))).sections[0]
    assert draft.header.paragraphs[0].text == "校验未通过稿"
    assert draft.even_page_header.paragraphs[0].text == "校验未通过稿"
    assert not draft.different_first_page_header_footer  # the first page uses the same header
    assert final.header.is_linked_to_previous and final.even_page_header.is_linked_to_previous


def _pgm_pages(folder):
    """Grey pixels of each page rendered by pdftoppm -gray (binary PGM)."""
    pages = []
    for path in sorted(folder.glob("page-*.pgm")):
        data = path.read_bytes()
        magic, width, height, maxval, pixels = data.split(maxsplit=4)
        assert magic == b"P5" and maxval == b"255"
        pages.append(pixels[: int(width) * int(height)])
    return pages


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_turns_the_docx_into_pdf_pages_that_are_not_blank(tmp_path):
    report = read_report(HUAIAN)
    (pdf,) = build_report(report, tmp_path, ("pdf",), stem="huaian")
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("淮安市人民政府", "三、收到和处理政府信息公开申请情况", "3119", "3050", "96171.6"):
        assert expected in text
    assert re.search(r"—\s*1\s*—", text) and re.search(r"—\s*2\s*—", text)  # page numbers
    # no punctuation lost at line ends (LibreOffice drops a hanging comma from justified lines)
    n = report.narrative
    typed = n.preamble + n.overview_intro + "".join(h + b for h, b in n.overview_parts) + n.problems + n.other
    assert text.count("，") == typed.count("，") + 3  # + the 勾稽 note (1) and the 部分公开 label (2)
    subprocess.run(["pdftoppm", "-gray", "-r", "20", str(pdf), str(tmp_path / "page")], check=True)
    pages = _pgm_pages(tmp_path)
    assert len(pages) >= 4
    for pixels in pages:
        dark = sum(1 for v in pixels if v < 128)
        assert dark / len(pixels) > 0.005  # text on the page, not an empty sheet
