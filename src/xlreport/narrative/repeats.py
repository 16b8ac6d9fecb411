"""Narrative that repeats last year's report (X-COPIED) or another section of the same report
(NARRATIVE-REPEATED). Pure: Reports in, findings out.

What is compared:
- The unit is the sentence as official prose punctuates it: it ends at 。！？； (or their ASCII
  forms) or at a line break. A sentence counts as repeated when it equals a sentence of the other
  text once spaces and punctuation (of either width) are left out, every number (3607, ３６０７,
  70.3, 2024) and every year in Chinese numerals (二〇二四) is read as one placeholder, and a leading
  ordinal (（一）, 1., 一是, 首先) is dropped: "全市共收到申请3607件" repeats "全市共收到申请3646件".
- Size is counted in characters, not sentences: one copied paragraph-long sentence weighs more
  than three new one-liners (a reviewer's 重复率 is a share of text). Punctuation is not counted
  and a number counts as one character, so changing the figures does not dilute the share.
- Sentences shorter than MIN_SENTENCE_CHARS ("无。", "详见附表。", a run-in sub-heading) are left
  out of both sides: they repeat every year by nature. A section with less than
  MIN_SECTION_CHARS of counted text ("本年度未收取信息处理费。") is a formula, not judged.
- Sections: 一、总体情况 (导语 and each sub-heading), 五, 六; not the 前言, which restates the
  legal basis every year by design. A sentence of this year counts as repeated wherever it stood in
  last year's 一/五/六: sub-headings may be renamed, added or reordered between years (正文 allows
  it), and a sentence moved to another sub-heading is no less copied. The finding says where it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..model import Report
from ..rules.catalog import finding
from ..rules.crossyear import REPEAT_SHARE_PERCENT
from ..rules.findings import Finding
from . import Section, sections

MIN_SENTENCE_CHARS = 8
MIN_SECTION_CHARS = 50
EXAMPLES = 3  # repeated sentences quoted in a finding
_THRESHOLD = Decimal(REPEAT_SHARE_PERCENT)  # a finding's right side: its left is the share
_QUOTE_CHARS = 40

_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|\n")
# Keys are made for all sentences of a text at once, one sentence a line (a few regular-expression
# passes instead of a few per sentence). Full-width and ASCII forms alike, without NFKC (slow on
# CJK text): \d and \w match full-width digits and letters.
_LEADING = re.compile(r"^[^\w(（\n]+", re.M)  # "……四是落实…": the ordinal after an ellipsis
_ORDINAL = re.compile(
    r"^(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、是]|\d{1,2}[.、．]|第[一二三四五六七八九十]{1,3}[，,、]?"
    r"|首先|其次|再次|最后)",
    re.M,
)
_NUMBER = re.compile(r"\d+(?:[.,．，]\d+)*")
_CHINESE_YEAR = re.compile(r"[〇○零一二三四五六七八九]{4}(?=年)")
_COUNTED = re.compile(r"[\w#\n]+")  # letters, digits, the placeholder: not punctuation, symbols or spaces


@dataclass(frozen=True)
class Sentence:
    text: str  # as typed, for quoting
    key: str  # what is compared
    size: int  # characters counted (len of key)


def sentence_units(text: str) -> list[Sentence]:
    """The sentences of a text that count (MIN_SENTENCE_CHARS or more), in order."""
    pieces = [p.strip() for p in _SENTENCE_END.split(text)]
    lines = _ORDINAL.sub("", _LEADING.sub("", "\n".join(pieces)))
    folded = _CHINESE_YEAR.sub("#", _NUMBER.sub("#", lines))
    keys = "".join(_COUNTED.findall(folded)).replace("_", "").split("\n")
    return [Sentence(p, k, len(k)) for p, k in zip(pieces, keys, strict=True) if len(k) >= MIN_SENTENCE_CHARS]


@dataclass(frozen=True)
class Overlap:
    section: Section
    share: Decimal  # percent of the section's counted characters, rounded to a whole percent
    repeated: tuple[tuple[Sentence, Section], ...]  # this section's sentence, where it stood before
    warns: bool  # the exact share reaches REPEAT_SHARE_PERCENT


def _judged(report: Report) -> list[Section]:
    return [s for s in sections(report) if s.ref.key != "narrative.preamble"]


def _overlap(section: Section, units: list[Sentence], seen: dict[str, Section]) -> Overlap | None:
    """The share of the section that repeats `seen`; None for a section too short to judge."""
    total = sum(u.size for u in units)
    if total < MIN_SECTION_CHARS:
        return None
    repeated = tuple((u, seen[u.key]) for u in units if u.key in seen)
    size = sum(u.size for u, _ in repeated)
    share = (Decimal(size * 100) / total).quantize(Decimal(1), ROUND_HALF_UP)
    return Overlap(section, share, repeated, size * 100 >= REPEAT_SHARE_PERCENT * total)


def _units(report: Report) -> list[tuple[Section, list[Sentence]]]:
    return [(s, sentence_units(s.text)) for s in _judged(report)]


def overlaps(current: Report, previous: Report) -> list[Overlap]:
    """Each judged section of this year's report against last year's 一/五/六."""
    seen: dict[str, Section] = {}
    for s, units in _units(previous):
        for u in units:
            seen.setdefault(u.key, s)  # the first section a sentence stood in
    return [o for s, units in _units(current) if (o := _overlap(s, units, seen))]


def overlaps_within(report: Report) -> list[Overlap]:
    """Each judged section against the sections before it in the same report."""
    out, seen = [], {}
    for s, units in _units(report):
        o = _overlap(s, units, seen)
        if o:
            out.append(o)
        for u in units:
            seen.setdefault(u.key, s)
    return out


def _quote(text: str) -> str:
    return f"“{text if len(text) <= _QUOTE_CHARS else text[: _QUOTE_CHARS - 1] + '…'}”"


def _examples(o: Overlap, where: str) -> str:
    """The first few repeated sentences, grouped by the section they repeat: 上年「五、…」“…”、“…”等 4 句."""
    groups: dict[Section, list[str]] = {}
    for u, s in o.repeated[:EXAMPLES]:
        groups.setdefault(s, []).append(_quote(u.text))
    text = "；".join(f"{where}「{s.name}」{'、'.join(quotes)}" for s, quotes in groups.items())
    return text + (f"等 {len(o.repeated)} 句" if len(o.repeated) > EXAMPLES else "")


def copied_findings(current: Report, previous: Report) -> list[Finding]:
    out = []
    for o in overlaps(current, previous):
        if not o.warns:
            continue
        earlier = list(dict.fromkeys(s.ref.of_previous_year() for _, s in o.repeated))
        out.append(finding("X-COPIED", [o.section.ref, *earlier], o.share, _THRESHOLD, section=o.section.name,
                           share=o.share, examples=_examples(o, "上年")))
    return out


def repeated_findings(report: Report) -> list[Finding]:
    out = []
    for o in overlaps_within(report):
        if not o.warns:
            continue
        earlier = list(dict.fromkeys(s for _, s in o.repeated))
        others = "、".join(f"「{s.name}」" for s in earlier)
        out.append(finding("NARRATIVE-REPEATED", [o.section.ref, *(s.ref for s in earlier)], o.share, _THRESHOLD,
                           section=o.section.name, share=o.share, others=others, examples=_examples(o, "本报告")))
    return out
