"""Text-vs-table rules (TXT-*) as data; narrative/textcheck.py evaluates them."""

from __future__ import annotations

from .findings import Rule, Severity

_BASIS = "statutory-format.md §5.4：正文中引用的数字（受理、办结、结转、各类办理结果、行政复议和行政诉讼件数、规范性文件件数、百分比）应与统计表一致；"
_WHERE = "{cell}「{section}」“{sentence}”："

TXT_RULES: tuple[Rule, ...] = (
    Rule(
        "TXT-APPLICATIONS", Severity.WARNING, "正文申请件数与表三不符",
        _BASIS + "已公开年报常见错误：只引用一列（如把自然人件数当作收到申请总数）、总数漏掉一项",
        _WHERE + "正文写{what} {left} 件，{source}为 {right} 件，相差 {delta}",
    ),
    Rule(
        "TXT-CASES", Severity.WARNING, "正文行政复议、行政诉讼件数与表四不符",
        _BASIS + "如宿迁市 2024 年报正文写复议 134 件、诉讼 57 件，表四为 170 件、77 件；"
        "行政诉讼件数 = 未经复议直接起诉总计 + 复议后起诉总计",
        _WHERE + "正文写{what} {left} 件，{source}为 {right} 件，相差 {delta}",
    ),
    Rule(
        "TXT-DOCUMENTS", Severity.WARNING, "正文规章、规范性文件件数与表二不符",
        _BASIS + "制发、废止、现行有效件数应与表二第二十条第（一）项一致",
        _WHERE + "正文写{what} {left} 件，{source}为 {right} 件，相差 {delta}",
    ),
    Rule(
        "TXT-PERCENT", Severity.WARNING, "正文百分比不能由表格数字算出",
        _BASIS + "百分比应能由它所指的单元格按同一基数重新算出（允许末位的舍入差）",
        _WHERE + "正文写{what}占{base}的 {stated}%，按{source}计算为 {computed}%",
    ),
    Rule(
        "TXT-NO-APPLICATIONS", Severity.WARNING, "正文称未收到申请，表三却有申请",
        _BASIS + "正文称“无/未收到申请”时，表三“一、本年新收政府信息公开申请数量”应为 0",
        _WHERE + "正文称未收到政府信息公开申请，但{source}为 {right} 件",
    ),
    Rule(
        "TXT-NO-CASES", Severity.WARNING, "正文称无行政复议、行政诉讼，表四却有案件",
        _BASIS + "正文称“无行政复议、行政诉讼”时，表四相应总计应为 0",
        _WHERE + "正文称没有{what}，但{source}为 {right} 件",
    ),
    # Like SUM-UNCHECKED: a comparison with a blank or text cell is neither a pass nor a mismatch.
    Rule(
        "TXT-UNCHECKED", Severity.INFO, "正文数字未能核对",
        "空白或文本单元格不能与正文数字比较；这既不算一致也不算不一致",
        _WHERE + "正文写{what} {stated}，但 {parts} 不是数字，未能核对",
    ),
)
