"""The workbook's live checks never contradict `validate`, as LibreOffice shows them.

How we see what LibreOffice shows: its HTML export (``soffice --convert-to html``) writes every
cell of every visible sheet with the background colour LibreOffice displays, conditional
formatting applied (a cell whose rule holds carries the rule's fill as ``bgcolor``), and formula
cells with their calculated text. The workbooks come from openpyxl without cached results, so
LibreOffice calculates every formula (the status lines and the helper codes on the hidden sheet)
on load. One soffice call converts a whole batch, with a private profile. Cell positions are
recovered by walking each exported table's rows with their rowspan/colspan from A1, and checked
against the numbers the statutory cells hold.

The expectation is written from `validate`'s findings and the rule the live checks follow
(README, 表格里的即时检查), not from the formulas:

- a statutory cell is highlighted iff a finding about that one cell says it is blank or not a
  valid number (CELL-BLANK, TOTAL-BLANK, CELL-TEXT, CELL-TEXT-NUMBER, CELL-NEGATIVE,
  CELL-NOT-INTEGER), or it is to blame for a broken identity: the total of R2–R4, all four cells
  of R1 (T3-FLOW);
- a broken identity shows only when every one of its cells holds a number in the file: Python
  reads "12件" as 12 and checks the identity, a spreadsheet cannot (the text cell shows instead);
- each status line counts that table's broken identities, blank cells and other invalid cells.
"""

from __future__ import annotations

import random
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from lxml import html

from conftest import REAL_REPORTS, consistent_numbers, make_report
from workbooks import HUAIAN, ZHUZHOU, edited
from xlreport.cli import main
from xlreport.forms import FORM_2019, FORM_2021, Domain, Kind
from xlreport.model import State
from xlreport.checks.report import validate
from xlreport.workbook.export import write_report_workbook
from xlreport.workbook.reader import read_report
from xlreport.workbook.template import TEMPLATE_PATH, write_workbook

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice not installed (CI always installs it)")

HIGHLIGHT = "#FFC7CE"
STATUS_NAMES = {"t2": "XR_STATUS_T2", "t3": "XR_STATUS_T3", "t4": "XR_STATUS_T4", "all": "XR_STATUS_ALL"}
CELL_BLANK = {"CELL-BLANK", "TOTAL-BLANK"}
CELL_INVALID = {"CELL-TEXT", "CELL-TEXT-NUMBER", "CELL-NEGATIVE", "CELL-NOT-INTEGER"}
IDENTITY_RULES = {"T3-FLOW", "T3-RESULT-SUM", "T3-ROW-SUM", "T4-SUM"}
TEXTS = ["无", "/", "—", "12件", "１２", "7", " 3 ", "abc"]  # "7" and " 3 " are numbers stored as text
WORKBOOKS = 36


# --- what LibreOffice shows ------------------------------------------------------------------


def convert(paths: list[Path], fmt: str, tmp: Path) -> Path:
    out = tmp / f"out-{fmt}"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(tmp / 'profile').as_uri()}", "--headless",
         "--convert-to", fmt, "--outdir", str(out), *map(str, paths)],
        check=True, capture_output=True, timeout=600,
    )
    return out


def shown(page: Path) -> dict[str, dict[tuple[int, int], tuple[str, str]]]:
    """sheet → (row, col) → (text, background colour) of every cell LibreOffice exported."""
    doc = html.parse(str(page)).getroot()
    sheets, sheet = {}, None
    for el in doc.iter("h1", "table"):
        if el.tag == "h1":
            em = el.find(".//em")
            sheet = em.text_content() if em is not None else None
            continue
        if sheet is None:
            continue
        cells, taken = {}, set()
        for r, tr in enumerate(el.iter("tr"), start=1):
            c = 1
            for td in tr.findall("td"):
                while (r, c) in taken:
                    c += 1
                rows, cols = int(td.get("rowspan", 1)), int(td.get("colspan", 1))
                cells[(r, c)] = (td.text_content().strip(), (td.get("bgcolor") or "").upper())
                taken |= {(r + i, c + j) for i in range(rows) for j in range(cols)}
                c += cols
        sheets[sheet], sheet = cells, None
    return sheets


