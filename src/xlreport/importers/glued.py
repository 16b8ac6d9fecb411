"""Table rows in running text: web text whose table cells ran together.

A scraper, or "select all, copy" on a web page, can lose every cell boundary of a table:

    一、本年新收政府信息公开申请数量 452000047二、上年结转政府信息公开申请数量 1000001三、…

The labels survive intact. This finds the printed labels of both format versions in such text and
cuts it into rows: a label and its run, the values printed after it up to the next label (digits,
spaces, signs, units, marks), which `splitter` then cuts into cells. Text between the runs that is
not a label (column headers, group labels) is kept as rows without values, so that table and
format-version detection still see it; digits found there become a row without a label, which the
builder reports rather than drops.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from ..forms import FORMS
from ..forms.statutory import T3_RESULTS_GROUP, T4_OUTCOMES
from .labels import HEADING_TEXTS, VARIANTS, fold, strip_notes

_NUMERALS = "一二三四五六七八九十"
_VALUE = r"[+\-−]?\d[\d,]*(?:\.\d+)?(?:万元|万|元|件|个|项|次)?|无|/|[—–―\-]{1,2}"
_RUN = re.compile(rf"(?:{_VALUE})(?:[ \t\u3000]*(?:{_VALUE}))*")
_SEP = r"[^\w]{0,3}"  # punctuation or spaces between two characters of a label
# After a label: closing quotes (危及“三安全一稳定”), a note (部分公开（区分处理的…）), not a numbering.
_NOTE = rf"[”\"’'」』]?(?:\s*\((?!\s*[{_NUMERALS}]\s*\))[^()\n]{{0,40}}\))?"
_MARKER = re.compile(rf"^(?:(?P<item>\d+)\s*[.、]|\(\s*(?P<group>[{_NUMERALS}])\s*\)|(?P<top>[{_NUMERALS}])\s*、)\s*")
T4_WORDS = (*(label for _, label in T4_OUTCOMES), "总计", "行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉")


class _Narrowed(dict):
    """str.translate table: a character to its NFKC form where that is one character, found once."""

    def __missing__(self, code: int) -> str:
        n = unicodedata.normalize("NFKC", chr(code))
        self[code] = n if len(n) == 1 else chr(code)
        return self[code]


_NARROWED = _Narrowed()


def narrow(text: str) -> str:
    """NFKC character by character, keeping every offset: full-width digits and brackets to ASCII."""
    return text.translate(_NARROWED)


@dataclass(frozen=True)
class _Label:
    pattern: re.Pattern
    values: int  # how many values a row with this label holds; 0 for headers and group labels


def _pattern(label: str, numbered: bool) -> re.Pattern:
    """The label as it may be printed: any punctuation or spacing between its characters, known
    typos (labels.VARIANTS), its numbering (1. （三） 四、) optional unless the words are too short
    to stand alone (3.其他, （七）总计), a parenthesised note after it."""
    text = narrow(label)
    marker, m = "", _MARKER.match(text) if numbered else None
    if m:
        text = text[m.end() :]
        if m["item"]:
            marker = rf"{m['item']}\s*[.、]\s*"
        elif m["group"]:
            marker = rf"\(\s*{m['group']}\s*\)\s*"
        else:
            marker = rf"{m['top']}\s*[、.]\s*"
    core = fold(strip_notes(text))
    cores = {core} | {core.replace(declared, typo) for typo, declared in VARIANTS if declared in core}
    words = "|".join(_SEP.join(map(re.escape, c)) for c in sorted(cores))
    if marker:
        marker = f"(?:{marker})" if len(core) <= 2 else f"(?:{marker})?"
    return re.compile(f"{marker}(?:{words}){_NOTE}")


@cache
def vocabulary(key: str) -> tuple[_Label, ...]:
    """The labels of a statutory table in both format versions, with the number of values each
    row holds (the fewest, where the versions differ)."""
    if key == "t4":  # the header, then the one row of 15 values without a label
        return tuple(_Label(_pattern(word, False), 15) for word in T4_WORDS)
    values: dict[str, int] = {T3_RESULTS_GROUP: 0} if key == "t3" else {}
    for form in FORMS.values():
        for block in form.table(key).blocks:
            for label in (block.title, *(row.group for row in block.rows)):
                if label:
                    values.setdefault(label, 0)
            for row in block.rows:
                values[row.label] = min(values.get(row.label, len(block.columns)), len(block.columns))
    return tuple(_Label(_pattern(label, key == "t3"), n) for label, n in values.items())


@dataclass(frozen=True)
class GluedRow:
    label: str  # as printed; "" for values outside any label's run
    run: str  # the values printed after it, as printed ("" for headers, group labels, empty rows)
    start: int  # offset of the row in the text
    tight: bool = False  # the run follows its label with at most one space
    values: int = 0  # how many values the label's row holds


def glued_rows(text: str, key: str) -> list[GluedRow]:
    """The text as rows: each statutory label with the run after it, and what lies between.
    Labels and runs are matched on the narrowed text and given as printed (same offsets)."""
    printed, text = text, narrow(text)
    found = []
    for label in vocabulary(key):
        found += [(m.start(), -m.end(), m.end(), label) for m in label.pattern.finditer(text)]
    found.sort(key=lambda f: (f[0], f[1]))
    chosen, end = [], 0
    for start, _, stop, label in found:  # leftmost, then longest, without overlaps
        if start >= end:
            chosen.append((start, stop, label))
            end = stop
    out: list[GluedRow] = []
    _between(printed, text, 0, chosen[0][0] if chosen else len(text), out)
    for i, (start, stop, label) in enumerate(chosen):
        nxt = chosen[i + 1][0] if i + 1 < len(chosen) else len(text)
        lead = len(text[stop:nxt]) - len(text[stop:nxt].lstrip())
        m = _RUN.match(text, stop + lead, nxt)
        run = printed[m.start() : m.end()] if m else ""
        gap = text[stop : stop + lead]
        out.append(GluedRow(printed[start:stop].strip(), run, start,
                            bool(run) and len(gap) <= 1 and "\n" not in gap, label.values))
        _between(printed, text, m.end() if m else stop, nxt, out)
    return out


def _between(printed: str, text: str, start: int, stop: int, out: list[GluedRow]) -> None:
    """Text that is no label's run: headers and group labels (rows without values), and any
    values among them as rows without a label, for the builder to report."""
    pos = start
    for m in _RUN.finditer(text, start, stop):
        if not any(ch.isdigit() for ch in m.group()):
            continue  # a mark in a header (本年增/减), not a value
        if printed[pos : m.start()].strip():
            out.append(GluedRow(printed[pos : m.start()].strip(), "", pos))
        out.append(GluedRow("", printed[m.start() : m.end()], m.start()))
        pos = m.end()
    if printed[pos:stop].strip():
        out.append(GluedRow(printed[pos:stop].strip(), "", pos))


@cache
def _headings() -> re.Pattern:
    texts = sorted({t for texts in HEADING_TEXTS.values() for t in texts}, key=len, reverse=True)
    words = "|".join(_SEP.join(map(re.escape, fold(t))) for t in texts)
    return re.compile(rf"[{_NUMERALS}]\s*[、.]\s*(?:{words}){_NOTE}")


def split_at_headings(line: str) -> list[str]:
    """A line with section headings run into the text around them ("…监督保障。二、主动公开政府信息情况
    第二十条…"), as separate lines: each heading on its own."""
    if "情" not in line and "项" not in line:  # every heading ends in 情况 or 事项: most lines have neither
        return [line]
    cuts = []
    for m in _headings().finditer(narrow(line)):
        cuts += [m.start(), m.end()]
    parts = [line[a:b] for a, b in zip([0, *cuts], [*cuts, len(line)])]
    parts = [p for p in parts if p.strip()]
    return parts if len(parts) > 1 else [line]


def looks_glued(text: str, key: str) -> bool:
    """Cells ran together: some label has its values right after it (at most one space between,
    where a text layout puts a column gap), or fewer values than its row holds without a column
    gap between them but digits enough, or rows share a line (with or without values; not the
    表四 header, whose words share a line in any layout)."""
    rows = [r for r in glued_rows(text, key) if r.label and r.values]
    if any(r.tight or 0 < len(r.run.split()) < r.values and "  " not in r.run
           and sum(ch.isdigit() for ch in r.run) >= r.values for r in rows):
        return True
    shared = [r for r in rows if r.run or key != "t4"]
    lines = [text.count("\n", 0, r.start) for r in shared]
    return len(lines) != len(set(lines))
