"""Text-vs-table checks (statutory-format.md §5.4): numbers typed in the narrative must match the cells.

Pure: a Report in, findings out. Reading is deliberately narrow, because a false alarm
teaches staff to ignore the check: only a number followed by 件 (or %) counts, and only
when a known phrase stands right before it in the same clause ("受理政府信息公开申请3119件",
"行政复议351件") or right after it ("103件顺延到下年度"). "2024年", "5500余条", "12场",
"约300件", "同比增加200件" and counts broken down by office are never read as table figures.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

from ..model import Report, describe, format_number
from ..rules.catalog import finding
from ..rules.findings import Finding
from . import Quantity, Section, amount, cell_ref, not_numbers, quantities, round_half_up, sections

# --- phrases ------------------------------------------------------------------------
# kind: app (表三) / case (表四) / doc (表二) / row (表二 row noun) / stop (a phrase after
# which the number is not a table figure). meaning: a quantity key, or "@…" resolved from context.

_APP, _CASE, _DOC, _ROW, _STOP = "app", "case", "doc", "row", "stop"
_PHRASES: dict[str, tuple[str, str | None]] = {
    **dict.fromkeys(("本年新收", "新收", "收到", "受理", "新受理"), (_APP, "new")),
    "收办": (_APP, "received_all"),  # 宿迁 2023/2024: 收办 = 新收 + 上年结转
    **dict.fromkeys(("上年结转", "上年度结转", "上一年度结转"), (_APP, "carried_over")),
    **dict.fromkeys(
        ("结转下年度", "结转至下年度", "结转到下年度", "转下年度", "转入下年度", "转至下年度", "下年度继续办理"),
        (_APP, "carried_forward"),
    ),
    **dict.fromkeys(("办结", "答复", "办理结果", "办理结果总计"), (_APP, "results")),
    **{w: (_APP, w) for w in ("予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理")},
    "自然人": (_APP, "@natural"),
    **dict.fromkeys(("法人或其他组织", "法人和其他组织", "法人或者其他组织"), (_APP, "@legal")),
    "行政复议": (_CASE, "review"),
    "行政诉讼": (_CASE, "suits"),
    **dict.fromkeys(("未经复议直接起诉", "直接起诉"), (_CASE, "direct_suit")),
    **dict.fromkeys(("复议后起诉", "行政复议后起诉", "复议后提起行政诉讼"), (_CASE, "suit_after_review")),
    "结果维持": (_CASE, "@upheld"),
    "结果纠正": (_CASE, "@corrected"),
    "其他结果": (_CASE, "@other"),
    "尚未审结": (_CASE, "@pending"),
    **dict.fromkeys(("制发", "印发"), (_DOC, "issued")),
    "废止": (_DOC, "repealed"),
    "现行有效": (_DOC, "in_force"),
    "新制作": (_DOC, "made"),  # 2019 表二
    "新公开": (_DOC, "published"),
    "对外公开总数": (_DOC, "total_published"),
    "规章": (_ROW, "regulations"),
    "规范性文件": (_ROW, "normative_docs"),  # also inside 行政规范性文件
    "规章制度": (_ROW, None),  # internal rules, not 规章
    **dict.fromkeys(
        ("同比", "较上年", "比上年", "增加", "减少", "增长", "下降", "延期答复", "不予受理", "分别", "各",
         "未收到", "没有收到", "未受理", "未答复", "未办结"),
        (_STOP, None),
    ),
}
_PHRASE = "|".join(sorted(map(re.escape, _PHRASES), key=len, reverse=True))
_EVENT = re.compile(
    rf"(?P<num>\d+(?:\.\d+)?)(?P<unit>件|%)?|(?P<open>[（(])|(?P<close>[）)])|(?P<brk>[，,；;。])|(?P<kw>{_PHRASE})"
)
# "另有103件顺延到下年度答复": the phrase follows the number.
_AFTER = re.compile(r"(?:申请)?(?:顺延|结转|转入|转)(?:到|至)?下一?年度")
_CONJ = re.compile(r"^(?:和|及|与|或|以及|、)(?:被申请|被提起|提起|申请)?$")
_VAGUE_BEFORE = ("约", "近", "超过", "逾", "不足", "将近")
_VAGUE_AFTER = ("以上", "左右", "上下")
_VERBS = {"new", "received_all", "results"}  # generic verbs: 收到、受理、答复、办结 what? an application
_MAX_GAP = 14  # characters between a phrase and its number: "受理政府信息公开申请3119件"
_CLAUSE_END = "，,；;。"

# Which base a percentage names ("占办结总数的44.7%"), and the base a quantity has by default.
_BASES = (("收办", "received_all"), ("办结", "results"), ("办理结果", "results"), ("答复", "results"),
          ("新收", "new"), ("收到", "new"), ("受理", "new"), ("行政复议", "review"), ("行政诉讼", "suits"))
_NOT_A_SHARE = ("同比", "增长", "下降", "增加", "减少", "较", "率")


def _default_base(key: str) -> str | None:
    if key in ("予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"):
        return "results"
    if "." in key and key.split(".")[0] in ("review", "suits", "direct_suit", "suit_after_review"):
        return key.split(".")[0]
    return {"natural": "new", "legal": "new", "natural_all": "received_all", "legal_all": "received_all"}.get(key)


# --- reading ------------------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    """A table figure quoted in the text."""

    kind: str  # "count", "percent", "none" (a claim that there were none)
    family: str  # app / case / doc
    keys: tuple[str, ...]  # quantity keys, summed ("予以公开、部分公开共1816件")
    stated: Decimal | None
    excerpt: str
    base: str | None = None  # percentages: the quantity the share is of
    digits: int = 0  # percentages: decimals as typed


@dataclass
class _State:
    last: tuple[str, tuple[str, ...], int] | None = None  # (kind, meanings, phrase start)
    gap: str = ""  # text since that phrase, parentheticals removed
    broken: bool = False  # a clause break since that phrase
    base: str = "new"  # what 自然人/法人 counts are part of
    group: str | None = None  # which 表四 group outcomes belong to
    rows: frozenset = frozenset()  # 表二 row nouns seen in this clause
    count: Mention | None = None  # the count a following percentage may refer to
    count_start: int = 0
    since_count: str = ""


# Full-width digits, point and percent sign to ASCII; punctuation stays as typed, for quoting.
_FOLD = str.maketrans({**{0xFF10 + i: str(i) for i in range(10)}, 0xFF0E: ".", 0xFF05: "%"})
_FULL_WIDTH = tuple(chr(c) for c in _FOLD)


def normalize(text: str) -> str:
    """Half-width digits, no spaces (pdftotext puts them around numbers), no thousands separators."""
    if any(c in text for c in _FULL_WIDTH):  # translate() looks up every character: only when needed
        text = text.translate(_FOLD)
    text = re.sub(r"[ \t\u3000\xa0]+", "", text)
    return re.sub(r"(?<=\d)[,，](?=\d{3}(?!\d))", "", text)


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。！？!?])|\n", normalize(text)) if s.strip()]


def _excerpt(sentence: str, start: int, end: int) -> str:
    """The clause that holds the figure: "予以公开1431件", not the whole list around it."""
    a = max(sentence.rfind(c, 0, start) for c in _CLAUSE_END + "、（(") + 1
    ends = [i for i in (sentence.find(c, end) for c in _CLAUSE_END + "、（(）)") if i != -1]
    b = min(ends) if ends else len(sentence)
    text = sentence[a:b].strip()
    if text.count("（") > text.count("）"):
        text += "）"  # "予以公开1362件（占办结总数的45.7%）"
    return text if len(text) <= 60 else "…" + text[-59:]


def _has_app_context(sentence: str, heading: str) -> bool:
    return "申请" in sentence or "依申请" in heading


def _has_case_context(sentence: str, heading: str) -> bool:
    words = ("信息公开", "政府信息", "依申请")
    return any(w in sentence for w in words) or any(w in heading for w in (*words, "复议", "诉讼"))


def read_mentions(text: str, form, heading: str = "") -> list[Mention]:
    """Every table figure the text quotes, in order. `heading` is the sub-heading the text sits under."""
    qs = quantities(form)
    out: list[Mention] = []
    for sentence in sentences(text):
        if "件" in sentence or "%" in sentence:  # the only units a table figure is quoted in
            out += _read_sentence(sentence, qs, heading)
        out += _read_claims(sentence, heading)
    return out


def _resolve(kind: str, meaning: str, st: _State, qs: dict) -> str | None:
    if kind == _DOC:
        if len(st.rows) != 1 or None in st.rows:
            return None  # no row noun in the clause, or both: not sure which row
        key = f"t2.{next(iter(st.rows))}.{meaning}"
    elif meaning in ("@natural", "@legal"):
        key = meaning[1:] + ("_all" if st.base == "received_all" else "")
    elif meaning.startswith("@"):
        key = f"{st.group}.{meaning[1:]}" if st.group else None
    else:
        key = meaning
    return key if key in qs else None


def _read_sentence(sentence: str, qs: dict, heading: str) -> Iterator[Mention]:
    st, stack, pos = _State(), [], 0
    contexts = {_APP: _has_app_context(sentence, heading), _CASE: _has_case_context(sentence, heading), _DOC: True}
    for m in _EVENT.finditer(sentence):
        between = sentence[pos : m.start()]
        st.gap += between
        st.since_count += between
        pos = m.end()
        if m["open"]:
            stack.append(replace(st))  # a parenthetical does not change what follows it
            st.since_count += m[0]
        elif m["close"]:
            if stack:
                st = stack.pop()
        elif m["brk"]:
            st.gap += m[0]
            st.since_count += m[0]
            st.broken = True
            st.rows = frozenset()
        elif m["kw"]:
            kind, meaning = _PHRASES[m["kw"]]
            st.since_count += m[0]
            if kind == _ROW:
                st.rows = st.rows | {meaning}
                st.gap += m[0]
                continue
            if meaning in ("new", "received_all"):
                st.base = meaning
            if kind == _CASE and not meaning.startswith("@"):
                st.group = meaning
            last = st.last
            if last and last[0] == kind and kind != _STOP and not st.broken and _CONJ.match(st.gap):
                st.last = (kind, last[1] + (meaning,), last[2])  # "予以公开和部分公开共…件"
            else:
                st.last = (kind, (meaning,), m.start())
            st.gap, st.broken = "", False
        elif m["unit"] == "件":
            mention = _count(sentence, m, st, qs, contexts)
            if mention:
                yield mention
            st.count, st.count_start, st.since_count = mention, st.last[2] if st.last else m.start(), ""
            st.last, st.gap, st.broken = None, "", False
        elif m["unit"] == "%":
            mention = _percent(sentence, m, st, qs)
            if mention:
                yield mention
            st.count = None
        else:  # a number without a unit we read ("2024年"): plain text
            st.gap += m[0]
            st.since_count += m[0]


def _count(sentence: str, m: re.Match, st: _State, qs: dict, contexts: dict) -> Mention | None:
    after = sentence[m.end() :]
    if after.startswith(_VAGUE_AFTER):
        return None
    stated = Decimal(m["num"])
    if _AFTER.match(after):
        if not contexts[_APP]:
            return None
        start = m.start()
        return Mention("count", _APP, ("carried_forward",), stated, _excerpt(sentence, start, m.end()))
    last = st.last
    if last is None or last[0] == _STOP or st.broken or len(st.gap) > _MAX_GAP or "、" in st.gap:
        return None
    if st.gap.endswith(_VAGUE_BEFORE) or not contexts[last[0]]:
        return None
    keys = tuple(_resolve(last[0], meaning, st, qs) for meaning in last[1])
    if None in keys:
        return None
    if set(keys) & _VERBS and st.gap and "申请" not in st.gap:
        return None  # "收到群众来信100件" is not 收到申请
    return Mention("count", last[0], keys, stated, _excerpt(sentence, last[2], m.end()))


def _percent(sentence: str, m: re.Match, st: _State, qs: dict) -> Mention | None:
    count, text = st.count, st.since_count
    if count is None or "占" not in text or len(text) > 20 or any(w in text for w in _NOT_A_SHARE):
        return None
    base = next((q for word, q in _BASES if word in text), None)
    if base is None:
        bases = {_default_base(k) for k in count.keys}
        base = bases.pop() if len(bases) == 1 else None
    if base is None or base not in qs:
        return None
    digits = len(m["num"].split(".")[1]) if "." in m["num"] else 0
    excerpt = _excerpt(sentence, st.count_start, m.end())
    return Mention("percent", count.family, count.keys, Decimal(m["num"]), excerpt, base, digits)


# "本年度未收到政府信息公开申请", "无依申请公开申请"; not "未收到申请人补正材料".
_NO_APPLICATIONS = re.compile(
    r"(?:未|没有|无)(?:收到|接到|受理)(?:过|任何)?(?:(?!补正|材料|答复|回复|费用)[^，。；,;！？]){0,25}?申请(?!人)"
    r"|无(?:政府信息公开|依申请公开(?:政府信息)?)的?申请(?!人)"
    r"|(?:政府信息公开|依申请公开)申请(?:数量|件数)?为零"
)
# "未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况", "无行政复议、行政诉讼".
_NEGATION = re.compile(r"未发生|没有发生|未有|没有|未出现|未被|未收到|未接到|未涉及|无(?!法|正当)")
_NO_AFTER_WU = re.compile(
    r"(?:因政府信息公开(?:工作)?而?(?:被申请|被提起|引起|引发|产生)?的?|涉及政府信息公开的?|政府信息公开(?:方面)?的?)?(?:行政复议|行政诉讼)"
)
_ZERO_CASES = re.compile(r"(?:行政复议|行政诉讼)[^，。；,;]{0,12}?(?:均为|为)零")
_CASE_WORD = re.compile(r"行政复议|行政诉讼")


def _read_claims(sentence: str, heading: str) -> Iterator[Mention]:
    # Every pattern below needs 申请, or 行政复议/行政诉讼: most sentences are done in two look-ups.
    if "申请" in sentence:
        for m in _NO_APPLICATIONS.finditer(sentence):
            yield Mention("none", _APP, ("new",), None, _excerpt(sentence, m.start(), m.end()))
    if "行政复议" not in sentence and "行政诉讼" not in sentence or not _has_case_context(sentence, heading):
        return
    spans = []
    for m in _NEGATION.finditer(sentence):
        ends = [i for i in (sentence.find(c, m.end()) for c in _CLAUSE_END) if i != -1]
        clause_end = min(ends) if ends else len(sentence)
        rest = sentence[m.end() : clause_end]
        if m[0] == "无" and not _NO_AFTER_WU.match(rest):
            continue
        first = _CASE_WORD.search(rest)
        if first and first.start() <= 25:
            spans.append((m.start(), clause_end))
    spans += [(m.start(), m.end()) for m in _ZERO_CASES.finditer(sentence)]
    for start, end in spans:
        words = {w: None for w in _CASE_WORD.findall(sentence[start:end])}
        for w in words:
            key = "review" if w == "行政复议" else "suits"
            yield Mention("none", _CASE, (key,), None, _excerpt(sentence, start, end))


# --- checking -----------------------------------------------------------------------

_RULE_OF = {_APP: "TXT-APPLICATIONS", _CASE: "TXT-CASES", _DOC: "TXT-DOCUMENTS"}


def _combined(qs: dict, keys: tuple[str, ...]) -> Quantity:
    if len(keys) == 1:
        return qs[keys[0]]
    parts = [qs[k] for k in keys]
    cells = tuple(c for q in parts for c in q.cells)
    label = "、".join(q.label for q in parts) + "合计"
    return Quantity("+".join(keys), label, cells, "、".join(q.source or q.label for q in parts) + "之和")


def describe_source(report: Report, q: Quantity) -> str:
    """表三!I4（表三/一、本年新收政府信息公开申请数量/总计）, or a sum named with its cells."""
    refs = [cell_ref(report, k) for k in q.cells]
    if len(refs) == 1:
        r = refs[0]
        return f"{r.a1}（{r.name}）" if r.coord else r.name
    where = "、".join(r.a1 for r in refs if r.coord)
    return f"{q.source}（{where}）" if where else q.source


def _unchecked(report, section, mention, q, stated: str) -> Finding:
    bad = not_numbers(report, q)
    parts = "、".join(f"{cell_ref(report, k).a1}（{describe(report.value(k))}）" for k in bad)
    return finding("TXT-UNCHECKED", [section.ref, *(cell_ref(report, k) for k in bad)],
                    section=section.name, sentence=mention.excerpt, what=q.label, stated=stated, parts=parts)


def mentions(report: Report) -> Iterator[tuple[Section, Mention]]:
    """Every table figure the report's narrative quotes, with the section it is in."""
    for section in sections(report):
        for mention in read_mentions(section.text, report.form, section.heading):
            yield section, mention


