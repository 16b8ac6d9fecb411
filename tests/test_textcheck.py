"""Text-vs-table checks (TXT-*): real report texts, and narratives that contradict their tables
the way published reports do. Expected figures are copied by hand from the documents in
tests/fixtures/real-reports."""

from __future__ import annotations

import dataclasses
import functools
from decimal import Decimal

import pytest
from conftest import REAL_REPORTS, make_report
from hypothesis import given, settings
from hypothesis import strategies as st
from workbooks import HUAIAN, ZHUZHOU

from xlreport.forms import FORM_2021
from xlreport.model import BLANK, Narrative
from xlreport.narrative.textcheck import read_mentions, text_findings
from xlreport.rules.findings import Severity
from xlreport.rules.text import TXT_RULES
from xlreport.workbook.reader import read_report

REAL = REAL_REPORTS
T3_COLS = ("natural", "commercial", "research", "nonprofit", "legal", "other_org", "total")
T4_COLS = tuple(f"{g}_{o}" for g in ("review", "direct_suit", "suit_after_review")
                for o in ("upheld", "corrected", "other", "pending", "total"))
T2_2021 = (("item1.regulations", ("issued", "repealed", "in_force")),
           ("item1.normative_docs", ("issued", "repealed", "in_force")),
           ("item5.licensing", ("decisions",)), ("item6.penalty", ("decisions",)),
           ("item6.enforcement", ("decisions",)), ("item8.fees", ("amount",)))
T3_ROWS_2021 = ("new", "carried_over", "granted", "partial", "withheld_secret", "withheld_law", "withheld_safety",
                "withheld_third_party", "withheld_internal", "withheld_process", "withheld_enforcement",
                "withheld_inquiry", "unavailable_not_held", "unavailable_needs_creation", "unavailable_unclear",
                "unprocessed_petition", "unprocessed_repeat", "unprocessed_publication", "unprocessed_abusive",
                "unprocessed_confirmation", "other_no_correction", "other_no_fee", "other_other", "result_total",
                "carried_forward")

# 宿迁市 2024 and 2023 (2021 format), tables as printed in the comparison report.
SUQIAN = {
    2024: {
        "t2": ((2, 1, 12), (50, 227, 420), (1573179,), (2676474,), (29351,), (72701.2578,)),
        "t3": ((3440, 75, 0, 1, 6, 3, 3525), (118, 3, 0, 0, 0, 0, 121), (1408, 21, 0, 0, 2, 0, 1431),
               (462, 9, 0, 0, 0, 0, 471), (2, 0, 0, 0, 0, 0, 2), (1, 0, 0, 0, 0, 0, 1), (4, 0, 0, 0, 0, 0, 4),
               (16, 1, 0, 0, 0, 0, 17), (21, 0, 0, 0, 0, 0, 21), (10, 1, 0, 0, 0, 0, 11), (21, 2, 0, 0, 0, 0, 23),
               (13, 0, 0, 0, 0, 0, 13), (859, 33, 0, 0, 3, 2, 897), (35, 1, 0, 0, 0, 0, 36), (8, 0, 0, 0, 0, 0, 8),
               (86, 1, 0, 0, 0, 0, 87), (26, 1, 0, 0, 0, 0, 27), (0, 0, 0, 0, 0, 0, 0), (3, 0, 0, 0, 0, 0, 3),
               (0, 0, 0, 0, 0, 0, 0), (75, 1, 0, 1, 0, 0, 77), (38, 0, 0, 0, 0, 0, 38), (352, 2, 0, 0, 0, 0, 354),
               (3440, 73, 0, 1, 5, 2, 3521), (118, 5, 0, 0, 1, 1, 125)),
        "t4": (88, 18, 28, 36, 170, 7, 0, 11, 7, 25, 33, 0, 6, 13, 52),
    },
    2023: {
        "t2": ((2, 0, 11), (109, 489, 597), (1808595,), (2822652,), (20163,), (59237.2449,)),
        "t3": ((3402, 99, 0, 4, 5, 1, 3511), (91, 3, 0, 0, 2, 0, 96), (1175, 12, 0, 3, 1, 0, 1191),
               (319, 7, 0, 0, 2, 0, 328), (0, 0, 0, 0, 0, 0, 0), (27, 0, 0, 0, 0, 0, 27), (6, 0, 0, 0, 0, 0, 6),
               (38, 0, 0, 0, 0, 0, 38), (20, 0, 0, 0, 0, 0, 20), (9, 0, 0, 0, 0, 0, 9), (21, 0, 0, 0, 0, 0, 21),
               (20, 1, 0, 0, 0, 0, 21), (968, 74, 0, 1, 3, 1, 1047), (26, 2, 0, 0, 0, 0, 28), (3, 0, 0, 0, 0, 0, 3),
               (305, 0, 0, 0, 0, 0, 305), (39, 0, 0, 0, 0, 0, 39), (0, 0, 0, 0, 0, 0, 0), (58, 0, 0, 0, 0, 0, 58),
               (4, 0, 0, 0, 0, 0, 4), (40, 0, 0, 0, 0, 0, 40), (10, 0, 0, 0, 0, 0, 10), (287, 3, 0, 0, 1, 0, 291),
               (3375, 99, 0, 4, 7, 1, 3486), (118, 3, 0, 0, 0, 0, 121)),
        "t4": (309, 17, 88, 26, 440, 1, 1, 16, 6, 24, 13, 0, 67, 9, 89),
    },
}


