"""Every rule as data: id, severity, the format text it enforces, a Chinese message template.

Message fields: {cell} 表三!D12, {name} 表/行/列, {scope} the line an identity is about,
{left} {right} {delta} both sides and their difference, plus rule-specific fields.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..forms.statutory import T3_NOTE
from ..model import format_number
from .crossyear import REPEAT_SHARE_PERCENT
from .findings import CellRef, Finding, Rule, Severity

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

# Single-workbook rules (statutory-format.md §5.1, §5.2, §5.5). Rule families that
# live in their own modules (text-vs-table, cross-year) are appended to RULES below.
CORE_RULES: tuple[Rule, ...] = (
    Rule(
        "T3-FLOW", E, "表三收办平衡",
        f"表三表头：{T3_NOTE}（statutory-format.md §5.1 R1）",
        "{scope}（{cell}）：本年新收+上年结转 = {left}，办理结果总计+结转下年度 = {right}，相差 {delta}",
    ),
    Rule(
        "T3-RESULT-SUM", E, "表三办理结果总计",
        "（七）总计是本年度办理结果（一）至（六）各项之和；部分公开“只计这一情形，不计其他情形”（§5.2 R2）",
        "{scope}（{cell}）：（七）总计 = {left}，（一）至（六）各项之和 = {right}，相差 {delta}",
    ),
    Rule(
        "T3-ROW-SUM", E, "表三横向总计",
        "“总计”列是自然人与法人或其他组织各列之和（§5.2 R3）",
        "{scope}（{cell}）：总计 = {left}，自然人与法人或其他组织各项之和 = {right}，相差 {delta}",
    ),
    Rule(
        "T4-SUM", E, "表四总计",
        "行政复议、未经复议直接起诉、复议后起诉各自的“总计”是结果维持、结果纠正、其他结果、尚未审结之和（§5.2 R4）",
        "{scope}（{cell}）：总计 = {left}，结果维持、结果纠正、其他结果、尚未审结之和 = {right}，相差 {delta}",
    ),
    Rule(
        "SUM-UNCHECKED", I, "勾稽关系未能核对",
        "空白或文本单元格不能参与求和，含有它们的勾稽关系既不算通过也不算违反",
        "{scope}（{cell}）：{parts} 不是数字，“{rule_title}”未能核对",
    ),
    Rule(
        "FILL-SKIPPED", W, "合计未填充",
        "合计只由全部为数字的组成项计算；组成项有空白或文本时不猜测，保留原值",
        "{cell}（{name}）未填充：{parts} 不是数字",
    ),
    Rule(
        "CELL-BLANK", E, "单元格为空",
        "统计表每个单元格都应填写数字；空白不等于 0（§5.5）",
        "{cell}（{name}）为空。没有发生的请填 0，不要留空",
    ),
    Rule(
        "TOTAL-BLANK", E, "合计为空",
        "合计单元格必须有值；空白的总计是已公开年报中的常见错误（§5.5）",
        "{cell}（{name}）是合计单元格，目前为空。请点击“填充合计”（或运行 xlreport fill）",
    ),
    Rule(
        "CELL-TEXT", E, "单元格不是数字",
        "统计表单元格应为数字；“无”“/”“—”不是数字（§5.2 R5、§5.5）",
        "{cell}（{name}）填写的是文本{value}，应填{domain}。没有发生的请填 0",
    ),
    Rule(
        "CELL-TEXT-NUMBER", W, "文本按数字读取",
        "数字存成文本、全角数字或带单位的数字，不能参与 Excel 求和；已按数字读取并提示",
        "{cell}（{name}）填写的是文本{value}，已按数字 {number} 读取（{how}）。请改为直接填写数字",
    ),
    Rule(
        "CELL-NEGATIVE", E, "负数",
        "表三、表四和表二的件数都是非负整数；只有 2019 年格式表二的“本年增/减”可为负（§5.2 R5）",
        "{cell}（{name}）为负数 {number}，应填{domain}",
    ),
    Rule(
        "CELL-NOT-INTEGER", E, "件数不是整数",
        "件数、项目数是整数；只有万元金额可带小数（§5.2 R5）",
        "{cell}（{name}）为 {number}，应填整数",
    ),
    Rule(
        "FORM-VERSION", E, "格式版本与年度不符",
        "2019、2020 年度报告使用国办公开办函〔2019〕60号格式，2021 年度起使用〔2021〕30号格式（§1、§5.5）",
        "报告年度为 {year} 年，应使用{expected}格式；本工作簿的统计表按{actual}格式制作。"
        "请用“xlreport new --year {year}”新建工作簿后转抄数据",
    ),
    Rule(
        "COVER-YEAR", E, "报告年度无效",
        "报告年度决定格式版本和统计期限",
        "{cell}（报告年度）{problem}：应填写 2019 年以后的四位年份，如 2025",
    ),
    Rule(
        "COVER-REQUIRED", E, "封面必填项为空",
        "报告标题和落款需要机关名称",
        "{cell}（{name}）为空，报告标题和落款需要它",
    ),
    Rule(
        "DATE-LATE", W, "逾期发布",
        "《条例》第四十九条：县级以上人民政府部门每年1月31日前、县级以上地方人民政府每年3月31日前公布上一年度年报"
        "（statutory-format.md §1、§5.6）；考评对“未及时发布”扣分",
        "{cell}（{name}）为 {date}，晚于{level}的发布期限 {deadline}，逾期 {days} 天{notes}",
    ),
    Rule(
        "DATE-INVALID", W, "成文（发布）日期无效",
        "判断是否按时发布需要成文日期（已发布的，发布日期），且应在报告年度的次年（§5.6）",
        "{cell}（{name}）{problem}",
    ),
    Rule(
        "NAME-MISSING", E, "工作簿结构被改动",
        "程序按名称定位单元格；名称缺失或指向已删除的单元格时无法读取",
        "工作簿缺少名称 {defined_name}（{name}），或它指向已删除的单元格，无法读取。"
        "可能删除了行、列或工作表；请用 xlreport new 生成新工作簿并转抄数据",
    ),
    Rule(
        "META-MISSING", W, "未记录格式版本",
        "工作簿应记录它所用的格式版本",
        "工作簿没有记录格式版本，已按{how}判断为{document}格式",
    ),
    Rule(
        "NARRATIVE-EMPTY", W, "正文部分为空",
        "报告内容“严格按照《条例》第五十条的规定确定，不能遗漏”（国办公开办函〔2021〕30号）",
        "{cell}：正文「{section}」为空",
    ),
    Rule(
        "NARRATIVE-REPEATED", W, "正文各部分内容重复",
        "报告内容“不能遗漏，也不宜泛化”（国办公开办函〔2021〕30号）：一个部分的大半文字照搬本报告的另一部分"
        "（如“五”重复“一”），这一部分等于没有写。与 X-COPIED 同样按字数计算，"
        f"同样从 {REPEAT_SHARE_PERCENT}% 起提醒；另立规则，因为不需要上年报告，每次校验都做，改法也不同",
        "{cell}「{section}」有 {share}% 的文字与本报告{others}相同：{examples}。请写明这一部分自己的内容",
    ),
)

# The other families, each in a module of its own.
from .crossyear import CROSS_YEAR_RULES  # noqa: E402
from .imports import IMPORT_RULES  # noqa: E402
from .text import TXT_RULES  # noqa: E402

RULES: tuple[Rule, ...] = CORE_RULES + TXT_RULES + CROSS_YEAR_RULES + IMPORT_RULES
RULES_BY_ID = {r.id: r for r in RULES}


def rules_markdown() -> str:
    """The rule list for the README, generated from the declarations above."""
    lines = ["| 规则 | 级别 | 名称 | 依据 |", "|---|---|---|---|"]
    for r in RULES:
        lines.append(f"| `{r.id}` | {r.severity.label} | {r.title} | {r.basis.replace('|', '｜')} |")
    return "\n".join(lines) + "\n"


def finding(rule_id: str, cells: Iterable[CellRef] = (), left=None, right=None, **fields) -> Finding:
    """Build a finding from the rule's declared severity and message template.

    Plain data: the reader and the importers make findings with this, without the checks.
    """
    rule = RULES_BY_ID[rule_id]
    cells = tuple(cells)
    delta = left - right if left is not None and right is not None else None
    first = cells[0] if cells else None
    fields.setdefault("rule_title", rule.title)
    text = rule.message.format(
        cell=first.a1 if first else "",
        name=first.name if first else "",
        left=format_number(left),
        right=format_number(right),
        delta=format_number(abs(delta)) if delta is not None else "—",
        **fields,
    )
    return Finding(rule.id, rule.severity, text, cells, left, right, delta)
