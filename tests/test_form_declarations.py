"""The two form declarations match the printed statutory format, label for label.

Every expected label, count and group is parsed at test time from the reference
document statutory-format.md (§2 headings, §3 the 2019 tables, §4 the 2021
tables), never taken from the code under test.  Where the document abbreviates
("same 8 sub-items as 2019", "Header identical to 2019", "表四 unchanged from
2019 (§3.3)") the parser follows the reference it gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

from xlreport.forms import FORM_2019, FORM_2021, HEADINGS, Domain, Form
from xlreport.forms.statutory import T3_RESULT_FIRST, T3_RESULT_TOTAL, T3_RESULTS_GROUP

DOC = Path(__file__).resolve().parents[1] / "docs" / "statutory-format.md"

# Where each version's tables are printed in the document.
TABLE2_SECTION = {"2019": "3.1", "2021": "4.1"}
TABLE3_SECTION = {"2019": "3.2", "2021": "4.2"}
TABLE3_HEADER_SECTION = "3.2"  # §4.2: "Header identical to 2019 (§3.2 Cell A + 3 header rows)"
TABLE4_SECTION = "3.3"  # §4.3: "表四 — unchanged from 2019 (§3.3)"

FORMS = pytest.mark.parametrize("form", [FORM_2019, FORM_2021], ids=lambda f: f.version)


# --- a small reader for the markdown document ------------------------------------------

# English layout notes in ASCII parentheses: "(colspan 3)", "(value colspan 3)",
# "(rowspan 8)", "(each rowspan 2)", "(cols 4–10)".  Printed labels use full-width （）.
ANNOTATION = re.compile(r"\s*\([a-z][^()]*\)")


def clean(text: str) -> str:
    """A printed label without layout notes, bold markers or a sentence-final period."""
    return ANNOTATION.sub("", text).replace("**", "").strip().rstrip(".").strip()


def colspan(text: str) -> int:
    match = re.search(r"\((?:value )?colspan (\d+)\)", text)
    return int(match[1]) if match else 1


@lru_cache(maxsize=None)
def section(number: str) -> str:
    """Text of `## number.` / `### number ` up to the next heading."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(rf"#{{2,3}} {re.escape(number)}[. ]", line))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("#")), len(lines))
    return "\n".join(lines[start:end])


