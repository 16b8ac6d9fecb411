"""The parsing core: a Document (paragraphs and tables as the source shows them) -> Report.

Pure: no file access. Finds the title, the six sections, the statutory tables and their
format version; places every printed value into its statutory cell by matching row labels
against the declared form (runs of digits whose cells ran together are cut by the form's
identities, `splitter`); reports whatever it cannot place, or could not decide, as an import
finding.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from ..checks.timeliness import parse_date
from ..forms import FORMS, Block, Domain, Form, form_for_year
from ..forms.statutory import T3_RESULTS_GROUP, T4_GROUPS, T4_OUTCOMES
from ..model import BLANK, Narrative, Report, Value, empty_report, interpret, text_value
from ..rules.catalog import finding
from ..rules.findings import CellRef, Finding
from ..workbook import names
from ..workbook.names import cell_ref
from . import labels as L
from . import splitter
from .document import Cell, Document, Paragraph, Table

# --- data ----------------------------------------------------------------------------

_PERIOD_YEAR = re.compile(r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日\s*(?:起)?\s*(?:至|到|-|—)")
_DATE = re.compile(r"^\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
_PART = re.compile(r"^\s*[（(]\s*[一二三四五六七八九十]{1,2}\s*[)）]")
_MARKER_START = re.compile(r"^\s*(?:[一二三四五六七八九十]\s*、|[（(]\s*[一二三四五六七八九十]\s*[)）]|\d{1,2}\s*[.、．])")
_CJK_SPACE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])[ \t]+|[ \t]+(?=[\u3000-\u9fff\uff00-\uffef])")

# Cover fields found in the preamble or the contact paragraph: field -> pattern (group 1).
COVER_PATTERNS: tuple[tuple[str, re.Pattern], ...] = (
    ("address", re.compile(r"(?:联系)?地址\s*[:：]\s*([^，,；;。）)]+)")),
    ("postcode", re.compile(r"邮(?:政)?编(?:码)?\s*[:：]?\s*(\d{6})")),
    ("phone", re.compile(r"(?:联系)?电话\s*[:：]\s*([\d\-－—（）() ]{7,}\d)")),
    ("fax", re.compile(r"传真\s*[:：]\s*([\d\-－—（）() ]{7,}\d)")),
    ("email", re.compile(r"([A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,})")),
    ("website", re.compile(r"((?:https?://|www\.)[A-Za-z0-9./_\-?=&%#:]+)")),
)
_FEE_AMOUNT = re.compile(r"信息处理费\D{0,8}?(\d[\d,]*(?:\.\d+)?)\s*(万元|元)")
_FEE_COUNT = re.compile(r"(\d+)\s*件[^。；;]{0,24}?收取[^。；;]{0,6}?信息处理费")
_FEE_NONE = re.compile(r"(?:未|没有|无)(?:收取|发生)?[^。；;，,]{0,12}信息处理费|信息处理费[^。；;]{0,6}(?:为\s*0|为零|无)")

# The page's own date: "发布时间：2025-01-20 来源：办公室", a metadata table's "公开日期 | 2025-02-25",
# "时间:2023-02-21". What the deadline (DATE-LATE) is judged by; kept out of the narrative.
_PAGE_DATE = re.compile(
    r"(?:(?:发布|公开)(?:时间|日期)|^时间)\s*[:：|】\]]?\s*(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)"
)
_PAGE_META_LINE = 80  # a paragraph up to this long that carries the page date is page furniture

# Page furniture after the report on a web page.
_FOOTER = re.compile(r"版权所有|主办单位|ICP备|网站标识码|网站地图|打印本页|关闭窗口|【打印】|【关闭】|扫一扫在手机|相关附件：?$")

# 表四 rows may name the group they carry (宿迁: "行政复议：结果维持 309 | …").
T4_GROUP_WORDS: tuple[tuple[str, str], ...] = (
    ("direct_suit", "未经复议直接起诉"),
    ("suit_after_review", "复议后起诉"),
    ("review", "行政复议"),
)
_T4_CELLS = ("upheld", "corrected", "other", "pending", "total")  # one group's cells, as printed
ROW_MATCH_MIN = 0.6  # below this a label is not taken as a declared row
ITEM_MATCH_MIN = 0.45  # a numbered item (1. 2. …) needs less: its number already narrows the choice


# --- the rows of a source table ------------------------------------------------------


@dataclass
class SourceRow:
    label: str
    values: list[Cell]  # blank cells included where the source has them
    where: str
    layout: bool = False
    column_labels: list[str] = field(default_factory=list)  # "结果维持 309 | 结果纠正 17": one per value
    order: int = 0
    run: str = ""  # glued text: the values as printed after the label, not yet cut into cells

    @property
    def has_data(self) -> bool:
        return bool(self.run.strip()) or any(c.text.strip() for c in self.values)

    @property
    def name(self) -> str:
        """The label for messages."""
        if not self.label:
            return "（无标签）"
        return L.from_marker(self.label) if self.layout else self.label

    def shown(self) -> str:
        return self.run or " ".join(c.text.strip() or "（空白）" for c in self.values)


_INLINE_VALUE = re.compile(r"^(?P<label>.*?\D)\s+(?P<value>\S+)$")


def _split_inline(cells: list[Cell]) -> list[Cell]:
    """"结果维持 309" in one cell becomes a label cell and a value cell."""
    out = []
    for c in cells:
        m = _INLINE_VALUE.match(c.text.strip())
        if m and not L.is_value(m.group("label")) and L.is_value(m.group("value")):
            out += [Cell(m.group("label"), c.where), Cell(m.group("value"), c.where)]
        else:
            out.append(c)
    return out


def _layout_cells(cells: list[Cell]) -> list[Cell]:
    """A pdftotext chunk "0 0 12" (single spaces) holds several values: one cell each."""
    out = []
    for c in cells:
        tokens = L.value_tokens(c.text) if c.x0 is not None else None
        if tokens and len(tokens) > 1:
            out += [Cell(t, c.where, c.x0 + s, c.x0 + e) for s, e, t in tokens]
        else:
            out.append(c)
    return out


def source_rows(table: Table, start: int = 0) -> list[SourceRow]:
    rows = []
    for i, row in enumerate(table.rows):
        if table.glued:  # a label cell and the run of values after it
            label, run = row.cells[0].text, row.cells[1].text
            rows.append(SourceRow(label, [], row.where, order=start + i, run=run))
            continue
        cells = _layout_cells(row.cells) if table.layout else _split_inline(row.cells)
        # The values start after the last label cell: a blank cell before the first value is a value.
        first = next((j for j, c in enumerate(cells) if c.text.strip() and L.is_value(c.text)), len(cells))
        texts = [j for j in range(first) if cells[j].text.strip()]
        first = texts[-1] + 1 if texts else 0
        label = " ".join(c.text.strip() for c in cells[:first] if c.text.strip())
        shown = next((c for c in cells if c.text.strip()), None)
        where = shown.where if shown else row.where  # the line of the label, not of a blank cell before it
        rest = cells[first:]
        values, column_labels = rest, []
        if any(c.text.strip() and not L.is_value(c.text) for c in rest):
            values, column_labels, pending = [], [], label.split("：")[-1].split(":")[-1]
            label = label[: len(label) - len(pending)].rstrip("：: ")
            for c in rest:
                if c.text.strip() and not L.is_value(c.text):
                    pending = c.text.strip()
                else:
                    values.append(c)
                    column_labels.append(pending)
                    pending = ""
        rows.append(SourceRow(label, values, where, table.layout, column_labels, start + i))
    return rows


def merge_wrapped_labels(rows: list[SourceRow]) -> list[SourceRow]:
    """Layout text wraps long 表三 labels around the line that carries the values:

        （二）部分公开（区分处理的，只计这一情
                                447   7   0 …
        形，不计其他情形）

    A text-only line that starts with a marker (1. （三） 四、) opens the label of the next row
    with values; one that does not continues the row above. Pieces of a vertical group label
    (三、/本/年/度…) end up inside neighbouring labels; matching tolerates them.
    """
    out: list[SourceRow] = []
    pending: list[str] = []
    last: SourceRow | None = None
    for row in rows:
        if row.has_data:
            row.label = " ".join([*pending, row.label]).strip()
            pending = []
            out.append(row)
            last = row
            continue
        text = row.label.strip()
        if pending or _MARKER_START.match(text) or last is None:
            pending.append(text)
        else:
            last.label += text
    if pending:  # text after the last row with values: a row printed without any value
        out.append(SourceRow(" ".join(pending), [], rows[-1].where if rows else "", True))
    return out


# --- matching rows to the form -------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A declared row, or a printed group label that holds no values (structural)."""

    label: str
    parsed: L.Label
    block: Block | None = None
    row_key: str = ""

    @property
    def structural(self) -> bool:
        return self.block is None