def suqian(year: int) -> object:
    data = SUQIAN[year]
    numbers = {}
    for (row, cols), values in zip(T2_2021, data["t2"], strict=True):
        numbers.update({f"t2.{row}.{c}": v for c, v in zip(cols, values, strict=True)})
    for row, values in zip(T3_ROWS_2021, data["t3"], strict=True):
        numbers.update({f"t3.{row}.{c}": v for c, v in zip(T3_COLS, values, strict=True)})
    numbers.update({f"t4.cases.{c}": v for c, v in zip(T4_COLS, data["t4"], strict=True)})
    lines = (REAL / f"{year}_suqian_shi.txt").read_text(encoding="utf-8").splitlines()
    text = next(line for line in lines if line.startswith("（二）依申请公开方面"))
    heading, body = text.split("。", 1)
    narrative = Narrative(overview_parts=[(heading, body)], problems="……", other="……")
    return make_report(FORM_2021, numbers, year=year, agency="宿迁市人民政府", narrative=narrative)


def huaian_with(text: str, heading: str = "（二）依申请公开情况"):
    """The 淮安 2024 example workbook, with its narrative replaced by one sub-section."""
    report = read_report(HUAIAN)
    report.narrative = Narrative(overview_parts=[(heading, text)], problems="……", other="……")
    return report


def txt(findings):
    return [f for f in findings if f.rule.startswith("TXT-")]


# --- real reports -----------------------------------------------------------------


def test_the_huaian_report_text_matches_its_tables():
    report = read_report(HUAIAN)
    # every figure of its text is read, including 3050 = （七）总计, 34 = 上年结转, 103 = 结转下年度
    quoted = {(m.keys, m.stated) for s in ("", *[h for h, _ in report.narrative.overview_parts])
              for m in read_mentions(dict(report.narrative.overview_parts).get(s, ""), report.form, s)}
    assert {(("new",), 3119), (("results",), 3050), (("carried_over",), 34), (("carried_forward",), 103),
            (("review",), 351), (("review.upheld",), 72), (("suits",), 46), (("suits.upheld",), 25),
            (("suits.pending",), 7)} <= quoted
    assert txt(text_findings(report)) == []


