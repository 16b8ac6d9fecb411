"""Generated files are safe whatever the input holds: text is escaped in HTML and .docx, text never
becomes a formula in a workbook the tool writes, XML is parsed without DTDs or entity expansion,
and zip members are size-checked before they are read.

Outputs are read back with independent parsers (html.parser, python-docx, zipfile + lxml without
entities, openpyxl, LibreOffice), never with the code that wrote them.
"""

from __future__ import annotations

import html.parser
import io
import re
import shutil
import struct
import subprocess
import time
import zipfile
from pathlib import Path, PurePosixPath

import openpyxl
import pytest
from conftest import REPO, consistent_numbers, make_report
from lxml import etree
from workbooks import HUAIAN, copy, edited

from xlreport.cli import main
from xlreport.excel import addin, ribbon
from xlreport.excel.grid import Link
from xlreport.excel.grid_file import FileGrid
from xlreport.forms import FORM_2021
from xlreport.model import Narrative, text_value
from xlreport.render.document import compose
from xlreport.render.docx import render_docx
from xlreport.render.html import render_html
from xlreport.usecases import batch
from xlreport.usecases.aggregate import Source, aggregate_workbook
from xlreport.workbook.export import report_workbook
from xlreport.workbook.reader import CalamineSource
from xlreport.workbook.safezip import ReadError
from xlreport.workbook.writer import write_cells

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
FIXTURE = REPO / "tests" / "fixtures" / "real-reports" / "2024_huaian_shi_renmin_zhengfu.txt"

# What agencies, staff and published pages put in text, and what an attacker would.
HOSTILE = [
    '<script>alert("x")</script>',
    '"><img src=x onerror=alert(1)>',
    "Tom & Jerry's \"quoted\" <b>bold</b> &lt;already escaped&gt; &amp;",
    "前\x00\x01\x08\x0b\x0c\x1f\x7f后",  # control characters
    "前\ud800中\udfff后",  # unpaired surrogates (an undecodable file name gives these)
    "某局\u202etxt.exe\u202c（RTL override）",
    "]]><w:p><w:r><w:t>injected</w:t></w:r></w:p><!--",
    "</title><script src=//evil></script>",
]


def shown(text: str) -> str:
    """What a document can show of `text`: the characters neither XML nor HTML can hold are gone."""
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]", "", text)


def hostile_report(text: str, filler: str | None = None):
    """A 2021 report with `text` as agency, in every narrative part, in the cover and in a 表三 cell."""
    numbers = consistent_numbers(FORM_2021, lambda: 1)
    numbers["t3.new.natural"] = text
    narrative = Narrative(preamble=text, overview_intro=text, overview_parts=[(text, text)], problems=text, other=text)
    report = make_report(FORM_2021, numbers, agency=text, narrative=narrative)
    for key in ("website", "address", "signed_on"):
        report.cover[key] = text_value(text)
    return report


class Page(html.parser.HTMLParser):
    """Tags, attributes and the text of an HTML page, as a browser's tokenizer sees them."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[str] = []
        self.text = ""
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [name for name, _ in attrs]

    def handle_data(self, data):
        self.text += data


HTML_TAGS = {"html", "head", "meta", "title", "style", "body", "article", "h1", "h2", "h3", "p", "br",
             "table", "caption", "thead", "tbody", "tr", "th", "td"}


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_html_escapes_agency_narrative_and_cells_and_the_text_round_trips(text):
    page = render_html(compose(hostile_report(text)))
    page.encode("utf-8")  # a page that cannot be saved is no page
    parsed = Page(page)
    assert set(parsed.tags) <= HTML_TAGS and "script" not in parsed.tags
    assert not [a for a in parsed.attrs if a.startswith("on") or a in ("src", "href")]
    assert parsed.tags.count("title") == 1 and parsed.tags.count("h1") == 1
    # agency (title, signature), preamble, intro, sub-heading, body, problems, other, 表三 cell, address
    assert parsed.text.count(shown(text)) >= 9


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_docx_is_well_formed_the_text_round_trips_and_no_element_is_injected(text):
    import docx

    data = render_docx(compose(hostile_report(text)))
    document = docx.Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]
    paragraphs += [p.text for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    assert sum(p.count(shown(text)) for p in paragraphs) >= 9
    assert shown(text) in document.core_properties.title

    def tags(blob: bytes) -> list[str]:
        with zipfile.ZipFile(io.BytesIO(blob)) as zf:
            root = etree.fromstring(zf.read("word/document.xml"), SAFE)
        return [el.tag for el in root.iter()]

    # The same report with plain text of the same width (the title breaks by width) has exactly
    # the same elements: the text added none.
    plain = "".join("x" if ord(ch) < 0x2E80 else "甲" for ch in shown(text))
    assert tags(data) == tags(render_docx(compose(hostile_report(plain))))


# --- no text becomes a formula --------------------------------------------------------------------

FORMULAS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
    '=HYPERLINK("http://evil.example","点击查看")',
    "=cmd|' /C calc'!A0",
]


def formula_cells(path: Path) -> dict[tuple[str, str], str]:
    """(sheet part, A1) → formula text, of every <f> in every worksheet, read from the XML itself."""
    out = {}
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                root = etree.fromstring(zf.read(name), SAFE)
                for c in root.iter(f"{{{MAIN}}}c"):
                    f = c.find(f"{{{MAIN}}}f")
                    if f is not None:
                        out[(name, c.get("r"))] = f.text or ""
    return out


def template_formulas(tmp: Path) -> set[str]:
    """The standard workbook's own formulas (格式版本 on the cover), from `xlreport new`."""
    path = tmp / "blank.xlsx"
    if not path.exists():
        assert main(["new", "--year", "2024", "-o", str(path)]) == 0
    return set(formula_cells(path).values())


