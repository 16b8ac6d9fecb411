"""Make broken copies of workbooks the way staff and Excel break them."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import openpyxl

from conftest import REPO

EXAMPLES = REPO / "examples"
HUAIAN = EXAMPLES / "2024_huaian_renmin_zhengfu.xlsx"
ZHUZHOU = EXAMPLES / "2020_zhuzhou_xingzheng_shenpi.xlsx"


def named_coord(path: Path, name: str) -> str:
    """Sheet!A1 of a defined name, read with openpyxl (independent of the reader under test)."""
    wb = openpyxl.load_workbook(path)
    sheet, coord = next(iter(wb.defined_names[name].destinations))
    return f"{sheet}!{coord.replace('$', '')}"


def edited(src: Path, dst: Path, **values) -> Path:
    """A copy with named cells set (keys are defined names)."""
    wb = openpyxl.load_workbook(src)
    for name, value in values.items():
        sheet, coord = next(iter(wb.defined_names[name].destinations))
        wb[sheet][coord.replace("$", "")].value = value
    wb.save(dst)
    return dst


def rewrite_workbook_xml(src: Path, dst: Path, change) -> Path:
    """A copy whose xl/workbook.xml text went through change(text) -> text."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/workbook.xml":
                data = change(data.decode("utf-8")).encode("utf-8")
            zout.writestr(info, data)
    return dst


def without_name(src: Path, dst: Path, name: str) -> Path:
    return rewrite_workbook_xml(src, dst, lambda t: re.sub(rf'<definedName name="{name}"[^>]*>[^<]*</definedName>', "", t))


def with_ref_error(src: Path, dst: Path, name: str) -> Path:
    """What Excel leaves behind after deleting the row a name points to."""
    return rewrite_workbook_xml(src, dst, lambda t: re.sub(rf'(<definedName name="{name}"[^>]*>)[^<]*<', r"\1#REF!<", t))


def renamed_sheet(src: Path, dst: Path, old: str, new: str) -> Path:
    """Rename a sheet as Excel does: the defined names follow the sheet."""
    def change(t: str) -> str:
        t = t.replace(f'name="{old}"', f'name="{new}"')
        return t.replace(f"'{old}'!", f"'{new}'!").replace(f">{old}!", f">'{new}'!")
    return rewrite_workbook_xml(src, dst, change)


def copy(src: Path, dst: Path) -> Path:
    shutil.copyfile(src, dst)
    return dst
