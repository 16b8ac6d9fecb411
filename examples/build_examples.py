"""Build the bundled example workbooks from two real published reports.

Numbers are transcribed by hand from the documents; narrative paragraphs are
taken from the same documents' text. Run: python examples/build_examples.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from xlreport.forms import FORM_2019, FORM_2021
from xlreport.model import Narrative, Report, interpret, text_value
from xlreport.workbook.export import report_workbook
from xlreport.workbook.template import workbook_bytes
from xlreport.workbook.writer import atomic_write

HERE = Path(__file__).resolve().parent
REAL_REPORTS = HERE.parent / "tests" / "fixtures" / "real-reports"
SEED = REAL_REPORTS / "2020_zhuzhou_xingzheng_shenpi.txt"
HUAIAN = REAL_REPORTS / "2024_huaian_shi_renmin_zhengfu.txt"

T3_COLUMNS = ("natural", "commercial", "research", "nonprofit", "legal", "other_org", "total")
T4_COLUMNS = tuple(f"{g}_{o}" for g in ("review", "direct_suit", "suit_after_review")
                   for o in ("upheld", "corrected", "other", "pending", "total"))

# 株洲市行政审批服务局 2020 (2019 format): every cell printed 0 except 政府集中采购 2 / 115.2万.
ZHUZHOU_T2 = {
    "item1.regulations": (0, 0, 0), "item1.normative_docs": (0, 0, 0),
    "item5.licensing": (0, 0, 0), "item5.other_services": (0, 0, 0),
    "item6.penalty": (0, 0, 0), "item6.enforcement": (0, 0, 0),
    "item8.fees": (0, 0),
    "item9.procurement": (2, 115.2),  # printed "115.2万"; the workbook asks for 万元
}

# 淮安市人民政府 2024 (2021 format), 表二/表三/表四 as printed.
HUAIAN_T2 = {
    "item1.regulations": (1, 0, 11), "item1.normative_docs": (8, 26, 66),
    "item5.licensing": (447228,), "item6.penalty": (3985758,), "item6.enforcement": (88283,),
    "item8.fees": (96171.6,),
}
HUAIAN_T3 = {
    "new": (3001, 53, 0, 0, 61, 4, 3119),
    "carried_over": (34, 0, 0, 0, 0, 0, 34),
    "granted": (1288, 21, 0, 0, 50, 3, 1362),
    "partial": (447, 7, 0, 0, 0, 0, 454),
    "withheld_secret": (2, 0, 0, 0, 0, 0, 2),
    "withheld_law": (30, 1, 0, 0, 0, 0, 31),
    "withheld_safety": (5, 0, 0, 0, 0, 0, 5),
    "withheld_third_party": (6, 0, 0, 0, 0, 0, 6),
    "withheld_internal": (7, 1, 0, 0, 0, 0, 8),
    "withheld_process": (12, 0, 0, 0, 0, 0, 12),
    "withheld_enforcement": (9, 0, 0, 0, 0, 0, 9),
    "withheld_inquiry": (105, 0, 0, 0, 0, 0, 105),
    "unavailable_not_held": (746, 12, 0, 0, 10, 1, 769),
    "unavailable_needs_creation": (11, 0, 0, 0, 0, 0, 11),
    "unavailable_unclear": (1, 0, 0, 0, 0, 0, 1),
    "unprocessed_petition": (56, 6, 0, 0, 0, 0, 62),
    "unprocessed_repeat": (25, 0, 0, 0, 0, 0, 25),
    "unprocessed_publication": (0, 0, 0, 0, 0, 0, 0),
    "unprocessed_abusive": (0, 0, 0, 0, 0, 0, 0),
    "unprocessed_confirmation": (1, 0, 0, 0, 0, 0, 1),
    "other_no_correction": (67, 3, 0, 0, 1, 0, 71),
    "other_no_fee": (6, 0, 0, 0, 0, 0, 6),
    "other_other": (108, 2, 0, 0, 0, 0, 110),
    "result_total": (2932, 53, 0, 0, 61, 4, 3050),
    "carried_forward": (103, 0, 0, 0, 0, 0, 103),
}
HUAIAN_T4 = (72, 64, 178, 37, 351, 13, 4, 8, 1, 26, 12, 1, 1, 6, 20)


def _t2_values(form, rows) -> dict:
    out = {}
    for row, numbers in rows.items():
        block, row_key = row.split(".")
        columns = next(b for b in form.table("t2").blocks if b.key == block).columns
        out.update({f"t2.{row}.{c.key}": n for c, n in zip(columns, numbers, strict=True)})
    return out


def _zero_t3_t4(form) -> dict:
    return {c.key: 0 for c in form.cells if c.table.key in ("t3", "t4")}


def _report(form, numbers, cover, narrative) -> Report:
    values = {c.key: interpret(numbers.get(c.key), c.unit) for c in form.cells}
    cover = {k: interpret(v) if k == "year" else text_value(v) for k, v in cover.items()}
    return Report(form, values, cover, narrative, recorded_version=form.version)


def zhuzhou() -> Report:
    lines = [ln.strip() for ln in SEED.read_text(encoding="utf-8").splitlines()]
    parts = []
    for line in lines:
        m = re.match(r"^([（(][一二三四五六七八九十][)）])(.+?)。(.*)$", line)
        if m:  # "（一）主动公开各类事项目录。加强…": the sub-heading is the first sentence
            parts.append((m.group(1) + m.group(2), m.group(3)))
    numbers = _zero_t3_t4(FORM_2019) | _t2_values(FORM_2019, ZHUZHOU_T2)
    cover = {"agency": "株洲市行政审批服务局", "year": 2020, "signed_on": "2021年1月29日"}
    return _report(FORM_2019, numbers, cover, Narrative(overview_parts=parts))


def _paragraph_text(lines: list[str]) -> str:
    """Join pdftotext lines into running text, dropping page numbers like -3-."""
    kept = [ln.strip() for ln in lines if ln.strip() and not re.fullmatch(r"-\s*\d+\s*-", ln.strip())]
    return "".join(kept)


def huaian() -> Report:
    text = HUAIAN.read_text(encoding="utf-8").splitlines()[1:]
    joined = _paragraph_text(text)

    def between(start: str, end: str) -> str:
        return joined.split(start, 1)[1].split(end, 1)[0]

    preamble = between("年度报告", "一、总体情况")
    overview = between("一、总体情况", "二、主动公开政府信息情况")
    intro, *rest = re.split(r"(?=（[一二三四五]）)", overview)
    parts = []
    for chunk in rest:
        heading, body = chunk.split("。", 1)
        parts.append((heading, body))
    problems = between("五、存在的主要问题及改进情况", "六、其他需要报告的事项")
    other = joined.split("六、其他需要报告的事项", 1)[1]
    numbers = _t2_values(FORM_2021, HUAIAN_T2)
    for row, values in HUAIAN_T3.items():
        numbers.update({f"t3.{row}.{c}": v for c, v in zip(T3_COLUMNS, values, strict=True)})
    numbers.update({f"t4.cases.{c}": v for c, v in zip(T4_COLUMNS, HUAIAN_T4, strict=True)})
    # The PDF carries no date; the report's page on huaian.gov.cn gives 公开日期 2025-02-25
    # (http://www.huaian.gov.cn/col/4122_231438/art/17383392/17404450095975A5KfNzE.html).
    cover = {
        "agency": "淮安市人民政府", "year": 2024, "published_on": "2025年2月25日", "address": "淮安市翔宇南道1号",
        "postcode": "223001", "phone": "0517-83605210", "email": "hazwgkc@163.com",
    }
    narrative = Narrative(preamble=preamble, overview_intro=intro, overview_parts=parts, problems=problems,
                          other=other, fee_amount=interpret(3940, "元"))
    return _report(FORM_2021, numbers, cover, narrative)


EXAMPLES = {"2020_zhuzhou_xingzheng_shenpi.xlsx": zhuzhou, "2024_huaian_renmin_zhengfu.xlsx": huaian}


def build(folder: Path = HERE) -> list[Path]:
    out = []
    for name, make in EXAMPLES.items():
        data = workbook_bytes(report_workbook(make()))
        atomic_write(folder / name, lambda fh, data=data: fh.write(data))
        out.append(folder / name)
    return out


if __name__ == "__main__":
    for path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(path)
