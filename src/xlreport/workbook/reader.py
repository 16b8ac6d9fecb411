"""Read a standard workbook into a Report.

Fast path: defined names straight from xl/workbook.xml, values with
python-calamine. The openpyxl path reads the same names and values through
openpyxl (the baseline, and a second opinion); both share the interpretation.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from ..forms import COVER_FIELDS, FORMS, form_for_year
from ..model import Location, Narrative, Report, Value, interpret, text_value
from ..rules.catalog import finding
from ..rules.findings import CellRef
from . import names
from .safezip import ZIP_DAMAGE, ReadError, check_package, damaged, read_member, sheet_members, xml_text

# calamine allocates the whole used rectangle of a sheet: one stray value in XFD1048576 asks
# for 17 billion cells and aborts the process. A statutory sheet has a few hundred cells.
MAX_GRID_CELLS = 1_000_000
_REF = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


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


def sniff(path: Path, check_members: bool = True) -> None:
    """Refuse what is not an .xlsx with a message staff can act on.

    check_members=False leaves the package check to a reader that opens the zip anyway."""
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
    if check_members:
        try:
            with zipfile.ZipFile(path) as zf:
                check_package(zf, path.name, _WORKBOOK)
        except ZIP_DAMAGE:
            raise ReadError(damaged(path.name)) from None


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


_DEFINED_NAME = re.compile(rb"<definedName\b([^>]*)>([^<]*)</definedName>")
_NAME_ATTR = re.compile(rb'\bname="([^"]*)"')


_WORKBOOK = "xl/workbook.xml"


def defined_names_from_zip(path: Path) -> dict[str, Area | None]:
    """Workbook-scoped defined names of a workbook file, without loading it (see defined_names)."""
    try:
        with zipfile.ZipFile(path) as zf:
            xml = read_member(zf, _WORKBOOK)
    except ZIP_DAMAGE:
        raise ReadError(damaged(path.name)) from None
    return defined_names(xml, path.name)


def defined_names(workbook_xml: bytes, label: str) -> dict[str, Area | None]:
    """Workbook-scoped defined names; None where broken (#REF!).

    The returned mapping is shared between calls: do not modify it.

    A regular expression over xl/workbook.xml is enough for <definedName> elements and
    resolves no entities at all, so entity tricks cannot expand; a DTD is refused outright.
    """
    xml = workbook_xml
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        raise ReadError(f"{label} 的工作簿结构（xl/workbook.xml）含有 DTD 或实体声明，拒绝读取")
    if b"<workbook" not in xml:
        raise ReadError(f"{label} 的工作簿结构（xl/workbook.xml）无法解析")
    start, end = xml.find(b"<definedNames"), xml.find(b"</definedNames>")
    return _names_from_block(xml[start:end] if start >= 0 else b"")


@lru_cache(maxsize=64)  # workbooks made from one template share this block: parse it once per batch
def _names_from_block(block: bytes) -> dict[str, Area | None]:
    out: dict[str, Area | None] = {}
    for attrs, text in _DEFINED_NAME.findall(block):
        found = _NAME_ATTR.search(attrs)
        if found is None or b"localSheetId" in attrs:
            continue
        out[xml_text(found.group(1))] = _parse_ref_xml(text)
    return out


@lru_cache(maxsize=8192)
def _parse_ref_xml(raw: bytes) -> Area | None:
    return parse_ref(xml_text(raw))


# Cells with content (not the self-closing ones Excel writes for formatting only), their error values.
# As calamine reads them: any namespace prefix (<x:c>), references of any length (r="XFDFD29" is
# column 11 million); a cell written another way (r='…', r = "…", no r) falls to the counting bound.
_P = rb"(?:[\w.-]+:)?"
_CELL_REF = re.compile(rb"<" + _P + rb'c\s[^>]*?\br="([A-Za-z]+)([0-9]+)"[^>/]*>')
_CELL_NO_REF = re.compile(rb"<" + _P + rb'c(?:\s(?![^>]*\br=")[^>]*)?>')
_CELL_R_NOT_FIRST = re.compile(rb"<" + _P + rb'c(?:>|\s+(?!r="))')  # Excel writes r first: one quick scan
_CELL_TAG = re.compile(rb"<" + _P + rb"c[\s>]")
_ROW_TAG = re.compile(rb"<" + _P + rb"row[\s>]")
_ROW_REF = re.compile(rb"<" + _P + rb'row\s[^>]*?\br="([0-9]+)"')
_ERROR_CELL = re.compile(rb"<" + _P + rb'c\s([^>]*\bt="e"[^>]*)>(.*?)</' + _P + rb"c>", re.S)
_REF_ATTR = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_VALUE = re.compile(rb"<" + _P + rb"v>([^<]*)</")


def excel_error(code: str) -> str:
    """How a cell holding an Excel error value (#REF!, #DIV/0!) reads: text saying what it is."""
    return f"{code}（Excel 错误值）"


# Any length: r="XFDFD29" must count as column 11 million here too (calamine reads it so).
_CELL_R_FIRST = re.compile(rb'<c r="([A-Za-z]+)([0-9]+)"[^>/]*>')  # not <c r=… s=…/>: formatting only
_NARROW_COLS = 702  # ZZ


def _sheet_data(xml: bytes) -> bytes:
    """The <sheetData> part of a sheet: the cells; validations and formatting come after it."""
    start, end = xml.find(b"<sheetData"), xml.rfind(b"</sheetData>")
    return xml[start:end] if 0 <= start < end else xml


def _extent(sheet_data: bytes) -> tuple[int, int]:
    """At least the rows and columns calamine will allocate for a sheet (an upper bound), from its
    <sheetData> (_sheet_data)."""
    xml = sheet_data
    # Excel's way: every cell starts <c r="… (a tag like <color> in rich text, or <x:c>, takes the long way)
    if xml.count(b'<c r="') == xml.count(b"<c") and b":c" not in xml:
        refs = _CELL_R_FIRST.findall(xml)
        if not refs:
            return 0, 1
        letters, digits = zip(*refs)
        rows = max(map(int, digits))
        if max(map(len, letters)) <= 2 and rows * _NARROW_COLS <= MAX_GRID_CELLS:
            return rows, _NARROW_COLS  # no column past ZZ: bound the columns, count only the rows
        return rows, max(_col_number(letter.upper().decode()) for letter in set(letters))
    letters, digits = zip(*(_CELL_REF.findall(xml) or [(b"A", b"0")]))
    rows = max(map(int, digits))
    cols = _col_number(max(letters, key=lambda c: (len(c), c.upper())).upper().decode())
    if _CELL_R_NOT_FIRST.search(xml) and _CELL_NO_REF.search(xml):
        # cells without r (not Excel's way): placed by counting, so bound by the counts
        rows = max([rows, *(int(r) for r in _ROW_REF.findall(xml))]) + len(_ROW_TAG.findall(xml))
        cols += len(_CELL_TAG.findall(xml))
    return rows, cols


def refuse_huge(file: str, sheet: str, rows: int, cols: int) -> None:
    if rows * cols > MAX_GRID_CELLS:
        raise ReadError(
            f"{file} 的工作表“{sheet}”已用区域大得异常（到 {a1_coord(rows, cols)}，约 {rows * cols:,} 个单元格），"
            "读取会耗尽内存。请在 Excel 中按 Ctrl+End 找到最后一个单元格，删除多余的行和列后保存，再检查")


def _mark_errors(grid: list[list], xml: bytes) -> None:
    """calamine reads error cells as "": put their error value back (from the sheet XML)."""
    for attrs, body in _ERROR_CELL.findall(xml):
        ref, value = _REF_ATTR.search(attrs), _VALUE.search(body)
        if ref and value:
            row, col = int(ref.group(2)), _col_number(ref.group(1).decode())
            if row <= len(grid) and col <= len(grid[row - 1]):
                grid[row - 1][col - 1] = excel_error(xml_text(value.group(1)))


_INTERRUPTS = (KeyboardInterrupt, SystemExit)  # the only BaseExceptions calamine is not allowed to turn into ReadError


class CalamineSource:
    def __init__(self, path: Path):
        from python_calamine import CalamineWorkbook

        # One pass over the package: its check reads every XML part once, and the defined names
        # and the sheets' own XML (for the used-area bound) come from those same bytes.
        try:
            with zipfile.ZipFile(path) as zf:
                self._xml = check_package(zf, path.name, _WORKBOOK)
            self._file = path.name
            self.names = defined_names(self._part(_WORKBOOK), path.name)
            self._wb = CalamineWorkbook.from_path(str(path))
        except BaseException as exc:  # also calamine's errors and its Rust panics (pyo3's PanicException)
            if isinstance(exc, (ReadError, *_INTERRUPTS)):
                raise
            if isinstance(exc, ZIP_DAMAGE):
                raise ReadError(damaged(path.name)) from None
            raise ReadError(f"{path.name} 无法读取：{exc}") from None
        self._sheets: dict[str, list[list]] = {}
        self._path = path
        self._parts: dict[str, str] | None = None
        self.sheet_names = set(self._wb.sheet_names)

    def _part(self, name: str) -> bytes:
        data = self._xml.get(name)
        if data is None:
            raise ReadError(f"{self._file} 缺少 {name}，不是完整的 Excel 工作簿")
        return data

    def _sheet_xml(self, sheet: str) -> bytes | None:
        """The sheet's XML as calamine will read it (read and checked by check_package)."""
        try:
            if self._parts is None:
                self._parts = sheet_members(self._xml)
                self._by_lower = {n.lower(): data for n, data in self._xml.items()}  # calamine ignores case
            return self._by_lower.get(self._parts[sheet].lower())
        except Exception:  # an odd package layout: calamine has the last word
            return None

    def grid(self, sheet: str) -> list[list]:
        if sheet not in self._sheets:
            xml = self._sheet_xml(sheet)
            data = None if xml is None else _sheet_data(xml)
            if data is not None:
                refuse_huge(self._file, sheet, *_extent(data))
            try:
                grid = self._wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            except _INTERRUPTS:
                raise
            except BaseException as exc:  # a damaged sheet; a time-formatted cell out of range panics in Rust
                raise ReadError(f"{self._file} 的工作表“{sheet}”已损坏，或有单元格的数超出了它的日期、时间格式的范围，"
                                f"无法读取：{exc}") from None
            if data is not None and b't="e"' in data:
                _mark_errors(grid, data)
            self._sheets[sheet] = grid
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
        self._file = path.name

    def grid(self, sheet: str) -> list[list]:
        ws = self._wb[sheet]
        refuse_huge(self._file, sheet, ws.max_row, ws.max_column)
        return [[excel_error(c.value) if c.data_type == "e" else c.value for c in row] for row in ws.iter_rows()]

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


_PLANS: dict[tuple[int, str], tuple[object, tuple, tuple]] = {}  # (id of a names mapping, form version) → plan


def _cell_plan(names_map, form) -> tuple[tuple, tuple]:
    """Where each statutory cell of `form` lives in a workbook with these defined names:
    ((key, sheet, row, col, unit, location), …) and the names that are missing.

    Planned once per names mapping: the reader's mappings are shared by every workbook made
    from one template (defined_names), so a batch plans once; the mapping is kept with its
    plan, so a reused id never finds another workbook's plan."""
    cached = _PLANS.get((id(names_map), form.version))
    if cached is not None and cached[0] is names_map:
        return cached[1], cached[2]
    found, absent = [], []
    for cell in form.cells:
        area = names_map.get(cell.defined_name)
        if area is None:
            absent.append((cell.defined_name, cell.key, cell.table.name))
        else:
            found.append((cell.key, area.sheet, *area.first, cell.unit, area.location))
    plan = (tuple(found), tuple(absent))
    if len(_PLANS) >= 64:
        _PLANS.clear()
    _PLANS[(id(names_map), form.version)] = (names_map, *plan)
    return plan


def _text(raw) -> str:
    return "" if raw is None else str(raw).strip()


def _year_value(raw) -> Value:
    if isinstance(raw, str):
        raw = raw.strip().removesuffix("年度").removesuffix("年")
    return interpret(raw)


def _template_number(text: str | None) -> int:
    """The template version as a number; 1 for the first template, which may not record it."""
    try:
        return int(float(text or 1))
    except ValueError:
        return 1


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
    return _with_source(path, engine, report_from_source)


def read_cover(path: str | Path, engine: str = "calamine") -> dict[str, Value]:
    """Only the cover (agency, year …) of a standard workbook: cheap, to pick one workbook among many."""
    return _with_source(path, engine, lambda source: _read_cover(_standard(source))[0])


def _with_source(path: str | Path, engine: str, read):
    path = Path(path)
    sniff(path, check_members=engine != "calamine")  # the calamine source checks the members itself
    source = ENGINES[engine](path)
    try:
        return read(source)
    finally:
        source.close()


def _standard(source) -> _Lookup:
    if not any(name.startswith("XR_") for name in source.names):
        # not a damaged standard workbook but another workbook altogether: one clear refusal,
        # not four hundred missing names
        raise ReadError(
            f"{getattr(source, '_file', '') or '这个工作簿'} 不是年报标准工作簿：没有找到统计表单元格的名称（XR_…）。"
            "请用 xlreport new 新建标准工作簿，或用 xlreport import 导入已公开的报告")
    return _Lookup(source)


def _read_cover(lookup: _Lookup) -> tuple[dict[str, Value], dict[str, Location], str | None]:
    """The cover fields, where they are, and the template version the workbook records."""
    tv_area = lookup.area(names.META_TEMPLATE_VERSION)
    template_version = _text(lookup.raw(tv_area.sheet, *tv_area.first)) if tv_area else None
    made_by = _template_number(template_version)
    cover: dict[str, Value] = {}
    locations: dict[str, Location] = {}
    for field in COVER_FIELDS:
        key = f"cover.{field.key}"
        if field.since_template > made_by and names.cover_name(field.key) not in lookup.names:
            cover[field.key] = text_value(None)  # the template it was made from had no such field
            continue
        raw, loc = lookup.cell(names.cover_name(field.key), key, names.SHEET_COVER)
        cover[field.key] = _year_value(raw) if field.key == "year" else text_value(raw)
        if loc:
            locations[key] = loc
    return cover, locations, template_version


def report_from_source(source) -> Report:
    """A Report from anything with `names` {defined name: Area | None}, `sheet_names` and `grid(sheet)`
    (2D values from A1): a file source here, or a grid on an open workbook (xlreport.excel.grid)."""
    lookup = _standard(source)
    cover, locations, template_version = _read_cover(lookup)
    year_v = cover["year"]
    year = int(year_v.number) if year_v.is_number and year_v.number == year_v.number.to_integral() else None
    form, recorded, inferred = _choose_form(lookup, year)

    values: dict[str, Value] = {}
    found, absent = _cell_plan(lookup.names, form)
    lookup.missing += absent
    for key, sheet, row, col, unit, location in found:
        if sheet in source.sheet_names:
            values[key] = interpret(lookup.raw(sheet, row, col), unit)
            locations[key] = location
        else:
            values[key] = interpret(None, unit)
            lookup.missing.append((form.cell(key).defined_name, key, form.cell(key).table.name))

    narrative = _read_narrative(lookup, locations)
    report = Report(
        form,
        values,
        cover,
        narrative,
        recorded_version=recorded,
        template_version=template_version,
        locations=locations,
    )
    if inferred:
        report.read_findings.append(
            finding("META-MISSING", [CellRef("meta.form_version", names.SHEET_META, "", "格式版本")],
                    how=inferred[0], document=inferred[1])
        )
    statutory = {c.key for c in form.cells}
    for name, key, sheet in lookup.missing:
        # 表三/…/自然人, 封面/机关层级, 正文/五、…: as staff know the cell
        label = names.cell_ref(report, key).name if key in statutory or key.startswith(("cover.", "narrative.")) else key
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
