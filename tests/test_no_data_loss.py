"""Nothing a user typed is lost: fill, validate, draft and build change no input cell; writes are
atomic; in-place changes keep a byte-identical backup; generated files never replace inputs.

Workbooks are read back with openpyxl (formulas as their text) and the zip members with zipfile,
independently of the reader and writer under test.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import struct
import subprocess
import sys
import zipfile
import zlib
from decimal import Decimal
from pathlib import Path, PurePosixPath

import openpyxl
import pytest
from lxml import etree
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import PatternFill
from workbooks import HUAIAN, ZHUZHOU, copy, edited, renamed_sheet

from xlreport.cli import main
from xlreport.excel import ribbon
from xlreport.excel.grid_file import FileGrid
from xlreport.excel.grid_memory import MemoryGrid
from xlreport.forms import COVER_FIELDS, FORM_2019, FORM_2021
from xlreport.forms.base import Kind
from xlreport.workbook import names, writer

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
NARRATIVE_SINGLE = [n for n, _ in names.NARRATIVE_TEXTS] + [names.NARR_FEE_AMOUNT, names.NARR_FEE_COUNT]


# --- the workbooks: both examples and the ways staff and Excel change them ------------------------


def _set(wb, name, value):
    sheet, coord = next(iter(wb.defined_names[name].destinations))
    wb[sheet][coord.replace("$", "")].value = value
    return wb[sheet][coord.replace("$", "")]


def _with(src: Path, dst: Path, change) -> Path:
    wb = openpyxl.load_workbook(src)
    change(wb)
    wb.save(dst)
    return dst


def _png() -> bytes:
    """A 1×1 red PNG, made here (no imaging library needed)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def sheet_members(path: Path) -> dict[str, str]:
    """Sheet name → worksheet part, from workbook.xml and its relationships."""
    with zipfile.ZipFile(path) as zf:
        wb = etree.fromstring(zf.read("xl/workbook.xml"), SAFE)
        rels = etree.fromstring(zf.read("xl/_rels/workbook.xml.rels"), SAFE)
    target = {r.get("Id"): r.get("Target") for r in rels.iter(f"{{{PKG}}}Relationship")}
    out = {}
    for s in wb.iter(f"{{{MAIN}}}sheet"):
        t = target[s.get(f"{{{REL}}}id")]
        out[s.get("name")] = t.lstrip("/") if t.startswith("/") else str(PurePosixPath("xl") / t)
    return out


def with_image(src: Path, dst: Path, sheet: str = "表四") -> Path:
    """A picture (a scanned seal, say) anchored on a sheet, added the way Excel stores one."""
    part = sheet_members(src)[sheet]
    rels_name = str(PurePosixPath(part).parent / "_rels" / (PurePosixPath(part).name + ".rels"))
    drawing = ('<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
               'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
               f'xmlns:r="{REL}"><xdr:oneCellAnchor><xdr:from><xdr:col>1</xdr:col><xdr:colOff>0</xdr:colOff>'
               '<xdr:row>8</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="95250" cy="95250"/>'
               '<xdr:pic><xdr:nvPicPr><xdr:cNvPr id="2" name="印章"/><xdr:cNvPicPr/></xdr:nvPicPr>'
               '<xdr:blipFill><a:blip r:embed="rId1"/><a:stretch><a:fillRect/></a:stretch></xdr:blipFill>'
               '<xdr:spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:pic>'
               '<xdr:clientData/></xdr:oneCellAnchor></xdr:wsDr>')
    drawing_rels = (f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
                    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
                    'Target="../media/xr_seal.png"/></Relationships>')
    link = (f'<Relationship Id="rIdSeal" Type="{REL}/drawing" Target="../drawings/xr_seal.xml"/>')
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        members = {i.filename: zin.read(i) for i in zin.infolist()}
        xml = members[part].decode()
        members[part] = xml.replace("</worksheet>", '<drawing r:id="rIdSeal"/></worksheet>').replace(
            "<worksheet ", f'<worksheet xmlns:r="{REL}" ', 1 if 'xmlns:r=' not in xml else 0).encode()
        rels = members.get(rels_name, f'<Relationships xmlns="{PKG}"></Relationships>'.encode()).decode()
        members[rels_name] = rels.replace("</Relationships>", link + "</Relationships>").encode()
        types = members["[Content_Types].xml"].decode()
        if 'Extension="png"' not in types:
            types = types.replace("<Override", '<Default Extension="png" ContentType="image/png"/><Override', 1)
        types = types.replace("</Types>", '<Override PartName="/xl/drawings/xr_seal.xml" '
                              'ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/></Types>')
        members["[Content_Types].xml"] = types.encode()
        members["xl/drawings/xr_seal.xml"] = drawing.encode()
        members["xl/drawings/_rels/xr_seal.xml.rels"] = drawing_rels.encode()
        members["xl/media/xr_seal.png"] = _png()
        for name, data in members.items():
            zout.writestr(name, data)
    return dst