def t3_targets(form: Form) -> list[Target]:
    block = form.table("t3").blocks[0]
    out = [Target(r.label, L.parse_label(r.label, r.group), block, r.key) for r in block.rows]
    groups = {r.group for r in block.rows if r.group} | {T3_RESULTS_GROUP}
    row_labels = {r.label for r in block.rows}
    out += [Target(g, L.parse_label(g)) for g in sorted(groups) if g not in row_labels]
    return out


def t2_targets(form: Form) -> list[Target]:
    out = []
    for block in form.table("t2").blocks:
        out += [Target(r.label, L.Label(r.label), block, r.key) for r in block.rows]
        out.append(Target(block.title, L.Label(block.title)))
    out.append(Target("信息内容", L.Label("信息内容")))
    return out


def t3_score(source: L.Label, target: Target) -> float:
    parsed = target.parsed
    if source.item != parsed.item:  # 1. matches only 1. rows; unnumbered only unnumbered
        return 0.0
    score = L.label_similarity(source.text, parsed.text)
    if source.group and parsed.group:
        score += 0.2 if source.group == parsed.group else -0.4
    return score


def scores(row: SourceRow, targets: list[Target], numbered: bool) -> list[tuple[float, Target]]:
    """Targets the row's label may be, with their scores, best first."""
    if not row.label:
        return []
    if not numbered:
        found = [(L.label_similarity(row.label, t.label), t) for t in targets]
        return sorted([p for p in found if p[0] >= ROW_MATCH_MIN], key=lambda p: -p[0])
    source = L.parse_label(row.label)
    floor = ROW_MATCH_MIN if source.item is None else ITEM_MATCH_MIN
    slot = [t for t in targets if source.item is not None and source.group
            and (t.parsed.group, t.parsed.item) == (source.group, source.item)]
    found = []
    for t in targets:
        score = t3_score(source, t)
        if slot == [t]:  # （六）2. is that row, whatever words it uses
            score = max(score, floor)
        if score >= floor:
            found.append((score, t))
    return sorted(found, key=lambda p: -p[0])