def texts(path: Path) -> dict[str, list[tuple[str, bool]]]:
    """Each string cell's (value, quotePrefix) per sheet, read by openpyxl."""
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        out[ws.title] = [(c.value, c.quotePrefix) for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    return out


def assert_kept_as_text(path: Path, hostile: list[str], allowed: set[str] = frozenset()) -> None:
    assert set(formula_cells(path).values()) <= allowed
    found = {v: q for cells in texts(path).values() for v, q in cells}
    for text in hostile:  # a text cell; with Excel's quote prefix where a formula could start
        assert found.get(text) is (text[:1] in ("=", "+", "-", "@", "\t", "\r")), (text, [v for v in found if text[-4:] in v][:3])


def test_batch_summary_keeps_file_names_agencies_and_messages_as_text(tmp_path, capsys):
    rows = [{"file": f"{t}.xlsx", "agency": t, "year": 2024, "form_version": "2021", "error": t, "findings": []}
            for t in FORMULAS]
    rows.append({"file": "局\x0b\udcff.xlsx", "agency": "局\x01", "year": 2024, "form_version": "2021",
                 "findings": [{"rule": "CELL-TEXT", "severity": "error", "message": "=1+2",
                               "cells": [{"key": "k", "sheet": "=表三", "coord": "D5", "name": "-x"}],
                               "left": None, "right": None, "delta": None}]})
    out = batch.write_summary(rows, tmp_path / "汇总.xlsx")
    assert_kept_as_text(out, [f"{t}.xlsx" for t in FORMULAS] + FORMULAS + ["=1+2", "=表三", "-x"])
    assert ("局.xlsx", False) in texts(out)["汇总"]  # a file name the disk could not decode still gets its row


def test_check_summary_of_a_folder_with_hostile_names_holds_no_formula(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "报告"
    folder.mkdir()
    wb = openpyxl.load_workbook(HUAIAN)
    sheet, coord = next(iter(wb.defined_names["XR_COVER_AGENCY"].destinations))
    cell = wb[sheet][coord.replace("$", "")]
    cell.value, cell.data_type = "=cmd|' /C calc'!A0", "s"
    wb.save(folder / "=1+1.xlsx")
    copy(HUAIAN, folder / "@SUM(1,1).xlsx")
    monkeypatch.chdir(folder)  # `xlreport check . -o ../汇总.xlsx`: the files are named =1+1.xlsx, @SUM(1,1).xlsx
    code, _, err = main(["check", ".", "-o", "../汇总.xlsx"]), *capsys.readouterr()
    assert code in (0, 1), err
    assert_kept_as_text(tmp_path / "汇总.xlsx", ["=1+1.xlsx", "@SUM(1,1).xlsx", "=cmd|' /C calc'!A0"])


def test_aggregate_sources_sheet_keeps_file_names_and_agencies_as_text(tmp_path):
    numbers = consistent_numbers(FORM_2021, lambda: 1)
    sources = [Source(f"{t}.xlsx", make_report(FORM_2021, numbers, agency=t), ()) for t in FORMULAS]
    sources.append(Source("局\udcff\x01.xlsx", make_report(FORM_2021, numbers, agency="某\x0b局"), ()))
    report = make_report(FORM_2021, numbers, agency="=某县")
    path = tmp_path / "汇总.xlsx"
    aggregate_workbook(report, sources).save(path)
    agencies = [t for t in FORMULAS if t == t.strip()]  # a name is read stripped of surrounding blanks
    assert_kept_as_text(path, [f"{t}.xlsx" for t in FORMULAS] + agencies + ["=某县"], template_formulas(tmp_path))
    assert ("局.xlsx", False) in texts(path)["来源"] and ("某局", False) in texts(path)["来源"]


def test_exported_workbooks_keep_every_text_as_text(tmp_path):
    """import, next and aggregate write through export: cover, narrative, sub-headings, table cells."""
    for i, text in enumerate(FORMULAS):
        report = hostile_report(text)
        path = tmp_path / f"{i}.xlsx"
        report_workbook(report).save(path)
        assert_kept_as_text(path, [text], template_formulas(tmp_path))
        assert texts(path)["正文"].count((text, True)) == 6  # preamble, intro, heading, body, problems, other


def test_import_and_next_write_no_formula_from_the_text(tmp_path, capsys):
    text = FIXTURE.read_text("utf-8").replace("五、存在的主要问题及改进情况\n", "五、存在的主要问题及改进情况\n=cmd|' /C calc'!A0\n")
    source = tmp_path / "淮安.txt"
    source.write_text(text, "utf-8")
    assert main(["import", str(source), "-o", str(tmp_path / "导入.xlsx")]) in (0, 1)
    imported = tmp_path / "导入.xlsx"
    assert set(formula_cells(imported).values()) <= template_formulas(tmp_path)
    assert any(v.startswith("=cmd") and q for v, q in texts(imported)["正文"])
    # next: the agency typed as text "=…" is carried to the new year's cover, still text
    wb = openpyxl.load_workbook(HUAIAN)
    sheet, coord = next(iter(wb.defined_names["XR_COVER_AGENCY"].destinations))
    cell = wb[sheet][coord.replace("$", "")]
    cell.value, cell.data_type = "@SUM(1,1)", "s"
    wb.save(tmp_path / "本年.xlsx")
    capsys.readouterr()
    assert main(["next", str(tmp_path / "本年.xlsx"), "-o", str(tmp_path / "下年.xlsx")]) == 0
    assert_kept_as_text(tmp_path / "下年.xlsx", ["@SUM(1,1)"], template_formulas(tmp_path))


def _sheet_part(path: Path, sheet: str) -> str:
    """The worksheet part of `sheet`, through workbook.xml and its relationships."""
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path) as zf:
        wb = etree.fromstring(zf.read("xl/workbook.xml"), SAFE)
        rels = etree.fromstring(zf.read("xl/_rels/workbook.xml.rels"), SAFE)
    rid = next(s.get(f"{{{rel}}}id") for s in wb.iter(f"{{{MAIN}}}sheet") if s.get("name") == sheet)
    target = next(r.get("Target") for r in rels if r.get("Id") == rid)
    return target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)