def table_rows(text: str) -> list[list[str]]:
    """Body rows of the first markdown table in `text`; `\\|` inside a cell becomes `|`."""
    lines = [line.strip() for line in text.splitlines() if line.strip().startswith("|")]
    rows = [[cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", line.strip("|"))] for line in lines]
    return [row for row in rows[1:] if set("".join(row)) - set("-: ")]  # drop header and |---| rule


def header_rows(text: str) -> dict[int, str]:
    """The "- Row N: a | b | c." bullets describing a table header."""
    return {int(m[1]): m[2] for m in re.finditer(r"^- Row (\d+): (.+)$", text, re.M)}


def header_columns(*rows: str) -> list[tuple[str, ...]]:
    """One label path (top to bottom) per value column of a multi-row header.

    A cell marked (colspan N) heads the cells of the next row that together span N
    columns; any other cell is a leaf (it reaches down to the last header row).
    """
    levels = [[(clean(cell), colspan(cell)) for cell in row.split(" | ")] for row in rows]
    taken = [0] * len(levels)  # how many cells of each row have been placed

    def expand(level: int, label: str, width: int, path: tuple[str, ...]) -> list[tuple[str, ...]]:
        path += (label,)
        if width == 1:
            return [path]
        paths, covered = [], 0
        while covered < width:
            child, child_width = levels[level + 1][taken[level + 1]]
            taken[level + 1] += 1
            paths += expand(level + 1, child, child_width, path)
            covered += child_width
        return paths

    paths = [p for label, width in levels[0] for p in expand(0, label, width, ())]
    assert taken[1:] == [len(row) for row in levels[1:]], "header cells left unplaced"
    return paths


# --- the tables as the document prints them -------------------------------------------


@dataclass(frozen=True)
class PrintedBlock:
    title: str
    stub: str
    columns: list[str]
    rows: list[str]


@lru_cache(maxsize=None)
def printed_table2(version: str) -> list[PrintedBlock]:
    """§3.1 / §4.1: block header | 信息内容 \\| col \\| col | row; row."""
    blocks = []
    for title, headers, data in table_rows(section(TABLE2_SECTION[version])):
        stub, *columns = [clean(h) for h in headers.split("|")]
        blocks.append(PrintedBlock(clean(title), stub, columns, [clean(r) for r in data.split(";")]))
    return blocks


@dataclass(frozen=True)
class PrintedTable3:
    rows: list[tuple[str, str]]  # (group, label); group "" for rows that are not sub-items
    outer_group: str  # "三、本年度办理结果", the merged cell left of the result rows
    outer_first: int  # index of its first row
    outer_span: int  # its printed rowspan


# "（三）不予公开 (rowspan 8): 1.属于国家秘密; 2.…"  or  "（三）不予公开 (rowspan 8) — same 8 sub-items as 2019"
SUB_ITEMS = re.compile(r"^(?P<group>.+?) \(rowspan (?P<span>\d+)\)(?:: (?P<items>.+)| — same (?P<same>\d+) sub-items.*)$")
OUTER = re.compile(r'"(?P<label>[^"]+)" rowspan \*\*(?P<span>\d+)\*\*')


@lru_cache(maxsize=None)
def printed_table3(version: str) -> PrintedTable3:
    """§3.2 / §4.2 data rows, compressed rows expanded to group + sub-items."""
    rows: list[tuple[str, str]] = []
    outer = None
    for numbers, cell, merge in table_rows(section(TABLE3_SECTION[version])):
        first, _, last = numbers.partition("–")
        assert int(first) == len(rows) + 1, f"row numbering jumps at {numbers}"
        match = SUB_ITEMS.match(cell)
        if match is None:
            label = cell.split(" — ")[0]  # drop commentary such as "— **single row, no sub-items**"
            if "→" in label:  # "三、本年度办理结果 → （一）予以公开": the left part is a merged outer cell
                spanning = OUTER.search(merge)
                outer = (clean(spanning["label"]), len(rows), int(spanning["span"]))
                label = label.split("→")[1]
            items = [("", clean(label))]
        else:
            group = clean(match["group"])
            if match["items"]:
                items = [(group, clean(item)) for item in match["items"].split(";")]
            else:
                # §4.2 abbreviates ("same 8 sub-items as 2019"): follow the reference to §3.2.
                items = [row for row in printed_table3("2019").rows if row[0] == group]
                assert len(items) == int(match["same"]), f"{group}: §3.2 has {len(items)} sub-items"
            assert len(items) == int(match["span"]), f"{group}: rowspan {match['span']} vs {len(items)} items"
        assert len(items) == int(last or first) - int(first) + 1, f"rows {numbers} vs {len(items)} labels"
        rows += items
    assert outer is not None, "no outer rowspan found"
    return PrintedTable3(rows, *outer)


def printed_table3_columns() -> list[tuple[str, ...]]:
    """§3.2 header rows 2–3 (row 1 is the all-spanning 申请人情况)."""
    rows = header_rows(section(TABLE3_HEADER_SECTION))
    return header_columns(rows[2].rstrip("."), rows[3].rstrip("."))


def printed_table3_note() -> str:
    return re.search(r'"(（本列数据的勾稽关系为：[^"]*）)"', section(TABLE3_HEADER_SECTION))[1]


def printed_table4_columns() -> list[tuple[str, ...]]:
    rows = header_rows(section(TABLE4_SECTION))
    return header_columns(*(rows[n].rstrip(".") for n in (1, 2, 3)))


def printed_headings() -> list[str]:
    """§2, column "Heading (as in the format)"."""
    return [row[1] for row in table_rows(section("2"))]


def printed_section_of(table_name: str, number: str) -> str:
    """"### 3.1 表二 — section 二 (...)" -> "二"."""
    return re.search(rf"{table_name} — section ([一二三四五六])", section(number))[1]


# --- helpers over the declarations ---------------------------------------------------


def path(column) -> tuple[str, ...]:
    return tuple(p for p in (*column.group.split("·"), column.label) if p)


def cells(form: Form, table: str):
    return [c for c in form.cells if c.table.key == table]


# --- the parser found what it should (no vacuous passes) -----------------------------


def test_the_parser_reads_every_table_of_the_document():
    assert [len(printed_table2(v)) for v in ("2019", "2021")] == [5, 4]
    assert [sum(len(b.rows) for b in printed_table2(v)) for v in ("2019", "2021")] == [8, 6]
    assert [len(printed_table3(v).rows) for v in ("2019", "2021")] == [23, 25]
    assert [printed_table3(v).outer_span for v in ("2019", "2021")] == [20, 22]
    assert len(printed_table3_columns()) == 7
    assert len(printed_table4_columns()) == 15
    assert len(printed_headings()) == 6
    assert printed_table3_note().startswith("（本列数据的勾稽关系为：")
    # The header expansion agrees with the data-row sentence of §3.2 "(each with 7 value cells: …)".
    listed = re.search(r"each with (\d+) value cells: ([^)]+)\)", section("3.2"))
    assert [p[-1] for p in printed_table3_columns()] == listed[2].split(", ")
    assert len(printed_table3_columns()) == int(listed[1])


# --- section headings ----------------------------------------------------------------


def test_section_headings_match_the_printed_format():
    assert list(HEADINGS.values()) == printed_headings()


@FORMS
@pytest.mark.parametrize(("table", "number"), [("t2", "3.1"), ("t3", "3.2"), ("t4", "3.3")])
def test_each_table_sits_under_its_printed_section(form, table, number):
    declared = form.table(table)
    numeral = printed_section_of(declared.name, number)
    assert declared.heading == next(h for h in printed_headings() if h.startswith(numeral + "、"))


# --- 表二 -------------------------------------------------------------------------------


@FORMS
def test_table2_blocks_match_the_printed_format(form):
    declared = form.table("t2").blocks
    printed = printed_table2(form.version)
    assert [b.title for b in declared] == [b.title for b in printed]
    for d, p in zip(declared, printed):
        assert d.stub == p.stub == "信息内容", d.title
        assert [c.label for c in d.columns] == p.columns, d.title
        assert [r.label for r in d.rows] == p.rows, d.title


def test_2021_table2_has_no_procurement_block():
    assert "第二十条第（九）项 (政府集中采购) is **not** in the 2021 table" in section("4.1")
    assert "第二十条第（九）项" not in [b.title for b in FORM_2021.table("t2").blocks]
    assert "第二十条第（九）项" in [b.title for b in FORM_2019.table("t2").blocks]


# --- 表三 -------------------------------------------------------------------------------


@FORMS
def test_table3_rows_match_the_printed_format(form):
    rows = form.table("t3").blocks[0].rows
    assert [(r.group, r.label) for r in rows] == printed_table3(form.version).rows


@FORMS
def test_table3_result_rows_sit_under_the_printed_outer_group(form):
    printed = printed_table3(form.version)
    keys = [r.key for r in form.table("t3").blocks[0].rows]
    assert T3_RESULTS_GROUP == printed.outer_group
    assert keys.index(T3_RESULT_FIRST) == printed.outer_first
    assert keys.index(T3_RESULT_TOTAL) - keys.index(T3_RESULT_FIRST) + 1 == printed.outer_span


@FORMS
def test_table3_columns_match_the_printed_header(form):
    columns = form.table("t3").blocks[0].columns
    assert [path(c) for c in columns] == printed_table3_columns()
    assert [c.group for c in columns[1:6]] == ["法人或其他组织"] * 5


@FORMS
def test_table3_note_is_printed_verbatim(form):
    assert form.table("t3").note == printed_table3_note()


@FORMS
def test_table3_has_rows_times_columns_value_cells(form):
    printed = len(printed_table3(form.version).rows) * len(printed_table3_columns())
    assert len(cells(form, "t3")) == printed
    if form.version == "2021":  # §4.2 states the product: "25 data rows × 7 values = 175 numeric cells"
        stated = re.search(r"(\d+) data rows × (\d+) values = (\d+) numeric cells", section("4.2"))
        assert len(cells(form, "t3")) == int(stated[3]) == int(stated[1]) * int(stated[2])


# --- 表四 -------------------------------------------------------------------------------


@FORMS
def test_table4_columns_match_the_printed_header(form):
    columns = form.table("t4").blocks[0].columns
    printed = printed_table4_columns()
    # The declaration's group is "行政诉讼·未经复议直接起诉": compare the part after the last "·".
    assert [(c.group.split("·")[-1], c.label) for c in columns] == [(p[-2], p[-1]) for p in printed]
    # …and the whole header path, top to bottom, also agrees.
    assert [path(c) for c in columns] == printed


@FORMS
def test_table4_has_the_printed_number_of_value_cells(form):
    stated = int(re.search(r"^- Row 4: (\d+) value cells", section(TABLE4_SECTION), re.M)[1])
    assert len(cells(form, "t4")) == stated == len(printed_table4_columns())


# --- domains and units -----------------------------------------------------------------

# §5.2 R5: "all cells in 表三/表四 and the count cells in 表二 are non-negative integers …;
# exceptions: 2019 表二 本年增/减 may be negative; 2019 采购总金额 and 2021 本年收费金额 (万元)
# may be decimals."  Each exception carries the sentence that states it.
DOMAIN_EXCEPTIONS = {
    ("2019", "本年增/减"): (Domain.DELTA, "3.1", "本年增/减 may be negative"),
    ("2019", "采购总金额"): (Domain.AMOUNT, "5.2", "2019 采购总金额 and 2021 本年收费金额 (万元) may be decimals"),
    ("2021", "本年收费金额（单位：万元）"): (Domain.AMOUNT, "5.2", "2019 采购总金额 and 2021 本年收费金额 (万元) may be decimals"),
}


@FORMS
def test_cell_domains_follow_the_document(form):
    assert "all cells in 表三/表四 and the count cells in 表二 are non-negative integers" in section("5.2")
    found = set()
    for cell in form.cells:
        exception = DOMAIN_EXCEPTIONS.get((form.version, cell.column.label))
        if cell.table.key == "t2" and exception:
            domain, number, sentence = exception
            assert sentence in section(number)
            found.add(cell.column.label)
        else:
            domain = Domain.COUNT
        assert cell.domain is domain, cell.statutory_name
    assert found == {label for version, label in DOMAIN_EXCEPTIONS if version == form.version}


@FORMS
def test_cell_units_follow_the_document(form):
    assert "Unit: counts of applications (件)" in section("3.2")
    assert "counts of cases, 件" in section("3.3")
    assert {c.unit for c in cells(form, "t3") + cells(form, "t4")} == {"件"}
    if form.version == "2021":
        assert "(八) **万元** (printed)" in section("4.1")
        assert form.table("t2").blocks[-1].columns[0].unit == "万元"