def match_rows(rows: list[SourceRow], targets: list[Target], numbered: bool):
    """Greedy one-to-one assignment by score. Returns (row index -> target, row index -> its best
    declared row even if taken, for duplicate messages). Group labels may take any number of rows."""
    candidates = {i: scores(row, targets, numbered) for i, row in enumerate(rows)}
    pairs = sorted(((s, -i, i, t) for i, found in candidates.items() for s, t in found),
                   key=lambda p: (p[0], p[1]), reverse=True)
    taken: set[str] = set()
    assigned: dict[int, Target] = {}
    for _, _, i, t in pairs:
        if i in assigned or (not t.structural and t.row_key in taken):
            continue
        assigned[i] = t
        if not t.structural:
            taken.add(t.row_key)
    best = {i: next((t for _, t in found if not t.structural), None) for i, found in candidates.items()}
    return assigned, best


# --- aligning a short layout row to its columns ---------------------------------------


def align(tokens: list[Cell], reference: list[Cell]) -> list[int] | None:
    """Column index of each token (order kept) minimising the distance to the reference row's
    value positions; None when positions are unknown."""
    if any(c.x0 is None for c in tokens + reference):
        return None
    k, n = len(tokens), len(reference)

    def cost(t: Cell, r: Cell) -> float:
        return min(abs(t.x0 - r.x0), abs(t.x1 - r.x1), abs((t.x0 + t.x1) - (r.x0 + r.x1)) / 2)

    inf = float("inf")
    best = [[inf] * (n + 1) for _ in range(k + 1)]
    best[0] = [0.0] * (n + 1)
    for i in range(1, k + 1):
        for j in range(i, n + 1):
            best[i][j] = min(best[i][j - 1], best[i - 1][j - 1] + cost(tokens[i - 1], reference[j - 1]))
    columns, j = [], n
    for i in range(k, 0, -1):
        while best[i][j] == best[i][j - 1] and j > i:
            j -= 1
        columns.append(j - 1)
        j -= 1
    return columns[::-1]


# --- glued rows ------------------------------------------------------------------------


def _split_column(domain: Domain) -> splitter.Column:
    return splitter.Column(signed=domain is Domain.DELTA, decimal=domain is Domain.AMOUNT)


@functools.cache
def _identity_terms(form: Form) -> tuple[tuple[tuple[str, int], ...], ...]:
    """The form's identities as (cell key, ±1) terms summing to 0."""
    return tuple(tuple([(k, 1) for k in i.left] + [(k, -1) for k in i.right]) for i in form.identities)


SHOWN_SPLITS = 6  # candidate splits spelt out in a finding


def _shown(cells) -> str:
    return "、".join(cells)


def _alternatives(split: splitter.Split, constrained: bool) -> str:
    """How an undecided split reads in IMPORT-AMBIGUOUS: the candidates and why none was chosen."""
    if split.status is splitter.Status.TOO_MANY and not split.candidates:
        return f"可能的拆分超过 {splitter.MAX_SPLITS} 种，未逐一比较"
    listed = "；".join(_shown(c) for c in split.candidates[:SHOWN_SPLITS])
    count = len(split.candidates)
    more = f"（共 {count} 种，只列出前 {SHOWN_SPLITS} 种）" if count > SHOWN_SPLITS else ""
    if split.status is splitter.Status.TOO_MANY:
        return f"的拆分超出搜索上限，未能比较完：{listed}{more}"
    if not split.consistent:
        return f"无论怎样拆分都不能使勾稽关系全部成立，有 {count} 种拆分同样接近：{listed}{more}"
    if constrained:
        return f"有 {count} 种拆分都满足勾稽关系：{listed}{more}"
    return f"有 {count} 种可能的拆分（表二没有勾稽关系，正文也没有引用能区分它们的数字）：{listed}{more}"


