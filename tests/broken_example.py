"""The 2024 淮安 example with three cells broken the way staff break them, and what the ribbon must show.

Numbers from tests/fixtures/real-reports/2024_huaian_shi_renmin_zhengfu.txt:
表三 自然人 新收 3001 (D5), 上年结转 34 (D6), 办理结果总计 2932 (D28), 结转下年度 103 (D29);
新收 row 3001 53 0 0 61 4, 总计 3119 (J5); 表四 行政复议 72 64 178 37, 总计 351 (B5:F5); 表二 规章 制发 1 (B4).
"""

from __future__ import annotations

from pathlib import Path

from workbooks import HUAIAN, edited

ERROR, WARNING = "#FFC7CE", "#FFEB9C"

# 新收 自然人 3001 → 3002 (typo); 行政复议 结果维持 72 → blank; 规章 制发 1 → "1件" (text).
BREAKS = {"XR_T3_NEW_NATURAL": 3002, "XR_T4_CASES_REVIEW_UPHELD": None, "XR_T2_ITEM1_REGULATIONS_ISSUED": "1件"}

FLOW = "表三「自然人」列（表三!D5）：本年新收+上年结转 = 3036，办理结果总计+结转下年度 = 3035，相差 1"
ROW_SUM = "表三「一、本年新收政府信息公开申请数量」行（表三!J5）：总计 = 3119，自然人与法人或其他组织各项之和 = 3120，相差 1"
BLANK = "表四!B5（表四/案件数量/行政复议·结果维持）为空。没有发生的请填 0，不要留空"
TEXT = "表二!B4（表二/第二十条第（一）项·规章/本年制发件数）填写的是文本“1件”，已按数字 1 读取（去掉了单位“件”）。请改为直接填写数字"
UNCHECKED = "表四「行政复议」（表四!F5）：表四!B5 不是数字，“表四总计”未能核对"
# The 淮安 text (一、总体情况（二）, 正文!C6) quotes 行政复议 结果维持 72 件: with B5 blank it cannot be compared.
TEXT_UNCHECKED = (
    "正文!C6「一、总体情况·（二）依申请公开情况」“其中结果维持72件”：正文写行政复议结果维持 72 件，"
    "但 表四!B5（空白） 不是数字，未能核对"
)

P = "【xlreport】"
# (sheet, row, col) → (fill, note) of every marked cell
MARKS = {
    ("表三", 5, 4): (ERROR, P + FLOW + "\n涉及单元格：表三!D6、表三!D28、表三!D29"),
    ("表三", 5, 10): (ERROR, P + ROW_SUM + "\n涉及单元格：表三!D5、表三!E5、表三!F5、表三!G5、表三!H5、表三!I5"),
    ("表四", 5, 2): (ERROR, P + BLANK),
    ("表二", 4, 2): (WARNING, P + TEXT),
}

# 校验结果: rule, level, message, then the cells (sheet, coord) each finding names; errors first.
RESULTS = [
    ("CELL-BLANK", "错误", BLANK, [("表四", "B5")]),
    ("T3-ROW-SUM", "错误", ROW_SUM, [("表三", c) for c in ("J5", "D5", "E5", "F5", "G5", "H5", "I5")]),
    ("T3-FLOW", "错误", FLOW, [("表三", c) for c in ("D5", "D6", "D28", "D29")]),
    ("CELL-TEXT-NUMBER", "警告", TEXT, [("表二", "B4")]),
    ("SUM-UNCHECKED", "提示", UNCHECKED, [("表四", c) for c in ("F5", "B5", "C5", "D5", "E5")]),
    ("TXT-UNCHECKED", "提示", TEXT_UNCHECKED, [("正文", "C6"), ("表四", "B5")]),
]

ALERT = "3 个错误、1 个警告。问题单元格已标色并加批注，详见“校验结果”工作表。\n另有 2 条提示（含空白或文本的勾稽关系未能核对）。"

# After 表三!D5 is corrected back to 3001: the blank and the text cell remain.
MARKS_AFTER_FIX = {k: MARKS[k] for k in (("表四", 5, 2), ("表二", 4, 2))}
ALERT_AFTER_FIX = "1 个错误、1 个警告。问题单元格已标色并加批注，详见“校验结果”工作表。\n另有 2 条提示（含空白或文本的勾稽关系未能核对）。"


def broken_copy(tmp: Path) -> Path:
    return edited(HUAIAN, tmp / "broken.xlsx", **BREAKS)