def quoted_cells(report: Report) -> dict[str, list[Mention]]:
    """Counts the narrative quotes for a single cell ("现行有效行政规范性文件2710件"), by cell key."""
    qs = quantities(report.form)
    out: dict[str, list[Mention]] = {}
    for _, m in mentions(report):
        cells = [c for k in m.keys for c in qs[k].cells]
        if m.kind == "count" and len(cells) == 1:
            out.setdefault(cells[0], []).append(m)
    return out


def text_findings(report: Report) -> list[Finding]:
    """TXT-* findings for every narrative text of the report."""
    qs = quantities(report.form)
    out: list[Finding] = []
    for section, mention in mentions(report):
        out += _check(report, qs, section, mention)
    return out


def _check(report: Report, qs: dict, section: Section, mention: Mention) -> Iterator[Finding]:
    q = _combined(qs, mention.keys)
    value = amount(report, q)
    if mention.kind == "count" and value == mention.stated or mention.kind == "none" and value == 0:
        return  # the text agrees with the table: nothing to build
    refs = [section.ref, *(cell_ref(report, k) for k in q.cells)]
    common = {"section": section.name, "sentence": mention.excerpt, "source": describe_source(report, q)}
    if mention.kind == "count":
        if value is None:
            yield _unchecked(report, section, mention, q, f"{format_number(mention.stated)} 件")
        else:
            yield finding(_RULE_OF[mention.family], refs, mention.stated, value, what=q.label, **common)
    elif mention.kind == "none":
        if value is None:
            yield _unchecked(report, section, mention, q, "没有")
        else:
            rule = "TXT-NO-APPLICATIONS" if mention.family == _APP else "TXT-NO-CASES"
            yield finding(rule, refs, None, value, what=q.label, **common)
    else:
        yield from _check_percent(report, qs, section, mention, q, value, refs, common)


def _check_percent(report, qs, section, mention, q, value, refs, common) -> Iterator[Finding]:
    base_q = qs[mention.base]
    base = amount(report, base_q)
    if value is None or base is None:
        bad = q if value is None else base_q
        yield _unchecked(report, section, mention, bad, f"{format_number(mention.stated)}%")
        return
    if base == 0:
        return  # no share of nothing to recompute; the count checks cover the text
    exact = value * 100 / base
    unit = Decimal(1).scaleb(-mention.digits)
    if abs(exact - mention.stated) < unit:  # the stated precision: rounding or truncation
        return
    computed = round_half_up(exact, unit)
    source = f"{describe_source(report, q)} ÷ {describe_source(report, base_q)}（{format_number(value)} ÷ {format_number(base)}）"
    refs = refs + [cell_ref(report, k) for k in base_q.cells]
    yield finding("TXT-PERCENT", refs, mention.stated, computed, what=q.label, base=base_q.label,
                   stated=format_number(mention.stated), computed=format(computed, "f"),
                   **{**common, "source": source})
