"""Label vocabulary of published reports, as data, and fuzzy matching against the declared labels.

Published reports retype the statutory labels: full- and half-width punctuation, 1、 for 1.,
typos seen in the wild (statutory-format.md §5.5), abbreviations. Matching works on a
folded form (NFKC, no whitespace or punctuation) after the variants below are applied.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from ..forms import HEADINGS

# Known variants of printed labels: (as published, as declared). Applied to folded text.
VARIANTS: tuple[tuple[str, str], ...] = (
    ("三类内容事务信息", "三类内部事务信息"),
    ("只计这一情况", "只计这一情形"),
    ("不计其他情况", "不计其他情形"),
    ("现行有效件数历史累计", "现行有效件数"),
)

# Section headings: key -> accepted texts without the numeral (first is the declared one).
HEADING_TEXTS: dict[str, tuple[str, ...]] = {
    "overview": (HEADINGS["overview"][2:],),
    "t2": (HEADINGS["t2"][2:],),
    "t3": (HEADINGS["t3"][2:],),
    "t4": (HEADINGS["t4"][2:], "因政府信息公开工作被申请行政复议、提起行政诉讼情况"),
    "problems": (HEADINGS["problems"][2:], "政府信息公开工作存在的主要问题及改进情况"),
    "other": (HEADINGS["other"][2:],),
}
TABLE_SECTIONS = ("t2", "t3", "t4")

# Words that tell the format version apart (statutory-format.md §7), folded.
VERSION_MARKERS: dict[str, tuple[str, ...]] = {
    "2019": ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增减", "第二十条第九项",
             "政府集中采购", "采购项目数量", "采购总金额"),
    "2021": ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额", "逾期不补正",
             "逾期未按收费通知"),
}

# Words that say which statutory table a table is, when no section heading says so.
TABLE_WORDS: dict[str, tuple[str, ...]] = {
    "t2": ("第二十条", "行政许可", "行政处罚", "规章"),
    "t3": ("本年新收政府信息公开申请数量", "自然人", "予以公开", "结转下年度继续办理"),
    "t4": ("复议后起诉", "未经复议直接起诉", "结果维持"),
}

# The title: <机关名称><YYYY>年(度)政府信息公开(工作)年度报告 (statutory-format.md §8).
TITLE = re.compile(
    r"^(?P<agency>.*?)\s*(?P<year>(?:19|20)\d{2})\s*年\s*度?\s*(?:的)?\s*政府信息公开\s*(?:工作)?\s*(?:年度)?\s*"
    r"(?:工作)?\s*(?:报告|年报)"
)

# Year first: "2022年度某某镇政府信息公开工作年度报告" (the agency between the year and the subject).
TITLE_YEAR_FIRST = re.compile(
    r"^(?:关于)?\s*(?P<year>(?:19|20)\d{2})\s*年\s*度?\s*(?P<agency>[^\s，,。:：;；]{2,40}?)\s*政府信息公开\s*"
    r"(?:工作)?\s*(?:年度)?\s*(?:工作)?\s*(?:报告|年报)"
)

_NUMERALS = "一二三四五六七八九十"
_HEADING = re.compile(rf"^[{_NUMERALS}]+\s*[、.．]\s*(.+)$")
_TRAILING_NOTE = re.compile(r"[（(][^（()）]*[)）]$")


def fold(text: str) -> str:
    """NFKC, without whitespace and punctuation: the form in which labels are compared."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not ch.isspace() and not unicodedata.category(ch).startswith(("P", "S")))


@lru_cache(maxsize=4096)
def canonical(text: str) -> str:
    folded = fold(text)
    for variant, declared in VARIANTS:
        folded = folded.replace(variant, declared)
    return folded


def heading_key(line: str) -> str | None:
    """The section a heading line opens, e.g. "二、主动公开政府信息情况" -> "t2"; None for other lines."""
    text = line.strip()
    if not text or len(text) > 48:
        return None
    text = unicodedata.normalize("NFKC", text)
    m = _HEADING.match(text)
    if m:
        text = m.group(1)
    elif not text.startswith(("总体情况", "主动公开", "收到和处理", "政府信息公开行政复议", "存在的主要问题", "其他需要报告")):
        return None
    text = _TRAILING_NOTE.sub("", text.strip())  # 一、总体情况（摘录）
    folded = fold(text)
    for key, texts in HEADING_TEXTS.items():
        for candidate in texts:
            m = SequenceMatcher(None, folded, fold(candidate))
            if m.real_quick_ratio() >= 0.85 and m.quick_ratio() >= 0.85 and m.ratio() >= 0.85:
                return key
    return None


