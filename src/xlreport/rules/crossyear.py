"""Cross-year rules (X-*, NEXT-NOT-CARRIED) as data; checks/crossyear.py evaluates them."""

from __future__ import annotations

from .findings import Rule, Severity

E, W = Severity.ERROR, Severity.WARNING

# Reviewers deduct for a report whose text repeats last year's (statutory-format.md §6): 宿迁's
# department indicator SQ-DEP-A-005 "与上年度重复率大于50%的，扣0.5分" [S17], 泉州市鲤城区's 2020
# 考评标准 "年度报告与往年或与其他单位雷同扣5分" [S23] (no threshold). The reviewers do not publish how
# they measure, so the warning starts at 50% itself, one step before "大于50%".
REPEAT_SHARE_PERCENT = 50

CROSS_YEAR_RULES: tuple[Rule, ...] = (
    Rule(
        "X-YEARS", E, "两份报告不是相邻年度",
        "跨年度核对只在相邻两个年度的报告之间进行（§5.3）",
        "本年报告为{year}，上年报告为{previous_year}：不是相邻的两个年度，未做跨年度核对。{hint}",
    ),
    Rule(
        "X-AGENCY", W, "两份报告的机关不同",
        "跨年度核对比较的是同一机关相邻两年的报告（机构改革后名称可能变化，故只作提醒）",
        "本年报告的机关为“{agency}”，上年报告为“{previous_agency}”，请确认是同一机关的报告",
    ),
    Rule(
        "X-CARRY", E, "跨年度结转",
        "本年“二、上年结转政府信息公开申请数量”等于上年“四、结转下年度继续办理”，逐列核对，"
        "2020→2021 年格式变更前后同样适用（§5.3 R6）",
        "{scope}：本年“二、上年结转”（{cell}）= {left}，上年“四、结转下年度继续办理”（{terms}）= {right}，相差 {delta}",
    ),
    Rule(
        "X-PREV-ITEMS", W, "上一年项目数量跨年度衔接",
        "2019 年格式表二第二十条第（五）（六）（八）项：本年“上一年项目数量”等于上年的“上一年项目数量 + 本年增/减”"
        "（§5.3 R7，只适用于 2019→2020 年；格式未定义这两列，故为警告）",
        "{scope}：本年“上一年项目数量”（{cell}）= {left}，上年“上一年项目数量 + 本年增/减”（{terms}）= {right}，"
        "相差 {delta}。请核实两年对这两列的理解是否一致",
    ),
    Rule(
        "X-IN-FORCE", W, "现行有效件数跨年度衔接",
        "2021 年格式表二第二十条第（一）项：现行有效件数 ≈ 上年现行有效件数 + 本年制发件数 − 本年废止件数"
        "（§5.3 R8，非法定勾稽关系：文件还会因有效期届满等失效，故为警告）",
        "{scope}：本年现行有效件数（{cell}）= {left}，上年现行有效件数 + 本年制发件数 − 本年废止件数（{terms}）= {right}，"
        "相差 {delta}。文件也会因有效期届满、清理等失效而不计入废止件数，此项只是提醒，请核实",
    ),
    Rule(
        "X-COPIED", W, "正文与上年报告雷同",
        "考评对年报“内容雷同”扣分：宿迁市部门考核指标“与上年度重复率大于50%的，扣0.5分”，"
        "泉州市鲤城区考评标准“年度报告与往年或与其他单位雷同扣5分”（statutory-format.md §6）；"
        "国办公开办函〔2021〕30号把“内容雷同”列为追责情形。正文一、五、六各部分按字数计算与上年相同的句子"
        f"（只有数字、年份不同的也算相同）所占比例，达到 {REPEAT_SHARE_PERCENT}% 时提醒",
        "{cell}「{section}」有 {share}% 的文字与上年报告相同（按字数计，只有数字、年份不同的句子也算相同）："
        "{examples}。请按本年度的实际工作重写",
    ),
    Rule(
        "NEXT-NOT-CARRIED", W, "未能从上年预填",
        "新一年度工作簿的“二、上年结转”等单元格由上年数字预填；上年单元格为空白或文本时不猜测",
        "{name} 未能从上年预填：{parts} 不是数字。请核实后手工填写",
    ),
)
