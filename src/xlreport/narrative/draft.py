"""A first draft of the narrative, written from the numbers, for the cells staff left empty.

Pure: a Report in, {target: text} out, where a target is a defined name of the narrative
sheet (XR_NARR_OVERVIEW_INTRO, XR_NARR_OTHER) or a sub-section text cell of the 一、总体情况
range, named by its sub-heading (see part_target). Only empty cells get a draft.

Every figure is the value of NUMBER cells; a blank or text cell is never read as 0: the
sentence that needs it is left out and a 【待补充：…】 note names the cell. Percentages are
the same cells' share of the base named in the sentence, one decimal, ROUND_HALF_UP.
The drafts use the phrases textcheck reads, so a draft always passes the TXT-* rules.
"""

from __future__ import annotations

from decimal import Decimal

from ..model import Report, State, Value, describe, format_number
from ..workbook import names
from . import amount, cell_ref, not_numbers, quantities, result_groups, round_half_up

PART_SEPARATOR = "/"  # defined names never contain it


def part_target(heading: str) -> str:
    """The target of the text cell beside a 一、总体情况 sub-heading."""
    return f"{names.NARR_OVERVIEW_PARTS}{PART_SEPARATOR}{heading}"


def part_heading(target: str) -> str | None:
    """The sub-heading a target names, or None for a plain defined name."""
    name, sep, heading = target.partition(PART_SEPARATOR)
    return heading if sep and name == names.NARR_OVERVIEW_PARTS else None


def percent(part: Decimal, base: Decimal) -> str:
    return format(round_half_up(part * 100 / base, Decimal("0.1")), "f")


class _Figures:
    """Quantities of one report, remembering the cells that were not numbers."""

    def __init__(self, report: Report):
        self.report = report
        self.qs = quantities(report.form)
        self.missing: dict[str, None] = {}  # ordered set of cell keys
        self.found = 0

    def get(self, key: str) -> Decimal | None:
        q = self.qs[key]
        value = amount(self.report, q)
        if value is None:
            self.missing.update(dict.fromkeys(not_numbers(self.report, q)))
        else:
            self.found += 1
        return value

    def cell(self, key: str) -> Decimal | None:
        value = self.report.value(key)
        if value.is_number:
            self.found += 1
        else:
            self.missing[key] = None
        return value.number

    def note(self) -> str:
        """【待补充：…】 naming the cells that kept a sentence out, or ""."""
        if not self.missing:
            return ""
        keys = list(self.missing)
        cells = "；".join(_cell_text(self.report, k, self.report.value(k)) for k in keys[:_LISTED])
        more = f"等 {len(keys)} 个单元格" if len(keys) > _LISTED else ""
        return f"【待补充：{cells}{more}不是数字，相关内容未写入草稿，请填写后补充】"


_LISTED = 3  # cells named in a note; more are counted


def _cell_text(report: Report, key: str, value: Value) -> str:
    ref = cell_ref(report, key)
    where = f"{ref.a1}（{ref.name}）" if ref.coord else ref.name
    return f"{where}为{describe(value)}"


def _n(x: Decimal) -> str:
    return format_number(x)


def _year(report: Report) -> str:
    return f"{report.year}年" if report.year else "本年度"


# --- 一、总体情况: 主动公开 from 表二 -------------------------------------------------

# One phrase per 表二 column, in the words reports use; {row} is the row label.
_T2_PHRASES = {
    "issued": "制发{row}{n}件", "repealed": "废止{n}件", "in_force": "现行有效{n}件",  # 2021
    "made": "新制作{row}{n}件", "published": "新公开{n}件", "total_published": "对外公开总数{n}件",  # 2019
    "previous_items": "{row}上一年项目数量{n}项", "decisions": "处理决定{n}件",
    "projects": "项目{n}个",
}


def _t2_phrase(column, row_label: str, n: Decimal, first: bool) -> str:
    if column.key == "change":  # 2019 本年增/减, may be negative
        return f"本年增加{_n(n)}项" if n > 0 else f"本年减少{_n(-n)}项" if n < 0 else "本年无增减"
    label = column.label.split("（")[0]  # 本年收费金额（单位：万元） → 本年收费金额
    template = _T2_PHRASES.get(column.key, label + "{n}" + column.unit)
    if first and "{row}" not in template:
        template = "{row}" + template
    return template.format(row=row_label if first else "", n=_n(n))


def _disclosure(report: Report, f: _Figures) -> str:
    """第二十条第（一）项 in one sentence, the other items in a second."""
    sentences: list[list[str]] = [[], []]
    for i, block in enumerate(report.form.table("t2").blocks):
        for row in block.rows:
            phrases = []
            for column in block.columns:
                n = f.cell(f"t2.{block.key}.{row.key}.{column.key}")
                if n is not None:
                    phrases.append(_t2_phrase(column, row.label, n, first=not phrases))
            if phrases:
                sentences[min(i, 1)].append("、".join(phrases))
    text = "".join("；".join(s) + "。" for s in sentences if s)
    return (f"{_year(report)}，本机关{text}" if text else "") + f.note()


# --- 一、总体情况: 依申请公开 from 表三 and 表四 --------------------------------------