def test_suqian_2024_text_contradicts_table_four():
    findings = txt(text_findings(suqian(2024)))
    got = sorted((f.rule, f.left, f.right, f.delta) for f in findings)
    # 正文：行政复议案件134件，行政诉讼案件57件；表四：复议总计 170，诉讼 25 + 52 = 77
    assert got == [("TXT-CASES", 57, 77, -20), ("TXT-CASES", 134, 170, -36)]
    review = next(f for f in findings if f.left == 134)
    assert "行政复议案件134件" in review.message and "表四" in review.message
    assert [c.key for c in review.cells[1:]] == ["t4.cases.review_total"]
    suits = next(f for f in findings if f.left == 57)
    assert [c.key for c in suits.cells[1:]] == ["t4.cases.direct_suit_total", "t4.cases.suit_after_review_total"]


def test_suqian_2023_text_matches_its_tables_including_shouban_as_new_plus_carried_over():
    report = suqian(2023)
    quoted = {(m.keys[0], m.stated) for m in read_mentions(report.narrative.overview_parts[0][1], report.form)}
    # 收办 3607 = 3511 + 96; 自然人 3493 = 3402 + 91; 法人或其他组织 114 = 109 + 5; 不予公开 142 = eight rows
    assert {("received_all", 3607), ("natural_all", 3493), ("legal_all", 114), ("不予公开", 142),
            ("无法提供", 1078), ("不予处理", 406), ("其他处理", 341), ("carried_forward", 121)} <= quoted
    # the per-office counts in brackets (市政府349件、…) are not table figures
    assert 349 not in {m.stated for m in read_mentions(report.narrative.overview_parts[0][1], report.form)}
    assert txt(text_findings(report)) == []


def test_the_seed_report_text_has_no_table_figures():
    report = read_report(ZHUZHOU)
    assert txt(text_findings(report)) == []  # "91396项", "93.33 %", "提速68%以上", "20余篇" are not read


# --- each rule: failing cases -----------------------------------------------------

# (case, text, rule, stated, table value, a statutory cell the finding must name)
FAILING = [
    ("one-column-as-total", "2024年，全市共受理政府信息公开申请3001件。", "TXT-APPLICATIONS", 3001, 3119, "t3.new.total"),
    ("natural-of-shouban-in-a-shoudao-sentence", "共收到政府信息公开申请3119件，其中自然人申请3035件。",
     "TXT-APPLICATIONS", 3035, 3001, "t3.new.natural"),
    ("withheld-leaves-out-inquiry", "依申请公开方面，不予公开73件。", "TXT-APPLICATIONS", 73, 178, "t3.withheld_inquiry.total"),
    ("answered-leaves-out-other-handling", "本年度答复政府信息公开申请2863件。", "TXT-APPLICATIONS", 2863, 3050,
     "t3.result_total.total"),
    ("shouban-forgets-carried-over", "全年共收办政府信息公开申请案件3119件。", "TXT-APPLICATIONS", 3119, 3153,
     "t3.carried_over.total"),
    ("carried-over", "答复3050件（含上年度结转申请43件，另有103件顺延到下年度答复）。", "TXT-APPLICATIONS", 43, 34,
     "t3.carried_over.total"),
    ("carried-forward-after-number", "答复3050件（含上年度结转申请34件，另有130件顺延到下年度答复）。",
     "TXT-APPLICATIONS", 130, 103, "t3.carried_forward.total"),
    ("granted-and-partial-together", "政府信息公开申请中，予以公开和部分公开共1362件。", "TXT-APPLICATIONS", 1362, 1816,
     "t3.partial.total"),
    ("suits-only-direct", "政府信息公开行政诉讼26件。", "TXT-CASES", 26, 46, "t4.cases.suit_after_review_total"),
    ("review-outcome", "政府信息公开行政复议351件，其中结果维持73件。", "TXT-CASES", 73, 72, "t4.cases.review_upheld"),
    ("suit-outcome-is-both-kinds", "政府信息公开行政诉讼46件，其中结果维持13件。", "TXT-CASES", 13, 25,
     "t4.cases.suit_after_review_upheld"),
    ("in-force-forgets-repealed", "本年制发行政规范性文件8件，现行有效行政规范性文件92件。", "TXT-DOCUMENTS", 92, 66,
     "t2.item1.normative_docs.in_force"),
    ("regulations-issued", "全年制发规章2件。", "TXT-DOCUMENTS", 2, 1, "t2.item1.regulations.issued"),
    ("percent-on-another-base", "予以公开1362件，占收到申请总数的44.7%。", "TXT-PERCENT", Decimal("44.7"), Decimal("43.7"),
     "t3.new.total"),
    ("percent-miscomputed", "本年度办结政府信息公开申请3050件，予以公开1362件（占办结总数的45.7%）。", "TXT-PERCENT",
     Decimal("45.7"), Decimal("44.7"), "t3.granted.total"),
    ("no-applications", "本年度未收到政府信息公开申请。", "TXT-NO-APPLICATIONS", None, 3119, "t3.new.total"),
    ("no-review", "本年度未发生因政府信息公开工作被申请行政复议的情况。", "TXT-NO-CASES", None, 351, "t4.cases.review_total"),
    ("wu-suits", "本机关无政府信息公开行政诉讼。", "TXT-NO-CASES", None, 46, "t4.cases.direct_suit_total"),
]