def name_cells(path: Path) -> dict[str, tuple[str, int, int]]:
    """defined name → (sheet, row, col), read with openpyxl (not the reader under test)."""
    wb = openpyxl.load_workbook(path)
    out = {}
    for name, dn in wb.defined_names.items():
        dests = list(dn.destinations)
        if len(dests) == 1 and ":" not in dests[0][1]:
            c = wb[dests[0][0]][dests[0][1].replace("$", "")]
            out[name] = (dests[0][0], c.row, c.column)
    return out


# --- what validate says ------------------------------------------------------------------------


def expected(path: Path):
    """(highlighted statutory cell keys, status text per table and "all"), from validate."""
    report = read_report(path)
    form = report.form
    table_of = {c.key: c.table.key for c in form.cells}
    highlighted: set[str] = set()
    blank: dict[str, set[str]] = {t.key: set() for t in form.tables}
    invalid: dict[str, set[str]] = {t.key: set() for t in form.tables}
    broken: dict[str, int] = {t.key: 0 for t in form.tables}
    for f in validate(report):
        keys = [c.key for c in f.cells]
        if f.rule in CELL_BLANK | CELL_INVALID and keys[0] in table_of:
            (blank if f.rule in CELL_BLANK else invalid)[table_of[keys[0]]].add(keys[0])
            highlighted.add(keys[0])
        elif f.rule in IDENTITY_RULES:
            if all(report.value(k).state is State.NUMBER and not report.value(k).interpreted for k in keys):
                broken[table_of[keys[0]]] += 1
                highlighted |= set(keys) if f.rule == "T3-FLOW" else {keys[0]}
    counts = {t: (broken[t], len(blank[t]), len(invalid[t] - blank[t])) for t in broken}
    counts["all"] = tuple(sum(c[i] for c in counts.values()) for i in range(3))
    return highlighted, {t: status_text(*c) for t, c in counts.items()}


def status_text(broken: int, blank: int, invalid: int) -> str:
    parts = [f"{n} {words}" for n, words in ((broken, "处不符"), (blank, "个单元格未填"), (invalid, "个单元格填写有误")) if n]
    return "勾稽关系：" + ("，".join(parts) if parts else "全部相符")


# --- random workbooks --------------------------------------------------------------------------


def random_numbers(form, rng: random.Random, case: str) -> tuple[dict, dict]:
    """(numbers for make_report, raw cell edits made afterwards with openpyxl) for one case."""
    numbers: dict = consistent_numbers(form, lambda: rng.choice([0, 0, 1, 2, 3, rng.randint(0, 400)]))
    for cell in form.cells:
        if cell.domain is Domain.AMOUNT:
            numbers[cell.key] = rng.choice([0, 115.2, 3.75, 2054.39, 12])
        elif cell.domain is Domain.DELTA:
            numbers[cell.key] = rng.randint(-20, 20)  # 2019 本年增/减 may be negative
    raw: dict = {}
    keys = [c.key for c in form.cells if c.table.key != "t2" or rng.random() < 0.3]
    for _ in range(rng.choice([1, 1, 1, 2, 3]) if case != "consistent" else 0):
        key = rng.choice(keys)
        cell = form.cell(key)
        kind = case if case != "mixed" else rng.choice(["broken", "blank", "text", "spaces", "negative", "fraction"])
        if kind == "broken":
            numbers[key] = int(numbers[key] or 0) + rng.choice([1, 2, 5, 17])
        elif kind == "blank":
            numbers[key] = None
        elif kind == "text":
            numbers[key] = rng.choice(TEXTS)
        elif kind == "spaces":
            raw[cell.defined_name] = rng.choice(["", " ", "   "])
        elif kind == "negative":
            numbers[key] = -rng.randint(1, 9)
        elif kind == "fraction":
            numbers[key] = int(numbers[key] or 0) + 0.5
    if case == "blank-total":
        numbers[rng.choice([c.key for c in form.cells if c.kind is Kind.TOTAL])] = None
    return numbers, raw