def _patched(tmp: Path) -> Path:
    out = tmp / "patched.xlsx"
    write_cells(HUAIAN, out, {("正文", 40 + i, 3): t for i, t in enumerate(FORMULAS)})
    return out


def test_the_patching_writer_writes_text_as_inline_strings_never_formulas(tmp_path):
    out = _patched(tmp_path)
    with zipfile.ZipFile(out) as zf:
        root = etree.fromstring(zf.read(_sheet_part(out, "正文")), SAFE)
    for i, text in enumerate(FORMULAS):
        c = next(c for c in root.iter(f"{{{MAIN}}}c") if c.get("r") == f"C{40 + i}")
        assert c.get("t") == "inlineStr" and c.find(f"{{{MAIN}}}f") is None and c.find(f"{{{MAIN}}}v") is None
        assert "".join(c.find(f"{{{MAIN}}}is").itertext()) == text
    grid = CalamineSource(out).grid("正文")
    assert [grid[39 + i][2] for i in range(len(FORMULAS))] == FORMULAS


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_libreoffice_shows_the_written_text_not_a_computed_value(tmp_path):
    """The proof on a real spreadsheet program: every file shows "=1+1", and a real formula
    (the control) shows 2, so the method can tell them apart."""
    control = tmp_path / "control.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "=1+1"
    wb.save(control)
    patched = _patched(tmp_path)
    exported = tmp_path / "exported.xlsx"
    report_workbook(hostile_report("=1+1")).save(exported)
    summary = batch.write_summary([{"file": "=1+1", "error": "@SUM(1,1)", "findings": []}], tmp_path / "summary.xlsx")
    out = tmp_path / "csv"
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                    "--outdir", str(out), str(control), str(patched), str(exported), str(summary)],
                   check=True, capture_output=True, timeout=180)
    csv = {p.name: p.read_text("utf-8") for p in out.iterdir()}
    assert csv["control-Sheet.csv"].strip() == "2"
    assert ",=1+1\n" in csv["patched-正文.csv"] and '"@SUM(1,1)"' in csv["patched-正文.csv"]
    assert ",-1+1\n" in csv["patched-正文.csv"] and '"=HYPERLINK(""http://evil.example"",""点击查看"")"' in csv["patched-正文.csv"]
    assert csv["exported-正文.csv"].count("=1+1") == 6 and "=1+1" in csv["exported-表三.csv"]
    assert csv["summary-汇总.csv"].splitlines()[1].startswith("=1+1,") and "@SUM(1,1)" in csv["summary-汇总.csv"]


