"""Defined names and sheet names of the standard workbook.

Code finds every cell through these defined names, never by coordinate, so
staff may rename sheets or insert rows without breaking anything.
Statutory cells are named by `Cell.defined_name` (XR_T3_NEW_NATURAL …). `cell_ref` says where a
key lives (表三!D12 and 表/行/列), for findings made by the reader, the importers and the checks.
"""

from __future__ import annotations

from ..forms import COVER_FIELDS
from ..model import Report
from ..rules.findings import CellRef

SHEET_COVER = "封面"
SHEET_NARRATIVE = "正文"
SHEET_META = "xlreport"  # hidden; holds the form and template version
SHEET_CHECKS = "xlreport_checks"  # hidden; the live checks' helper formulas, never read
# The statutory tables use the table's own name as sheet name: 表二, 表三, 表四.

META_FORM_VERSION = "XR_META_FORM_VERSION"
META_TEMPLATE_VERSION = "XR_META_TEMPLATE_VERSION"


def cover_name(field_key: str) -> str:
    return "XR_COVER_" + field_key.upper()


def status_name(table_key: str) -> str:
    """The live-check status line of a table sheet (XR_STATUS_T3), or of the cover ("all": XR_STATUS_ALL)."""
    return "XR_STATUS_" + table_key.upper()


NARR_PREAMBLE = "XR_NARR_PREAMBLE"
NARR_OVERVIEW_INTRO = "XR_NARR_OVERVIEW_INTRO"
# A two-column range (sub-heading, text) with OVERVIEW_SLOTS rows; empty rows are unused parts.
NARR_OVERVIEW_PARTS = "XR_NARR_OVERVIEW_PARTS"
OVERVIEW_SLOTS = 10
NARR_PROBLEMS = "XR_NARR_PROBLEMS"
NARR_OTHER = "XR_NARR_OTHER"
NARR_FEE_AMOUNT = "XR_NARR_FEE_AMOUNT"  # 信息处理费 collected, 元
NARR_FEE_COUNT = "XR_NARR_FEE_COUNT"  # number of applications charged, 件

# Single-cell narrative texts in report order, with the heading shown to staff.
NARRATIVE_TEXTS = (
    (NARR_PREAMBLE, "前言（可选）"),
    (NARR_OVERVIEW_INTRO, "一、总体情况（导语，可选）"),
    (NARR_PROBLEMS, "五、存在的主要问题及改进情况"),
    (NARR_OTHER, "六、其他需要报告的事项"),
)

# Narrative keys used in findings and the report model, with their Chinese names.
NARRATIVE_LABELS = {
    "narrative.preamble": "前言",
    "narrative.overview": "一、总体情况",
    "narrative.problems": "五、存在的主要问题及改进情况",
    "narrative.other": "六、其他需要报告的事项",
    "narrative.fee_amount": "信息处理费金额（元）",
    "narrative.fee_count": "收取信息处理费件数",
}


_COVER_LABEL = {f.key: f.label for f in COVER_FIELDS}


def cell_ref(report: Report, key: str) -> CellRef:
    """Where a statutory, cover or narrative key lives, for messages and marks."""
    loc = report.locations.get(key)
    if key.startswith("cover."):
        sheet, name = SHEET_COVER, f"封面/{_COVER_LABEL.get(key[6:], key[6:])}"
    elif key.startswith("narrative."):
        sheet, name = SHEET_NARRATIVE, f"正文/{NARRATIVE_LABELS.get(key, key)}"
    else:
        cell = report.form.cell(key)
        sheet, name = cell.table.name, cell.statutory_name
    return CellRef(key, loc.sheet if loc else sheet, loc.coord if loc else "", name)
