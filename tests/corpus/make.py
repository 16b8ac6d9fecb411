"""Malformed inputs for the bad-input corpus, each made into a temporary folder at test time.

Nothing large is committed: every input is derived from the two example workbooks and the
real report text in tests/fixtures, or written from scratch (zip bombs are built from one
compressed block repeated, so a 2 GB member costs 3 MB of disk and well under a second).

CASES is the corpus as a table: case id, what is wrong, how to make it, and for each command
run on it the expected exit code and the Chinese words the message must contain. Expected
words are written by hand from the examples (淮安 2024: 表三!D5 自然人新收 3001, J5 总计 3119 …).
"""

from __future__ import annotations

import random
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import openpyxl

REPO = Path(__file__).resolve().parents[2]
HUAIAN = REPO / "examples" / "2024_huaian_renmin_zhengfu.xlsx"
ZHUZHOU = REPO / "examples" / "2020_zhuzhou_xingzheng_shenpi.xlsx"
HUAIAN_TEXT = REPO / "tests" / "fixtures" / "real-reports" / "2024_huaian_shi_renmin_zhengfu.txt"

GB = 1024**3
MB = 1024**2

Maker = Callable[[Path], Path]


# --- workbook edits ------------------------------------------------------------------


def _coord(wb, name: str) -> tuple[str, str]:
    sheet, coord = next(iter(wb.defined_names[name].destinations))
    return sheet, coord.replace("$", "").split(":")[0]


def cells(base: Path = HUAIAN, suffix: str = ".xlsx", **values) -> Maker:
    """Named cells set through openpyxl, as a user typing into Excel would."""

    def make(tmp: Path) -> Path:
        wb = openpyxl.load_workbook(base)
        for name, value in values.items():
            sheet, coord = _coord(wb, name)
            wb[sheet][coord].value = value
        out = tmp / f"input{suffix}"
        wb.save(out)
        return out

    return make


def with_openpyxl(change: Callable, base: Path = HUAIAN) -> Maker:
    """change(workbook) on an openpyxl load of the example, saved."""

    def make(tmp: Path) -> Path:
        wb = openpyxl.load_workbook(base)
        change(wb)
        out = tmp / "input.xlsx"
        wb.save(out)
        return out

    return make


