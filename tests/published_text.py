"""Published reports as text, generated the ways the world prints them: web text whose cells ran
together ("一、本年新收政府信息公开申请数量452000047二、…"), rows delimited by "|" or tabs with empty
cells at their ends, tables printed with labels and no numbers, year-first titles.

Independent of the importer: the tables are laid out here from the declared forms (labels, group
labels, column headers in print order, statutory-format.md §3–§4), the numbers come from
conftest.consistent_numbers. Shared by the tests and bench/bench_glued.py.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from conftest import consistent_numbers
from xlreport.forms import Domain
from xlreport.forms.statutory import T3_COLUMN_CAPTION, T3_NOTE, T3_RESULTS_GROUP, T4_OUTCOMES


@dataclass
class Line:
    """One printed table row: its label or header cells, and its values (None: a header line)."""

    labels: list[str]
    values: list[str] | None = None
    key: str = ""  # the declared row ("t3.new", "t2.item1.regulations", "t4.cases")


def realistic_pick(rng: random.Random):
    """Counts as published reports have them: mostly 0, some units and tens, a few hundreds and more."""
    def pick() -> int:
        r = rng.random()
        if r < 0.55:
            return 0
        if r < 0.80:
            return rng.randint(1, 9)
        if r < 0.93:
            return rng.randint(10, 99)
        if r < 0.99:
            return rng.randint(100, 999)
        return rng.randint(1000, 9999)
    return pick


def random_numbers(form, rng: random.Random) -> dict[str, object]:
    """A consistent report: R1–R4 hold; 表二 with signed changes and decimal amounts where allowed."""
    numbers: dict[str, object] = dict(consistent_numbers(form, realistic_pick(rng)))
    for cell in form.cells:
        if cell.domain is Domain.DELTA and rng.random() < 0.3:
            numbers[cell.key] = -numbers[cell.key]
        elif cell.domain is Domain.AMOUNT and rng.random() < 0.5:
            numbers[cell.key] = Decimal(numbers[cell.key]) + Decimal(rng.randint(1, 99)) / 100
    return numbers


def printed(value) -> str:
    return "" if value is None else str(value)


def table_lines(form, key: str, numbers: dict) -> list[Line]:
    """A statutory table in print order, as lines of label cells and value cells."""
    table = form.table(key)
    out: list[Line] = []
    if key == "t2":
        for block in table.blocks:
            out.append(Line([block.title]))
            out.append(Line([block.stub, *(c.label for c in block.columns)]))
            for row in block.rows:
                values = [printed(numbers.get(f"t2.{block.key}.{row.key}.{c.key}")) for c in block.columns]
                out.append(Line([row.label], values, f"t2.{block.key}.{row.key}"))
    elif key == "t3":
        block = table.blocks[0]
        out += [Line([T3_NOTE, T3_COLUMN_CAPTION]), Line(["自然人", "法人或其他组织", "总计"]),
                Line([c.label for c in block.columns[1:6]])]
        keys = [r.key for r in block.rows]
        results = keys[keys.index("granted") : keys.index("result_total") + 1]
        seen: set[str] = set()
        for row in block.rows:
            labels = []
            if row.key == results[0]:
                labels.append(T3_RESULTS_GROUP)
            if row.group and row.group not in seen:
                seen.add(row.group)
                labels.append(row.group)
            labels.append(row.label)
            values = [printed(numbers.get(f"t3.{row.key}.{c.key}")) for c in block.columns]
            out.append(Line(labels, values, f"t3.{row.key}"))
    else:
        outcomes = [label for _, label in T4_OUTCOMES] + ["总计"]
        out += [Line(["行政复议", "行政诉讼"]), Line([*outcomes, "未经复议直接起诉", "复议后起诉"]),
                Line(outcomes * 2)]
        out.append(Line([], [printed(numbers.get(f"t4.cases.{c.key}")) for c in table.blocks[0].columns],
                        "t4.cases"))
    return out


def narrative_quotes(form, numbers: dict, rng: random.Random) -> str:
    """Sentences quoting 表二 第二十条第（一）项 the way reports do, each cell with probability 1/2."""
    words = {"issued": "制发", "repealed": "废止", "in_force": "现行有效",
             "made": "新制作", "published": "新公开", "total_published": "对外公开总数"}
    block = next(b for b in form.table("t2").blocks if b.key == "item1")
    clauses = []
    for row in block.rows:
        for col in block.columns:
            value = numbers.get(f"t2.item1.{row.key}.{col.key}")
            if value is None or rng.random() < 0.5:
                continue
            if col.key == "total_published":
                clauses.append(f"{row.label}{words[col.key]}{value}件")
            else:
                clauses.append(f"{words[col.key]}{row.label}{value}件")
    return ("本年度" + "，".join(clauses) + "。") if clauses else ""


def title(agency: str, year: int, year_first: bool = False) -> str:
    return f"{year}年度{agency}政府信息公开工作年度报告" if year_first else f"{agency}{year}年政府信息公开工作年度报告"


def report_text(form, numbers: dict, render, *, agency="某某市某某局", year=None, year_first=False,
                overview: str = "") -> str:
    """A whole report: title, 一 … 六 with the three tables rendered by `render(lines) -> str`."""
    year = year or (2020 if form.version == "2019" else 2024)
    parts = [
        title(agency, year, year_first),
        "一、总体情况",
        "（一）主动公开。全年主动公开政府信息 120 条。" + overview,
        "（二）依申请公开。详见下表。",
        "二、主动公开政府信息情况", render(table_lines(form, "t2", numbers)),
        "三、收到和处理政府信息公开申请情况", render(table_lines(form, "t3", numbers)),
        "四、政府信息公开行政复议、行政诉讼情况", render(table_lines(form, "t4", numbers)),
        "五、存在的主要问题及改进情况",
        "政策解读形式单一。下一步将丰富解读形式。",
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。",
    ]
    return "\n".join(parts) + "\n"


# --- renderers ---------------------------------------------------------------------------------


def glued(rng: random.Random, space: float = 0.0, rows_per_line: int = 0):
    """Cells ran together: every label, header and value printed one after the other. `space`: the
    chance of a space between two cells; `rows_per_line`: 0 puts the whole table on one line."""
    def sep() -> str:
        return " " if rng.random() < space else ""

    def render(lines: list[Line]) -> str:
        out, line = [], []
        for i, printed_line in enumerate(lines):
            cells = [*printed_line.labels, *(printed_line.values or [])]
            line.append("".join(c + sep() for c in cells))
            if rows_per_line and (i + 1) % rows_per_line == 0:
                out.append("".join(line))
                line = []
        return "\n".join(out + ["".join(line)]).strip("\n")
    return render


def delimited(separator: str = " | ", bordered: bool = False):
    """One row per line with a delimiter between cells; empty cells stay empty between delimiters."""
    def render(lines: list[Line]) -> str:
        out = []
        for line in lines:
            text = separator.join([" ".join(line.labels)] * bool(line.labels) + (line.values or []))
            out.append(f"| {text} |" if bordered else text)
        return "\n".join(out)
    return render


def labels_only(lines: list[Line]) -> str:
    """The tables as printed with no numbers: labels and headers only, one row per line."""
    return "\n".join(" ".join(line.labels) for line in lines if line.labels)
