"""Narrative drafting: the figures are the cells' (written here by hand from the source
documents), blanks are never 0, typed text is never touched, and drafts pass the TXT checks."""

from __future__ import annotations

import random
from decimal import Decimal

import openpyxl
import pytest
from conftest import FORMS, consistent_numbers, make_report
from test_textcheck import suqian
from workbooks import HUAIAN, ZHUZHOU, copy

from xlreport.commands import Parser
from xlreport.commands import draft as draft_command
from xlreport.model import BLANK, Narrative, interpret
from xlreport.narrative.draft import draft_narrative, part_heading, part_target, percent
from xlreport.narrative.textcheck import text_findings
from xlreport.workbook import names
from xlreport.workbook.reader import read_report
from xlreport.workbook.safezip import ReadError
from xlreport.workbook.writer import write_cells

INTRO, OTHER = names.NARR_OVERVIEW_INTRO, names.NARR_OTHER
DISCLOSURE, REQUESTS = part_target("（一）主动公开情况"), part_target("（二）依申请公开情况")


def emptied(report):
    """The report with its narrative texts cleared and the sub-headings kept, as a fresh workbook has them."""
    n = report.narrative
    report.narrative = Narrative(overview_parts=[(h, "") for h, _ in n.overview_parts], problems=n.problems,
                                 fee_amount=n.fee_amount, fee_count=n.fee_count)
    return report


def txt(findings):
    return [f for f in findings if f.rule.startswith("TXT-")]


# --- what the draft says ----------------------------------------------------------

# 淮安市人民政府 2024, every figure as printed in the document's tables (sums done by hand:
# 法人或其他组织 53+0+0+61+4 = 118; 不予公开 2+31+5+6+8+12+9+105 = 178; 无法提供 769+11+1 = 781;
# 不予处理 62+25+0+0+1 = 88; 其他处理 71+6+110 = 187; 1362/3050 = 44.66% → 44.7; 454/3050 = 14.89% → 14.9;
# 行政诉讼 26+20 = 46, 结果维持 13+12, 结果纠正 4+1, 其他结果 8+1, 尚未审结 1+6).
HUAIAN_DRAFT = {
    DISCLOSURE: [
        "2024年，本机关制发规章1件、废止0件、现行有效11件；制发行政规范性文件8件、废止26件、现行有效66件。",
        "行政许可处理决定447228件；行政处罚处理决定3985758件；行政强制处理决定88283件；行政事业性收费本年收费金额96171.6万元。",
    ],
    REQUESTS: [
        "本年新收政府信息公开申请3119件，其中自然人3001件、法人或其他组织118件；上年结转政府信息公开申请34件。",
        ("本年度办结政府信息公开申请3050件，办理结果分别为：予以公开1362件（占办结总数的44.7%）、"
        "部分公开454件（占办结总数的14.9%）、不予公开178件、无法提供781件、不予处理88件、其他处理187件；"
        "结转下年度继续办理103件。"),
        "本年度因政府信息公开工作被申请行政复议351件，其中结果维持72件、结果纠正64件、其他结果178件、尚未审结37件；",
        "被提起行政诉讼46件（未经复议直接起诉26件、复议后起诉20件），其中结果维持25件、结果纠正5件、其他结果9件、尚未审结7件。",
    ],
    INTRO: ["2024年，淮安市人民政府按照《中华人民共和国政府信息公开条例》要求"],
    OTHER: ["收取信息处理费3940元。"],
}


def test_the_huaian_draft_says_what_the_tables_say():
    drafts = draft_narrative(emptied(read_report(HUAIAN)))
    assert set(drafts) == set(HUAIAN_DRAFT)
    for target, pieces in HUAIAN_DRAFT.items():
        for piece in pieces:
            assert piece in drafts[target], (target, drafts[target])
    assert "【待补充" not in "".join(drafts.values())


def test_the_seed_draft_in_the_2019_format():
    report = read_report(ZHUZHOU)  # its 一、总体情况 sub-sections are typed and have no 依申请公开 one
    notes = []
    drafts = draft_narrative(report, notes)
    assert set(drafts) == {INTRO}  # 六 needs the fee, which the seed does not give
    intro = drafts[INTRO]
    assert intro.startswith("2020年，株洲市行政审批服务局")
    assert "本年度未收到政府信息公开申请，无上年结转的申请。" in intro
    assert "本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。" in intro
    assert any("信息处理费金额" in n and "空白" in n for n in notes)

    drafts = draft_narrative(emptied(report))
    part = drafts[part_target("（一）主动公开各类事项目录")]
    assert "新制作规章0件、新公开0件、对外公开总数0件" in part
    assert "行政许可上一年项目数量0项、本年无增减、处理决定0件" in part
    assert "政府集中采购项目2个、采购总金额115.2万元。" in part


def test_a_2019_change_is_written_as_increase_or_decrease():
    report = read_report(ZHUZHOU)
    report.values["t2.item6.penalty.change"] = interpret(-18)
    report.values["t2.item5.licensing.change"] = interpret(3)
    part = draft_narrative(emptied(report))[part_target("（一）主动公开各类事项目录")]
    assert "行政处罚上一年项目数量0项、本年减少18项" in part
    assert "行政许可上一年项目数量0项、本年增加3项" in part