def _extra_sheets(wb):
    ws = wb.create_sheet("我的底稿", 0)
    ws["A1"], ws["B1"], ws["C1"] = "科室", "件数", "=SUM(B2:B3)"
    ws["A2"], ws["B2"], ws["A3"], ws["B3"] = "办公室", 12, "法规科", 7
    wb.create_sheet("备注").append(["请于1月20日前报送", "=1+1", "-负数开头的文字"])


def _comments(wb):
    _set(wb, "XR_T3_NEW_NATURAL", 3001).comment = Comment("含网上申请 2810 件", "张三")
    _set(wb, "XR_T4_CASES_REVIEW_UPHELD", 72).comment = Comment("=以复议决定书为准", "李四")


def _chart(wb):
    ws = wb["表三"]
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=4, min_row=5, max_row=8))
    ws.add_chart(chart, "L5")


def _conditional(wb):
    wb["表三"].conditional_formatting.add("D5:J29", CellIsRule(operator="lessThan", formula=["0"],
                                                              fill=PatternFill("solid", bgColor="FFC7CE")))


def _formula_totals(wb):
    for name, formula in (("XR_T3_NEW_TOTAL", "=SUM(D5:I5)"), ("XR_T4_CASES_REVIEW_TOTAL", "=SUM(B5:E5)")):
        _set(wb, name, formula)


def _blank(wb):
    for name in ("XR_T3_NEW_LEGAL", "XR_T3_CARRIED_OVER_NATURAL", "XR_T4_CASES_DIRECT_SUIT_OTHER", names.NARR_OTHER,
                 names.NARR_OVERVIEW_INTRO):
        _set(wb, name, None)


def _base(d: Path) -> Path:
    """淮安 with a total overwritten by hand and 六、其他需要报告的事项 empty: fill and draft both have work."""
    if not (d / "_base.xlsx").exists():
        _with(HUAIAN, d / "_base.xlsx", lambda wb: (_set(wb, "XR_T3_NEW_TOTAL", 99999), _set(wb, names.NARR_OTHER, None)))
    return d / "_base.xlsx"


CASES = {
    "huaian": lambda d: copy(HUAIAN, d / "huaian.xlsx"),
    "zhuzhou": lambda d: copy(ZHUZHOU, d / "zhuzhou.xlsx"),
    "text": lambda d: edited(HUAIAN, d / "text.xlsx", XR_T3_NEW_NATURAL="无", XR_T3_NEW_LEGAL="12件",
                             XR_T4_CASES_REVIEW_UPHELD="／", XR_T2_ITEM1_REGULATIONS_ISSUED="１"),
    "blanks": lambda d: _with(HUAIAN, d / "blanks.xlsx", _blank),
    "negatives": lambda d: edited(HUAIAN, d / "negatives.xlsx", XR_T3_NEW_NATURAL=-3, XR_T4_CASES_REVIEW_UPHELD=-1),
    "formula_totals": lambda d: _with(HUAIAN, d / "formula_totals.xlsx", _formula_totals),
    "hand_totals": lambda d: edited(HUAIAN, d / "hand_totals.xlsx", XR_T3_NEW_TOTAL=99999, XR_T3_RESULT_TOTAL_NATURAL=1),
    "extra_sheets": lambda d: _with(_base(d), d / "extra_sheets.xlsx", _extra_sheets),
    "comments": lambda d: _with(_base(d), d / "comments.xlsx", _comments),
    "image": lambda d: with_image(_base(d), d / "image.xlsx"),
    "chart": lambda d: _with(_base(d), d / "chart.xlsx", _chart),
    "conditional": lambda d: _with(_base(d), d / "conditional.xlsx", _conditional),
    "renamed_sheet": lambda d: renamed_sheet(_base(d), d / "renamed_sheet.xlsx", "表三", "表三（2024年）"),
    "zhuzhou_broken": lambda d: edited(ZHUZHOU, d / "zhuzhou_broken.xlsx", XR_T3_NEW_NATURAL="无",
                                       XR_T3_NEW_LEGAL=None, XR_T4_CASES_REVIEW_UPHELD=-2, XR_T3_NEW_TOTAL=5),
}


