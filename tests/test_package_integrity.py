"""Damaged workbook packages that Excel cannot open as they are: refused (exit 2) with what to do.

Every damaged file is made here from a sound workbook of each format version (the two examples)
by one edit of its zip, the way real damage looks: a part left out by a broken upload or a
script, a NUL pasted into a cell's text, a part cut short, bytes in another encoding. The
sound files, a copy saved by LibreOffice (a third-party producer) and the legal variations of
the packaging standard (a UTF-16 part, a part typed by its extension only) must still pass.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from workbooks import HUAIAN, ZHUZHOU
from xlreport.cli import main
from xlreport.workbook.safezip import ReadError, check_package

EXAMPLES = pytest.mark.parametrize("example", [ZHUZHOU, HUAIAN], ids=["2019格式", "2021格式"])
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
REMEDY = ("Excel 无法直接打开", "另存为", "xlreport new")


def rebuilt(src: Path, dst: Path, edit) -> Path:
    """A copy of src whose members pass through edit(name, bytes) → bytes, or None to leave one out."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = edit(info.filename, zin.read(info))
            if data is not None:
                zout.writestr(info.filename, data)
        for name, data in getattr(edit, "added", {}).items():
            zout.writestr(name, data)
    return dst


def _sheet_of(src: Path, sheet: str) -> str:
    """The worksheet member of a named sheet, read from the package itself."""
    from xlreport.workbook.safezip import sheet_members

    with zipfile.ZipFile(src) as zf:
        return sheet_members({n: zf.read(n) for n in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")})[sheet]


def without(member):
    return lambda name, data: None if name == member else data


def in_sheet(sheet, old: bytes, new: bytes):
    def edit(name, data):
        return data.replace(old, new, 1) if name == edit.member else data
    edit.sheet = sheet
    return edit


def cut_short(sheet):
    def edit(name, data):
        return data[: len(data) * 2 // 3] if name == edit.member else data
    edit.sheet = sheet
    return edit


def with_extra_relationship(target: str):
    rel = f'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="{target}"/>'
    return lambda name, data: data.replace(b"</Relationships>", rel.encode() + b"</Relationships>") \
        if name == "xl/_rels/workbook.xml.rels" else data


def untyped_part():
    """A part the relationships name but [Content_Types].xml gives no type (an .bin extension)."""
    def edit(name, data):
        if name == "xl/_rels/workbook.xml.rels":
            rel = b'<Relationship Id="rIdY" Type="http://example.com/custom" Target="custom/data.bin"/>'
            return data.replace(b"</Relationships>", rel + b"</Relationships>")
        return data
    edit.added = {"xl/custom/data.bin": b"\x00\x01"}
    return edit


# (id, edit, words the message must hold) — each a kind of damage Excel answers with "repair"
DAMAGED = [
    ("content-types-missing", without("[Content_Types].xml"), ["[Content_Types].xml"]),
    ("styles-missing", without("xl/styles.xml"), ["缺少", "xl/styles.xml"]),
    ("shared-strings-named-but-missing", with_extra_relationship("sharedStrings.xml"), ["缺少", "xl/sharedStrings.xml"]),
    ("nul-in-cover-text", in_sheet("封面", b"</t>", b"\x00</t>"), ["工作表“封面”已损坏", "控制字符"]),
    ("control-char-in-table-text", in_sheet("表三", b"</t>", b"\x1b</t>"), ["工作表“表三”已损坏", "控制字符"]),
    ("sheet-cut-short", cut_short("表二"), ["工作表“表二”已损坏", "不完整"]),
    ("sheet-not-utf8", in_sheet("正文", b"</t>", b"\xff</t>"), ["工作表“正文”已损坏", "编码"]),
    ("non-character-fffe", in_sheet("正文", b"</t>", "\ufffe".encode() + b"</t>"), ["工作表“正文”已损坏"]),
    ("part-without-content-type", untyped_part(), ["xl/custom/data.bin", "内容类型"]),
]


def damaged(example: Path, tmp_path: Path, edit) -> Path:
    if hasattr(edit, "sheet"):
        edit.member = _sheet_of(example, edit.sheet)
    return rebuilt(example, tmp_path / f"损坏-{example.name}", edit)


@EXAMPLES
@pytest.mark.parametrize("case, edit, words", DAMAGED, ids=[d[0] for d in DAMAGED])
def test_check_refuses_a_package_excel_would_have_to_repair(example, tmp_path, capsys, case, edit, words):
    path = damaged(example, tmp_path, edit)
    code = main(["check", str(path)])
    out, err = capsys.readouterr()
    assert code == 2, out + err
    for word in (*words, *REMEDY, path.name):
        assert word in err, (word, err)
    assert "Traceback" not in out + err


@EXAMPLES
@pytest.mark.parametrize("case, edit, words", DAMAGED[:4], ids=[d[0] for d in DAMAGED[:4]])
def test_fill_refuses_a_damaged_package_and_leaves_it_untouched(example, tmp_path, capsys, case, edit, words):
    path = damaged(example, tmp_path, edit)
    before = path.read_bytes()
    assert main(["fill", str(path)]) == 2
    assert words[0] in capsys.readouterr().err
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no backup, no output


@EXAMPLES
def test_check_passes_the_sound_examples(example, capsys):
    assert main(["check", str(example)]) == 0, capsys.readouterr()


# (id, edit) — what the packaging standard allows: still a sound workbook
LEGAL = [
    ("part-in-utf16", lambda name, data: ("\ufeff" + data.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"'))
     .encode("utf-16-le") if name == "docProps/core.xml" else data),
    ("trailing-whitespace-after-root", lambda name, data: data + b"\r\n  \n" if name.endswith(".xml") else data),
    ("part-names-in-another-case", lambda name, data: data.replace(b'Target="/xl/styles.xml"', b'Target="/XL/Styles.xml"')
     .replace(b'Target="styles.xml"', b'Target="STYLES.XML"') if name == "xl/_rels/workbook.xml.rels" else data),
]


@EXAMPLES
@pytest.mark.parametrize("case, edit", LEGAL, ids=[c[0] for c in LEGAL])
def test_legal_variations_of_the_packaging_standard_pass(example, tmp_path, capsys, case, edit):
    path = rebuilt(example, tmp_path / example.name, edit)
    assert main(["check", str(path)]) == 0, capsys.readouterr()


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice not installed (CI always installs it)")
def test_a_workbook_saved_by_libreoffice_passes(tmp_path, capsys):
    """A third-party producer: shared strings, its own part names and content types."""
    subprocess.run([SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(tmp_path / "lo"), str(HUAIAN)],
                   check=True, capture_output=True, timeout=180)
    saved = tmp_path / "lo" / HUAIAN.name
    with zipfile.ZipFile(saved) as zf:
        assert "xl/sharedStrings.xml" in zf.namelist()
    assert main(["check", str(saved)]) == 0, capsys.readouterr()


def test_a_dtd_in_any_part_is_refused_before_anything_reads_it(tmp_path):
    dtd = b'<!DOCTYPE Properties [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    path = rebuilt(HUAIAN, tmp_path / "dtd.xlsx", lambda name, data: data.replace(
        b"<Properties", dtd + b"<Properties", 1) if name == "docProps/app.xml" else data)
    with zipfile.ZipFile(path) as zf, pytest.raises(ReadError, match="DTD"):
        check_package(zf, path.name)


def test_a_dtd_in_a_utf16_part_is_refused_too(tmp_path):
    """The packaging standard allows UTF-16 parts; a DTD must not hide behind their zero bytes."""
    dtd = '<!DOCTYPE Properties [<!ENTITY a "aaaaaaaa">]>'

    def utf16_with_dtd(name, data):
        if name != "docProps/app.xml":
            return data
        text = data.decode("utf-8").replace("<Properties", dtd + "<Properties", 1)
        return ("\ufeff" + text).encode("utf-16-le")

    path = rebuilt(HUAIAN, tmp_path / "dtd16.xlsx", utf16_with_dtd)
    with zipfile.ZipFile(path) as zf, pytest.raises(ReadError, match="DTD"):
        check_package(zf, path.name)


def test_check_package_returns_every_xml_part_it_read(tmp_path):
    with zipfile.ZipFile(HUAIAN) as zf:
        parts = check_package(zf)
        xml = {n for n in zf.namelist() if n.endswith((".xml", ".rels"))}
        assert set(parts) == xml
        assert all(parts[n] == zf.read(n) for n in xml)


def test_a_damaged_docx_is_refused_with_words_for_word(tmp_path, capsys):
    from docx import Document

    sound = tmp_path / "年报.docx"
    doc = Document()
    doc.add_paragraph("某某局2024年政府信息公开工作年度报告")
    doc.save(sound)
    path = rebuilt(sound, tmp_path / "损坏.docx", without("[Content_Types].xml"))
    code = main(["import", str(path), "-o", str(tmp_path / "out.xlsx")])
    err = capsys.readouterr().err
    assert code == 2
    assert "[Content_Types].xml" in err and "Word" in err and "另存为" in err
    assert not (tmp_path / "out.xlsx").exists()
