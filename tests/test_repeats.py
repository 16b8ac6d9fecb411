"""Narrative repeated from last year (X-COPIED) or within one report (NARRATIVE-REPEATED).

Sizes in the comments are counted by hand: characters without punctuation or spaces, a number as
one character. Generated narratives have a known overlap; the 宿迁 2023 and 2024 excerpts are real.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from conftest import REAL_REPORTS, consistent_numbers, make_report

from xlreport.checks.crossyear import cross_year_findings
from xlreport.checks.report import validate
from xlreport.forms import FORM_2021
from xlreport.importers import load_report
from xlreport.model import Narrative
from xlreport.narrative.repeats import (
    MIN_SECTION_CHARS,
    MIN_SENTENCE_CHARS,
    overlaps,
    overlaps_within,
    sentence_units,
)
from xlreport.rules.crossyear import REPEAT_SHARE_PERCENT

NUMBERS = consistent_numbers(FORM_2021, iter(range(1, 10_000)).__next__)

# Sentences of known size (counted characters in brackets).
A = "全年通过政府网站主动公开各类政府信息5500余条。"  # 全年通过政府网站主动公开各类政府信息#余条 [21]
B = "组织召开新闻发布会12场，及时回应社会关切。"  # 组织召开新闻发布会#场及时回应社会关切 [19]
C = "严格执行保密审查制度，做到先审查后公开。"  # 严格执行保密审查制度做到先审查后公开 [18]
D = "开展政务公开业务培训3次，培训人员200余人次。"  # 开展政务公开业务培训#次培训人员#余人次 [20]
E = "依申请公开答复文书的说理仍需加强。"  # 依申请公开答复文书的说理仍需加强 [16]
F = "部分政务新媒体更新不够及时，互动回应偏慢。"  # 部分政务新媒体更新不够及时互动回应偏慢 [19]


def report(year=2024, problems="", other="", parts=(), intro="", preamble=""):
    narrative = Narrative(preamble=preamble, overview_intro=intro, overview_parts=list(parts), problems=problems, other=other)
    return make_report(FORM_2021, NUMBERS, year=year, narrative=narrative)


def share_of(current, previous, name):
    return next(o.share for o in overlaps(current, previous) if o.section.name == name)


FIVE = "五、存在的主要问题及改进情况"


# --- what a sentence is ----------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("第一句话写得足够长了。第二句话也写得足够长了！第三句话还是足够长吗？", ["第一句话写得足够长了。", "第二句话也写得足够长了！", "第三句话还是足够长吗？"]),
    ("一是加强组织领导和统筹协调；二是完善制度规范和工作流程；", ["一是加强组织领导和统筹协调；", "二是完善制度规范和工作流程；"]),
    ("没有句号的第一行也是一句话\n第二行同样是一句话没有句号", ["没有句号的第一行也是一句话", "第二行同样是一句话没有句号"]),
    ("逗号，不分句，一句话里可以有很多逗号。", ["逗号，不分句，一句话里可以有很多逗号。"]),
], ids=["stops", "semicolons", "line-breaks", "commas-do-not-split"])
def test_sentences_end_at_chinese_stops_semicolons_and_line_breaks(text, expected):
    assert [s.text for s in sentence_units(text)] == expected


@pytest.mark.parametrize("short", ["无。", "暂无。", "详见附表。", "（一）主动公开方面", "一是加强组织领导"])
def test_short_sentences_do_not_count(short):
    assert MIN_SENTENCE_CHARS == 8
    assert sentence_units(short) == []


@pytest.mark.parametrize("this_year, last_year", [
    ("全年受理政府信息公开申请3646件，同比增长1.05%。", "全年受理政府信息公开申请3607件，同比增长70.3%。"),
    ("2024年，我市政务公开工作取得一定成绩。", "2023年，我市政务公开工作取得一定成绩。"),
    ("二〇二四年，我市政务公开工作取得一定成绩。", "二〇二三年，我市政务公开工作取得一定成绩。"),
    ("全年受理政府信息公开申请３６４６件。", "全年受理政府信息公开申请 3607 件。"),
    ("一是加强政府信息公开平台建设。", "三是加强政府信息公开平台建设。"),
    ("（二）加强政府信息公开平台建设。", "1.加强政府信息公开平台建设。"),
    ("……四是落实依申请公开案件备案。", "二是落实依申请公开案件备案。"),
    ("加强政府信息公开平台建设，提升服务水平。", "加强政府信息公开平台建设、提升服务水平。"),
], ids=["figures", "year", "chinese-numeral-year", "full-width-and-spaces", "ordinal-words", "ordinal-marks",
        "ordinal-after-an-ellipsis", "punctuation"])
def test_a_sentence_differing_only_in_figures_ordinals_or_punctuation_is_the_same(this_year, last_year):
    (a,), (b,) = sentence_units(this_year), sentence_units(last_year)
    assert a.key == b.key


@pytest.mark.parametrize("this_year, last_year", [
    ("全年受理政府信息公开申请3646件，同比增长。", "全年受理政府信息公开申请3607件，同比下降。"),
    ("属于三类内部事务信息的依法不予公开。", "属于四类内部事务信息的依法不予公开。"),
    ("我市各级政府严格执行信息处理费有关要求。", "各级政府严格执行信息处理费有关要求。"),
], ids=["a-word-changed", "chinese-numerals-inside-a-sentence", "a-word-added"])
def test_a_sentence_with_other_words_is_not_the_same(this_year, last_year):
    (a,), (b,) = sentence_units(this_year), sentence_units(last_year)
    assert a.key != b.key


# --- share by characters ----------------------------------------------------------


@pytest.mark.parametrize("this_year, repeated, total", [
    (A + B + C, 21 + 19, 21 + 19 + 18),  # two of three sentences kept
    (A + E + F, 21, 21 + 16 + 19),
    (D + A + B, 21 + 19, 20 + 21 + 19),  # order does not matter
    (A + B + C + D + E + F, 21 + 19, 21 + 19 + 18 + 20 + 16 + 19),
], ids=["two-of-three", "one-of-three", "reordered", "two-of-six"])
def test_share_is_the_repeated_characters_over_all_counted_characters(this_year, repeated, total):
    last = report(2023, problems=A + B)
    share = share_of(report(problems=this_year), last, FIVE)
    assert share == (Decimal(repeated * 100) / total).quantize(Decimal(1), ROUND_HALF_UP)


def test_share_counts_characters_not_sentences():
    # One long copied sentence (53) and three short new ones (10, 8, 8): 53 / 79 = 67 %, though 1 of 4 sentences.
    long = "对照上级政务公开工作要点逐项梳理任务清单，明确责任单位和完成时限，并按季度跟踪督办落实情况，确保各项任务按期完成。"
    assert sentence_units(long)[0].size == 53
    new = "今年新增三项便民措施。开通一条咨询热线。新建两个查阅场所。"
    assert [u.size for u in sentence_units(new)] == [10, 8, 8]
    last = report(2023, problems=long + "另外还有一句上年的话写在这里。")
    assert share_of(report(problems=long + new), last, FIVE) == 67


@pytest.mark.parametrize("kept, warns", [((A, B), True), ((A,), False)], ids=["half", "under-half"])
def test_warning_starts_at_half_of_the_section(kept, warns):
    # A + B = 40 of 80 counted characters (exactly 50 %); A alone = 21 of 61.
    assert REPEAT_SHARE_PERCENT == 50
    other = "本年度继续推进基层政务公开标准化规范化，编制事项目录并动态更新。"  # [30]
    extra = "新建政务公开专区八个。"  # [10]
    last = report(2023, problems=A + B + C)
    this_year = report(problems="".join(kept) + other + extra)
    (o,) = [o for o in overlaps(this_year, last) if o.section.name == FIVE]
    assert o.warns is warns
    assert ("X-COPIED" in {f.rule for f in cross_year_findings(this_year, last)}) is warns


def test_a_section_too_short_to_judge_is_not_compared():
    assert MIN_SECTION_CHARS == 50
    formula = "本年度未收取信息处理费，无其他需要报告的事项。"  # the same every year, rightly
    last, this_year = report(2023, other=formula), report(other=formula)
    assert not [o for o in overlaps(this_year, last) if o.section.name.startswith("六")]
    assert "X-COPIED" not in {f.rule for f in cross_year_findings(this_year, last)}


# --- which sections ------------------------------------------------------------------


def test_a_sentence_moved_to_a_renamed_sub_heading_is_still_repeated():
    last = report(2023, parts=[("（一）主动公开情况", A + B), ("（二）依申请公开情况", C + D)])
    this_year = report(parts=[("（一）政务公开平台建设", C + D + E)])
    (f,) = [f for f in cross_year_findings(this_year, last) if f.rule == "X-COPIED"]
    assert "「一、总体情况·（一）政务公开平台建设」" in f.message
    assert "上年「一、总体情况·（二）依申请公开情况」" in f.message
    assert f.left == 70  # (18 + 20) / (18 + 20 + 16)


def test_the_preamble_is_left_out_on_both_sides():
    legal = "本报告根据《中华人民共和国政府信息公开条例》和国办公开办函〔2021〕30号要求编制，所列数据统计期限为2024年1月1日至12月31日。"
    last = report(2023, preamble=legal, problems=E + F + C)
    this_year = report(preamble=legal, problems=A + B + D)
    assert all(o.section.name != "前言" for o in overlaps(this_year, last))
    assert not [f for f in cross_year_findings(this_year, last) if f.rule == "X-COPIED"]


def test_copied_finding_names_the_share_the_first_sentences_and_both_cells():
    last = report(2023, problems=A + B + C + D + E)
    (f,) = [f for f in cross_year_findings(report(problems=A + B + C + D + E), last) if f.rule == "X-COPIED"]
    assert (f.left, f.right) == (100, 50)
    assert f"{FIVE}」有 100% 的文字与上年报告相同" in f.message
    assert "“全年通过政府网站主动公开各类政府信息5500余条。”" in f.message  # quoted as typed this year
    assert "“严格执行保密审查制度，做到先审查后公开。”" in f.message and "开展政务公开业务培训" not in f.message
    assert "等 5 句" in f.message
    assert [c.key for c in f.cells] == ["narrative.problems", "previous.narrative.problems"]
    assert f.cells[1].sheet.startswith("上年 ")


def test_long_sentences_are_shortened_in_the_message():
    long = "围绕优化营商环境、稳定就业、乡村振兴等重点领域，持续加大政策解读力度，通过图解、视频、问答等多种形式解读政策文件，方便企业和群众理解和执行。"
    last = report(2023, problems=long)
    (f,) = [f for f in cross_year_findings(report(problems=long), last) if f.rule == "X-COPIED"]
    assert long[:39] + "…”" in f.message and long not in f.message


# --- within one report -------------------------------------------------------------------


def test_a_five_that_repeats_one_is_flagged_on_five_naming_one():
    this_year = report(parts=[("（一）主动公开", A + B + C)], problems=A + B + C + E)
    (f,) = [f for f in validate(this_year) if f.rule == "NARRATIVE-REPEATED"]
    assert f.cells[0].key == "narrative.problems" and f.cells[1].key == "narrative.overview"
    assert f.left == 78  # (21 + 19 + 18) / (21 + 19 + 18 + 16)
    assert "与本报告「一、总体情况·（一）主动公开」相同" in f.message


def test_only_the_later_section_is_flagged():
    this_year = report(parts=[("（一）主动公开", A + B + C)], problems=A + B + C, other=A + B + C)
    found = [f for f in validate(this_year) if f.rule == "NARRATIVE-REPEATED"]
    assert [f.cells[0].key for f in found] == ["narrative.problems", "narrative.other"]


def test_sections_that_share_a_sentence_or_two_are_not_flagged():
    this_year = report(parts=[("（一）主动公开", A + B + C)], problems=A + D + E + F)
    (o,) = [o for o in overlaps_within(this_year) if o.section.name == FIVE]
    assert not o.warns  # 21 of 76
    assert "NARRATIVE-REPEATED" not in {f.rule for f in validate(this_year)}


def test_a_report_repeating_last_year_is_not_a_repeat_within_itself():
    last = report(2023, problems=A + B + C)
    this_year = report(problems=A + B + C)
    assert "NARRATIVE-REPEATED" not in {f.rule for f in validate(this_year)}
    assert "X-COPIED" in {f.rule for f in cross_year_findings(this_year, last)}


# --- real reports: 宿迁 2023 → 2024 -----------------------------------------------------------


@pytest.fixture(scope="module")
def suqian():
    return {year: load_report(REAL_REPORTS / f"{year}_suqian_shi.txt")[0] for year in (2023, 2024)}


def test_suqian_2024_repeats_only_the_opening_sentence_of_five(suqian):
    # 五 2024: "2024年，我市政府信息公开工作取得了一定成绩，但离上级要求、发展需求和公众期望，还存在一定差距和不足。"
    # repeats 2023's with the year changed [44]; its three new points are 16, 20 and 16: 44 / 96 = 46 %.
    # 一（一）is new in 2024, 一（二）and 六 were rewritten (figures, offices, "我市" dropped).
    shares = {o.section.name: o.share for o in overlaps(suqian[2024], suqian[2023])}
    assert shares == {"一、总体情况·（一）主动公开方面": 0, "一、总体情况·（二）依申请公开方面": 0, FIVE: 46,
                      "六、其他需要报告的事项": 0}
    assert "X-COPIED" not in {f.rule for f in cross_year_findings(suqian[2024], suqian[2023])}


def test_suqian_2023_five_copied_into_2024_is_flagged(suqian):
    this_year = suqian[2024]
    this_year.narrative.problems = suqian[2023].narrative.problems.replace("2023年", "2024年")
    (f,) = [f for f in cross_year_findings(this_year, suqian[2023]) if f.rule == "X-COPIED"]
    assert f.left == 100 and "上年「五、存在的主要问题及改进情况」" in f.message


def test_real_reports_do_not_repeat_themselves(suqian):
    for r in suqian.values():
        assert "NARRATIVE-REPEATED" not in {f.rule for f in validate(r)}
