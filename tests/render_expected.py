"""Expected contents of the generated reports, written by hand from the source documents, and
readers that locate a statutory cell in a rendered table by its printed labels.

Sources: tests/fixtures/real-reports/2024_huaian_shi_renmin_zhengfu.txt (淮安市人民政府 2024,
2021 format) and tests/fixtures/real-reports/2020_zhuzhou_xingzheng_shenpi.txt (株洲市行政审批服务局 2020, 2019 format).
Layout: statutory-format.md §3–§4.
"""

from __future__ import annotations

from dataclasses import dataclass

T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
_LEGAL = "申请人情况/法人或其他组织/"
T3_COLUMNS = ["申请人情况/自然人", _LEGAL + "商业企业", _LEGAL + "科研机构", _LEGAL + "社会公益组织",
              _LEGAL + "法律服务机构", _LEGAL + "其他", "申请人情况/总计"]
_OUTCOMES = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
T4_COLUMNS = (["行政复议/" + o for o in _OUTCOMES] + ["行政诉讼/未经复议直接起诉/" + o for o in _OUTCOMES]
              + ["行政诉讼/复议后起诉/" + o for o in _OUTCOMES])

# --- 淮安市人民政府 2024 ------------------------------------------------------------
HUAIAN_T2 = {  # (block, row label) -> {column label: printed value}
    ("第二十条第（一）项", "规章"): {"本年制发件数": "1", "本年废止件数": "0", "现行有效件数": "11"},
    ("第二十条第（一）项", "行政规范性文件"): {"本年制发件数": "8", "本年废止件数": "26", "现行有效件数": "66"},
    ("第二十条第（五）项", "行政许可"): {"本年处理决定数量": "447228"},
    ("第二十条第（六）项", "行政处罚"): {"本年处理决定数量": "3985758"},
    ("第二十条第（六）项", "行政强制"): {"本年处理决定数量": "88283"},
    ("第二十条第（八）项", "行政事业性收费"): {"本年收费金额（单位：万元）": "96171.6"},
}
HUAIAN_T3 = {  # row label -> 自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计
    "一、本年新收政府信息公开申请数量": "3001 53 0 0 61 4 3119",
    "二、上年结转政府信息公开申请数量": "34 0 0 0 0 0 34",
    "（一）予以公开": "1288 21 0 0 50 3 1362",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）": "447 7 0 0 0 0 454",
    "1.属于国家秘密": "2 0 0 0 0 0 2",
    "2.其他法律行政法规禁止公开": "30 1 0 0 0 0 31",
    "3.危及“三安全一稳定”": "5 0 0 0 0 0 5",
    "4.保护第三方合法权益": "6 0 0 0 0 0 6",
    "5.属于三类内部事务信息": "7 1 0 0 0 0 8",
    "6.属于四类过程性信息": "12 0 0 0 0 0 12",
    "7.属于行政执法案卷": "9 0 0 0 0 0 9",
    "8.属于行政查询事项": "105 0 0 0 0 0 105",
    "1.本机关不掌握相关政府信息": "746 12 0 0 10 1 769",
    "2.没有现成信息需要另行制作": "11 0 0 0 0 0 11",
    "3.补正后申请内容仍不明确": "1 0 0 0 0 0 1",
    "1.信访举报投诉类申请": "56 6 0 0 0 0 62",
    "2.重复申请": "25 0 0 0 0 0 25",
    "3.要求提供公开出版物": "0 0 0 0 0 0 0",
    "4.无正当理由大量反复申请": "0 0 0 0 0 0 0",
    "5.要求行政机关确认或重新出具已获取信息": "1 0 0 0 0 0 1",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请": "67 3 0 0 1 0 71",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请": "6 0 0 0 0 0 6",
    "3.其他": "108 2 0 0 0 0 110",
    "（七）总计": "2932 53 0 0 61 4 3050",
    "四、结转下年度继续办理": "103 0 0 0 0 0 103",
}
HUAIAN_T4 = "72 64 178 37 351 13 4 8 1 26 12 1 1 6 20"