# --- row labels ---------------------------------------------------------------------

_ITEM = re.compile(r"(?<![\d.])(\d{1,2})\s*[.、](?!\d)")
_GROUP = re.compile(rf"\(\s*([{_NUMERALS}])\s*\)")
_TOP = re.compile(rf"(?:^|\s)([{_NUMERALS}])\s*、")
_PAREN = re.compile(r"\([^()]*\)")


@dataclass(frozen=True)
class Label:
    """A row label split into its numbering and its words: 三、（三）5.属于… -> group 三, item 5."""

    text: str  # the words after the last marker
    group: str = ""
    item: int | None = None


def parse_label(label: str, group_label: str = "") -> Label:
    text = unicodedata.normalize("NFKC", label).strip()
    item, head = None, text
    items = list(_ITEM.finditer(text))
    if items:
        item, head, text = int(items[-1].group(1)), text[: items[-1].start()], text[items[-1].end() :]
    groups = list(_GROUP.finditer(head))
    group = groups[-1].group(1) if groups else ""
    if groups and item is None:
        text = head[groups[-1].end() :]
    elif item is None:
        tops = list(_TOP.finditer(head))  # 一、本年新收… / 四、结转下年度继续办理
        if tops:
            text = head[tops[-1].end() :]
    if not group and group_label:
        group = parse_label(group_label).group
    return Label(text.strip(), group, item)


def from_marker(label: str) -> str:
    """The label from its own numbering on, without stray text before it (layout text puts
    pieces of vertical labels there): "果 6.属于四类过程性信息" -> "6.属于四类过程性信息"."""
    folded = unicodedata.normalize("NFKC", label)  # same length: only full-width forms change
    if len(folded) != len(label):
        return label.strip()
    starts = [m.start(1) for m in _ITEM.finditer(folded)] or [m.start() for m in _GROUP.finditer(folded)]
    return label[starts[-1] :].strip() if starts else label.strip()


def similarity(a: str, b: str) -> float:
    """How alike two canonical labels are, 0..1; a label contained in the other counts as close."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    short, long = sorted((a, b), key=len)
    matcher = SequenceMatcher(None, short, long, autojunk=False)
    upper = matcher.quick_ratio()  # bounds both scores below: skip the exact work for unrelated labels
    shared = upper * (len(a) + len(b)) / 2
    if max(upper, 0.9 * shared / len(short) if len(short) >= 4 else 0) < 0.2:
        return 0.0
    best = matcher.ratio()
    if len(short) >= 4:
        m = matcher.find_longest_match(0, len(short), 0, len(long))
        best = max(best, 0.9 * m.size / len(short))
    return best


def strip_notes(text: str) -> str:
    """The label without parenthesised notes: 部分公开（区分处理的…） -> 部分公开."""
    return _PAREN.sub("", unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=65536)
def label_similarity(source: str, declared: str) -> float:
    full = similarity(canonical(source), canonical(declared))
    if full == 1.0:
        return full
    bare = similarity(canonical(strip_notes(source)), canonical(strip_notes(declared)))
    return max(full, bare)


def is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def printed_as_declared(source: str, declared: str) -> bool:
    """True when the source label carries the declared words in order, perhaps with stray
    characters in between (a layout that interleaves a wrapped group label)."""
    return is_subsequence(fold(declared), fold(source))


# --- cell values -----------------------------------------------------------------------

_UNITS = "万元|万|元|件|个|项|次"
# A statutory value as printed: a number with an optional unit, or a mark for "nothing".
_TOKEN = re.compile(rf"[+\-−－]?\d[\d,，]*(?:[.．]\d+)?(?:\s?(?:{_UNITS}))?|无|[/／\\]|[-—－–―]{{1,2}}")
_PLAIN = re.compile(r"[+-]?\d+(?:\.\d+)?")


def is_value(text: str) -> bool:
    """A cell that holds a statutory value rather than a label; blank cells are values too."""
    t = text.strip()
    return not t or bool(_TOKEN.fullmatch(t))


def value_tokens(text: str) -> list[tuple[int, int, str]] | None:
    """Split a chunk like "0 0 12" into value tokens with offsets; None unless it is all values."""
    out: list[tuple[int, int, str]] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        if text[pos : m.start()].strip() or (out and m.start() == pos):
            return None
        out.append((m.start(), m.end(), m.group()))
        pos = m.end()
    return out if out and not text[pos:].strip() else None


def plain_number(text: str) -> str | None:
    """The number a cell prints without unit or mark, folded ("１,234" -> "1234"); else None."""
    t = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace("−", "-")
    return t if _PLAIN.fullmatch(t) else None