@pytest.mark.parametrize("build", [lambda: read_report(HUAIAN), lambda: read_report(ZHUZHOU), lambda: suqian(2024)],
                         ids=["huaian", "seed", "suqian-2024"])
def test_drafted_text_passes_the_text_checks(build):
    report = emptied(build())
    drafts = draft_narrative(report)
    parts = [(h, drafts.get(part_target(h), "")) for h, _ in report.narrative.overview_parts]
    report.narrative = Narrative(overview_intro=drafts.get(INTRO, ""), overview_parts=parts, other=drafts.get(OTHER, ""))
    assert txt(text_findings(report)) == []
    assert sum(len(t) for t in drafts.values()) > 200  # the texts were really checked


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.version)
def test_drafts_from_any_consistent_tables_pass_the_text_checks(form, seed):
    rng = random.Random(seed)
    numbers = consistent_numbers(form, lambda: rng.choice((0, rng.randint(0, 9), rng.randint(0, 5000))))
    report = make_report(form, numbers, narrative=Narrative(overview_parts=[(h, "") for h in form.overview_parts]))
    drafts = draft_narrative(report)
    report.narrative = Narrative(overview_intro=drafts[INTRO],
                                 overview_parts=[(h, drafts.get(part_target(h), "")) for h in form.overview_parts])
    assert txt(text_findings(report)) == []


def test_a_blank_cell_leaves_its_sentence_out_and_says_so():
    report = emptied(read_report(HUAIAN))
    report.values["t3.partial.total"] = BLANK
    report.values["t4.cases.review_total"] = interpret("无")
    text = draft_narrative(report)[REQUESTS]
    assert "部分公开" not in text.split("【")[0]  # never "部分公开0件"
    assert "行政复议" not in text.split("【")[0]
    assert "予以公开1362件（占办结总数的44.7%）" in text  # the rest is still there
    assert "【待补充：表三!J8（表三/（二）部分公开（区分处理的，只计这一情形，不计其他情形）/总计）为空白" in text
    assert "表四!F5（表四/案件数量/行政复议·总计）为“无”" in text
    report.narrative = Narrative(overview_parts=[("（二）依申请公开情况", text)])
    assert txt(text_findings(report)) == []  # what is left out is not quoted, so nothing is unchecked either


def test_a_part_whose_cells_are_all_blank_is_not_drafted_so_a_later_draft_can_fill_it():
    report = emptied(read_report(HUAIAN))
    for key in list(report.values):
        if key.startswith(("t3.", "t4.")):
            report.values[key] = BLANK
    notes = []
    drafts = draft_narrative(report, notes)
    assert REQUESTS not in drafts and DISCLOSURE in drafts
    assert notes == ["依申请公开：表三、表四还没有填写数字，暂不起草；填写后可再次运行"]


@pytest.mark.parametrize("part, base, expected", [(1, 16, "6.3"), (1, 3, "33.3"), (2, 3, "66.7"), (1362, 3050, "44.7"),
                                                  (454, 3050, "14.9"), (5, 5, "100.0")])
def test_percentages_are_one_decimal_rounded_half_up(part, base, expected):
    assert percent(Decimal(part), Decimal(base)) == expected


def test_a_percentage_names_its_base_and_is_rounded_half_up_in_the_text():
    report = emptied(read_report(HUAIAN))
    report.values["t3.granted.total"] = interpret(1)
    report.values["t3.result_total.total"] = interpret(16)
    assert "予以公开1件（占办结总数的6.3%）" in draft_narrative(report)[REQUESTS]  # half-even would say 6.2


def test_no_percentage_of_zero_results():
    report = emptied(read_report(ZHUZHOU))
    report.values["t3.carried_over.total"] = interpret(2)  # not all zero: the long form, with 办结 0
    text = draft_narrative(report)[INTRO]  # the seed has no 依申请公开 sub-section
    assert "本年度办结政府信息公开申请0件" in text and "%" not in text


def test_cases_when_only_suits_happened():
    report = emptied(read_report(HUAIAN))
    for key in ("review_upheld", "review_corrected", "review_other", "review_pending", "review_total"):
        report.values[f"t4.cases.{key}"] = interpret(0)
    text = draft_narrative(report)[REQUESTS]
    assert "本年度未发生因政府信息公开工作被申请行政复议的情况；本年度因政府信息公开工作被提起行政诉讼46件" in text


@pytest.mark.parametrize("amount, count, expected", [
    (0, 0, "2024年，本机关未收取政府信息公开信息处理费。"),
    (2230, 3, "2024年，本机关依据《政府信息公开信息处理费管理办法》，对3件政府信息公开申请收取信息处理费2230元。"),
    (3940, None, "2024年，本机关依据《政府信息公开信息处理费管理办法》，收取信息处理费3940元。"),
])
def test_the_fee_paragraph(amount, count, expected):
    report = emptied(read_report(HUAIAN))
    report.narrative.fee_amount, report.narrative.fee_count = interpret(amount, "元"), interpret(count)
    assert draft_narrative(report)[OTHER] == expected