DECORATED = {"extra_sheets", "comments", "image", "chart", "conditional", "renamed_sheet"}
FILL_WRITES = DECORATED | {"negatives", "formula_totals", "hand_totals", "zhuzhou_broken"}  # a total to correct
DRAFT_WRITES = DECORATED | {"zhuzhou", "blanks", "zhuzhou_broken"}  # an empty narrative cell


@pytest.fixture(scope="module")
def originals(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("originals")
    return {name: make(folder) for name, make in CASES.items()}


@pytest.fixture(params=list(CASES))
def workbook(request, originals, tmp_path) -> Path:
    """A private copy of one case, in a folder of its own."""
    return copy(originals[request.param], tmp_path / originals[request.param].name)


# --- what is in a workbook, read independently -------------------------------------------------------


def _form(wb):
    return next(f for f in (FORM_2021, FORM_2019) if all(c.defined_name in wb.defined_names for c in f.cells))


def _coords(wb, name) -> list[tuple[str, str]]:
    sheet, ref = next(iter(wb.defined_names[name].destinations))
    cells = wb[sheet][ref.replace("$", "")]
    cells = cells if isinstance(cells, tuple) else ((cells,),)
    return [(sheet, c.coordinate) for row in cells for c in row]


def regions(path: Path) -> dict[str, set[tuple[str, str]]]:
    """(sheet, A1) of input, total, cover and narrative cells, through the defined names."""
    wb = openpyxl.load_workbook(path)
    form = _form(wb)
    out = {
        "input": {xy for c in form.cells if c.kind is Kind.INPUT for xy in _coords(wb, c.defined_name)},
        "total": {xy for c in form.cells if c.kind is Kind.TOTAL for xy in _coords(wb, c.defined_name)},
        "cover": {xy for f in COVER_FIELDS for xy in _coords(wb, names.cover_name(f.key))},
        "narrative": {xy for n in NARRATIVE_SINGLE + [names.NARR_OVERVIEW_PARTS] for xy in _coords(wb, n)},
    }
    assert len(out["input"]) == 166 and len(out["total"]) in (32, 34)  # counted from the forms by hand
    return out


def cells(path: Path) -> dict[tuple[str, str], object]:
    """Every non-empty cell of every sheet (formulas as their text)."""
    wb = openpyxl.load_workbook(path, read_only=True)
    out = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if getattr(c, "value", None) is not None:
                    out[(ws.title, c.coordinate)] = c.value
    wb.close()
    return out


def assert_kept(before_path: Path, after_path: Path, may_change: set[tuple[str, str]] = frozenset(),
                may_fill: set[tuple[str, str]] = frozenset(), new_sheets: set[str] = frozenset()) -> None:
    """Every cell of `before` is in `after` unchanged, except `may_change`; cells empty before may
    appear only in `may_fill` (drafted narrative) or in `new_sheets`."""
    before, after = cells(before_path), cells(after_path)
    changed = {k for k in before if k not in may_change and after.get(k) != before[k]}
    assert not changed, {k: (before[k], after.get(k)) for k in sorted(changed)[:5]}
    appeared = {k for k in after if k not in before and k not in may_change and k not in may_fill and k[0] not in new_sheets}
    assert not appeared, sorted(appeared)[:5]


def assert_inputs_kept(before_path: Path, after_path: Path, drafted: bool = False) -> None:
    """The brief's list, named: every statutory input, every cover field, every narrative cell that held text."""
    area = regions(before_path)
    before, after = cells(before_path), cells(after_path)
    for key in area["input"] | area["cover"]:
        assert after.get(key) == before.get(key), key
    for key in area["narrative"]:
        if key in before or not drafted:
            assert after.get(key) == before.get(key), key


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def _cells_xml(data: bytes) -> tuple[dict[str, bytes], bytes]:
    root = etree.fromstring(data, SAFE)
    sheet_data = root.find(f"{{{MAIN}}}sheetData")
    by_ref = {c.get("r"): etree.tostring(c) for c in sheet_data.iter(f"{{{MAIN}}}c")}
    root.remove(sheet_data)
    return by_ref, etree.tostring(root)


def assert_patched_only(before: Path, after: Path, written: set[tuple[str, str]]) -> None:
    """The file-patching writer: every zip member byte-identical except the worksheets holding
    `written` cells (plus the calculation chain, dropped when a formula was replaced), and in those
    worksheets every other cell and everything outside the cells byte-identical too."""
    old, new = members(before), members(after)
    parts = sheet_members(before)
    touched = {parts[s] for s, _ in written}
    dropped = "xl/calcChain.xml" in old and "xl/calcChain.xml" not in new
    calc = {"xl/calcChain.xml", "[Content_Types].xml", "xl/_rels/workbook.xml.rels"} if dropped else set()
    assert set(new) == set(old) - ({"xl/calcChain.xml"} if dropped else set())
    for name in old:
        if name in new and name not in touched and name not in calc:
            assert new[name] == old[name], name
    for sheet in {s for s, _ in written}:
        (old_cells, old_rest), (new_cells, new_rest) = _cells_xml(old[parts[sheet]]), _cells_xml(new[parts[sheet]])
        assert new_rest == old_rest, sheet
        mine = {ref for s, ref in written if s == sheet}
        assert {r: x for r, x in old_cells.items() if r not in mine} == {r: x for r, x in new_cells.items() if r not in mine}


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") or p.suffix == ".tmp")


# --- fill, draft, check, build never change an input cell ------------------------------------------


def test_fill_in_place_changes_only_totals_and_keeps_a_byte_identical_backup(workbook, capsys):
    original = workbook.read_bytes()
    reference = workbook.with_name("reference.xlsx")
    reference.write_bytes(original)
    code, out, err = run(capsys, "fill", workbook)
    assert code == 0, err
    assert (workbook.read_bytes() != original) == (workbook.stem in FILL_WRITES)
    assert_inputs_kept(reference, workbook)
    assert_kept(reference, workbook, may_change=regions(reference)["total"])
    if workbook.read_bytes() != original:  # something was written: the backup is the old file, byte for byte
        backups = list(workbook.parent.glob(f"{workbook.stem}.备份-*.xlsx"))
        assert len(backups) == 1 and backups[0].read_bytes() == original
        assert f"原文件已备份为 {backups[0]}" in out
        assert_patched_only(reference, workbook, regions(reference)["total"])
    assert leftovers(workbook.parent) == []


def test_fill_to_another_file_leaves_the_input_byte_identical(workbook, capsys):
    before = digest(workbook)
    out = workbook.with_name("filled.xlsx")
    assert run(capsys, "fill", workbook, "-o", out)[0] == 0
    assert digest(workbook) == before
    assert_kept(workbook, out, may_change=regions(workbook)["total"])
    assert_patched_only(workbook, out, regions(workbook)["total"])
    assert not list(workbook.parent.glob("*.备份-*"))  # nothing changed in place: no backup needed


def test_draft_in_place_fills_only_empty_narrative_cells_and_keeps_a_backup(workbook, capsys):
    original = workbook.read_bytes()
    reference = workbook.with_name("reference.xlsx")
    reference.write_bytes(original)
    code, _, err = run(capsys, "draft", workbook)
    assert code == 0, err
    assert (workbook.read_bytes() != original) == (workbook.stem in DRAFT_WRITES)
    area = regions(reference)
    assert_inputs_kept(reference, workbook, drafted=True)
    assert_kept(reference, workbook, may_fill=area["narrative"])
    if workbook.read_bytes() != original:
        backups = list(workbook.parent.glob(f"{workbook.stem}.备份-*.xlsx"))
        assert len(backups) == 1 and backups[0].read_bytes() == original
        drafted = {k for k in cells(workbook).keys() - cells(reference).keys()}
        assert drafted and drafted <= area["narrative"]
        assert_patched_only(reference, workbook, drafted)


def test_check_and_build_leave_the_input_byte_identical(workbook, capsys, tmp_path):
    before = digest(workbook)
    assert run(capsys, "check", workbook)[0] in (0, 1)
    assert run(capsys, "check", workbook, "--format", "json")[0] in (0, 1)
    assert run(capsys, "build", workbook, "--force", "-o", tmp_path / "out")[0] in (0, 1)
    assert digest(workbook) == before
    assert sorted(p.name for p in workbook.parent.iterdir()) == sorted([workbook.name, "out"])


def test_ribbon_validate_on_a_file_grid_changes_no_cell_and_not_the_file(workbook, tmp_path):
    before = digest(workbook)
    grid = FileGrid(workbook)
    ribbon.perform(grid, "validate", log_file=tmp_path / "log" / "x.log")
    assert grid.alerts and "程序内部出错" not in grid.alerts[-1][1], grid.alerts
    saved = grid.save(tmp_path / "marked.xlsx")
    grid.close()
    assert digest(workbook) == before
    assert_inputs_kept(workbook, saved)
    assert_kept(workbook, saved, new_sheets={"校验结果", "xlreport_marks"})
    # openpyxl renames parts: pictures compared byte for byte, charts by count; marks add comments
    old, new = members(workbook), members(saved)
    assert sorted(d for n, d in new.items() if n.startswith("xl/media/")) == sorted(d for n, d in old.items() if n.startswith("xl/media/"))
    assert sum(n.startswith("xl/charts/chart") for n in new) == sum(n.startswith("xl/charts/chart") for n in old)
    assert sum(n.startswith("xl/comments") for n in new) >= sum(n.startswith("xl/comments") for n in old)


def test_file_grid_refuses_to_save_pictures_it_would_drop(originals, tmp_path, monkeypatch):
    """openpyxl drops pictures when Pillow is missing: saving then would lose the user's seal."""
    import importlib.util

    from xlreport.workbook.safezip import ReadError

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "PIL" else real(name, *a))
    path = copy(originals["image"], tmp_path / "image.xlsx")
    before = digest(path)
    grid = FileGrid(path)
    ribbon.validate(grid)
    with pytest.raises(ReadError, match="含有图片.*未保存"):
        grid.save(path)
    assert digest(path) == before and sorted(p.name for p in tmp_path.iterdir()) == ["image.xlsx"]