def _applications(report: Report, f: _Figures) -> str:
    new, carried_over = f.get("new"), f.get("carried_over")
    results, carried_forward = f.get("results"), f.get("carried_forward")
    if (new, carried_over, results, carried_forward) == (0, 0, 0, 0):
        return "本年度未收到政府信息公开申请，无上年结转的申请。"
    first = []
    if new is not None:
        clause = f"本年新收政府信息公开申请{_n(new)}件"
        natural, legal = f.get("natural"), f.get("legal")
        if natural is not None and legal is not None:
            clause += f"，其中自然人{_n(natural)}件、法人或其他组织{_n(legal)}件"
        first.append(clause)
    if carried_over is not None:
        first.append(f"上年结转政府信息公开申请{_n(carried_over)}件")
    items = []
    for short, _ in result_groups(report.form):
        v = f.get(short)
        if v is None:
            continue
        share = f"（占办结总数的{percent(v, results)}%）" if short in ("予以公开", "部分公开") and results else ""
        items.append(f"{short}{_n(v)}件{share}")
    listed = "办理结果分别为：" + "、".join(items) if items else ""
    second = []
    if results is not None:
        second.append(f"本年度办结政府信息公开申请{_n(results)}件" + ("，" + listed if listed else ""))
    elif listed:
        second.append("本年度政府信息公开申请" + listed)
    if carried_forward is not None:
        second.append(f"结转下年度继续办理{_n(carried_forward)}件")
    return "".join("；".join(s) + "。" for s in (first, second) if s)


_OUTCOMES = (("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"))


def _outcomes(f: _Figures, group: str) -> str:
    values = [(label, f.get(f"{group}.{key}")) for key, label in _OUTCOMES]
    if any(v is None for _, v in values):
        return ""
    return "，其中" + "、".join(f"{label}{_n(v)}件" for label, v in values)


def _cases(f: _Figures) -> str:
    review, suits = f.get("review"), f.get("suits")
    if review == 0 and suits == 0:
        return "本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"
    clauses = []
    if review == 0:
        clauses.append("本年度未发生因政府信息公开工作被申请行政复议的情况")
    elif review is not None:
        clauses.append(f"本年度因政府信息公开工作被申请行政复议{_n(review)}件" + _outcomes(f, "review"))
    if suits == 0:
        clauses.append("未发生因政府信息公开工作被提起行政诉讼的情况")
    elif suits is not None:
        direct, after = f.get("direct_suit"), f.get("suit_after_review")
        split = f"（未经复议直接起诉{_n(direct)}件、复议后起诉{_n(after)}件）" if None not in (direct, after) else ""
        lead = "被提起" if review else "本年度因政府信息公开工作被提起"  # after a positive review clause
        clauses.append(f"{lead}行政诉讼{_n(suits)}件{split}" + _outcomes(f, "suits"))
    return "；".join(clauses) + "。" if clauses else ""


def _requests(report: Report, f: _Figures) -> str:
    return _applications(report, f) + _cases(f) + f.note()


# --- 六、其他需要报告的事项: 信息处理费 -----------------------------------------------


def _fees(report: Report) -> str:
    n = report.narrative
    fee, count = n.fee_amount, n.fee_count
    if fee.number == 0:
        return f"{_year(report)}，本机关未收取政府信息公开信息处理费。"
    charged = f"对{_n(count.number)}件政府信息公开申请" if count.state is State.NUMBER and count.number > 0 else ""
    return f"{_year(report)}，本机关依据《政府信息公开信息处理费管理办法》，{charged}收取信息处理费{_n(fee.number)}元。"


def _intro(report: Report) -> str:
    who = report.agency or "本机关"
    return (f"{_year(report)}，{who}按照《中华人民共和国政府信息公开条例》要求，做好主动公开、依申请公开、"
            "政府信息管理、政府信息公开平台建设和监督保障等工作。现将本年度政府信息公开工作情况报告如下。")


# Sub-sections of 一、总体情况 the tables say something about, by a word of their sub-heading.
_TOPICS = (("主动公开", "表二", _disclosure), ("依申请公开", "表三、表四", _requests))


def draft_narrative(report: Report, notes: list[str] | None = None) -> dict[str, str]:
    """Drafts for the empty narrative cells only; a cell with text in it is never a target.

    A part whose figures are all still blank is not drafted (so that drafting again after
    the tables are filled still finds the cell empty); `notes` collects why, for staff.
    """
    notes = [] if notes is None else notes
    n = report.narrative
    out: dict[str, str] = {}
    homeless: dict[str, str] = {}  # topics without a sub-section of their own go to the intro
    for word, tables, write in _TOPICS:
        parts = [(h, body) for h, body in n.overview_parts if word in h]
        if any(body.strip() for _, body in parts):
            continue  # staff wrote this sub-section
        figures = _Figures(report)
        text = write(report, figures)
        if not figures.found:
            notes.append(f"{word}：{tables}还没有填写数字，暂不起草；填写后可再次运行")
        elif parts:
            out[part_target(parts[0][0])] = text
        else:
            homeless[word] = text
    if not n.overview_intro.strip():
        out[names.NARR_OVERVIEW_INTRO] = "\n".join([_intro(report), *homeless.values()])
    elif homeless:
        notes.append(f"{'、'.join(homeless)}：一、总体情况中没有这个分项小标题，导语也已有文字，未起草")
    if not n.other.strip():
        if n.fee_amount.is_number:
            out[names.NARR_OTHER] = _fees(report)
        else:
            notes.append("六、其他需要报告的事项：" + _cell_text(report, "narrative.fee_amount", n.fee_amount)
                         + "，暂不起草信息处理费情况；填写后可再次运行")
    return out