# --- 株洲市行政审批服务局 2020 (the seed) --------------------------------------------
SEED_T2 = {
    ("第二十条第（一）项", "规章"): {"本年新制作数量": "0", "本年新公开数量": "0", "对外公开总数量": "0"},
    ("第二十条第（一）项", "规范性文件"): {"本年新制作数量": "0", "本年新公开数量": "0", "对外公开总数量": "0"},
    ("第二十条第（五）项", "行政许可"): {"上一年项目数量": "0", "本年增/减": "0", "处理决定数量": "0"},
    ("第二十条第（五）项", "其他对外管理服务事项"): {"上一年项目数量": "0", "本年增/减": "0", "处理决定数量": "0"},
    ("第二十条第（六）项", "行政处罚"): {"上一年项目数量": "0", "本年增/减": "0", "处理决定数量": "0"},
    ("第二十条第（六）项", "行政强制"): {"上一年项目数量": "0", "本年增/减": "0", "处理决定数量": "0"},
    ("第二十条第（八）项", "行政事业性收费"): {"上一年项目数量": "0", "本年增/减": "0"},
    # printed "115.2万"; the header names no unit, so the cell carries it
    ("第二十条第（九）项", "政府集中采购"): {"采购项目数量": "2", "采购总金额": "115.2万元"},
}
_ZEROS = "0 0 0 0 0 0 0"
SEED_T3 = {label: _ZEROS for label in (
    "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
    "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项",
    "1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确",
    "1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息", "（六）其他处理", "（七）总计", "四、结转下年度继续办理",
)}
SEED_T4 = " ".join(["0"] * 15)
SEED_TITLE = "株洲市行政审批服务局2020年政府信息公开工作年度报告"
SEED_SIGNATURE = ("株洲市行政审批服务局", "2021年1月29日")
SEED_OVERVIEW = [  # (sub-heading, paragraph) as printed in the seed
    ("（一）主动公开各类事项目录",
     "加强政务服务事项标准化规范化建设，先后出台《株洲市政务服务事项标准化建设规范》《株洲市政务服务事项目录》"
     "《株洲市市本级公共服务事项目录》《株洲市行政审批中介服务事项目录清单》《株洲市村（社区）基层公共服务事项及"
     "“帮代办”事项目录》等文件，共梳理引用政务服务事项91396项，并通过门户网站、政务服务网等渠道加大公开力度，"
     "以公开促规范促提升。依申请行政权力事项网办率93.33 %，审批承诺时间较法定时间提速68%以上。"),
    ("（二）主动公开政务服务办事指南",
     "认真落实 “一次告知”制度,线上通过政务服务旗舰店、“诸事达”APP设置“一件事一次办”专栏，线下通过市民中心"
     "各工作窗口主动公开办事指南、操作流程、空白表格、填报模板等办事信息，最大限度利企便民。此外，加强“互联网+"
     "政务服务”建设，完善信息主动推送方式,让办事群众及时掌握办事进展和办理结果。"),
    ("(三)集中公开涉企政策信息",
     "深入落实复工复产、“六稳”“六保”政策兑现要求，开设服务专窗、优化服务模式、上线办事专栏，针对十几个业务部门"
     "的惠企政策逐一明确设定依据、受理条件、办结时限、申报材料、办理流程、受理窗口等15项信息内容，先后汇总编制 "
     "“复工复产”和“六稳六保”政策兑现“一件事一次办”服务指南，为企业群众提供清晰明了的政策指引。"),
    ("（四）加大社会宣传力度",
     "及时向上级部门和各级媒体报送在持续深化“放管服”和“一件事一次办”改革中的株洲特色、亮点和做法，被省级以上"
     "媒体采用相关稿件20余篇，其中，人民网、湖南卫视新闻联播、湖南日报、湖南经视新闻、湖南都市“一时间”对我市实现"
     "APP端“一件事一次办”进行了集中报道；省政府门户网站“我的办证故事”采用稿件6篇。"),
]

HEADINGS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]