def test_ribbon_validate_fill_and_draft_on_a_memory_grid(workbook, tmp_path):
    area = regions(workbook)
    grid = MemoryGrid.from_file(workbook)
    snapshot = {s: [list(r) for r in rows] for s, rows in grid.sheets.items()}

    def values(g):
        return {(s, f"{openpyxl.utils.get_column_letter(c + 1)}{r + 1}"): v
                for s, rows in g.sheets.items() for r, line in enumerate(rows) for c, v in enumerate(line) if v not in (None, "")}

    before = values(grid)
    ribbon.perform(grid, "validate", log_file=tmp_path / "x.log")
    assert grid.sheets == snapshot
    ribbon.perform(grid, "fill", log_file=tmp_path / "x.log")
    after_fill = values(grid)
    assert {k for k in before.keys() | after_fill.keys() if before.get(k) != after_fill.get(k)} <= area["total"]
    ribbon.perform(grid, "draft", log_file=tmp_path / "x.log")
    after_draft = values(grid)
    changed = {k for k in after_fill.keys() | after_draft.keys() if after_fill.get(k) != after_draft.get(k)}
    assert changed <= area["narrative"] and all(k not in after_fill for k in changed)
    assert "程序内部出错" not in "".join(m for _, m in grid.alerts)


def test_file_grid_saved_over_its_own_workbook_keeps_a_byte_identical_backup(tmp_path):
    path = copy(HUAIAN, tmp_path / "年报.xlsx")
    original = path.read_bytes()
    grid = FileGrid(path)
    ribbon.validate(grid)
    grid.save(path)
    grid.close()
    assert grid.backup is not None and grid.backup.read_bytes() == original
    assert_inputs_kept(grid.backup, path)