@pytest.mark.parametrize("text, rule, stated, table, key", [c[1:] for c in FAILING], ids=[c[0] for c in FAILING])
def test_a_contradicting_text_is_flagged_naming_sentence_and_cell(text, rule, stated, table, key):
    findings = txt(text_findings(huaian_with(text)))
    hits = [f for f in findings if f.rule == rule and key in {c.key for c in f.cells}]
    assert len(hits) == 1, [f.message for f in findings]
    (f,) = hits
    assert (f.left, f.right) == (stated, table)
    assert f.severity is Severity.WARNING
    cell = next(c for c in f.cells if c.key == key)
    assert cell.a1.startswith("表") and cell.coord  # e.g. 表三!J5
    named = [c for c in f.cells[1:] if c.a1 in f.message]
    assert named, f.message  # the message names a table cell as 表三!J5
    assert f.cells[0].sheet == "正文" and "依申请公开情况" in f.message  # and the sub-section


def test_no_cases_claim_covers_review_and_suits_in_one_clause():
    report = huaian_with("本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。")
    got = sorted((f.rule, f.right) for f in txt(text_findings(report)))
    assert got == [("TXT-NO-CASES", 46), ("TXT-NO-CASES", 351)]


def test_a_figure_whose_cell_is_blank_is_reported_as_unchecked_not_as_a_match():
    report = huaian_with("全市共受理政府信息公开申请3119件。")
    report.values["t3.new.total"] = BLANK
    (f,) = txt(text_findings(report))
    assert (f.rule, f.severity) == ("TXT-UNCHECKED", Severity.INFO)
    assert "3119" in f.message and "空白" in f.message and f.cells[1].key == "t3.new.total"


# --- each rule: passing cases -----------------------------------------------------

