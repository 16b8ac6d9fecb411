"""Fuzzing the reader and the importer: whatever the bytes, a Report or a ReadError, never another exception.

Inputs are mutations of the real examples (bytes flipped inside XML members and re-zipped,
members dropped, the zip itself damaged, random values of every Python type written into the
named cells with openpyxl) and of the real 淮安 report text (random text around its lines,
random tables in HTML). Each property then runs what `check` runs on a file (validate), and for
cell values also what fill, draft and build run (totals, narrative draft, HTML rendering).

Time budget: max_examples per test keeps the module at about 20 s on the 2-core CI machine;
the deadline catches an input that makes one example pathologically slow. For a longer hunt:
XLREPORT_FUZZ_SCALE=50 pytest tests/test_fuzz.py (fifty times the examples).
"""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from corpus.make import HUAIAN, HUAIAN_TEXT
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from xlreport.checks.report import validate
from xlreport.checks.totals import compute_totals
from xlreport.importers import load_report
from xlreport.model import Narrative
from xlreport.narrative.draft import draft_narrative
from xlreport.render.document import compose
from xlreport.render.html import render_html
from xlreport.workbook.reader import read_report
from xlreport.workbook.safezip import ReadError

SCALE = int(os.environ.get("XLREPORT_FUZZ_SCALE", "1"))
FUZZ = settings(max_examples=60 * SCALE, deadline=timedelta(seconds=10), suppress_health_check=[HealthCheck.too_slow],
                print_blob=True)

MEMBERS = {i.filename: i for i in zipfile.ZipFile(HUAIAN).infolist()}
DATA = {name: zipfile.ZipFile(HUAIAN).read(name) for name in MEMBERS}
XML_MEMBERS = sorted(n for n in MEMBERS if n.endswith((".xml", ".rels")))
LINES = HUAIAN_TEXT.read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module", autouse=True)
def memory_cap():
    """A mutation that makes a library allocate gigabytes fails here instead of taking the
    shared machine down: the address space is capped while this module runs."""
    import resource

    try:
        with open("/proc/self/statm") as fh:  # what the test process has mapped already (Linux)
            mapped = int(fh.read().split()[0]) * resource.getpagesize()
    except OSError:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = mapped + 3 * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (cap if hard == resource.RLIM_INFINITY else min(cap, hard), hard))
    yield
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def read_like_check(path: Path, engine: str = "calamine") -> None:
    """What `xlreport check` does with a workbook; only ReadError may escape."""
    try:
        report = read_report(path, engine)
    except ReadError as exc:
        assert str(exc) and "Traceback" not in str(exc)
        return
    validate(report)


# --- the reader ----------------------------------------------------------------------


@FUZZ
@given(member=st.sampled_from(XML_MEMBERS),
       flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.binary(min_size=1, max_size=4)), min_size=1, max_size=6))
def test_reader_survives_bytes_changed_inside_an_xml_member(scratch, member, flips):
    data = bytearray(DATA[member])
    for where, new in flips:
        at = int(where * len(data))
        data[at : at + len(new)] = new
    path = scratch / "flipped.xlsx"
    path.write_bytes(zipped({**DATA, member: bytes(data)}))
    read_like_check(path)


# The characters whose change turns a valid sheet into a differently valid one: digits, cell
# types, references. Flipping them keeps the XML well-formed far more often than random bytes.
_MEANINGFUL = st.sampled_from([b"0", b"9", b"e", b"s", b"n", b"b", b"str", b"inlineStr", b"A", b"Z", b"XFD", b"-", b"."])


@FUZZ
@given(sheet=st.sampled_from([n for n in XML_MEMBERS if "worksheets/" in n] + ["xl/workbook.xml"]),
       edits=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), _MEANINGFUL), min_size=1, max_size=6))
