"""What `xlreport aggregate` wrote before it looked for duplicates, kept to compare cell by cell.

Run with the code before the change (e.g. `git archive` of that commit into DIR):
    PYTHONPATH=DIR/src:tests python tests/aggregate_baseline.py
It writes tests/fixtures/aggregate-baseline.json: every non-empty cell of every sheet and every
defined name of the aggregate of `departments()`, read with openpyxl.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import tempfile
from pathlib import Path

import openpyxl
from workbooks import HUAIAN, edited

BASELINE = Path(__file__).resolve().parent / "fixtures" / "aggregate-baseline.json"
ARGS = ["--agency", "某某县人民政府", "-o", "全县.xlsx"]


def departments(folder: Path) -> list[Path]:
    """Three departments of one year, no duplicates: 淮安's workbook under other names and numbers."""
    folder.mkdir(parents=True, exist_ok=True)
    return [
        edited(HUAIAN, folder / f"部门{i}.xlsx", XR_COVER_AGENCY=f"某县第{i}局",
               XR_T2_ITEM6_PENALTY_DECISIONS=i * 1000, XR_T2_ITEM5_LICENSING_DECISIONS=i * 7)
        for i in (1, 2, 3)
    ]


def _json(value):
    return value.isoformat() if isinstance(value, (datetime.date, datetime.time)) else value


def cell_values(path: Path) -> dict:
    wb = openpyxl.load_workbook(path)
    sheets = {
        ws.title: {c.coordinate: _json(c.value) for row in ws.iter_rows() for c in row if c.value is not None}
        for ws in wb.worksheets
    }
    names = {name: dn.attr_text for name, dn in wb.defined_names.items()}
    return {"sheets": sheets, "names": names}


def main() -> None:
    from xlreport.cli import main as xlreport

    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        departments(Path("各部门"))
        assert xlreport(["aggregate", "各部门", *ARGS]) == 0
        BASELINE.write_text(json.dumps(cell_values(Path("全县.xlsx")), ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
