"""Import findings as rule data: what a published report held that could not be placed.

Message fields besides those of rules.catalog.finding: {where} the place in the source
(原文第148行), {table} 表三, {label} the row label as printed, {values} what the row held.
"""

from __future__ import annotations

from .findings import Rule, Severity

E, W = Severity.ERROR, Severity.WARNING

IMPORT_RULES: tuple[Rule, ...] = (
    Rule(
        "IMPORT-TITLE", W, "未识别标题",
        "标题应为“<机关名称><年份>年政府信息公开工作年度报告”（statutory-format.md §8）",
        "未能从标题识别{what}，请在工作簿“封面”中填写{what}",
    ),
    Rule(
        "IMPORT-VERSION", W, "表格格式与年度不符",
        "2019、2020 年度用国办公开办函〔2019〕60号格式，2021 年度起用〔2021〕30号格式；"
        "已公开年报中有混用的（statutory-format.md §5.5）",
        "{problem}，已按{document}格式导入",
    ),
    Rule(
        "IMPORT-TABLE-MISSING", E, "未找到统计表",
        "年报必须包含表二、表三、表四（《条例》第五十条；statutory-format.md §5.5）",
        "原文中未找到{table}（{heading}），{table}各单元格留空",
    ),
    Rule(
        "IMPORT-ROW-MISSING", E, "统计表缺行",
        "统计表的每一行都应按格式列出，即使数值为 0",
        "{table}「{label}」一行在原文中未找到，该行单元格留空",
    ),
    Rule(
        "IMPORT-UNPLACED", E, "数值无法对应",
        "导入不丢弃任何数值：对应不上统计表单元格的数值逐条报告",
        "{where}{table}「{label}」的数值 {values} 无法对应到{table}的任何一行，未导入",
    ),
    Rule(
        "IMPORT-DUPLICATE", E, "重复的行",
        "统计表每一行只出现一次",
        "{where}{table}「{label}」与{first}重复，已采用前者的数值，本行数值 {values} 未导入",
    ),
    Rule(
        "IMPORT-VALUE-COUNT", E, "数值个数不符",
        "每一行的数值个数应等于该行的列数（空白单元格也占一列）",
        "{where}{table}「{label}」有 {count} 个数值（{values}），该行应有 {expected} 个，无法确定对应的列，未导入",
    ),
    Rule(
        "IMPORT-BLANK-INFERRED", W, "按列位置判断空白",
        "排版文本（PDF 转换）中空白单元格没有占位，只能按数值所在的列位置判断",
        "{where}{table}「{label}」只有 {count} 个数值，按列位置判断{blanks}为空白",
    ),
    Rule(
        "IMPORT-AMBIGUOUS", E, "连在一起的数字拆分不唯一",
        "网页文本中一行的数字可能连在一起（如“452000047”）。拆分只依据格式保证的关系：表三横向总计、"
        "收办平衡、办理结果总计，表四总计，各列能否为负数、带小数，以及正文引用的同一数字；"
        "不止一种拆分成立时不猜测，只导入各种拆分都相同的单元格",
        "{where}{table}「{label}」的数字「{digits}」{alternatives}；{outcome}，请对照原文填写",
    ),
    Rule(
        "IMPORT-SPLIT-GUESSED", W, "连在一起的数字按最接近的拆分导入",
        "报告本身的数字不满足勾稽关系时，没有一种拆分能使勾稽关系全部成立：取违反的勾稽关系最少、"
        "差额合计最小的拆分（唯一时），校验照常报告不成立的勾稽关系，错误不因拆分而被掩盖",
        "{where}{table}「{label}」的数字「{digits}」无论怎样拆分都不能使勾稽关系全部成立，已按最接近的拆分导入："
        "{split}（违反的勾稽关系最少、差额最小）；请对照原文核对",
    ),
    Rule(
        "IMPORT-SPLIT-NARRATIVE", W, "连在一起的数字按正文引用拆分",
        "表二没有勾稽关系：一行的数字连在一起时，用正文引用的同一数字（如“现行有效行政规范性文件2710件”）"
        "在可能的拆分中选择；正文与表格本身不一致时拆分也会错，故提示核对",
        "{where}{table}「{label}」的数字「{digits}」可以拆成 {count} 种数值，按正文{quotes}取 {split}；请对照原文核对",
    ),
    Rule(
        "IMPORT-LABEL", W, "标签与格式不一致",
        "统计表标签应与格式完全一致；已公开年报中有错字、简写（statutory-format.md §5.5）",
        "{where}{table}标签「{label}」与格式标签「{declared}」不一致，已按格式标签导入",
    ),
)