def test_reader_survives_well_formed_but_odd_xml(scratch, sheet, edits):
    data = bytearray(DATA[sheet])
    for where, new in edits:
        at = int(where * len(data))
        while at < len(data) and not (48 <= data[at] <= 57 or 65 <= data[at] <= 90 or 97 <= data[at] <= 122):
            at += 1  # land on a letter or digit: inside a value, a reference or an attribute
        data[at : at + 1] = new
    path = scratch / "odd.xlsx"
    path.write_bytes(zipped({**DATA, sheet: bytes(data)}))
    read_like_check(path)


@FUZZ
@given(dropped=st.sets(st.sampled_from(sorted(MEMBERS)), min_size=1))
def test_reader_survives_missing_members(scratch, dropped):
    path = scratch / "dropped.xlsx"
    path.write_bytes(zipped({n: d for n, d in DATA.items() if n not in dropped}))
    read_like_check(path)


RAW = HUAIAN.read_bytes()


@FUZZ
@given(flips=st.lists(st.tuples(st.integers(0, len(RAW) - 1), st.integers(0, 255)), min_size=1, max_size=8),
       cut=st.one_of(st.none(), st.integers(0, len(RAW))))
def test_reader_survives_a_damaged_zip_container(scratch, flips, cut):
    data = bytearray(RAW)
    for at, byte in flips:
        data[at] = byte
    path = scratch / "damaged.xlsx"
    path.write_bytes(bytes(data[:cut] if cut is not None else data))
    read_like_check(path)


# Every kind of value a cell can be given from Python, and the texts staff type.
_TEXT = st.text(max_size=40).filter(lambda s: not ILLEGAL_CHARACTERS_RE.search(s))
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False, min_value=Decimal("-1e30"), max_value=Decimal("1e30")),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 12, 31)),
    st.dates(min_value=date(1900, 3, 1)),
    st.times(),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=10000)),
    _TEXT,
    st.sampled_from(["无", "/", "—", "１２", "12件", "-0", "NaN", "-inf", "1e308", " ", "3940 元", "#REF!", "#DIV/0!",
                     "#N/A", "=1/0", "=SUM(D5:I5)", "=表三!D5", "2024年度", "'12", "1,234", "0.5", "99999999999999999999",
                     "本年度办结申请3050件，予以公开1362件（占办结总数的44.7%），行政复议72件。", "未收到政府信息公开申请。"]),
)
_WB = openpyxl.load_workbook(HUAIAN)
NAMES = sorted(n for n in _WB.defined_names if n.startswith(("XR_T", "XR_COVER", "XR_NARR", "XR_META")))


@settings(FUZZ, max_examples=80 * SCALE)
@given(edits=st.lists(st.tuples(st.sampled_from(NAMES), VALUES), min_size=1, max_size=10))
def test_any_cell_values_give_findings_not_exceptions(scratch, edits):
    wb = openpyxl.load_workbook(io.BytesIO(RAW))
    for name, value in edits:
        sheet, coord = next(iter(wb.defined_names[name].destinations))
        wb[sheet][coord.replace("$", "").split(":")[0]].value = value
    path = scratch / "values.xlsx"
    try:
        wb.save(path)
    except (ValueError, TypeError, OverflowError):
        assume(False)  # openpyxl cannot write this value at all: not an input anyone can have
    for engine in ("calamine", "openpyxl"):
        try:
            report = read_report(path, engine)
        except ReadError:
            continue
        validate(report)
        compute_totals(report)
        draft_narrative(replace(report, narrative=Narrative()))  # every section drafted, as for a new workbook
        render_html(compose(report, draft=True))


# --- the importer --------------------------------------------------------------------


def import_like_check(path: Path) -> None:
    try:
        report, findings = load_report(path)
    except ReadError as exc:
        assert str(exc)
        return
    validate(report)


_NOISE = st.one_of(st.text(max_size=60), st.sampled_from(["\t", " | ", "合计", "总计", "0", "12", "-", "表三", "三、",
                                                          "（一）", "\f", "第 3 页", "本年新收", "\u3000", "１２"]))