# --- merges of the official layout: (printed text, rows spanned, columns spanned) ---------
T3_MERGES_COMMON = [
    (T3_NOTE, 3, 3), ("申请人情况", 1, 7), ("自然人", 2, 1), ("法人或其他组织", 1, 5),
    ("一、本年新收政府信息公开申请数量", 1, 3), ("二、上年结转政府信息公开申请数量", 1, 3),
    ("（一）予以公开", 1, 2), ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1, 2),
    ("（三）不予公开", 8, 1), ("（四）无法提供", 3, 1), ("（五）不予处理", 5, 1), ("（七）总计", 1, 2),
    ("四、结转下年度继续办理", 1, 3),
]
T3_MERGES = {
    "2019": T3_MERGES_COMMON + [("三、本年度办理结果", 20, 1), ("（六）其他处理", 1, 2)],
    "2021": T3_MERGES_COMMON + [("三、本年度办理结果", 22, 1), ("（六）其他处理", 3, 1)],
}
T4_MERGES = [("行政复议", 1, 5), ("行政诉讼", 1, 10), ("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5), ("结果维持", 2, 1)]
T2_MERGES = {
    "2019": [("第二十条第（一）项", 1, 5), ("第二十条第（九）项", 1, 5), ("本年新公开数量", 1, 2),
             ("采购项目数量", 1, 2), ("采购总金额", 1, 2)],
    "2021": [("第二十条第（一）项", 1, 4), ("第二十条第（八）项", 1, 4), ("本年收费金额（单位：万元）", 1, 3),
             ("本年处理决定数量", 1, 3)],
}


@dataclass
class ReadTable:
    """A rendered table read back: grid position -> (text, identity of the covering cell)."""

    cells: dict[tuple[int, int], tuple[str, object]]

    @property
    def nrows(self) -> int:
        return max(r for r, _ in self.cells) + 1

    @property
    def ncols(self) -> int:
        return max(c for _, c in self.cells) + 1

    def text(self, r: int, c: int) -> str:
        return self.cells[(r, c)][0]

    def span(self, text: str) -> tuple[int, int]:
        """(rows, columns) covered by the first cell printing `text`."""
        ident = next(i for t, i in self.cells.values() if t == text)
        positions = [p for p, (_, i) in self.cells.items() if i is ident]
        rows = {r for r, _ in positions}
        cols = {c for _, c in positions}
        assert len(positions) == len(rows) * len(cols), text  # a rectangle
        return len(rows), len(cols)

    def distinct(self, positions) -> list[str]:
        out, seen = [], []
        for p in positions:
            text, ident = self.cells[p]
            if not any(ident is s for s in seen):
                seen.append(ident)
                out.append(text)
        return out

    def cross_values(self, head: int, stub: int) -> dict[tuple[str, str], str]:
        """表三/表四: (row label, column header path) -> value text."""
        out = {}
        for r in range(head, self.nrows):
            label = self.text(r, stub - 1) if stub else ""
            for c in range(stub, self.ncols):
                path = "/".join(self.distinct((h, c) for h in range(head)))
                out[(label, path)] = self.text(r, c)
        return out

    def block_values(self) -> dict[tuple[str, str], dict[str, str]]:
        """表二: (block title, row label) -> {column label: value text}."""
        out: dict = {}
        block, columns = "", []
        for r in range(self.nrows):
            first = self.cells[(r, 0)][1]
            if all(self.cells[(r, c)][1] is first for c in range(self.ncols)):
                block = self.text(r, 0)
            elif self.text(r, 0) == "信息内容":
                columns = []
                for c in range(1, self.ncols):
                    if not columns or self.cells[(r, c)][1] is not self.cells[(r, c - 1)][1]:
                        columns.append((self.text(r, c), c))
            else:
                out[(block, self.text(r, 0))] = {label: self.text(r, c) for label, c in columns}
        return out


def t3_expected(rows: dict[str, str]) -> dict[tuple[str, str], str]:
    return {(label, col): v for label, values in rows.items() for col, v in zip(T3_COLUMNS, values.split(), strict=True)}


def t4_expected(values: str) -> dict[tuple[str, str], str]:
    return {("", col): v for col, v in zip(T4_COLUMNS, values.split(), strict=True)}
