"""The two statutory formats, declared as data.

Labels are copied exactly as printed (statutory-format.md §3 for 国办公开办函〔2019〕60号,
§4 for 〔2021〕30号); keys are stable English names used in code and defined names.
"""

from __future__ import annotations

from .base import AgencyLevel, Block, Column, CoverField, Domain, Form, Identity, Kind, Row, Table

HEADINGS = {
    "overview": "一、总体情况",
    "t2": "二、主动公开政府信息情况",
    "t3": "三、收到和处理政府信息公开申请情况",
    "t4": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}

OVERVIEW_PARTS = ("（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）政府信息公开平台建设", "（五）监督保障")

# 条例第四十九条 (statutory-format.md §1.2, §5.6): 县级以上人民政府部门 publish by 1月31日, the
# 本级政府's report is published by 3月31日. Other agencies (乡镇, 街道, 事业单位…) are not named
# there; their deadline is set locally, so only the latest statutory deadline is applied to them.
AGENCY_LEVELS = (
    AgencyLevel("government", "本级人民政府", (3, 31)),
    AgencyLevel("department", "政府部门", (1, 31)),
    AgencyLevel("other", "其他", (3, 31)),
)

COVER_FIELDS = (
    CoverField("agency", "机关名称", required=True, hint="机关全称，如：某某市某某局"),
    CoverField("year", "报告年度", required=True, hint="四位年份，如 2025"),
    CoverField("form_document", "格式版本", hint="由报告年度自动确定"),
    CoverField("signed_on", "成文日期", hint="如 2026年1月20日"),
    CoverField("website", "网址"),
    CoverField("address", "联系地址"),
    CoverField("postcode", "邮编"),
    CoverField("phone", "电话"),
    CoverField("fax", "传真"),
    CoverField("email", "电子邮箱"),
    # Added in template 3, after the earlier templates' fields so that those keep their cells.
    CoverField("level", "机关层级", hint="决定发布期限：本级人民政府 3月31日前，政府部门 1月31日前；空白时按机关名称判断",
               choices=tuple(level.label for level in AGENCY_LEVELS), since_template=3),
    CoverField("published_on", "发布日期", hint="在网站公开发布的日期（发布后填写）；填写后按它判断是否按时发布",
               since_template=3),
)

T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_COLUMN_CAPTION = "申请人情况"  # printed over the seven value columns

# --- 表三 -----------------------------------------------------------------

_LEGAL = "法人或其他组织"
T3_COLUMNS = (
    Column("natural", "自然人"),
    Column("commercial", "商业企业", group=_LEGAL),
    Column("research", "科研机构", group=_LEGAL),
    Column("nonprofit", "社会公益组织", group=_LEGAL),
    Column("legal", "法律服务机构", group=_LEGAL),
    Column("other_org", "其他", group=_LEGAL),
    Column("total", "总计", kind=Kind.TOTAL),
)
T3_PART_COLUMNS = tuple(c.key for c in T3_COLUMNS if c.kind is Kind.INPUT)

_WITHHELD, _UNAVAILABLE, _UNPROCESSED, _OTHER = "（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理"