@FUZZ
@given(ops=st.lists(st.tuples(st.integers(0, len(LINES) - 1), st.sampled_from(["insert", "replace", "delete", "append"]), _NOISE),
                    min_size=1, max_size=12))
def test_importer_survives_random_text_around_a_real_report(scratch, ops):
    lines = list(LINES)
    for at, op, noise in ops:
        at %= max(len(lines), 1)
        if op == "insert":
            lines.insert(at, noise)
        elif op == "replace" and lines:
            lines[at] = noise
        elif op == "delete" and lines:
            del lines[at]
        elif lines:
            lines[at] += noise
    path = scratch / "report.txt"
    path.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    import_like_check(path)


@FUZZ
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".txt", ".html", ".docx", ".pdf", ".dat"]))
def test_importer_survives_random_bytes(scratch, data, suffix):
    path = scratch / f"random{suffix}"
    path.write_bytes(data)
    import_like_check(path)


_LABELS = [line.strip() for line in LINES if line.strip() and len(line.strip()) < 40]
_CELL = st.one_of(st.sampled_from(_LABELS), st.integers(-5, 100000).map(str), st.sampled_from(["", "—", "无", "/"]), _TEXT)


@st.composite
def html_tables(draw) -> str:
    """A report title, then tables of random rows (real labels, numbers, junk), spans and nesting."""
    parts = ["<html><head><meta charset='utf-8'><script>var x = '<table>';</script></head><body>",
             "<h1>淮安市人民政府2024年政府信息公开工作年度报告</h1>"]
    for _ in range(draw(st.integers(1, 4))):
        parts.append(draw(st.sampled_from(["<p>二、主动公开政府信息情况</p>", "<p>三、收到和处理政府信息公开申请情况</p>",
                                           "<p>四、政府信息公开行政复议、行政诉讼情况</p>", ""])))
        parts.append("<table>")
        for _ in range(draw(st.integers(0, 12))):
            parts.append("<tr>")
            for _ in range(draw(st.integers(0, 9))):
                span = draw(st.sampled_from(["", " colspan='2'", " rowspan='3'", " colspan='0'", " rowspan='-1'"]))
                inner = draw(_CELL)
                if draw(st.integers(0, 20)) == 0:
                    inner = f"<table><tr><td>{inner}</td></tr></table>"
                parts.append(f"<td{span}>{inner}</td>")
            parts.append("</tr>")
        parts.append("</table>" if draw(st.booleans()) else "")  # sometimes left open
    return "".join(parts) + "</body></html>"


@FUZZ
@given(page=html_tables())
def test_importer_survives_random_tables_in_html(scratch, page):
    path = scratch / "report.html"
    path.write_text(page, encoding="utf-8", errors="surrogatepass")
    import_like_check(path)


def _glued_text() -> str:
    import random

    from published_text import glued, random_numbers, report_text
    from xlreport.forms import FORM_2021

    rng = random.Random(7)
    return report_text(FORM_2021, random_numbers(FORM_2021, rng), glued(rng, 0.2))


GLUED = _glued_text()
_GLUED_NOISE = st.one_of(st.text(alphabet="0123456789 -—/无.,万元件\n（）()、", max_size=8),
                         st.sampled_from(["1.", "（三）", "总计", "3.其他", "规章", "一、本年新收政府信息公开申请数量"]))


@FUZZ
@given(ops=st.lists(st.tuples(st.integers(0, len(GLUED)), st.sampled_from(["insert", "delete"]), _GLUED_NOISE),
                    min_size=1, max_size=12))
def test_importer_survives_edits_to_glued_web_text(scratch, ops):
    """Runs of digits with stray marks, signs, labels and missing digits: a report or a ReadError,
    within the splitter's stated limits."""
    text = GLUED
    for at, op, noise in ops:
        at %= len(text) + 1
        text = text[:at] + noise + text[at:] if op == "insert" else text[:at] + text[at + len(noise) :]
    path = scratch / "report.txt"
    path.write_text(text, encoding="utf-8")
    import_like_check(path)