# --- atomic writes: an interrupted write leaves the old file whole and no temp file ----------------


def _hand_total(tmp_path: Path) -> Path:
    """A workbook whose fill has something to write (表三 新收 总计 overwritten by hand)."""
    return edited(HUAIAN, tmp_path / "年报.xlsx", XR_T3_NEW_TOTAL=99999)


class Boom(OSError):
    pass


def _fail_on(calls: int, exc: BaseException):
    count = {"n": 0}

    def hook(*args, **kwargs):
        count["n"] += 1
        if count["n"] >= calls:
            raise exc
        return hook.real(*args, **kwargs)
    return hook


@pytest.mark.parametrize("where", ["copy", "writestr", "fsync", "replace", "chmod"])
def test_an_interrupted_fill_leaves_the_workbook_whole_and_no_temp_file(where, tmp_path, capsys, monkeypatch):
    path = _hand_total(tmp_path)
    original = path.read_bytes()
    hook = _fail_on(3 if where == "copy" else 1, Boom(28, "No space left on device"))
    target = {"copy": (shutil, "copyfileobj"), "writestr": (zipfile.ZipFile, "writestr"),
              "fsync": (os, "fsync"), "replace": (os, "replace"), "chmod": (os, "chmod")}[where]
    hook.real = getattr(*target)
    monkeypatch.setattr(*target, hook)
    code, out, err = run(capsys, "fill", path)
    monkeypatch.undo()
    assert code == 2 and "无法写入" in err and "No space left on device" in err and "Traceback" not in err
    assert path.read_bytes() == original
    backups = list(tmp_path.glob("年报.备份-*.xlsx"))  # made before the write began: still the old file
    assert [b.read_bytes() for b in backups] == [original]
    assert leftovers(tmp_path) == []