def sheet_member(zf: zipfile.ZipFile, sheet: str) -> str:
    """The zip member of a sheet, from workbook.xml and its relationships (read by regex here,
    independently of the reader under test)."""
    wb = zf.read("xl/workbook.xml").decode()
    rid = re.search(rf'<sheet\b[^>]*name="{re.escape(sheet)}"[^>]*r:id="([^"]+)"', wb).group(1)
    rels = zf.read("xl/_rels/workbook.xml.rels").decode()
    target = re.search(rf'<Relationship\b[^>]*Target="([^"]+)"[^>]*Id="{rid}"|<Relationship\b[^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels)
    target = target.group(1) or target.group(2)
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def rezip(src: Path, dst: Path, changes: dict[str, Callable[[bytes], bytes | None]], extra: dict[str, bytes] | None = None) -> Path:
    """A copy with members changed (a change returning None drops the member) and members added."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        assert set(changes) <= set(zin.namelist()), set(changes) - set(zin.namelist())
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename in changes:
                data = changes[info.filename](data)
                if data is None:
                    continue
            zout.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return dst


def xml_edit(change: Callable[[str], str], sheet: str | None = None, member: str | None = None,
             base: Path | Maker = HUAIAN, suffix: str = ".xlsx") -> Maker:
    """change(text) on one XML member: a sheet by name, or a member by path (default workbook.xml)."""

    def make(tmp: Path) -> Path:
        src = base(tmp) if callable(base) else base
        with zipfile.ZipFile(src) as zf:
            name = sheet_member(zf, sheet) if sheet else member or "xl/workbook.xml"

        def edit(raw: bytes) -> bytes:
            new = change(raw.decode("utf-8"))
            assert new != raw.decode("utf-8"), "the edit changed nothing"
            return new.encode("utf-8")

        return rezip(src, tmp / f"{src.stem}-edited{suffix}", {name: edit})

    return make


def set_cell_xml(coord: str, inner: str, attrs: str = "") -> Callable[[str], str]:
    """Replace the <c r="coord"> element of a sheet with one holding `inner`."""

    def cell(m: re.Match) -> str:
        kept = re.sub(r' t="[^"]*"', "", m.group(1))  # the old type goes, the style stays
        return f'<c r="{coord}"{kept}{attrs}>{inner}</c>'

    def change(text: str) -> str:
        new, n = re.subn(rf'<c r="{coord}"([^>]*?)(?:/>|>.*?</c>)', cell, text, count=1)
        assert n == 1, coord
        return new

    return change


def names_edit(name: str, target: str | None) -> Callable[[str], str]:
    """Point a defined name elsewhere, or delete it (target None)."""

    def change(text: str) -> str:
        pattern = rf'<definedName name="{name}"[^>]*>[^<]*</definedName>'
        replacement = "" if target is None else f'<definedName name="{name}">{target}</definedName>'
        new, n = re.subn(pattern, lambda m: replacement, text)
        assert n == 1, name
        return new

    return change


DOCTYPE_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + "]>"
)
DOCTYPE_XXE = '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def with_doctype(doctype: str, entity: str | None = None, cell: str | None = None) -> Callable[[str], str]:
    """A DTD after the XML declaration; the entity referenced in a cell (sheets) or a name (workbook)."""

    def change(text: str) -> str:
        if text.startswith("<?xml"):
            end = text.index("?>") + 2
            text = text[:end] + doctype + text[end:]
        else:
            text = doctype + text
        if entity and cell:
            text = set_cell_xml(cell, f"<is><t>&{entity};</t></is>", ' t="inlineStr"')(text)
        elif entity:  # a workbook.xml: the entity in a defined name
            text = text.replace("<definedNames>", f'<definedNames><definedName name="X">&{entity};</definedName>', 1)
        return text

    return change


# --- zip bombs: one deflate block of spaces, repeated --------------------------------


def _deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def _bomb_stream(pre: bytes, size: int, post: bytes) -> tuple[bytes, int, int]:
    """Raw deflate of pre + `size` spaces + post, with its CRC and length, in O(one block) time."""
    block = b" " * (16 * MB)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = c.compress(pre) + c.flush(zlib.Z_FULL_FLUSH)
    middle = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    tail = c.compress(post) + c.flush()
    n = size // len(block)
    crc = zlib.crc32(pre)
    for _ in range(n):
        crc = zlib.crc32(block, crc)
    return head + middle * n + tail, zlib.crc32(post, crc), len(pre) + n * len(block) + len(post)


def _write_zip(path: Path, members: list[tuple[str, bytes, int, int]]) -> Path:
    """A plain zip of already deflated members (name, data, crc, size); sizes < 4 GB, no zip64."""
    out, central = bytearray(), bytearray()
    for name, data, crc, size in members:
        raw = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, 8, 0, 0x21, crc, len(data), size, len(raw), 0)
        out += raw + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, 8, 0, 0x21, crc, len(data), size,
                               len(raw), 0, 0, 0, 0, 0, offset) + raw
    out += central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0)
    path.write_bytes(out)
    return path


def zip_bomb(src: Path, member: str, size: int = 2 * GB, marker: bytes = b"<sheetData", suffix: str = ".xlsx") -> Maker:
    """A copy of src whose `member` holds `size` bytes of whitespace before `marker` (a new member if absent)."""

    def make(tmp: Path) -> Path:
        members = []
        with zipfile.ZipFile(src) as zf:
            names = zf.namelist()
            for name in names + ([member] if member not in names else []):
                data = zf.read(name) if name in names else marker
                if name == member:
                    i = data.find(marker)
                    members.append((name, *_bomb_stream(data[:i], size, data[i:])))
                else:
                    members.append((name, _deflate(data), zlib.crc32(data), len(data)))
        return _write_zip(tmp / f"bomb{suffix}", members)

    return make


# --- other files ---------------------------------------------------------------------


def data(name: str, content: bytes | Callable[[], bytes]) -> Maker:
    def make(tmp: Path) -> Path:
        out = tmp / name
        out.write_bytes(content() if callable(content) else content)
        return out

    return make


def text(name: str, content: str | Callable[[], str], encoding: str = "utf-8") -> Maker:
    return data(name, lambda: (content() if callable(content) else content).encode(encoding))


def password_protected(tmp: Path) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = tmp / "locked.xlsx"
    with HUAIAN.open("rb") as fh, out.open("wb") as dst:
        OOXMLFile(fh).encrypt("123456", dst)
    return out


def xls(tmp: Path) -> Path:
    """An Excel 97-2003 compound file: a Workbook stream opening with a BIFF8 BOF record."""
    from xlreport.excel.ovba import write_cfb

    bof = struct.pack("<HHHHHHII", 0x0809, 16, 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x0206)
    out = tmp / "old.xls"
    out.write_bytes(write_cfb({"Workbook": bof + b"\0" * 4096}))
    return out


def xlsm(tmp: Path) -> Path:
    """The example saved as macro-enabled, carrying the VBA project of xlwings' quickstart.xlsm."""
    import xlwings

    with zipfile.ZipFile(Path(xlwings.__file__).parent / "quickstart.xlsm") as zf:
        vba = zf.read("xl/vbaProject.bin")
    types = lambda b: b.replace(b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml").replace(
        b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
    rels = lambda b: b.replace(b"</Relationships>", b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/'
                                                    b'office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>')
    return rezip(HUAIAN, tmp / "macros.xlsm", {"[Content_Types].xml": types, "xl/_rels/workbook.xml.rels": rels},
                 {"xl/vbaProject.bin": vba})


def ods(tmp: Path) -> Path:
    out = tmp / "sheet.ods"
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>')
    return out


def ods_renamed(tmp: Path) -> Path:
    out = ods(tmp).rename(tmp / "sheet.xlsx")
    return out


def truncated(tmp: Path) -> Path:
    out = tmp / "cut.xlsx"
    out.write_bytes(HUAIAN.read_bytes()[: HUAIAN.stat().st_size // 2])
    return out


def deflate_damaged(tmp: Path) -> Path:
    """Zeros over the middle of workbook.xml's compressed data (past the first KB it inflates to)."""
    data = bytearray(HUAIAN.read_bytes())
    with zipfile.ZipFile(HUAIAN) as zf:
        info = zf.getinfo("xl/workbook.xml")
    name_len, extra_len = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])
    start = info.header_offset + 30 + name_len + extra_len + info.compress_size * 3 // 4
    data[start : start + 16] = bytes(16)
    out = tmp / "inflate.xlsx"
    out.write_bytes(bytes(data))
    return out


def central_directory_moved(tmp: Path) -> Path:
    """The end record claims the central directory starts 100000 bytes later than it does: zipfile
    then computes negative member offsets (a seek error, not BadZipFile)."""
    data = bytearray(HUAIAN.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    (offset,) = struct.unpack("<I", data[end + 16 : end + 20])
    data[end + 16 : end + 20] = struct.pack("<I", offset + 100_000)
    out = tmp / "offsets.xlsx"
    out.write_bytes(bytes(data))
    return out


def many_sheets(n: int = 10_000) -> Maker:
    """The example with n extra empty sheets, as a generator script might leave them."""
    sheet = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>'
    r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    def make(tmp: Path) -> Path:
        wb = lambda b: b.replace(b"</sheets>", "".join(
            f'<sheet xmlns:r="{r}" name="附表{i}" sheetId="{100 + i}" r:id="rIdX{i}"/>' for i in range(n)).encode() + b"</sheets>")
        rels = lambda b: b.replace(b"</Relationships>", "".join(
            f'<Relationship Id="rIdX{i}" Type="{r}/worksheet" Target="worksheets/x{i}.xml"/>' for i in range(n)).encode()
            + b"</Relationships>")
        types = lambda b: b.replace(b"</Types>", "".join(
            f'<Override PartName="/xl/worksheets/x{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            f'spreadsheetml.worksheet+xml"/>' for i in range(n)).encode() + b"</Types>")
        return rezip(HUAIAN, tmp / "many.xlsx", {"xl/workbook.xml": wb, "xl/_rels/workbook.xml.rels": rels,
                                                 "[Content_Types].xml": types},
                     {f"xl/worksheets/x{i}.xml": sheet for i in range(n)})

    return make


def far_cell(coord: str) -> Callable[[str], str]:
    """One stray value far from the table (a typo after Ctrl+End): the used range becomes huge."""
    row = re.match(r"[A-Z]+(\d+)", coord).group(1)
    return lambda t: t.replace("</sheetData>", f'<row r="{row}"><c r="{coord}" t="inlineStr"><is><t>x</t></is></c></row></sheetData>')


def report_text() -> str:
    return HUAIAN_TEXT.read_text(encoding="utf-8")


def plain_workbook(tmp: Path) -> Path:
    """An agency's own spreadsheet picked by mistake: no defined names of the standard workbook."""
    wb = openpyxl.Workbook()
    wb.active.append(["机关名称", "本年新收申请", "办结"])
    wb.active.append(["某某局", 12, 12])
    out = tmp / "台账.xlsx"
    wb.save(out)
    return out


def huge_html() -> bytes:
    return b"<html><body>" + b"<p>" + "政府信息公开".encode() * (50 * MB // 18) + b"</p></body></html>"


def huge_text() -> bytes:
    """About 50 MB: the real report repeated, as a bad export or a wrong file might be."""
    one = report_text().encode("utf-8")
    return one * (50 * MB // len(one) + 1)


def garbage(n: int = 100_000, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(n)


ENGLISH = ("Annual Report on Government Information Disclosure 2024\n\nI. Overview\n"
           "In 2024 the bureau received 12 requests for information and answered all of them on time.\n") * 40
JAPANESE = ("令和6年度 情報公開制度の運用状況に関する年次報告書\n\n一 概要\n"
            "本年度の開示請求件数は12件であり、すべて期限内に決定した。\n") * 40


def nested_tables_html(depth: int = 10_000) -> str:
    """Script tags and 10,000 tables nested in each other around one word."""
    return ("<html><head><script>alert('x')</script></head><body><script>document.write('<table>')</script>"
            + "<table><tr><td>" * depth + "政府信息公开" + "</td></tr></table>" * depth + "</body></html>")


def html_xxe() -> str:
    return (f'<?xml version="1.0"?>{DOCTYPE_XXE}<html><body><h1>某某局2024年政府信息公开工作年度报告</h1>'
            "<p>&xxe;</p></body></html>")


def blank_pdf(tmp: Path) -> Path:
    """A one-page PDF with no text at all, like a scan without OCR."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path = tmp / "scan.pdf"
    path.write_bytes(bytes(out))
    return path


def docx(tmp: Path, body: list[str] | None = None) -> Path:
    import docx as python_docx

    document = python_docx.Document()
    for line in body or ["某某局2024年政府信息公开工作年度报告", "一、总体情况"]:
        document.add_paragraph(line)
    out = tmp / "report.docx"
    document.save(out)
    return out


def docx_bomb(tmp: Path) -> Path:
    src = docx(tmp)
    return zip_bomb(src, "word/document.xml", marker=b"<w:body", suffix=".docx")(tmp)


def docx_with(change: Callable[[str], str]) -> Maker:
    def make(tmp: Path) -> Path:
        src = docx(tmp)
        return rezip(src, tmp / "edited.docx", {"word/document.xml": lambda b: change(b.decode()).encode()})

    return make


def directory(tmp: Path) -> Path:
    out = tmp / "folder.xlsx"
    out.mkdir()
    return out


# --- the corpus ------------------------------------------------------------------------


@dataclass(frozen=True)
class Expect:
    command: str  # check, check-openpyxl, fill, draft, build, import, next, aggregate
    code: int
    words: tuple[str, ...] = ()  # all must appear in stdout + stderr
    absent: tuple[str, ...] = ()  # none may appear


@dataclass(frozen=True)
class Case:
    id: str
    what: str
    make: Maker
    expect: tuple[Expect, ...]
    isolate: bool = False  # dangerous to the test process: run in a child with time and memory limits
    known_defect: str = ""  # found, not fixed here (why): the test is a strict xfail until it is
    noise: str = ""  # text a library prints by itself that the tool cannot suppress (a Rust panic message)


def E(command: str, code: int, *words: str, absent: tuple[str, ...] = ()) -> Expect:
    return Expect(command, code, words, absent)


UNREADABLE_ALL = ("check", "fill", "draft", "build", "next", "aggregate")


def refused(*words: str, commands=UNREADABLE_ALL) -> tuple[Expect, ...]:
    """Every command says the same thing and exits 2."""
    return tuple(E(c, 2, *words) for c in commands)


ERROR_CELL = "<f>{formula}</f><v>{code}</v>"


def _duration(value) -> Callable:
    """A cell formatted as a duration ([hh]:mm:ss, as typing 12:00:00 gives) holding `value`."""
    from datetime import timedelta

    def change(wb) -> None:
        cell = wb["表三"]["D5"]
        cell.value = timedelta(hours=1)  # sets the number format
        cell.value = value

    return change


def _typed_error_text(wb) -> None:
    cell = wb["表三"]["F5"]
    cell.value = "#N/A"
    cell.data_type = "s"  # openpyxl would otherwise store it as an error value


CASES: list[Case] = [
    # --- cell level -------------------------------------------------------------------
    Case("cell-text", "表三 自然人新收填了“无”", cells(XR_T3_NEW_NATURAL="无"), (
        E("check", 1, "表三!D5", "“无”", "CELL-TEXT", "应填非负整数"),
        E("fill", 0, "FILL-SKIPPED", "表三!J5", "未填充"),
        E("build", 1, "未生成报告"),
        E("aggregate", 2, "有错误，不能汇总", "表三!D5"))),
    Case("cell-text-total", "合计单元格被手工填了文字“见附件”", cells(XR_T3_NEW_TOTAL="见附件"), (
        E("check", 1, "表三!J5", "“见附件”"),
        E("fill", 0, "已填写 1 个合计单元格"))),
    Case("formula-ref", "单元格公式引用了已删除的单元格（#REF!）",
         xml_edit(set_cell_xml("D5", ERROR_CELL.format(formula="#REF!+1", code="#REF!"), ' t="e"'), sheet="表三"), (
             E("check", 1, "表三!D5", "#REF!", "Excel 错误值"),
             E("check-openpyxl", 1, "表三!D5", "#REF!", "Excel 错误值"),
             E("build", 1, "#REF!", "未生成报告"))),
    Case("formula-div0", "单元格公式除以 0（#DIV/0!）",
         xml_edit(set_cell_xml("F5", ERROR_CELL.format(formula="1/0", code="#DIV/0!"), ' t="e"'), sheet="表三"), (
             E("check", 1, "表三!F5", "#DIV/0!", "Excel 错误值", absent=("校验通过",)),
             E("fill", 0, "表三!J5", "未填充"),
             E("next", 0, "已新建"))),
    Case("formula-na-cover-year", "封面报告年度是公式错误 #N/A",
         xml_edit(set_cell_xml("B3", ERROR_CELL.format(formula="VLOOKUP(1,A1:A2,2)", code="#N/A"), ' t="e"'), sheet="封面"), (
             E("check", 1, "封面!B3", "#N/A", "Excel 错误值", "COVER-YEAR"),)),
    Case("huge-1e308", "自然人新收填了 1e308", cells(XR_T3_NEW_NATURAL=1e308), (
        E("check", 1, "表三!D5", "T3-FLOW", "1" + "0" * 308),
        E("fill", 0, "已填写 1 个合计单元格"),
        E("build", 1, "未生成报告"),
        E("next", 0, "已新建"))),
    Case("huge-10e30", "结转下年度填了 10**30（整数）", cells(XR_T3_CARRIED_FORWARD_NATURAL=10**30), (
        E("check", 1, "表三!D29", "T3-FLOW", "1" + "0" * 30),
        E("fill", 0, "已填写"),
        E("next", 0, "已新建"))),
    Case("huge-text-digits", "填了 40 位数字的文本", cells(XR_T3_NEW_RESEARCH="1" + "0" * 39), (
        E("check", 1, "表三!F5", "CELL-TEXT-NUMBER", "1" + "0" * 39),)),
    Case("huge-share-in-text", "予以公开总计填了 10**40，正文写“占办结总数的44.7%”",
         cells(XR_T3_GRANTED_TOTAL=10**40, XR_NARR_OVERVIEW_INTRO="本年度办结申请3050件，予以公开1362件（占办结总数的44.7%）。"), (
             # 10**42 / 3050 = 3.2786885245901639344262295081…e38, to the 28 significant digits of the sums
             E("check", 1, "TXT-PERCENT", "327868852459016393442622950800000000000.0%", "表三!J7"),
             E("build", 1, "未生成报告"))),
    Case("huge-share-in-draft", "予以公开总计填了 10**40，导语为空（起草时计算占比）",
         cells(XR_T3_GRANTED_TOTAL=10**40, XR_NARR_OVERVIEW_INTRO=None), (
             E("draft", 0, "已为 1 处空白正文起草初稿"),)),
    Case("duration-huge", "设为时间格式的单元格填了 1e20（Python 溢出）", with_openpyxl(_duration(1e20)), (
        E("check", 2, "表三", "时间格式的范围"),
        E("check-openpyxl", 1, "表三!D5", "CELL-TEXT"))),  # openpyxl turns just that cell into an error value
    Case("duration-huge-negative", "设为时间格式的单元格填了 -1e20（calamine 在 Rust 里 panic）", with_openpyxl(_duration(-1e20)), (
        E("check", 2, "表三", "时间格式的范围"),
        E("fill", 2, "表三", "时间格式的范围")), isolate=True, noise="panicked"),
    Case("date-in-number", "件数单元格填了日期", cells(XR_T3_NEW_NATURAL=datetime(2024, 3, 1)), (
        E("check", 1, "表三!D5", "CELL-TEXT", "2024-03-01"),
        E("check-openpyxl", 1, "表三!D5", "CELL-TEXT", "2024-03-01"))),
    Case("bool-in-number", "件数单元格填了逻辑值 TRUE", cells(XR_T4_CASES_REVIEW_UPHELD=True), (
        E("check", 1, "表四!B5", "CELL-TEXT"),
        E("fill", 0, "表四!F5", "未填充"))),
    Case("merged-over-inputs", "表三 D5:F5 被合并，E5、F5 的数字随之消失",
         with_openpyxl(lambda wb: wb["表三"].merge_cells("D5:F5")), (
             E("check", 1, "表三!E5", "表三!F5", "为空"),)),
    Case("hidden-rows", "表三第 5 至 10 行被隐藏（数据不变）",
         with_openpyxl(lambda wb: [setattr(wb["表三"].row_dimensions[r], "hidden", True) for r in range(5, 11)]), (
             E("check", 0, "校验通过"),
             E("build", 0, "已生成"))),
    Case("total-overwritten", "撤销工作表保护后手工改写合计 J5 为 9999",
         with_openpyxl(lambda wb: (setattr(wb["表三"].protection, "sheet", False), wb["表三"].__setitem__("J5", 9999))), (
             E("check", 1, "表三!J5", "T3-ROW-SUM", "9999", "相差 6880"),
             E("fill", 0, "已填写 1 个合计单元格"),
             E("build", 1, "未生成报告"))),
    Case("negative-zero", "科研机构列填了 -0（浮点负零）", cells(XR_T3_NEW_RESEARCH=-0.0), (
        E("check", 0, "校验通过", absent=("负数", "-0")),)),
    Case("negative-zero-text", "填了文本“-0”", cells(XR_T3_NEW_RESEARCH="-0"), (
        E("check", 0, "表三!F5", "CELL-TEXT-NUMBER", absent=("负数",)),)),
    Case("nan-text", "填了“NaN”", cells(XR_T3_NEW_RESEARCH="NaN"), (
        E("check", 1, "表三!F5", "“NaN”", "CELL-TEXT"),)),
    Case("inf-text", "填了“-inf”和“1e5”", cells(XR_T3_NEW_RESEARCH="-inf", XR_T3_NEW_LEGAL="1e5"), (
        E("check", 1, "表三!F5", "“-inf”", "表三!H5", "“1e5”"),)),
    Case("error-text-typed", "手工键入文本“#N/A”（不是公式，也不是错误值）", with_openpyxl(_typed_error_text), (
        E("check", 1, "表三!F5", "“#N/A”", "CELL-TEXT", absent=("Excel 错误值",)),)),
    Case("long-narrative", "正文“存在的主要问题”填了 32767 个字（Excel 单元格上限）",
         cells(XR_NARR_PROBLEMS="问题" * 16383 + "。"), (
             E("check", 0, "校验通过"),
             E("build", 0, "已生成"),
             E("draft", 0))),
    Case("control-characters", "机关名称和正文含控制字符（Excel 的 _x0007_ 转义）",
         cells(XR_COVER_AGENCY="淮安市_x0007_人民政府", XR_NARR_OTHER="收费_x0001_3940 元_x001B_。\t"), (
             E("check", 0, "校验通过"),
             E("build", 0, "已生成"),
             E("next", 0, "已新建"))),
    Case("raw-control-character", "封面机关名称的 XML 里有裸控制字符 U+0001（XML 不允许：Excel 要修复才能打开，calamine 照读，openpyxl 拒绝）",
         xml_edit(set_cell_xml("B2", "<is><t>淮安市\x01人民政府</t></is>", ' t="inlineStr"'), sheet="封面"), (
             E("check", 2, "工作表“封面”已损坏", "控制字符", "另存为"),
             E("check-openpyxl", 2, "无法读取"),
             E("build", 2, "控制字符"))),
    Case("rtl-emoji", "机关名称和正文含阿拉伯文、方向控制符和 emoji",
         cells(XR_COVER_AGENCY="淮安市人民政府\u202eمديرية🏛️", XR_NARR_OTHER="全年收费 3940 元👍🏽\u200f。"), (
             E("check", 0, "校验通过"),
             E("build", 0, "已生成"),
             E("draft", 0))),
    Case("far-cell", "表三 XFD1048576 有一个多余的字符（已用区域 170 亿个单元格）",
         xml_edit(far_cell("XFD1048576"), sheet="表三"), (
             E("check", 2, "表三", "XFD1048576", "已用区域"),
             E("fill", 2, "XFD1048576"),
             E("check-openpyxl", 2, "表三", "XFD1048576")), isolate=True),
    Case("far-cell-odd-path", "同上，且工作表的路径大小写不同（Worksheets/Sheet4.xml：calamine 照样找到）",
         xml_edit(lambda t: t.replace('Target="/xl/worksheets/sheet4.xml"', 'Target="Worksheets/Sheet4.xml"'),
                  member="xl/_rels/workbook.xml.rels", base=xml_edit(far_cell("XFD1048576"), sheet="表三")), (
             E("check", 2, "表三", "XFD1048576"),), isolate=True),
    Case("far-cell-long-column", "单元格引用超出 Excel 的列（XFDFD29：calamine 读作第 1100 万列；模糊测试发现）",
         xml_edit(lambda t: t.replace('<c r="D29"', '<c r="XFDFD29"', 1), sheet="表三"), (
             E("check", 2, "表三", "到 XFDFD", "已用区域大得异常"),), isolate=True),  # the corner's row is the legend's
    Case("far-cell-prefixed", "工作表 XML 用命名空间前缀（<x:c>，calamine 照读）且 XFD1048576 有字符",
         xml_edit(lambda t: re.sub(r"<(/?)(c|row|v|is|t|f)([ >/])", r"<\1x:\2\3", far_cell("XFD1048576")(t)).replace(
             "<worksheet ", '<worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ', 1), sheet="表三"), (
             E("check", 2, "表三", "XFD1048576"),), isolate=True),
    Case("far-row", "表三第 1048576 行有一个多余的字符", xml_edit(far_cell("A1048576"), sheet="表三"), (
        E("check", 2, "表三", "已用区域"),), isolate=True),
    # --- workbook level ---------------------------------------------------------------
    Case("sheet-renamed", "表三改名为“表三 申请”（名称随之改变），并填了“无”",
         xml_edit(lambda t: t.replace('name="表三"', 'name="表三 申请"').replace("'表三'!", "'表三 申请'!"),
                  base=cells(XR_T3_NEW_NATURAL="无")), (
             E("check", 1, "表三 申请!D5", "“无”"),)),
    Case("sheet-renamed-names-stale", "工作表改名但定义名称仍指向“表三”",
         xml_edit(lambda t: t.replace('name="表三"', 'name="表三（改）"')), (
             E("check", 1, "NAME-MISSING", "工作簿缺少名称 XR_T3_NEW_NATURAL"),
             E("fill", 2, "工作簿结构不完整，未填充合计"))),
    Case("sheet-deleted", "表四被删除（名称变成 #REF!）",
         xml_edit(lambda t: re.sub(r"<sheet [^>]*name=\"表四\"[^>]*/>", "", t).replace("'表四'!", "#REF!")), (
             E("check", 1, "NAME-MISSING", "XR_T4_CASES_REVIEW_UPHELD"),
             E("fill", 2, "工作簿结构不完整"),
             E("build", 1, "未生成报告"),
             E("next", 0, "已新建"))),
    Case("sheet-reordered", "表四移到最前", xml_edit(
        lambda t: re.sub(r"(<sheets>)(.*?)(<sheet [^>]*name=\"表四\"[^>]*/>)", r"\1\3\2", t)), (
            E("check", 0, "校验通过"),
            E("fill", 0, "已填写 0 个合计单元格"))),
    Case("name-deleted", "定义名称 XR_T3_NEW_NATURAL 被删除",
         xml_edit(names_edit("XR_T3_NEW_NATURAL", None)), (
             E("check", 1, "NAME-MISSING", "XR_T3_NEW_NATURAL"),
             E("fill", 2, "XR_T3_NEW_NATURAL"),
             E("draft", 0))),
    Case("name-other-sheet", "XR_T3_NEW_NATURAL 指向表四 D5",
         xml_edit(names_edit("XR_T3_NEW_NATURAL", "'表四'!$D$5")), (
             E("check", 1, "表四!D5", "T3-FLOW"),)),
    Case("name-range", "XR_T3_NEW_NATURAL 指向区域 D5:E6（读左上角）",
         xml_edit(names_edit("XR_T3_NEW_NATURAL", "'表三'!$D$5:$E$6")), (
             E("check", 0, "校验通过"),)),
    Case("name-constant", "XR_T3_NEW_NATURAL 被改成常量 3001",
         xml_edit(names_edit("XR_T3_NEW_NATURAL", "3001")), (
             E("check", 1, "NAME-MISSING", "XR_T3_NEW_NATURAL"),)),
    Case("name-missing-sheet", "XR_T3_NEW_NATURAL 指向不存在的工作表",
         xml_edit(names_edit("XR_T3_NEW_NATURAL", "'不存在'!$D$5")), (
             E("check", 1, "NAME-MISSING", "XR_T3_NEW_NATURAL"),)),
    Case("name-garbage", "定义名称的内容是乱码和超长文本",
         xml_edit(names_edit("XR_T3_NEW_NATURAL", "&amp;&lt;" + "Z" * 100_000)), (
             E("check", 1, "NAME-MISSING", "XR_T3_NEW_NATURAL"),)),
    Case("2019-year-2021", "2019 格式的株洲工作簿把年度改成 2021", cells(ZHUZHOU, XR_COVER_YEAR=2021), (
        E("check", 1, "FORM-VERSION", "〔2019〕60号", "2021"),
        E("build", 1, "未生成报告"))),
    Case("2019-labelled-2021", "2019 格式工作簿的格式版本记录被改成 2021",
         cells(ZHUZHOU, XR_META_FORM_VERSION="2021"), (
             E("check", 1, "NAME-MISSING"),)),
    Case("xlsm-macros", "带宏（vbaProject.bin）的 .xlsm：照常读取，宏不运行", xlsm, (
        E("check", 0, "校验通过"),
        E("fill", 0, "已填写 0 个合计单元格"),
        E("build", 0, "已生成"))),
    Case("xls", "Excel 97-2003 格式（.xls）", xls, refused(".xls", "另存为 .xlsx")),
    Case("ods", "OpenDocument 表格（.ods）", ods, refused(".ods")),
    Case("ods-renamed", "改了扩展名的 .ods", ods_renamed, refused("xl/workbook.xml")),
    Case("csv", "CSV 文件", text("report.csv", "机关名称,年度\n某某局,2024\n"), (
        E("check", 2, "不像政府信息公开工作年度报告"),
        E("import", 2, "不像政府信息公开工作年度报告"))),
    Case("zero-bytes", "0 字节的 .xlsx", data("empty.xlsx", b""), refused("0 字节")),
    Case("truncated-zip", "只下载了一半的 .xlsx", truncated, refused("已损坏")),
    Case("deflate-damaged", "workbook.xml 的压缩数据中间被改坏（zlib 报错而不是 BadZipFile）", deflate_damaged,
         refused("已损坏", commands=("check", "fill", "draft", "next"))),
    Case("zip-offsets", "zip 目录的位置被改大（成员偏移成了负数）", central_directory_moved,
         refused("已损坏", commands=("check", "fill"))),
    Case("directory", "名为 .xlsx 的文件夹", directory, (E("check", 2, "文件夹"), E("build", 2, "文件夹"))),
    Case("zip-bomb-sheet", "表三的 XML 解压后 2 GB", zip_bomb(HUAIAN, "xl/worksheets/sheet4.xml"),
         refused("解压后", "拒绝读取"), isolate=True),
    Case("zip-bomb-unread-member", "一个无关的成员（图片）解压后 2 GB", zip_bomb(HUAIAN, "xl/media/image1.png", marker=b""),
         refused("xl/media/image1.png", "拒绝读取", commands=("check", "fill")), isolate=True),
    Case("workbook-xxe", "workbook.xml 含外部实体（读 /etc/passwd）",
         xml_edit(with_doctype(DOCTYPE_XXE, "xxe")), refused("DTD", commands=("check", "fill", "draft"))),
    Case("workbook-laughs", "workbook.xml 含实体膨胀（billion laughs）",
         xml_edit(with_doctype(DOCTYPE_LAUGHS, "lol9")), refused("DTD", commands=("check", "check-openpyxl", "fill")),
         isolate=True),
    Case("sheet-xxe", "表三的 XML 含外部实体", xml_edit(with_doctype(DOCTYPE_XXE, "xxe", "D5"), sheet="表三"),
         refused("DTD", commands=("check", "check-openpyxl", "fill", "draft")), isolate=True),
    Case("sheet-laughs", "表三的 XML 含实体膨胀", xml_edit(with_doctype(DOCTYPE_LAUGHS, "lol9", "D5"), sheet="表三"),
         refused("DTD", commands=("check", "check-openpyxl", "fill")), isolate=True),
    Case("styles-xxe", "styles.xml（打开工作簿时就读取）含外部实体",
         xml_edit(with_doctype(DOCTYPE_XXE), member="xl/styles.xml"),
         refused("DTD", commands=("check", "check-openpyxl")), isolate=True),
    Case("password", "设置了打开密码", password_protected, refused("密码")),
    Case("not-a-standard-workbook", "选错了文件：机关自己的台账工作簿（没有标准工作簿的单元格名称）", plain_workbook, (
        E("check", 2, "不是", "标准工作簿"),
        E("fill", 2, "不是", "标准工作簿"))),
    Case("many-sheets", "另有 10000 个空工作表", many_sheets(), (
        E("check", 0, "校验通过"),
        E("fill", 0, "已填写 0 个合计单元格")), isolate=True),
    # --- published reports for the importer -------------------------------------------------
    Case("report-empty", "0 字节的 .txt", data("empty.txt", b""), (E("import", 2, "0 字节"), E("check", 2, "0 字节"))),
    Case("report-blank", "只有空白和换行的 .txt", text("blank.txt", " \n\t\n　\n" * 100), (
        E("import", 2, "不像政府信息公开工作年度报告"),)),
    Case("report-binary-txt", "随机字节的 .txt", data("garbage.txt", garbage), (
        E("import", 2, "编码无法识别"), E("check", 2, "编码无法识别"))),
    Case("report-binary-html", "随机字节的 .html", data("garbage.html", garbage), (E("import", 2, "编码无法识别"),)),
    Case("report-binary-docx", "随机字节的 .docx", data("garbage.docx", garbage), (E("import", 2, "不是完整的 Word 文档"),)),
    Case("report-binary-pdf", "随机字节的 .pdf", data("garbage.pdf", garbage), (E("import", 2, "PDF"),)),
    Case("report-english", "英文文档", text("english.txt", ENGLISH), (E("import", 2, "不像政府信息公开工作年度报告"),)),
    Case("report-japanese", "日文文档（UTF-8）", text("japanese.txt", JAPANESE), (
        E("import", 2, "不像政府信息公开工作年度报告"),)),
    Case("report-huge-text", "50 MB 的文本", data("huge.txt", huge_text), (
        E("import", 2, "MB", "过大"), E("check", 2, "过大")), isolate=True),
    Case("report-huge-html", "50 MB 的网页", data("huge.html", huge_html), (E("import", 2, "过大"),), isolate=True),
    Case("report-pdf-scan", "没有文字层的 PDF", blank_pdf, (E("import", 2, "没有文字层", "OCR"),)),
    Case("report-nested-tables", "含 script 的网页，10000 层嵌套表格", text("nested.html", nested_tables_html), (
        E("import", 2, "不像政府信息公开工作年度报告"),), isolate=True),
    Case("report-html-xxe", "网页含外部实体声明（读 /etc/passwd）", text("xxe.html", html_xxe), (
        E("import", 1, "某某局", "IMPORT-TABLE-MISSING", absent=("root:",)),)),
    Case("report-docx-bomb", "正文 XML 解压后 2 GB 的 .docx", docx_bomb, (
        E("import", 2, "解压后", "拒绝读取"), E("check", 2, "拒绝读取")), isolate=True),
    Case("report-docx-laughs", "正文 XML 含实体膨胀的 .docx",
         docx_with(with_doctype(DOCTYPE_LAUGHS)), (E("import", 2, "DTD"),), isolate=True),
    Case("report-docx-not-report", "一份普通 Word 文档（通知）",
         lambda tmp: docx(tmp, ["关于召开会议的通知", "各单位：定于下周一召开会议。"]), (
             E("import", 2, "不像政府信息公开工作年度报告"),)),
    Case("report-text-with-noise", "真实年报前后夹杂乱码、控制字符和超长行",
         text("noisy.txt", lambda: "\x00\x07" + "噪" * 200_000 + "\n" + report_text() + "\n\x1b[31m" + "\ufffd" * 1000), (
             E("import", 0, "淮安市人民政府", "2024"),)),
]

assert len({c.id for c in CASES}) == len(CASES), "case ids are unique"