# --- the ribbon's 校验结果 sheet and marks --------------------------------------------------------------


def test_file_grid_results_sheet_keeps_messages_as_text_and_links_with_quotes_work(tmp_path):
    grid = FileGrid(copy(HUAIAN, tmp_path / "年报.xlsx"))
    grid.write_results([["规则", "级别", "说明", "单元格"],
                        *[["R", "错误", t, Link("O'Brien \"局\"", "B2", "O'Brien!B2")] for t in FORMULAS]])
    out = grid.save(tmp_path / "out.xlsx")
    assert_kept_as_text(out, FORMULAS, template_formulas(tmp_path))
    ws = openpyxl.load_workbook(out)["校验结果"]
    assert ws["D2"].hyperlink.location == "'O''Brien \"局\"'!B2"


def test_excel_results_sheet_escapes_quotes_in_links_and_keeps_messages_as_text():
    from fakes_xlwings import book_from_xlsx

    from xlreport.excel.xlgrid import XlGrid

    book = book_from_xlsx(HUAIAN)
    grid = XlGrid(book)
    sheet = "O'Brien \"局\""
    grid.write_results([["规则", "级别", "说明", "单元格"], *[["R", "错误", t, Link(sheet, "B2", '说"明')] for t in FORMULAS]])
    cells = book.sheets["校验结果"].cells
    for r, text in enumerate(FORMULAS, start=2):
        assert cells[(r, 3)] == "'" + text  # Excel's apostrophe: shown and kept as text
        m = re.fullmatch(r'=HYPERLINK\("((?:[^"]|"")*)","((?:[^"]|"")*)"\)', cells[(r, 4)])
        assert m and m.group(1).replace('""', '"') == "#'O''Brien \"局\"'!B2" and m.group(2).replace('""', '"') == '说"明'


def test_a_users_note_that_looks_like_a_formula_stays_text_in_the_marks_sheet(tmp_path):
    from openpyxl.comments import Comment

    wb = openpyxl.load_workbook(HUAIAN)
    sheet, coord = next(iter(wb.defined_names["XR_T3_NEW_NATURAL"].destinations))
    cell = wb[sheet][coord.replace("$", "")]
    cell.value = "无"  # an error: it gets marked
    cell.comment = Comment("=cmd|' /C calc'!A0", "张三")
    wb.save(tmp_path / "年报.xlsx")
    grid = FileGrid(tmp_path / "年报.xlsx")
    ribbon.validate(grid)
    out = grid.save(tmp_path / "marked.xlsx")
    assert_kept_as_text(out, ["=cmd|' /C calc'!A0"], template_formulas(tmp_path))
    again = FileGrid(out)
    ribbon.clear_marks(again)
    restored = openpyxl.load_workbook(again.save(tmp_path / "cleared.xlsx"))[sheet][coord.replace("$", "")]
    assert restored.comment.text == "=cmd|' /C calc'!A0"


def test_the_ribbon_draft_on_a_file_keeps_drafted_text_as_text(tmp_path):
    grid = FileGrid(copy(HUAIAN, tmp_path / "年报.xlsx"))
    area = grid.names["XR_NARR_OTHER"]
    grid.write_block(area.sheet, *area.first, [["=1+1"]])
    grid.write_block(area.sheet, area.first[0] - 1, area.first[1], [["-2"]])
    out = grid.save(tmp_path / "out.xlsx")
    assert_kept_as_text(out, ["=1+1", "-2"], template_formulas(tmp_path))
    grid.close()