# --- the builder ---------------------------------------------------------------------


class _Builder:
    def __init__(self, doc: Document):
        self.doc = doc
        self.findings: list[Finding] = []
        self.sections: dict[str, list[Paragraph | Table]] = {"front": []}
        self.tables: dict[str, list[Table]] = {k: [] for k in L.TABLE_SECTIONS}
        self.printed: set[str] = set()  # tables printed (labels found), with or without numbers
        self.titled = False  # a report title was found
        self._quotes: dict | None = None

    # sections ---------------------------------------------------------------------------

    def split_sections(self) -> None:
        current = "front"
        for block in self.doc.blocks:
            if isinstance(block, Paragraph):
                key = L.heading_key(block.text)
                if key and key not in self.sections:
                    current = key
                    self.sections[key] = []
                    continue
                self.sections[current].append(block)
            else:
                self.tables[self._table_key(block, current)].append(block)

    @staticmethod
    def _table_key(table: Table, section: str) -> str:
        text = L.fold("".join(c.text for r in table.rows for c in r.cells))
        hits = {k: sum(L.fold(w) in text for w in words) for k, words in L.TABLE_WORDS.items()}
        best = max(hits, key=hits.get)
        if section in L.TABLE_SECTIONS and hits[section] >= hits[best] - 1:
            return section
        return best if hits[best] else (section if section in L.TABLE_SECTIONS else "t2")

    # title and cover --------------------------------------------------------------------

    def title(self) -> tuple[str, int | None, int]:
        """(agency, year, index of the first front paragraph after the title)."""
        front = [b for b in self.sections["front"] if isinstance(b, Paragraph)]
        for i, p in enumerate(front):  # web pages put navigation and metadata before the title
            text = unicodedata.normalize("NFKC", p.text).strip()
            m = L.TITLE.search(text) or L.TITLE_YEAR_FIRST.search(text)
            if not m:
                continue
            self.titled = True
            agency = m.group("agency").strip().removeprefix("关于").strip()
            if not agency and i > 0:
                prev = front[i - 1].text.strip()
                if len(prev) <= 40 and not re.search(r"[。，,:：;；]", prev):
                    agency = prev
            return agency, int(m.group("year")), i + 1
        return "", None, 0

    # tables -----------------------------------------------------------------------------

    def rows_of(self, key: str) -> list[SourceRow]:
        rows: list[SourceRow] = []
        for table in self.tables[key]:
            part = source_rows(table, len(rows))
            if table.layout and key == "t3" and any(r.has_data for r in part):
                part = merge_wrapped_labels(part)
            rows += part
        return rows

    def detect_form(self, year: int | None) -> tuple[Form, str]:
        """The form the tables are printed in, and what is wrong with that ("" if nothing)."""
        hits: dict[str, list[tuple[str, str]]] = {v: [] for v in L.VERSION_MARKERS}
        for key in ("t2", "t3"):
            for table in self.tables[key]:
                for row in table.rows:
                    text = L.canonical("".join(c.text for c in row.cells))
                    for version, markers in L.VERSION_MARKERS.items():
                        for marker in markers:
                            if marker in text:
                                cell = next((c for c in row.cells if marker in L.canonical(c.text)), row)
                                hits[version].append((marker, cell.where))
        by_year = form_for_year(year) if year and year >= 2019 else None
        found = [v for v, h in hits.items() if h]
        if len(found) == 1:
            form = FORMS[found[0]]
        else:
            form = by_year or (FORMS[max(hits, key=lambda v: len(hits[v]))] if found else FORMS["2021"])
        if len(found) == 2:
            a, b = (hits[v][0] for v in ("2019", "2021"))
            return form, (f"表格同时含有国办公开办函〔2019〕60号格式的标签「{a[0]}」（{a[1]}）"
                          f"和〔2021〕30号格式的标签「{b[0]}」（{b[1]}）")
        if by_year and form is not by_year:
            marker, where = hits[form.version][0]
            return form, (f"表格标签「{marker}」（{where}）属于{form.document}格式，而报告年度为 {year} 年，"
                          f"应使用{by_year.document}格式")
        return form, ""

    def fill_tables(self, report: Report) -> None:
        """Every printed value into its cell. A table printed with its labels but no numbers is
        imported blank (check reports the blank cells); only a table not printed at all is missing."""
        form = report.form
        for key, heading in (("t2", "二、主动公开政府信息情况"), ("t3", "三、收到和处理政府信息公开申请情况"),
                             ("t4", "四、政府信息公开行政复议、行政诉讼情况")):
            table = form.table(key)
            rows = self.rows_of(key)
            if key == "t4":
                printed = self.printed_t4()
            else:
                targets = t3_targets(form) if key == "t3" else t2_targets(form)
                matched, best = match_rows(rows, targets, numbered=key == "t3")
                printed = any(not t.structural for t in matched.values())
            if not printed and not any(r.has_data for r in rows):
                self.add("IMPORT-TABLE-MISSING", [CellRef(f"import.{key}", table.name, "", table.name)],
                         table=table.name, heading=heading)
                continue
            self.printed.add(key)
            if key == "t4":
                self.fill_t4(report, rows)
            else:
                self.fill_rows(report, key, rows, targets, matched, best)

    def printed_t4(self) -> bool:
        text = L.fold("".join(c.text for t in self.tables["t4"] for r in t.rows for c in r.cells))
        return any(L.fold(w) in text for w in L.TABLE_WORDS["t4"])

    def fill_rows(self, report: Report, key: str, rows: list[SourceRow], targets: list[Target], matched, best):
        table = report.form.table(key)
        placed = {t.row_key: rows[i] for i, t in matched.items() if not t.structural}
        for i, row in enumerate(rows):
            target = matched.get(i)
            if target is not None and not target.structural:
                self.check_label(report, table.name, row, target)
                continue
            if not row.has_data:  # a header or group label: nothing to place
                continue
            where = row.where + "，"
            if best[i] is not None and best[i].row_key in placed:
                first = placed[best[i].row_key]
                self.add("IMPORT-DUPLICATE", self.row_refs(report, key, best[i]), where=where, table=table.name,
                         label=row.name, first=f"{first.where}的「{first.name}」", values=row.shown())
            else:
                self.add("IMPORT-UNPLACED", [CellRef(f"import.{key}", table.name, "", table.name)], where=where,
                         table=table.name, label=row.name, values=row.shown())
        by_key = {t.row_key: t for t in targets if not t.structural}
        glued = {k: (row, self.cell_keys(report, key, by_key[k])) for k, row in placed.items() if row.run}
        cut = self.split_runs(report, key, glued) if glued else {}
        for row_key, target in by_key.items():
            if row_key not in placed:
                self.add("IMPORT-ROW-MISSING", self.row_refs(report, key, target), table=table.name,
                         label=self._row_name(target))
                continue
            row = placed[row_key]
            if not row.has_data:  # printed without any value: its cells are blank
                continue
            if row.run:
                values = cut[row_key]
            else:
                others = [placed[k] for k in placed if by_key[k].block is target.block and placed[k] is not row]
                values = self.values_for(table, key, row, target.block, others)
            if values is None:
                continue
            for cell_key, column, value in zip(self.cell_keys(report, key, target), target.block.columns, values):
                report.values[cell_key] = self.value(value, column.unit)

    def split_runs(self, report: Report, key: str,
                   rows: dict[str, tuple[SourceRow, list[str]]]) -> dict[str, list[Cell | None] | None]:
        """Glued rows (row key -> (row, its cell keys)) cut into cells, all rows of a table together:
        the form's identities decide, and for 表二 the numbers the narrative quotes (splitter)."""
        form = report.form
        position = {cell: (row_key, j) for row_key, (_, keys) in rows.items() for j, cell in enumerate(keys)}
        runs = [splitter.Run(row_key, row.run, tuple(_split_column(form.cell(k).domain) for k in keys))
                for row_key, (row, keys) in rows.items()]
        equations = [splitter.Equation(tuple((*position[k], sign) for k, sign in terms))
                     for terms in _identity_terms(form) if all(k in position for k, _ in terms)]
        quotes = {k: ms for k, ms in self.quotes(report).items() if k in position} if key == "t2" else {}
        evidence = {position[k]: {m.stated for m in ms} for k, ms in quotes.items()}
        results = splitter.solve(runs, equations, evidence)
        out: dict[str, list[Cell | None] | None] = {}
        for row_key, (row, keys) in rows.items():
            split = results[row_key]
            self.split_finding(report, key, row, keys, split, quotes, constrained=bool(equations))
            cells = [None if t is None else Cell(t, row.where) for t in split.cells]
            out[row_key] = None if split.status is splitter.Status.IMPOSSIBLE else cells
        return out

    def quotes(self, report: Report) -> dict:
        """Cell key -> the narrative's quotes of that cell's number (narrative.textcheck)."""
        if self._quotes is None:
            from ..narrative.textcheck import quoted_cells

            self._quotes = quoted_cells(report)
        return self._quotes

    def split_finding(self, report: Report, key: str, row: SourceRow, keys: list[str], split: splitter.Split,
                      quotes: dict, constrained: bool) -> None:
        S = splitter.Status
        table = report.form.table(key)
        refs = [cell_ref(report, k) for k in keys]
        common = {"where": row.where + "，", "table": table.name, "label": row.name, "digits": row.run}
        if split.status is S.EXACT:
            return
        if split.status is S.IMPOSSIBLE:
            n, (lo, hi) = len(keys), split.cell_range
            self.add("IMPORT-VALUE-COUNT", refs, where=common["where"], table=table.name, label=row.name,
                     count=lo if n < lo else hi, values=row.run, expected=n)
        elif split.status is S.NEAREST:
            self.add("IMPORT-SPLIT-GUESSED", refs, split=_shown(split.cells), **common)
        elif split.status is S.EVIDENCE:
            used = [f"“{m.excerpt}”" for k, t in zip(keys, split.cells) for m in quotes.get(k, ())
                    if m.stated == splitter.number(t)]
            self.add("IMPORT-SPLIT-NARRATIVE", refs, split=_shown(split.cells), count=len(split.candidates),
                     quotes="、".join(dict.fromkeys(used)), **common)
        else:
            names = [report.form.cell(k).column_label if key == "t4" else report.form.cell(k).column.label
                     for k in keys]
            blanks = "".join(f"「{name}」" for name, t in zip(names, split.cells) if t is None)
            outcome = blanks + "留空" + ("，其余单元格在各种拆分中都相同，已导入" if any(split.cells) else "")
            self.add("IMPORT-AMBIGUOUS", refs, alternatives=_alternatives(split, constrained), outcome=outcome,
                     **common)

    @staticmethod
    def _row_name(target: Target) -> str:
        row = next(r for r in target.block.rows if r.key == target.row_key)
        parts = [target.block.title, row.group, row.label]
        return "·".join(p for p in parts if p)

    def values_for(self, table, key: str, row: SourceRow, block: Block, others: list[SourceRow]):
        """The row's values, one per declared column (None = blank), or None after a finding."""
        n = len(block.columns)
        values = list(row.values)
        while len(values) > n and not values[-1].text.strip():
            values.pop()
        while len(values) > n and not values[0].text.strip():
            values.pop(0)
        if len(values) == n:
            return values
        ref = CellRef(f"import.{key}", table.name, "", table.name)
        full = [o for o in others if len(o.values) == n and o.layout]
        if len(values) < n and row.layout and full:
            reference = min(full, key=lambda o: abs(o.order - row.order))
            columns = align(values, reference.values)
            if columns is not None:
                out: list[Cell | None] = [None] * n
                for c, v in zip(columns, values):
                    out[c] = v
                blanks = "、".join(f"「{block.columns[j].label}」" for j in range(n) if out[j] is None)
                self.add("IMPORT-BLANK-INFERRED", [ref], where=row.where + "，", table=table.name, label=row.name,
                         count=len(values), blanks=blanks)
                return out
        self.add("IMPORT-VALUE-COUNT", [ref], where=row.where + "，", table=table.name,
                 label=row.name, count=len(values), values=row.shown(), expected=n)
        return None

    def fill_t4(self, report: Report, rows: list[SourceRow]) -> None:
        table = report.form.table("t4")
        block = table.blocks[0]
        columns = [c.key for c in block.columns]
        outcomes = [label for _, label in T4_OUTCOMES] + ["总计"]
        filled: dict[str, SourceRow] = {}
        ref = CellRef("import.t4", table.name, "", table.name)
        failed = False
        if not any(row.has_data for row in rows):
            return  # printed without numbers: every cell blank
        for row in rows:
            if not row.has_data:
                continue
            group = next((g for g, word in T4_GROUP_WORDS if word in L.fold(row.label)), None)
            values = list(row.values)
            while len(values) > (5 if group else len(columns)) and not values[-1].text.strip():
                values.pop()  # blank cells beyond the row's end
            if row.run:
                if group is None:
                    row.label = ""  # the run follows the header's last word (总计), not a row label
                keys = columns if group is None else [f"{group}_{o}" for o in _T4_CELLS]
                values = self.split_runs(report, "t4", {"cases": (row, [f"t4.cases.{k}" for k in keys])})["cases"]
                if values is None:
                    failed = True
                    continue
            elif len(values) == len(columns) and group is None:
                keys = columns
            elif len(values) == 5 and group is not None:
                order = self._t4_order(row.column_labels, outcomes)
                if order is None:  # the labels beside the values are not 结果维持…总计
                    self.add("IMPORT-UNPLACED", [ref], where=row.where + "，", table=table.name, label=row.name,
                             values=row.shown())
                    failed = True
                    continue
                keys = [f"{group}_{c}" for c in _T4_CELLS]
                values = [values[j] for j in order]
            else:
                self.add("IMPORT-VALUE-COUNT", [ref], where=row.where + "，", table=table.name,
                         label=row.name, count=len(values), values=row.shown(),
                         expected=len(columns) if group is None else 5)
                failed = True
                continue
            if any(f"t4.cases.{k}" in filled for k in keys):
                first = filled[next(f"t4.cases.{k}" for k in keys if f"t4.cases.{k}" in filled)]
                self.add("IMPORT-DUPLICATE", [ref], where=row.where + "，", table=table.name,
                         label=row.name, first=f"{first.where}的一行", values=row.shown())
                continue
            for k, v in zip(keys, values):
                cell = report.form.cell(f"t4.cases.{k}")
                report.values[cell.key] = self.value(v, cell.unit)
                filled[cell.key] = row
        for gkey, glabel in T4_GROUPS:
            missing = [c for c in block.columns if c.key.startswith(gkey + "_") and f"t4.cases.{c.key}" not in filled]
            if len(missing) == 5 and not failed:  # a row that failed already has its finding
                self.add("IMPORT-ROW-MISSING", [cell_ref(report, f"t4.cases.{c.key}") for c in missing],
                         table=table.name, label=glabel)

    @staticmethod
    def _t4_order(column_labels: list[str], outcomes: list[str]) -> list[int] | None:
        """Positions of 结果维持…总计 among the row's values, from labels printed beside them."""
        if not any(column_labels):
            return list(range(5))
        order = []
        for wanted in outcomes:
            score, j = max((L.label_similarity(lab, wanted), j) for j, lab in enumerate(column_labels))
            if score < ROW_MATCH_MIN or j in order:
                return None
            order.append(j)
        return order

    @staticmethod
    def value(cell: Cell | None, unit: str) -> Value:
        if cell is None or not cell.text.strip():
            return BLANK
        plain = L.plain_number(cell.text)
        if plain is not None:
            return interpret(Decimal(plain), unit)
        return interpret(unicodedata.normalize("NFKC", cell.text).strip(), unit)

    def check_label(self, report: Report, table_name: str, row: SourceRow, target: Target) -> None:
        source = L.parse_label(row.label) if table_name == "表三" else L.Label(row.label)
        declared = target.parsed.text if table_name == "表三" else target.label
        if L.printed_as_declared(source.text, declared):
            return
        self.add("IMPORT-LABEL", self.row_refs(report, "t3" if table_name == "表三" else "t2", target),
                 where=row.where + "，", table=table_name, label=row.name, declared=target.label)

    @staticmethod
    def cell_keys(report: Report, key: str, target: Target) -> list[str]:
        """The statutory cell keys of a declared row, in column order."""
        prefix = f"{key}.{target.block.key}." if len(report.form.table(key).blocks) > 1 else f"{key}."
        return [f"{prefix}{target.row_key}.{c.key}" for c in target.block.columns]

    def row_refs(self, report: Report, key: str, target: Target) -> list[CellRef]:
        return [cell_ref(report, k) for k in self.cell_keys(report, key, target)]

    # narrative ----------------------------------------------------------------------------

    def narrative(self, report: Report, title_end: int) -> None:
        front = [b.text for b in self.sections["front"] if isinstance(b, Paragraph)][title_end:]
        texts = {k: [b.text for b in v if isinstance(b, Paragraph)] for k, v in self.sections.items()}
        texts["front"] = [t for t in front if len(t) > _PAGE_META_LINE or not _PAGE_DATE.search(unicodedata.normalize("NFKC", t))]
        for key in texts:
            texts[key] = self.take_signature(report, texts[key])
        front = texts["front"]
        n = report.narrative
        overview = texts.get("overview")
        if overview is None:  # the seed: no 一、总体情况 heading, its parts come right after the title
            preamble = [t for t in front if "本报告" in t or "统计期限" in t]
            overview = [t for t in front if t not in preamble]
            front = preamble
        n.preamble = "\n".join(front)
        intro, parts = [], []
        for text in overview:
            if _PART.match(text):
                parts.append(list(_split_heading(text)))
            elif parts:
                parts[-1][1] = "\n".join(p for p in (parts[-1][1], text) if p)
            else:
                intro.append(text)
        if len(parts) > names.OVERVIEW_SLOTS:  # the workbook has that many slots; keep all text
            extra = "\n".join(f"{h}。{b}" for h, b in parts[names.OVERVIEW_SLOTS - 1 :])
            parts = parts[: names.OVERVIEW_SLOTS - 1] + [["", extra]]
        n.overview_intro = "\n".join(intro)
        n.overview_parts = [(h, b) for h, b in parts]
        n.problems = "\n".join(texts.get("problems", []))
        n.other = "\n".join(_until_footer(texts.get("other", [])))
        self.fees(n)
        self.cover_fields(report, "\n".join([*front, *texts.get("other", [])]))

    def page_date(self, report: Report) -> None:
        """The 发布时间 / 公开日期 shown before the report's first section heading, as 发布日期."""
        for block in self.doc.blocks:
            if isinstance(block, Paragraph):
                if L.heading_key(block.text):
                    return
                lines = [block.text]
            else:
                lines = [" ".join(c.text for c in row.cells) for row in block.rows]
            for line in lines:
                m = _PAGE_DATE.search(unicodedata.normalize("NFKC", line).strip())
                if m:
                    when = parse_date(m.group(1))
                    text = f"{when.year}年{when.month}月{when.day}日" if when else m.group(1)
                    report.cover["published_on"] = text_value(text)
                    return

    def take_signature(self, report: Report, texts: list[str]) -> list[str]:
        """Drop "<机关>\\n<YYYY年M月D日>" lines from the narrative; the date goes to the cover."""
        out = list(texts)
        for i in range(len(out) - 1, -1, -1):
            m = _DATE.match(unicodedata.normalize("NFKC", out[i]))
            if not m:
                continue
            report.cover.setdefault("signed_on", text_value(f"{int(m[1])}年{int(m[2])}月{int(m[3])}日"))
            del out[i]
            if i > 0 and len(out[i - 1].strip()) <= 30 and not re.search(r"[。，,；;：:]", out[i - 1]):
                del out[i - 1]
            break
        agency = report.agency.replace(" ", "")
        if out and agency and out[-1].replace(" ", "") == agency:  # signed without a date
            del out[-1]
        return out

    @staticmethod
    def fees(n: Narrative) -> None:
        text = unicodedata.normalize("NFKC", n.other).replace(" ", "")
        m = _FEE_AMOUNT.search(text)
        if m:
            amount = Decimal(m.group(1).replace(",", ""))
            n.fee_amount = interpret(amount * 10000 if m.group(2) == "万元" else amount, "元")
        elif _FEE_NONE.search(text):
            n.fee_amount = interpret(0, "元")
        m = _FEE_COUNT.search(text)
        if m:
            n.fee_count = interpret(int(m.group(1)), "件")

    @staticmethod
    def cover_fields(report: Report, text: str) -> None:
        text = unicodedata.normalize("NFKC", text)
        for key, pattern in COVER_PATTERNS:
            m = pattern.search(text)
            if m and key not in report.cover:
                report.cover[key] = text_value(_CJK_SPACE.sub("", m.group(1)).strip())

    # findings -------------------------------------------------------------------------------

    def add(self, rule_id: str, cells: Iterable[CellRef], **fields) -> None:
        self.findings.append(finding(rule_id, cells, **fields))