def test_ctrl_c_during_a_write_leaves_the_old_file_and_no_temp_file(tmp_path, monkeypatch):
    path = _hand_total(tmp_path)
    original = path.read_bytes()
    hook = _fail_on(2, KeyboardInterrupt())
    hook.real = shutil.copyfileobj
    monkeypatch.setattr(shutil, "copyfileobj", hook)
    with pytest.raises(KeyboardInterrupt):
        writer.write_named_values(path, path, {"XR_T3_NEW_TOTAL": Decimal(1)})
    assert path.read_bytes() == original
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("generated", ["build", "summary", "addin"])
def test_an_interrupted_generated_file_leaves_the_previous_one(generated, tmp_path, capsys, monkeypatch):
    """Every other file the tool writes goes through the same atomic_write."""
    from xlreport.excel import addin
    from xlreport.usecases import batch
    from xlreport.usecases.build import build_report
    from xlreport.workbook.reader import read_report

    out = tmp_path / {"build": "年报.html", "summary": "汇总.xlsx", "addin": "xlreport.xlam"}[generated]
    out.write_bytes(b"previous version")
    hook = _fail_on(1, Boom(28, "No space left on device"))
    hook.real = os.fsync
    monkeypatch.setattr(os, "fsync", hook)
    with pytest.raises(Exception):
        if generated == "build":
            build_report(read_report(HUAIAN), tmp_path, ["html"], stem="年报")
        elif generated == "summary":
            batch.write_summary([batch.check_one(HUAIAN)], out)
        else:
            addin.write_addin(out)
    assert out.read_bytes() == b"previous version"
    assert leftovers(tmp_path) == []


_CHILD = """
import os, shutil, sys, time
from xlreport.cli import main
real = shutil.copyfileobj
def slow(src, dst, length=0):
    real(src, dst, length)
    if type(dst).__name__ == "_ZipWriteFile":  # a member of the new workbook, not the backup copy
        print("writing", flush=True)
        time.sleep(60)
shutil.copyfileobj = slow
sys.exit(main(["fill", sys.argv[1]]))
"""