# --- XML: no DTD, no entity expansion, at every site that parses XML ---------------------------------

BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
                  + b"]>")
EXTERNAL = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def with_member(src: Path, dst: Path, member: str, change) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info.filename, change(data) if info.filename == member else data)
    return dst


def _entity(payload: bytes, use: bytes):
    """Put a DTD in front of a part's root element and an entity reference in its first element's text."""
    def change(data: bytes) -> bytes:
        body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", data)
        return payload + re.sub(rb"(<[^?!][^>]*>)", lambda m: m.group(1) + use if not m.group(1).endswith(b"/>") else m.group(1),
                                body, count=1)
    return change


ATTACKS = {"billion laughs": (BILLION_LAUGHS, b"&lol9;"), "external entity": (EXTERNAL, b"&xxe;")}


@pytest.mark.parametrize("attack", list(ATTACKS))
@pytest.mark.parametrize("member", ["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "正文"])
def test_the_patching_writer_refuses_xml_with_a_dtd(attack, member, tmp_path):
    member = _sheet_part(HUAIAN, member) if member == "正文" else member
    bad = with_member(HUAIAN, tmp_path / "bad.xlsx", member, _entity(*ATTACKS[attack]))
    started = time.perf_counter()
    with pytest.raises(ReadError, match="DTD 或实体声明"):
        write_cells(bad, tmp_path / "out.xlsx", {("正文", 40, 3): "初稿"})
    assert time.perf_counter() - started < 5
    assert not (tmp_path / "out.xlsx").exists()


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_draft_on_a_workbook_with_an_entity_attack_in_a_sheet_exits_2(attack, tmp_path, capsys):
    blank = edited(HUAIAN, tmp_path / "blank.xlsx", XR_NARR_OTHER=None)  # something to draft
    path = with_member(blank, tmp_path / "年报.xlsx", _sheet_part(blank, "正文"), _entity(*ATTACKS[attack]))
    before = path.read_bytes()
    code = main(["draft", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("错误：") and "Traceback" not in err
    assert path.read_bytes() == before and "root:" not in err


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_file_grid_refuses_to_restore_a_fill_recorded_with_a_dtd(attack, tmp_path):
    grid = FileGrid(copy(HUAIAN, tmp_path / "年报.xlsx"))
    payload, use = ATTACKS[attack]
    fill = (payload + b'<fill xmlns="' + MAIN.encode() + b'"><patternFill patternType="solid"><fgColor rgb="FF'
            + use + b'"/></patternFill></fill>').decode()
    grid._set_registry([["表三", "D5", "#FFC7CE", "xml:" + fill, ""]])
    grid._set_cell_format("表三", 5, 4, "#FFC7CE", "【xlreport】x")
    ribbon.perform(grid, "clear_marks", log_file=tmp_path / "x.log")
    assert "DTD 或实体声明" in grid.alerts[-1][1]


@pytest.mark.parametrize("attack", list(ATTACKS))
@pytest.mark.parametrize("member", ["docProps/core.xml", "xl/styles.xml"])
def test_file_grid_refuses_a_workbook_with_a_dtd_before_openpyxl_reads_it(attack, member, tmp_path):
    """The reader refuses such a file up front; this is the openpyxl load's own guard, for a file
    replaced on disk after it was read (the workbook saved elsewhere in between)."""
    path = copy(HUAIAN, tmp_path / "年报.xlsx")
    grid = FileGrid(path)
    with_member(HUAIAN, tmp_path / "bad.xlsx", member, _entity(*ATTACKS[attack])).replace(path)
    ribbon.perform(grid, "validate", log_file=tmp_path / "x.log")  # marks and results go through openpyxl
    assert "DTD 或实体声明" in grid.alerts[-1][1], grid.alerts


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_addin_build_refuses_a_ribbon_xml_with_a_dtd(attack, tmp_path):
    macros = tmp_path / "macros"
    shutil.copytree(addin.macros_dir(), macros)
    (macros / "customUI.xml").write_bytes(_entity(*ATTACKS[attack])((macros / "customUI.xml").read_bytes()))
    with pytest.raises(addin.AddinError, match="customUI.xml 含有实体声明"):
        addin.build_addin(macros=macros)


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_addin_build_refuses_a_template_whose_relationships_have_a_dtd(attack, tmp_path):
    template = with_member(addin.xlwings_dir() / addin.TEMPLATE, tmp_path / "t.xlam", "_rels/.rels", _entity(*ATTACKS[attack]))
    with pytest.raises(addin.AddinError, match="_rels/.rels 含有实体声明"):
        addin.build_addin(template=template)


# --- zip members: size-checked before they are read ---------------------------------------------------


def forged(src: Path, dst: Path, member: str, size: int) -> Path:
    """A copy whose central directory claims `member` unpacks to `size` bytes (a zip bomb's header)."""
    data = bytearray(src.read_bytes())
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) >= 0:
        n = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + n].decode() == member:
            struct.pack_into("<I", data, at + 24, size)
        at += 46
    dst.write_bytes(bytes(data))
    return dst


def _add(src: Path, dst: Path, member: str, data: bytes) -> Path:
    shutil.copyfile(src, dst)
    with zipfile.ZipFile(dst, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(member, data)
    return dst


BOMB = 0xFFFFFFF0  # 4 GB declared


@pytest.mark.parametrize("member", ["xl/media/image1.png", "正文"])
def test_the_patching_writer_refuses_a_member_declared_huge_before_reading_it(member, tmp_path):
    base = _add(HUAIAN, tmp_path / "base.xlsx", "xl/media/image1.png", b"\x89PNG" + b"\0" * 1000)
    member = _sheet_part(base, "正文") if member == "正文" else member
    bad = forged(base, tmp_path / "bomb.xlsx", member, BOMB)
    with pytest.raises(ReadError, match="大得异常"):
        write_cells(bad, tmp_path / "out.xlsx", {("正文", 40, 3): "初稿"})
    assert not (tmp_path / "out.xlsx").exists()


def test_the_patching_writer_reports_a_member_whose_data_does_not_match_its_header(tmp_path):
    """A header claiming less than the data holds: zipfile stops at the claimed size, the CRC fails."""
    base = _add(HUAIAN, tmp_path / "base.xlsx", "xl/media/image1.png", b"\x89PNG" + b"\1" * 5000)
    bad = forged(base, tmp_path / "lying.xlsx", "xl/media/image1.png", 10)
    with pytest.raises(ReadError, match="已损坏"):
        write_cells(bad, tmp_path / "out.xlsx", {("正文", 40, 3): "初稿"})
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_fill_on_a_workbook_with_a_bomb_member_exits_2_and_changes_nothing(tmp_path, capsys):
    base = _add(HUAIAN, tmp_path / "base.xlsx", "xl/media/image1.png", b"\x89PNG" + b"\0" * 1000)
    wrong = tmp_path / "年报.xlsx"
    wb_bytes = forged(base, wrong, "xl/media/image1.png", BOMB).read_bytes()
    code = main(["fill", str(wrong), "-o", str(tmp_path / "out.xlsx")])
    err = capsys.readouterr().err
    assert code == 2 and ("大得异常" in err or "压缩炸弹" in err) and wrong.read_bytes() == wb_bytes
    assert not (tmp_path / "out.xlsx").exists()


def test_file_grid_refuses_a_member_declared_huge_before_openpyxl_reads_it(tmp_path):
    base = _add(HUAIAN, tmp_path / "base.xlsx", "xl/media/image1.png", b"\x89PNG" + b"\0" * 1000)
    grid = FileGrid(copy(base, tmp_path / "年报.xlsx"))
    forged(base, tmp_path / "年报.xlsx", "xl/media/image1.png", BOMB)  # replaced after the reader's own check
    ribbon.perform(grid, "validate", log_file=tmp_path / "x.log")
    assert "大得异常" in grid.alerts[-1][1]


def test_batch_does_not_read_a_huge_core_properties_part_to_spot_its_own_summary(tmp_path):
    summary = batch.write_summary([batch.check_one(HUAIAN)], tmp_path / "s.xlsx")
    assert batch._is_own_summary(summary)
    assert not batch._is_own_summary(forged(summary, tmp_path / "bomb.xlsx", "docProps/core.xml", BOMB))


def test_addin_build_refuses_a_template_with_a_member_declared_huge(tmp_path):
    template = forged(addin.xlwings_dir() / addin.TEMPLATE, tmp_path / "t.xlam", "xl/vbaProject.bin", BOMB)
    with pytest.raises(addin.AddinError, match="大得异常"):
        addin.build_addin(template=template)