def _until_footer(texts: list[str]) -> list[str]:
    """Section 六 of a web page runs into the page footer; stop at it."""
    for i, text in enumerate(texts):
        if _FOOTER.search(text):
            return texts[:i]
    return texts


def _split_heading(text: str) -> tuple[str, str]:
    """"（一）主动公开情况。2024年，…" -> ("（一）主动公开情况", "2024年，…")."""
    text = text.strip()
    m = re.match(r"^(.{2,40}?)[。：:](.*)$", text, re.S)
    if m and not re.search(r"[，,；;]", m.group(1)):
        return m.group(1).strip(), m.group(2).strip()
    if len(text) <= 40:
        return text.rstrip("。"), ""
    marker = _PART.match(text)
    return marker.group(0).strip(), text[marker.end() :].strip()


class NotAReport(ValueError):
    """The document has neither a report title nor any label of the statutory tables."""


def build_report(doc: Document) -> tuple[Report, list[Finding]]:
    """The report a published document holds, and the import findings (also in report.read_findings).

    Raises NotAReport (the reason, in Chinese) for a document that is no annual report at all."""
    b = _Builder(doc)
    b.split_sections()
    agency, year, title_end = b.title()
    if year is None:
        for block in b.sections["front"] + b.sections.get("overview", []):
            m = _PERIOD_YEAR.search(getattr(block, "text", ""))
            if m:
                year = int(m.group(1))
                break
    form, version_problem = b.detect_form(year)
    report = empty_report(form)
    report.recorded_version = form.version
    report.cover["agency"] = text_value(agency)
    report.cover["year"] = interpret(year) if year else BLANK
    report.cover["form_document"] = text_value(form.document)
    missing = [w for w, v in (("机关名称", agency), ("报告年度", year)) if not v]
    if missing:
        b.add("IMPORT-TITLE", [cell_ref(report, "cover.agency" if not agency else "cover.year")],
              what="和".join(missing))
    if version_problem:
        b.add("IMPORT-VERSION", [cell_ref(report, "cover.form_document")], problem=version_problem,
              document=form.document)
    b.narrative(report, title_end)  # first: 表二's glued rows may rest on the numbers it quotes
    b.fill_tables(report)
    if not b.titled and not b.printed:
        raise NotAReport("没有“<机关名称><年份>年政府信息公开工作年度报告”这样的标题，"
                         "也没有表二、表三、表四的任何行或列标签")
    b.page_date(report)
    report.read_findings = b.findings
    return report, b.findings

