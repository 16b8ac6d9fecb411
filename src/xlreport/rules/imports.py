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
        "IMPORT-LABEL", W, "标签与格式不一致",
        "统计表标签应与格式完全一致；已公开年报中有错字、简写（statutory-format.md §5.5）",
        "{where}{table}标签「{label}」与格式标签「{declared}」不一致，已按格式标签导入",
    ),
)
