"""Read a standard workbook into a Report.

Fast path: defined names straight from xl/workbook.xml, values with
python-calamine. The openpyxl path reads the same names and values through
openpyxl (the baseline, and a second opinion); both share the interpretation.
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from ..forms import COVER_FIELDS, FORMS, form_for_year
from ..model import Location, Narrative, Report, Value, interpret, text_value
from ..rules.check import finding
from ..rules.findings import CellRef
from . import names

MAX_XML_BYTES = 20 * 1024 * 1024  # workbook.xml of a report is a few KB; refuse zip bombs early
_REF = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class ReadError(Exception):
    """A file that cannot be read as a workbook; the message is for staff, in Chinese."""


@dataclass(frozen=True)
class Area:
    sheet: str
    first: tuple[int, int]  # (row, col), 1-based
    last: tuple[int, int]

    @cached_property
    def coord(self) -> str:
        return a1_coord(*self.first)

    @cached_property
    def location(self) -> Location:
        return Location(self.sheet, self.coord)


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def a1_coord(row: int, col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row}"


@lru_cache(maxsize=8192)  # a batch of workbooks from one template repeats the same references
def parse_ref(text: str) -> Area | None:
    m = _REF.match(text.strip().lstrip("="))
    if not m:
        return None
    sheet = (m.group(1) or "").replace("''", "'") or m.group(2)
    first = (int(m.group(4)), _col_number(m.group(3)))
    last = (int(m.group(6)), _col_number(m.group(5))) if m.group(5) else first
    return Area(sheet, first, last)


# --- sources: where names and cell values come from --------------------------------


def sniff(path: Path) -> None:
    """Refuse what is not an .xlsx with a message staff can act on."""
    if not path.exists():
        raise ReadError(f"找不到文件：{path}")
    if path.is_dir():
        raise ReadError(f"{path} 是文件夹，不是 Excel 工作簿")
    with path.open("rb") as fh:
        head = fh.read(8)
    if not head:
        raise ReadError(f"{path.name} 是空文件（0 字节），不是 Excel 工作簿")
    if head == _OLE_MAGIC:
        raise ReadError(_ole_message(path))
    if not head.startswith(b"PK"):
        raise ReadError(f"{path.name} 不是 Excel 工作簿（.xlsx）。如是 CSV、文本或其他格式，请在 Excel 中另存为 .xlsx")
    if path.suffix.lower() == ".ods":
        raise ReadError(f"{path.name} 是 OpenDocument 表格（.ods），请另存为 Excel 工作簿（.xlsx）后再检查")


def _ole_message(path: Path) -> str:
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            encrypted = ole.exists("EncryptionInfo")
    except Exception:
        encrypted = False
    if encrypted:
        return f"{path.name} 设置了打开密码，无法读取。请在 Excel 中“文件→信息→保护工作簿→用密码进行加密”清空密码后再检查"
    return f"{path.name} 是旧版 Excel 文件（.xls），请在 Excel 中另存为 .xlsx 后再检查"


def _zip_member(zf: zipfile.ZipFile, name: str) -> bytes:
    try:
        info = zf.getinfo(name)
    except KeyError:
        raise ReadError(f"{zf.filename} 缺少 {name}，不是完整的 Excel 工作簿") from None
    if info.file_size > MAX_XML_BYTES:
        raise ReadError(f"{zf.filename} 中的 {name} 大得异常（{info.file_size} 字节），拒绝读取")
    return zf.read(info)


_DEFINED_NAME = re.compile(rb"<definedName\b([^>]*)>([^<]*)</definedName>")
_NAME_ATTR = re.compile(rb'\bname="([^"]*)"')


def defined_names_from_zip(path: Path) -> dict[str, Area | None]:
    """Workbook-scoped defined names without loading the workbook; None where broken (#REF!).

    The returned mapping is shared between calls: do not modify it.

    A regular expression over xl/workbook.xml is enough for <definedName> elements and
    resolves no entities at all, so entity tricks cannot expand; a DTD is refused outright.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            xml = _zip_member(zf, "xl/workbook.xml")
    except zipfile.BadZipFile:
        raise ReadError(f"{path.name} 已损坏（不是完整的 zip/xlsx 文件），Excel 可能也无法打开") from None
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        raise ReadError(f"{path.name} 的工作簿结构（xl/workbook.xml）含有 DTD 或实体声明，拒绝读取")
    if b"<workbook" not in xml:
        raise ReadError(f"{path.name} 的工作簿结构（xl/workbook.xml）无法解析")
    start, end = xml.find(b"<definedNames"), xml.find(b"</definedNames>")
    return _names_from_block(xml[start:end] if start >= 0 else b"")


@lru_cache(maxsize=64)  # workbooks made from one template share this block: parse it once per batch
def _names_from_block(block: bytes) -> dict[str, Area | None]:
    out: dict[str, Area | None] = {}
    for attrs, text in _DEFINED_NAME.findall(block):
        found = _NAME_ATTR.search(attrs)
        if found is None or b"localSheetId" in attrs:
            continue
        out[_xml_text(found.group(1))] = _parse_ref_xml(text)
    return out


@lru_cache(maxsize=8192)
def _parse_ref_xml(raw: bytes) -> Area | None:
    return parse_ref(_xml_text(raw))


@lru_cache(maxsize=8192)
def _xml_text(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    return html.unescape(text) if "&" in text else text


class CalamineSource:
    def __init__(self, path: Path):
        from python_calamine import CalamineWorkbook

        self.names = defined_names_from_zip(path)
        try:
            self._wb = CalamineWorkbook.from_path(str(path))
        except Exception as exc:
            raise ReadError(f"{path.name} 无法读取：{exc}") from None
        self._sheets: dict[str, list[list]] = {}
        self._file = path.name
        self.sheet_names = set(self._wb.sheet_names)

    def grid(self, sheet: str) -> list[list]:
        if sheet not in self._sheets:
            try:
                self._sheets[sheet] = self._wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            except Exception as exc:  # calamine's errors on a damaged sheet
                raise ReadError(f"{self._file} 的工作表“{sheet}”已损坏，无法读取：{exc}") from None
        return self._sheets[sheet]

    def close(self) -> None:
        self._wb.close()


class OpenpyxlSource:
    """The same reading through openpyxl's full load: slower, used as baseline and fallback."""

    def __init__(self, path: Path):
        import openpyxl

        try:
            self._wb = openpyxl.load_workbook(path, data_only=True)
        except Exception as exc:
            raise ReadError(f"{path.name} 无法读取：{exc}") from None
        self.names = {n: parse_ref(d.attr_text) for n, d in self._wb.defined_names.items()}
        self.sheet_names = set(self._wb.sheetnames)

    def grid(self, sheet: str) -> list[list]:
        return [list(r) for r in self._wb[sheet].iter_rows(values_only=True)]

    def close(self) -> None:
        self._wb.close()


ENGINES: dict[str, Callable[[Path], object]] = {"calamine": CalamineSource, "openpyxl": OpenpyxlSource}


# --- building the report ---------------------------------------------------------


class _Lookup:
    """Reads named cells from a source, remembering where each came from and what was missing."""

    def __init__(self, source):
        self.source = source
        self.names = source.names
        self.grids: dict[str, list[list]] = {}
        self.missing: list[tuple[str, str, str]] = []  # (defined name, key, sheet)

    def area(self, name: str) -> Area | None:
        area = self.names.get(name)
        if area is None or area.sheet not in self.source.sheet_names:
            return None
        return area

    def raw(self, sheet: str, row: int, col: int):
        grid = self.grids.get(sheet)
        if grid is None:
            grid = self.grids[sheet] = self.source.grid(sheet)
        if row <= len(grid) and col <= len(grid[row - 1]):
            return grid[row - 1][col - 1]
        return None

    def cell(self, name: str, key: str, sheet: str) -> tuple[object, Location | None]:
        area = self.area(name)
        if area is None:
            self.missing.append((name, key, sheet))
            return None, None
        return self.raw(area.sheet, *area.first), area.location


def _text(raw) -> str:
    return "" if raw is None else str(raw).strip()


def _year_value(raw) -> Value:
    if isinstance(raw, str):
        raw = raw.strip().removesuffix("年度").removesuffix("年")
    return interpret(raw)


def _choose_form(lookup: _Lookup, year: int | None):
    """The form the workbook was made for: recorded, else inferred from its names, else from its year."""
    area = lookup.area(names.META_FORM_VERSION)
    recorded = _text(lookup.raw(area.sheet, *area.first)) if area else ""
    if recorded.endswith(".0"):  # a version typed over as a number
        recorded = recorded[:-2]
    if recorded in FORMS:
        return FORMS[recorded], recorded, None
    has_2019_names = any(n.startswith("XR_T2_ITEM9_") for n in lookup.source.names)
    if has_2019_names or any(n.startswith("XR_T2_") for n in lookup.source.names):
        form = FORMS["2019"] if has_2019_names else FORMS["2021"]
        how = "统计表的单元格名称"
    else:
        form = form_for_year(year) if year and year >= 2019 else FORMS["2021"]
        how = "报告年度"
    return form, None, (how, form.document)


def read_report(path: str | Path, engine: str = "calamine") -> Report:
    """Read a workbook; problems with its content become findings in report.read_findings."""
    path = Path(path)
    sniff(path)
    source = ENGINES[engine](path)
    try:
        return report_from_source(source)
    finally:
        source.close()


def report_from_source(source) -> Report:
    """A Report from anything with `names` {defined name: Area | None}, `sheet_names` and `grid(sheet)`
    (2D values from A1): a file source here, or a grid on an open workbook (xlreport.grid)."""
    lookup = _Lookup(source)
    cover: dict[str, Value] = {}
    locations: dict[str, Location] = {}
    for field in COVER_FIELDS:
        key = f"cover.{field.key}"
        raw, loc = lookup.cell(names.cover_name(field.key), key, names.SHEET_COVER)
        cover[field.key] = _year_value(raw) if field.key == "year" else text_value(raw)
        if loc:
            locations[key] = loc
    year_v = cover["year"]
    year = int(year_v.number) if year_v.is_number and year_v.number == year_v.number.to_integral() else None
    form, recorded, inferred = _choose_form(lookup, year)

    values: dict[str, Value] = {}
    for cell in form.cells:
        raw, loc = lookup.cell(cell.defined_name, cell.key, cell.table.name)
        values[cell.key] = interpret(raw, cell.unit)
        if loc:
            locations[cell.key] = loc

    narrative = _read_narrative(lookup, locations)
    tv_area = lookup.area(names.META_TEMPLATE_VERSION)
    report = Report(
        form,
        values,
        cover,
        narrative,
        recorded_version=recorded,
        template_version=_text(lookup.raw(tv_area.sheet, *tv_area.first)) if tv_area else None,
        locations=locations,
    )
    if inferred:
        report.read_findings.append(
            finding("META-MISSING", [CellRef("meta.form_version", names.SHEET_META, "", "格式版本")],
                    how=inferred[0], document=inferred[1])
        )
    for name, key, sheet in lookup.missing:
        label = form.cell(key).statutory_name if key in {c.key for c in form.cells} else key
        report.read_findings.append(finding("NAME-MISSING", [CellRef(key, sheet, "", label)], defined_name=name))
    return report


def _read_narrative(lookup: _Lookup, locations: dict[str, Location]) -> Narrative:
    def text(name: str, key: str) -> str:
        raw, loc = lookup.cell(name, key, names.SHEET_NARRATIVE)
        if loc:
            locations[key] = loc
        return _text(raw)

    n = Narrative(
        preamble=text(names.NARR_PREAMBLE, "narrative.preamble"),
        overview_intro=text(names.NARR_OVERVIEW_INTRO, "narrative.overview"),
        problems=text(names.NARR_PROBLEMS, "narrative.problems"),
        other=text(names.NARR_OTHER, "narrative.other"),
    )
    for name, key, unit in (
        (names.NARR_FEE_AMOUNT, "narrative.fee_amount", "元"),
        (names.NARR_FEE_COUNT, "narrative.fee_count", "件"),
    ):
        raw, loc = lookup.cell(name, key, names.SHEET_NARRATIVE)
        setattr(n, key.split(".")[1], interpret(raw, unit))
        if loc:
            locations[key] = loc
    area = lookup.area(names.NARR_OVERVIEW_PARTS)
    if area is None:
        lookup.missing.append((names.NARR_OVERVIEW_PARTS, "narrative.overview", names.SHEET_NARRATIVE))
        return n
    if "narrative.overview" not in locations:
        locations["narrative.overview"] = Location(area.sheet, area.coord)
    (r0, c0), (r1, _) = area.first, area.last
    for row in range(r0, r1 + 1):
        heading, body = _text(lookup.raw(area.sheet, row, c0)), _text(lookup.raw(area.sheet, row, c0 + 1))
        if heading or body:
            # where the part's text is, so messages about it can name the cell (正文!C6)
            locations[f"narrative.overview.{len(n.overview_parts)}"] = Location(area.sheet, a1_coord(row, c0 + 1))
            n.overview_parts.append((heading, body))
    return n