PASSING = [
    ("huaian-sentence", "2024年，全市共受理政府信息公开申请3119件，答复3050件（含上年度结转申请34件，另有103件顺延到下年度答复）。"),
    ("spaces-from-pdf", "全市共受理政府信息公开申请 3119 件，答复 3050 件。"),
    ("full-width-digits", "全市共受理政府信息公开申请３１１９件。"),
    ("not-table-figures", "2024年，市政府网站主动公开各类政府信息5500余条，组织召开新闻发布会12场，制作政策解读21个。"),
    ("approximate", "全年受理政府信息公开申请约3000件，较上年增加200件。"),
    ("year-on-year", "全市全年共收办政府信息公开申请案件3153件，同比增长1.05%。"),
    ("breakdown-by-office", "共收到政府信息公开申请3119件（市政府349件、市各有关部门933件）。"),
    ("shouban-natural", "共收办政府信息公开申请3153件，其中，自然人申请3035件，法人或其他组织申请118件。"),
    ("results-list", ("其中，予以公开1362件、部分公开454件、不予公开178件、无法提供781件、不予处理88件、"
                     "作其他处理（含申请人主动撤回申请）187件、转下年度办理103件。")),
    ("granted-and-partial-together", "政府信息公开申请中，予以公开和部分公开共1816件。"),
    ("respectively-is-not-a-sum", "政府信息公开申请中，予以公开、部分公开分别为1362件、454件。"),
    ("cases-with-outcomes", ("政府信息公开行政复议351件，其中结果维持72件，结果纠正64件，其他结果178件，尚未审结37件；"
                            "政府信息公开行政诉讼46件，其中结果维持25件，结果纠正5件，其他结果9件，尚未审结7件。")),
    ("suit-split-in-brackets", "因政府信息公开工作被提起行政诉讼46件（未经复议直接起诉26件、复议后起诉20件），其中结果维持25件。"),
    ("documents", "本年制发规章1件、废止0件、现行有效11件；制发行政规范性文件8件、废止26件、现行有效66件。"),
    ("new-publication-is-not-issued", "全年新增公开市政府规章1件、市政府及市政府办政策性文件11件。"),
    ("internal-rules", "印发内部规章制度5件。"),
    ("percent-rounded", "本年度办结政府信息公开申请3050件，予以公开1362件（占办结总数的44.7%）。"),
    ("percent-truncated", "本年度办结政府信息公开申请3050件，予以公开1362件，占比44.6%。"),
    ("percent-two-decimals", "本年度办结政府信息公开申请3050件，予以公开1362件，占44.66%。"),
    ("percent-base-named", "予以公开1362件，占新收申请的43.7%。"),
    ("unrelated-percent", "在政务新媒体检查抽查中，合格率均为100%，依申请公开答复率100%。"),
    ("cannot-provide-is-not-a-claim", "依申请公开中无法提供781件，申请人无正当理由大量反复申请0件。"),
    ("no-correction-is-not-no-application", "对逾期未收到补正材料的申请终止办理，另有未收到申请人缴费的情况。"),
    ("pending-is-not-a-negation", "政府信息公开行政复议中尚未审结37件。"),
    ("received-letters-are-not-applications", "全年收到群众来信100件，均按依申请公开程序答复。"),
]


@pytest.mark.parametrize("text", [c[1] for c in PASSING], ids=[c[0] for c in PASSING])
def test_a_text_that_agrees_with_the_tables_passes(text):
    assert txt(text_findings(huaian_with(text))) == []


def test_claims_of_none_pass_when_the_tables_are_zero():
    report = read_report(ZHUZHOU)  # 表三、表四 all 0
    report.narrative = Narrative(overview_intro="本年度未收到政府信息公开申请。未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"
                                                "本机关无政府信息公开行政诉讼。")
    assert txt(text_findings(report)) == []


def test_every_txt_rule_has_a_failing_case_and_warns():
    failing = {c[2] for c in FAILING} | {"TXT-UNCHECKED"}
    assert failing == {r.id for r in TXT_RULES}
    assert all(r.severity is Severity.WARNING for r in TXT_RULES if r.id != "TXT-UNCHECKED")
    assert all("§5.4" in r.basis for r in TXT_RULES if r.id != "TXT-UNCHECKED")


# Pieces real texts are made of, shuffled: reading must never raise, whatever staff type.
_PIECES = ["受理", "政府信息公开申请", "行政复议", "行政诉讼", "其中", "结果维持", "予以公开", "和", "、", "，", "。", "；",
           "（", "）", "(", "3119", "0", "44.7", "件", "%", "占", "办结总数的", "未收到", "无", "规章", "制发", "现行有效",
           "顺延到下年度", "约", "同比", "收办", "自然人", "法人或其他组织", "\n", " ", "３"]


@functools.cache
def huaian_report():
    return read_report(HUAIAN)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40), st.sampled_from(["", "（二）依申请公开", "（一）主动公开"]))
def test_reading_any_text_never_raises(pieces, heading):
    report = dataclasses.replace(huaian_report(), narrative=Narrative(overview_parts=[(heading, "".join(pieces))]))
    for f in text_findings(report):
        assert f.rule.startswith("TXT-") and f.message