def test_a_fill_killed_mid_write_leaves_the_old_file(tmp_path):
    """The process dies (power cut, task manager) half-way through writing: the workbook is the old one.

    A killed process cannot remove its temporary file; it is hidden (.年报.*.tmp), never a workbook
    the batch check picks up, and the next write uses a new one.
    """
    path = _hand_total(tmp_path)
    original = path.read_bytes()
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "writing"
        temp = [p for p in tmp_path.iterdir() if p.suffix == ".tmp"]
        assert len(temp) == 1 and temp[0].name.startswith(".年报.")
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert path.read_bytes() == original
    from xlreport.usecases.batch import discover
    assert discover([tmp_path]) == [path]


# --- generated files never replace an input --------------------------------------------------------


def _html_report(tmp: Path) -> Path:
    """A published report as the portal shows it: the tool's own .html of 淮安."""
    from xlreport.usecases.build import build_report
    from xlreport.workbook.reader import read_report

    return build_report(read_report(HUAIAN), tmp, ["html"], stem="淮安年报")[0]


REFUSALS = {
    # name: (make inputs in tmp → (argv, files that must stay unchanged))
    "build -o into the input's folder, input is the report of that name": lambda t: (
        ["build", _html_report(t), "--html", "--force", "-o", t], [t / "淮安年报.html"]),
    "build -o the same folder spelled differently": lambda t: (
        ["build", _html_report(t), "--html", "--force", "-o", t / "." / ".." / t.name], [t / "淮安年报.html"]),
    "import -o onto an existing file": lambda t: (
        ["import", _html_report(t), "-o", copy(HUAIAN, t / "已有.xlsx")], [t / "淮安年报.html", t / "已有.xlsx"]),
    "import -o onto its own input": lambda t: (
        ["import", copy(HUAIAN, t / "年报.xlsx"), "-o", t / "年报.xlsx"], [t / "年报.xlsx"]),
    "next -o onto its input": lambda t: (
        ["next", copy(HUAIAN, t / "年报.xlsx"), "-o", t / "年报.xlsx"], [t / "年报.xlsx"]),
    "aggregate -o onto one of its inputs": lambda t: (
        ["aggregate", copy(HUAIAN, t / "a.xlsx"), copy(HUAIAN, t / "b.xlsx"), "--agency", "某县", "-o", t / "b.xlsx"],
        [t / "a.xlsx", t / "b.xlsx"]),
    "check -o onto an input": lambda t: (
        ["check", copy(HUAIAN, t / "年报.xlsx"), "-o", t / "年报.xlsx"], [t / "年报.xlsx"]),
    "check --format xlsx -o onto an input in a checked folder": lambda t: (
        ["check", t, "--format", "xlsx", "-o", copy(ZHUZHOU, t / "b.xlsx")], [t / "b.xlsx"]),
    "addin build -o onto an existing file": lambda t: (
        ["addin", "build", "-o", copy(HUAIAN, t / "年报.xlam")], [t / "年报.xlam"]),
    "fill -o onto another existing file": lambda t: (
        ["fill", _hand_total(t), "-o", copy(ZHUZHOU, t / "b.xlsx")], [t / "年报.xlsx", t / "b.xlsx"]),
    "draft -o onto another existing file": lambda t: (
        ["draft", copy(HUAIAN, t / "a.xlsx"), "-o", copy(ZHUZHOU, t / "b.xlsx")], [t / "a.xlsx", t / "b.xlsx"]),
    "new -o onto an existing file": lambda t: (
        ["new", "--year", "2025", "-o", copy(HUAIAN, t / "年报.xlsx")], [t / "年报.xlsx"]),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_a_generated_file_never_replaces_an_input(case, tmp_path, capsys):
    argv, kept = REFUSALS[case](tmp_path)
    before = {p: digest(p) for p in kept}
    listing = sorted(p.name for p in tmp_path.iterdir())
    code, _, err = run(capsys, *argv)
    assert code == 2, err
    assert err.startswith("错误：") and ("不会覆盖" in err or "就是输入" in err), err
    assert {p: digest(p) for p in kept} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == listing  # nothing else written either