def test_typed_text_is_never_a_target():
    report = read_report(HUAIAN)  # every narrative cell typed
    assert draft_narrative(report) == {}
    report.narrative.overview_intro = ""
    assert set(draft_narrative(report)) == {INTRO}
    assert "3119" not in draft_narrative(report)[INTRO]  # 依申请公开 has its own typed sub-section


def test_part_targets_round_trip():
    assert part_heading(part_target("（二）依申请公开情况")) == "（二）依申请公开情况"
    assert part_heading(INTRO) is None


# --- on files ---------------------------------------------------------------------


def blank_narrative_copy(tmp_path, src=HUAIAN):
    """A copy of the workbook whose narrative cells were never filled: sub-headings kept."""
    wb = openpyxl.load_workbook(src)
    for name in (INTRO, OTHER):
        sheet, coord = next(iter(wb.defined_names[name].destinations))
        wb[sheet][coord.replace("$", "")].value = None
    sheet, ref = next(iter(wb.defined_names[names.NARR_OVERVIEW_PARTS].destinations))
    for heading, body in wb[sheet][ref.replace("$", "")]:
        body.value = None
    path = tmp_path / "年报.xlsx"
    wb.save(path)
    return path


def cells(path):
    wb = openpyxl.load_workbook(path)
    return {(ws.title, c.coordinate): c.value for ws in wb for row in ws.iter_rows() for c in row}


def run_cli(*argv):
    parser = Parser(prog="xlreport")
    draft_command.register(parser.add_subparsers(dest="command", parser_class=Parser))
    args = parser.parse_args(["draft", *map(str, argv)])
    return args.run(args)


def test_draft_fills_only_empty_cells_and_changes_nothing_else(tmp_path, capsys):
    path = blank_narrative_copy(tmp_path)
    before, original = cells(path), path.read_bytes()
    assert run_cli(path) == 0
    after = cells(path)
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert changed == {("正文", "B3"), ("正文", "C5"), ("正文", "C6"), ("正文", "B19")}
    assert all(before.get(k) is None for k in changed)
    assert after[("正文", "C6")].startswith("本年新收政府信息公开申请3119件")
    out = capsys.readouterr().out
    assert "已为 4 处空白正文起草初稿" in out and "正文!C6  一、总体情况·（二）依申请公开情况" in out
    (saved,) = tmp_path.glob("年报.备份-*.xlsx")
    assert saved.read_bytes() == original
    report = read_report(path)  # read back: the drafts are the narrative, and they match the tables
    assert report.narrative.other == "2024年，本机关依据《政府信息公开信息处理费管理办法》，收取信息处理费3940元。"
    assert txt(text_findings(report)) == []


def test_drafting_again_changes_nothing(tmp_path, capsys):
    path = blank_narrative_copy(tmp_path)
    assert run_cli(path) == 0
    once = path.read_bytes()
    assert run_cli(path) == 0
    assert path.read_bytes() == once
    assert len(list(tmp_path.glob("*备份*"))) == 1
    assert "没有需要起草的空白正文单元格，工作簿未改动" in capsys.readouterr().out


def test_typed_text_in_a_file_is_kept(tmp_path):
    path = blank_narrative_copy(tmp_path)
    wb = openpyxl.load_workbook(path)
    wb["正文"]["B3"] = "我们自己写的导语。"
    wb["正文"]["C6"] = "  "  # only spaces: empty
    wb.save(path)
    assert run_cli(path) == 0
    after = cells(path)
    assert after[("正文", "B3")] == "我们自己写的导语。"
    assert after[("正文", "C6")].startswith("本年新收")


def test_output_option_leaves_the_input_alone(tmp_path):
    path = blank_narrative_copy(tmp_path)
    original = path.read_bytes()
    out = tmp_path / "草稿.xlsx"
    assert run_cli(path, "-o", out) == 0
    assert path.read_bytes() == original and not list(tmp_path.glob("*备份*"))
    assert cells(out)[("正文", "C5")].startswith("2024年，本机关制发规章1件")
    assert run_cli(path, "-o", out) == 2  # never overwrites an existing file


def test_the_writer_refuses_a_cell_that_holds_something(tmp_path):
    path = copy(HUAIAN, tmp_path / "h.xlsx")
    dst = tmp_path / "out.xlsx"
    with pytest.raises(ReadError, match="正文!B3 已有内容"):
        write_cells(path, dst, {("正文", 3, 2): "草稿"}, only_empty=True)
    assert not dst.exists()


@pytest.mark.parametrize("make, message", [
    (lambda d: d / "没有.xlsx", "找不到文件"),
    (lambda d: (d / "a.xlsx").write_text("not a workbook") and d / "a.xlsx", "不是 Excel 工作簿"),
    (lambda d: (d / "z.xlsx").write_bytes(b"PK\x03\x04broken") and d / "z.xlsx", "已损坏"),
])
def test_an_unreadable_file_exits_2_with_a_chinese_message(tmp_path, capsys, make, message):
    assert run_cli(make(tmp_path)) == 2
    assert message in capsys.readouterr().err