CASES = ["consistent", "broken", "blank", "text", "spaces", "negative", "fraction", "blank-total", "mixed"]


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """WORKBOOKS random workbooks of both forms, exported, and LibreOffice's HTML of each."""
    tmp = tmp_path_factory.mktemp("live")
    rng = random.Random(20261206)
    paths = []
    for i in range(WORKBOOKS):
        form = (FORM_2019, FORM_2021)[i % 2]
        case = CASES[(i // 2) % len(CASES)]
        numbers, raw = random_numbers(form, rng, case)
        path = write_report_workbook(make_report(form, numbers), tmp / f"{i:02d}-{form.version}-{case}.xlsx")
        if raw:
            wb = openpyxl.load_workbook(path)
            for name, value in raw.items():
                sheet, coord = next(iter(wb.defined_names[name].destinations))
                wb[sheet][coord.replace("$", "")].value = value
            wb.save(path)
        paths.append(path)
    out = convert(paths, "html", tmp)
    return [(p, shown(out / f"{p.stem}.html")) for p in paths]


@needs_soffice
def test_the_random_workbooks_cover_every_kind_of_problem(batch):
    rules = {f.rule for path, _ in batch for f in validate(read_report(path))}
    assert CELL_BLANK | CELL_INVALID | IDENTITY_RULES | {"SUM-UNCHECKED"} <= rules
    assert any(status == "勾稽关系：全部相符" for path, _ in batch for status in expected(path)[1].values())


@needs_soffice
def test_libreoffice_highlights_exactly_the_cells_validate_blames(batch):
    for path, sheets in batch:
        report = read_report(path)
        where = name_cells(path)
        want, _ = expected(path)
        for cell in report.form.cells:
            sheet, row, col = where[cell.defined_name]
            text, colour = sheets[sheet][(row, col)]
            value = report.value(cell.key)
            if value.is_number and not value.interpreted and value.number == value.number.to_integral():
                assert Decimal(text) == value.number, (path.name, cell.key, text)  # the cell found is the one named
            assert (colour == HIGHLIGHT) == (cell.key in want), (path.name, cell.statutory_name, text, colour)


@needs_soffice
def test_every_status_line_states_what_validate_found(batch):
    for path, sheets in batch:
        where = name_cells(path)
        _, statuses = expected(path)
        for key, name in STATUS_NAMES.items():
            sheet, row, col = where[name]
            text, colour = sheets[sheet][(row, col)]
            assert text == statuses[key], (path.name, key)
            assert (colour == HIGHLIGHT) == (text != "勾稽关系：全部相符"), (path.name, key)


@needs_soffice
def test_live_checks_survive_a_libreoffice_save_and_then_fill(tmp_path):
    """A workbook saved by LibreOffice caches every formula's result; `fill` then patches the
    totals. The status lines must follow (the writer drops cached results), and the conditional
    formatting LibreOffice wrote back must still highlight what validate blames."""
    rng = random.Random(7)
    sources = []
    for form in (FORM_2019, FORM_2021):
        for case in ("consistent", "broken", "text"):
            numbers, _ = random_numbers(form, rng, case)
            for cell in form.cells:
                if cell.kind is Kind.TOTAL and rng.random() < 0.8:
                    numbers[cell.key] = None  # fill computes these where it can
            sources.append(write_report_workbook(make_report(form, numbers), tmp_path / f"{form.version}-{case}.xlsx"))
    saved = convert(sources, "xlsx", tmp_path)
    filled = []
    for src in sources:
        target = tmp_path / f"filled-{src.name}"
        assert main(["fill", str(saved / src.name), "-o", str(target)]) == 0
        filled.append(target)
    assert any(_cached_results(saved / s.name) for s in sources)  # LibreOffice did cache results
    for src in sources:  # the status texts LibreOffice cached do not confuse the reader
        before, after = read_report(src), read_report(saved / src.name)
        assert after.values == before.values, src.name
        assert {k: v for k, v in after.cover.items() if k != "form_document"} == {  # a formula: now with its result
            k: v for k, v in before.cover.items() if k != "form_document"}, src.name
        assert sorted(f.rule for f in validate(after)) == sorted(f.rule for f in validate(before)), src.name
    out = convert(filled, "html", tmp_path)
    for path in filled:
        sheets = shown(out / f"{path.stem}.html")
        where = name_cells(path)
        want, statuses = expected(path)
        for cell in read_report(path).form.cells:
            sheet, row, col = where[cell.defined_name]
            assert (sheets[sheet][(row, col)][1] == HIGHLIGHT) == (cell.key in want), (path.name, cell.statutory_name)
        for key, name in STATUS_NAMES.items():
            sheet, row, col = where[name]
            assert sheets[sheet][(row, col)][0] == statuses[key], (path.name, key)


def _cached_results(path: Path) -> bool:
    import zipfile

    with zipfile.ZipFile(path) as zf:
        return any(b"</f><v>" in zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/"))


# --- every workbook the program makes carries the same live checks ------------------------------


def live_checks(path: Path) -> dict:
    """Conditional formatting, formulas and status names of a workbook, as openpyxl reads them
    (sheets without rules, like aggregate's list of sources, left out)."""
    wb = openpyxl.load_workbook(path)
    where = name_cells(path)
    rules = {ws.title: sorted((str(cf.sqref), r.formula[0], r.dxf.fill.bgColor.rgb[-6:])
                              for cf in ws.conditional_formatting for r in cf.rules) for ws in wb.worksheets}
    return {
        "rules": {sheet: found for sheet, found in rules.items() if found},
        "formulas": {(ws.title, c.coordinate): c.value for ws in wb.worksheets for row in ws.iter_rows()
                     for c in row if c.data_type == "f"},
        "status": {name: where.get(name) for name in STATUS_NAMES.values()},
    }


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("templates")
    return {f.version: live_checks(write_workbook(tmp / f"{f.version}.xlsx", f)) for f in (FORM_2019, FORM_2021)}


def _aggregate(tmp: Path, example: Path, out: Path) -> list[str]:
    (tmp / "in").mkdir()
    shutil.copyfile(example, tmp / "in" / "1.xlsx")  # and another agency (one agency is never counted twice)
    edited(example, tmp / "in" / "2.xlsx", XR_COVER_AGENCY="另一机关", XR_T2_ITEM6_PENALTY_DECISIONS=7)
    return ["aggregate", str(tmp / "in"), "--agency", "某某县人民政府", "-o", str(out)]


PRODUCERS = {  # name → (form version, command line given tmp and the output path)
    "new-2020": ("2019", lambda tmp, out: ["new", "--year", "2020", "--agency", "某局", "-o", str(out)]),
    "new-2026": ("2021", lambda tmp, out: ["new", "--year", "2026", "--agency", "某局", "-o", str(out)]),
    "next-2020-2021": ("2021", lambda tmp, out: ["next", str(ZHUZHOU), "-o", str(out)]),
    "next-2024-2025": ("2021", lambda tmp, out: ["next", str(HUAIAN), "-o", str(out)]),
    "import-2019": ("2019", lambda tmp, out: ["import", str(REAL_REPORTS / "2020_zhuzhou_xingzheng_shenpi.txt"), "-o", str(out)]),
    "import-2021": ("2021", lambda tmp, out: ["import", str(REAL_REPORTS / "2024_huaian_shi_renmin_zhengfu.txt"), "-o", str(out)]),
    "aggregate-2019": ("2019", lambda tmp, out: _aggregate(tmp, ZHUZHOU, out)),
    "aggregate-2021": ("2021", lambda tmp, out: _aggregate(tmp, HUAIAN, out)),
}


@pytest.mark.parametrize("producer", PRODUCERS)
def test_every_command_that_makes_a_workbook_gives_it_the_templates_live_checks(tmp_path, templates, producer):
    version, argv = PRODUCERS[producer]
    out = tmp_path / "out.xlsx"
    assert main(argv(tmp_path, out)) in (0, 1)  # 1: the imported report has findings
    found, template = live_checks(out), templates[version]
    assert all(found["status"].values()) and found == template


def test_the_committed_template_and_the_examples_carry_the_live_checks(templates):
    assert live_checks(TEMPLATE_PATH) == templates["2021"]
    assert live_checks(ZHUZHOU) == templates["2019"] and live_checks(HUAIAN) == templates["2021"]


def test_formula_text_never_depends_on_what_the_report_holds(tmp_path, templates):
    hostile = ["=1+1", '=HYPERLINK("http://x","点")', "+SUM(A1:A9)", "@cmd", "-2+3", "'\"&CHAR(34)"]
    for form in (FORM_2019, FORM_2021):
        numbers = {c.key: hostile[i % len(hostile)] for i, c in enumerate(form.cells)}
        report = make_report(form, numbers, agency='=HYPERLINK("http://x")&"局"')
        report.cover["address"] = report.cover["agency"]
        path = write_report_workbook(report, tmp_path / f"{form.version}.xlsx")
        assert live_checks(path) == templates[form.version]
