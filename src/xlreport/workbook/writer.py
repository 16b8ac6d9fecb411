"""Write values into named cells of an .xlsx by patching only those cells' XML.

Every other part of the file (the user's styles, comments, images, charts,
sheets we do not know) is copied byte for byte: nothing a user made is lost
the way a full openpyxl load and save can lose it. Output is atomic.

One exception keeps formulas honest: results that Excel, WPS or LibreOffice cached for formula
cells (the live-check status lines, and any formula of the user's) may depend on the written
cells, so they are dropped and the workbook is marked for full recalculation on load. LibreOffice
trusts cached results and ignores that mark; a formula without a result it always computes.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import zipfile
import zlib
from datetime import datetime
from decimal import Decimal
from pathlib import Path, PurePosixPath

from lxml import etree

from ..model import format_number
from .reader import a1_coord, defined_names_from_zip
from .safezip import ReadError, check_package, parse_xml, read_member, xml_chars

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CELL = re.compile(r"([A-Z]+)(\d+)")


def _q(tag: str) -> str:
    return f"{{{_MAIN}}}{tag}"


def _col_of(ref: str) -> int:
    letters = _CELL.match(ref).group(1)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def sheet_parts(zf: zipfile.ZipFile, xml: dict[str, bytes]) -> dict[str, str]:
    """Sheet name → zip member of its worksheet XML."""
    wb = _part(zf, xml, "xl/workbook.xml")
    rels = _part(zf, xml, "xl/_rels/workbook.xml.rels")
    target = {r.get("Id"): r.get("Target") for r in rels.iter(f"{{{_PKG_REL}}}Relationship")}
    out = {}
    for sheet in wb.iter(_q("sheet")):
        t = target.get(sheet.get(f"{{{_REL}}}id"), "")
        member = t.lstrip("/") if t.startswith("/") else str(PurePosixPath("xl") / t)
        out[sheet.get("name")] = member
    return out


def _bytes(zf: zipfile.ZipFile, xml: dict[str, bytes], member: str) -> bytes:
    """A part as check_package read it; read here only if the package check did not (not XML by name)."""
    data = xml.get(member)
    return read_member(zf, member) if data is None else data


def _part(zf: zipfile.ZipFile, xml: dict[str, bytes], member: str):
    return parse_xml(_bytes(zf, xml, member), f"{Path(zf.filename or '').name} 中的 {member}")


def _set_cell(sheet_data, row: int, col: int, value: Decimal | str) -> bool:
    """Put a number or a text into one cell, keeping its style; True if a formula was replaced."""
    ref = a1_coord(row, col)
    row_el = None
    for r in sheet_data.iterchildren(_q("row")):
        n = int(r.get("r"))
        if n == row:
            row_el = r
            break
        if n > row:
            row_el = etree.Element(_q("row"), r=str(row))
            r.addprevious(row_el)
            break
    if row_el is None:
        row_el = etree.SubElement(sheet_data, _q("row"), r=str(row))
    row_el.attrib.pop("spans", None)  # an optional hint that may no longer hold
    cell = None
    for c in row_el.iterchildren(_q("c")):
        if c.get("r") == ref:
            cell = c
            break
        if _col_of(c.get("r")) > col:
            cell = etree.Element(_q("c"), r=ref)
            c.addprevious(cell)
            break
    if cell is None:
        cell = etree.SubElement(row_el, _q("c"), r=ref)
    had_formula = cell.find(_q("f")) is not None
    for child in list(cell):
        cell.remove(child)
    cell.attrib.pop("t", None)
    if isinstance(value, str):  # an inline string: no shared-strings table to keep in step; never a formula
        value = xml_chars(value)
        cell.set("t", "inlineStr")
        t = etree.SubElement(etree.SubElement(cell, _q("is")), _q("t"))
        t.text = value
        if value != value.strip():
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    else:
        etree.SubElement(cell, _q("v")).text = format_number(value)
    return had_formula


# a formula followed by a cached value, in any namespace prefix (openpyxl writes an empty <v></v>)
_CACHED_RESULT = re.compile(rb"</(?:[\w.-]+:)?f>\s*<(?:[\w.-]+:)?v>[^<]")


def _drop_formula_results(root) -> bool:
    """Remove cached results of formula cells (their type goes with them); True if any was there."""
    dropped = False
    for formula in root.iter(_q("f")):
        cell = formula.getparent()
        value = cell.find(_q("v"))
        if value is not None and value.text:
            cell.remove(value)
            cell.attrib.pop("t", None)
            dropped = True
    return dropped


_CALC_PR = re.compile(rb"<calcPr\b([^>]*?)(/?)>")


def _full_calc_on_load(xml: bytes) -> bytes:
    """workbook.xml with <calcPr fullCalcOnLoad="1">: Excel and WPS recalculate when opening."""
    found = _CALC_PR.search(xml)
    if found:
        attrs = re.sub(rb'\s+fullCalcOnLoad="[^"]*"', b"", found.group(1))
        return xml[: found.start()] + b"<calcPr" + attrs + b' fullCalcOnLoad="1"' + found.group(2) + b">" + xml[found.end():]
    for anchor in (b"</definedNames>", b"</externalReferences>", b"</sheets>"):  # schema order: calcPr follows these
        if anchor in xml:
            return xml.replace(anchor, anchor + b'<calcPr fullCalcOnLoad="1"/>', 1)
    return xml


def _drop_calc_chain(members: dict[str, bytes]) -> None:
    """Excel rebuilds the calculation chain; a stale one makes it 'repair' the file."""
    if "xl/calcChain.xml" not in members:
        return
    del members["xl/calcChain.xml"]
    for name, pattern in (
        ("[Content_Types].xml", rb'<Override[^>]*PartName="/xl/calcChain\.xml"[^>]*/>'),
        ("xl/_rels/workbook.xml.rels", rb'<Relationship[^>]*Target="[^"]*calcChain\.xml"[^>]*/>'),
    ):
        members[name] = re.sub(pattern, b"", members[name])


def write_named_values(src: Path, dst: Path, values: dict[str, Decimal | str]) -> None:
    """Write {defined name: number or text} into a copy of src at dst (dst may be src), atomically."""
    names = defined_names_from_zip(src)
    cells: dict[tuple[str, int, int], Decimal | str] = {}
    for name, value in values.items():
        area = names.get(name)
        if area is None:
            raise ReadError(f"工作簿缺少名称 {name}，无法写入")
        cells[(area.sheet, *area.first)] = value
    write_cells(src, dst, cells)


def write_cells(src: Path, dst: Path, values: dict[tuple[str, int, int], Decimal | str], only_empty: bool = False) -> None:
    """Write {(sheet, row, col): number or text} into a copy of src at dst, atomically.

    With only_empty, a cell that holds anything (value, text or formula) is refused, not replaced.
    """
    try:
        zf = zipfile.ZipFile(src)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ReadError(f"{Path(src).name} 无法作为 Excel 工作簿打开（{exc}），未写入") from None
    with zf:
        infos = zf.infolist()
        xml = check_package(zf, main_part="xl/workbook.xml")  # a member copied below is never larger than its limits
        parts = sheet_parts(zf, xml)
        by_sheet: dict[str, list[tuple[int, int, Decimal | str]]] = {}
        for (sheet, row, col), value in values.items():
            if sheet not in parts:
                raise ReadError(f"工作簿没有工作表“{sheet}”，无法写入")
            by_sheet.setdefault(sheet, []).append((row, col, value))
        patched: dict[str, bytes] = {}
        formula_replaced = results_dropped = False
        for sheet, items in by_sheet.items():
            member = parts[sheet]
            root = _part(zf, xml, member)
            sheet_data = root.find(_q("sheetData"))
            for row, col, value in items:
                if only_empty and _has_content(sheet_data, a1_coord(row, col)):
                    raise ReadError(f"{sheet}!{a1_coord(row, col)} 已有内容，不会覆盖")
                formula_replaced |= _set_cell(sheet_data, row, col, value)
            results_dropped |= _drop_formula_results(root)
            patched[member] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        for member in set(parts.values()) - set(patched):
            data = _bytes(zf, xml, member) if member in zf.namelist() else b""
            if _CACHED_RESULT.search(data):
                root = _part(zf, xml, member)
                if _drop_formula_results(root):
                    results_dropped = True
                    patched[member] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        if results_dropped:
            patched["xl/workbook.xml"] = _full_calc_on_load(_bytes(zf, xml, "xl/workbook.xml"))
        if formula_replaced and "xl/calcChain.xml" in zf.namelist():
            extra = {n: _bytes(zf, xml, n) for n in ("xl/calcChain.xml", "[Content_Types].xml", "xl/_rels/workbook.xml.rels")}
            _drop_calc_chain(extra)
            patched.update(extra)
            infos = [i for i in infos if i.filename != "xl/calcChain.xml"]
        atomic_write(dst, lambda fh: _copy_zip(zf, infos, patched, fh))


def _has_content(sheet_data, ref: str) -> bool:
    cell = next((c for c in sheet_data.iter(_q("c")) if c.get("r") == ref), None)
    return cell is not None and (cell.find(_q("f")) is not None or bool("".join(cell.itertext()).strip()))


def _copy_zip(zf: zipfile.ZipFile, infos, patched: dict[str, bytes], fh) -> None:
    """Patched members as given, every other one streamed through unchanged (no memory spike)."""
    with zipfile.ZipFile(fh, "w") as out:
        for info in infos:
            data = patched.get(info.filename)
            if data is not None:
                out.writestr(_copy_info(info), data)
                continue
            copied = _copy_info(info)
            try:
                with zf.open(info) as member, out.open(copied, "w") as target:
                    shutil.copyfileobj(member, target, 1024 * 1024)
            except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError, RuntimeError) as exc:  # CRC, method, password
                raise ReadError(f"{Path(zf.filename or '').name} 中的 {info.filename} 已损坏（{exc}），未写入；"
                                "请在 Excel 中打开后另存，再运行") from None


def _copy_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    """The member's name, time, attributes and comment, to be written deflated (sizes are the writer's)."""
    copied = zipfile.ZipInfo(info.filename, info.date_time)
    copied.compress_type = zipfile.ZIP_DEFLATED
    copied.external_attr, copied.create_system, copied.comment = info.external_attr, info.create_system, info.comment
    return copied


def atomic_write(dst: Path, write) -> None:
    """Write through a temp file in the same folder, then replace: a crash leaves the old file whole."""
    dst = Path(dst)
    mode = dst.stat().st_mode & 0o777 if dst.exists() else _default_mode()
    fd, tmp = tempfile.mkstemp(prefix=f".{dst.stem}.", suffix=".tmp", dir=dst.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)  # mkstemp makes 0600; keep the file as readable as a normal save would
        os.replace(tmp, dst)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def backup(path: Path) -> Path:
    """Copy a workbook aside before changing it in place: 年报.xlsx → 年报.备份-20260120-093000.xlsx."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.备份-{stamp}{path.suffix}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.stem}.备份-{stamp}-{n}{path.suffix}")
    shutil.copy2(path, target)
    return target