T3_ROWS_HEAD = (
    Row("new", "一、本年新收政府信息公开申请数量"),
    Row("carried_over", "二、上年结转政府信息公开申请数量"),
    Row("granted", "（一）予以公开"),
    Row("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    Row("withheld_secret", "1.属于国家秘密", group=_WITHHELD),
    Row("withheld_law", "2.其他法律行政法规禁止公开", group=_WITHHELD),
    Row("withheld_safety", "3.危及“三安全一稳定”", group=_WITHHELD),
    Row("withheld_third_party", "4.保护第三方合法权益", group=_WITHHELD),
    Row("withheld_internal", "5.属于三类内部事务信息", group=_WITHHELD),
    Row("withheld_process", "6.属于四类过程性信息", group=_WITHHELD),
    Row("withheld_enforcement", "7.属于行政执法案卷", group=_WITHHELD),
    Row("withheld_inquiry", "8.属于行政查询事项", group=_WITHHELD),
    Row("unavailable_not_held", "1.本机关不掌握相关政府信息", group=_UNAVAILABLE),
    Row("unavailable_needs_creation", "2.没有现成信息需要另行制作", group=_UNAVAILABLE),
    Row("unavailable_unclear", "3.补正后申请内容仍不明确", group=_UNAVAILABLE),
    Row("unprocessed_petition", "1.信访举报投诉类申请", group=_UNPROCESSED),
    Row("unprocessed_repeat", "2.重复申请", group=_UNPROCESSED),
    Row("unprocessed_publication", "3.要求提供公开出版物", group=_UNPROCESSED),
    Row("unprocessed_abusive", "4.无正当理由大量反复申请", group=_UNPROCESSED),
    Row("unprocessed_confirmation", "5.要求行政机关确认或重新出具已获取信息", group=_UNPROCESSED),
)
T3_OTHER_2019 = (Row("other_handling", "（六）其他处理"),)
T3_OTHER_2021 = (
    Row("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", group=_OTHER),
    Row("other_no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", group=_OTHER),
    Row("other_other", "3.其他", group=_OTHER),
)
T3_ROWS_TAIL = (
    Row("result_total", "（七）总计", kind=Kind.TOTAL),
    Row("carried_forward", "四、结转下年度继续办理"),
)
T3_RESULTS_GROUP = "三、本年度办理结果"
T3_RESULT_FIRST, T3_RESULT_TOTAL = "granted", "result_total"

# --- 表四 -----------------------------------------------------------------

T4_OUTCOMES = (("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"))
T4_GROUPS = (
    ("review", "行政复议"),
    ("direct_suit", "行政诉讼·未经复议直接起诉"),
    ("suit_after_review", "行政诉讼·复议后起诉"),
)
T4_COLUMNS = tuple(
    col
    for gkey, glabel in T4_GROUPS
    for col in (
        *(Column(f"{gkey}_{okey}", olabel, group=glabel) for okey, olabel in T4_OUTCOMES),
        Column(f"{gkey}_total", "总计", group=glabel, kind=Kind.TOTAL),
    )
)
T4 = Table("t4", "表四", HEADINGS["t4"], (Block("cases", "", "", T4_COLUMNS, (Row("cases", "案件数量"),)),))

# --- 表二 -----------------------------------------------------------------

_ITEM = "第二十条第（{}）项"
_STUB = "信息内容"


def _block(key: str, item: str, columns: tuple[Column, ...], rows: tuple[Row, ...]) -> Block:
    return Block(key, _ITEM.format(item), _STUB, columns, rows)


_DECISIONS_2021 = (Column("decisions", "本年处理决定数量"),)
T2_2021 = Table(
    "t2",
    "表二",
    HEADINGS["t2"],
    (
        _block(
            "item1",
            "一",
            (Column("issued", "本年制发件数"), Column("repealed", "本年废止件数"), Column("in_force", "现行有效件数")),
            (Row("regulations", "规章"), Row("normative_docs", "行政规范性文件")),
        ),
        _block("item5", "五", _DECISIONS_2021, (Row("licensing", "行政许可"),)),
        _block("item6", "六", _DECISIONS_2021, (Row("penalty", "行政处罚"), Row("enforcement", "行政强制"))),
        _block(
            "item8",
            "八",
            (Column("amount", "本年收费金额（单位：万元）", domain=Domain.AMOUNT, unit="万元"),),
            (Row("fees", "行政事业性收费"),),
        ),
    ),
)

_PREV, _CHANGE = Column("previous_items", "上一年项目数量", unit="项"), Column("change", "本年增/减", domain=Domain.DELTA, unit="项")
T2_2019 = Table(
    "t2",
    "表二",
    HEADINGS["t2"],
    (
        _block(
            "item1",
            "一",
            (Column("made", "本年新制作数量"), Column("published", "本年新公开数量"), Column("total_published", "对外公开总数量")),
            (Row("regulations", "规章"), Row("normative_docs", "规范性文件")),
        ),
        _block(
            "item5",
            "五",
            (_PREV, _CHANGE, Column("decisions", "处理决定数量")),
            (Row("licensing", "行政许可"), Row("other_services", "其他对外管理服务事项")),
        ),
        _block(
            "item6",
            "六",
            (_PREV, _CHANGE, Column("decisions", "处理决定数量")),
            (Row("penalty", "行政处罚"), Row("enforcement", "行政强制")),
        ),
        _block("item8", "八", (_PREV, _CHANGE), (Row("fees", "行政事业性收费"),)),
        # The printed format gives no unit for 采购总金额; the workbook asks for 万元
        # (the seed writes "115.2万") and the reader converts 元 with a finding.
        _block(
            "item9",
            "九",
            (Column("projects", "采购项目数量", unit="个"), Column("amount", "采购总金额", domain=Domain.AMOUNT, unit="万元")),
            (Row("procurement", "政府集中采购"),),
        ),
    ),
)


def _t3(rows_other: tuple[Row, ...]) -> Table:
    rows = T3_ROWS_HEAD + rows_other + T3_ROWS_TAIL
    return Table("t3", "表三", HEADINGS["t3"], (Block("applications", "", "", T3_COLUMNS, rows),), note=T3_NOTE)


def _identities(t3: Table) -> tuple[Identity, ...]:
    """R1–R4 of statutory-format.md §5, as instances over the declared cells."""
    rows = t3.blocks[0].rows
    keys = [r.key for r in rows]
    results = keys[keys.index(T3_RESULT_FIRST) : keys.index(T3_RESULT_TOTAL)]
    label = {r.key: r.label for r in rows}
    out: list[Identity] = []
    for col in T3_COLUMNS:
        c = col.key
        out.append(
            Identity(
                "T3-RESULT-SUM",
                (f"t3.{T3_RESULT_TOTAL}.{c}",),
                tuple(f"t3.{r}.{c}" for r in results),
                f"表三「{col.label}」列",
            )
        )
    for r in keys:
        out.append(
            Identity("T3-ROW-SUM", (f"t3.{r}.total",), tuple(f"t3.{r}.{c}" for c in T3_PART_COLUMNS), f"表三「{label[r]}」行")
        )
    for col in T3_COLUMNS:
        c = col.key
        out.append(
            Identity(
                "T3-FLOW",
                (f"t3.new.{c}", f"t3.carried_over.{c}"),
                (f"t3.{T3_RESULT_TOTAL}.{c}", f"t3.carried_forward.{c}"),
                f"表三「{col.label}」列",
            )
        )
    for gkey, glabel in T4_GROUPS:
        out.append(
            Identity(
                "T4-SUM",
                (f"t4.cases.{gkey}_total",),
                tuple(f"t4.cases.{gkey}_{o}" for o, _ in T4_OUTCOMES),
                f"表四「{glabel}」",
            )
        )
    return tuple(out)


def _form(version: str, document: str, title: str, first: int, last: int | None, t2: Table, t3: Table) -> Form:
    return Form(version, document, title, first, last, (t2, t3, T4), _identities(t3), OVERVIEW_PARTS)


FORM_2019 = _form(
    "2019",
    "国办公开办函〔2019〕60号",
    "中华人民共和国政府信息公开工作年度报告格式（试行）",
    2019,
    2020,
    T2_2019,
    _t3(T3_OTHER_2019),
)
FORM_2021 = _form(
    "2021",
    "国办公开办函〔2021〕30号",
    "中华人民共和国政府信息公开工作年度报告格式",
    2021,
    None,
    T2_2021,
    _t3(T3_OTHER_2021),
)
FORMS = {f.version: f for f in (FORM_2019, FORM_2021)}
