"""pandas for supervisors: many reports as one tidy table (`pip install 'xlreport[analysis]'`).

A front end beside excel/: it reads files exactly as `xlreport check` does (usecases.batch:
the same discovery, the same reader, the same 无法读取 rows), so no other room ever imports
pandas, and `import xlreport` reaches this module only when read_frame or findings_frame is asked for.

Values are `decimal.Decimal` in an object column, missing (None) where the cell is blank or text:
exactly the numbers `check` reads and `fill` sums (万元 amounts keep their digits, counts stay
integers whatever their size). Ratios want floats (a Decimal divided by 0 raises):
`frame["value"].astype(float)`, or `.astype("Float64")` to keep <NA>.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

try:
    import pandas as pd
except ModuleNotFoundError as exc:  # pragma: no cover - exercised in a subprocess without pandas
    raise ModuleNotFoundError("xlreport.read_frame 和 findings_frame 需要 pandas：pip install 'xlreport[analysis]'") from exc

from .usecases import batch
from .workbook.safezip import ReadError

Paths = str | os.PathLike | Iterable[str | os.PathLike]

CELL_COLUMNS = ("file", "agency", "year", "form_version", "table", "row", "column", "value", "state")
# Those of `xlreport check --format json`: the file's keys, each finding's keys, and the read error.
FINDING_COLUMNS = ("file", "agency", "year", "form_version", "rule", "severity", "message", "cells", "left", "right", "delta", "error")
_FILE_KEYS = CELL_COLUMNS[:4]
_FINDING_KEYS = FINDING_COLUMNS[4:-1]
_NUMBERS = ("left", "right", "delta")  # strings in the JSON, Decimals here


class UnreadableFilesWarning(UserWarning):
    """read_frame left out files it could not read (the reasons are in the message)."""


def _cells(report) -> dict:
    """One tuple per statutory cell, in the form's order, labels as printed."""
    return {
        "cells": [
            (c.table.name, c.row_label, c.column_label, v.number if v.is_number else None, v.state.value)
            for c in report.form.cells
            for v in (report.value(c.key),)
        ]
    }


def cells_row(path: str, engine: str = "calamine") -> batch.Row | None:
    """batch.check_all's `one` for read_frame: module level, so worker processes can run it."""
    return batch.read_one(path, _cells, engine)


def _files(paths: Paths) -> list[Path]:
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return batch.discover(paths)


def _frame(records: list[tuple], columns: tuple[str, ...]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=list(columns))
    frame["year"] = frame["year"].astype("Int64")  # a report whose 报告年度 cannot be read has none
    return frame


def read_frame(paths: Paths, *, errors: str = "warn", jobs: int = 1, engine: str = "calamine") -> pd.DataFrame:
    """Every statutory cell of every report, one row each: file, agency, year, form_version,
    table, row, column, value, state.

    `paths`: workbooks, published report files (text, HTML, .docx, PDF) or folders (searched as
    `xlreport check DIR` does), one or a list. `table` is 表二/表三/表四; `row` and `column` are the
    labels as printed in the form (表二 rows start with their 第二十条 item, grouped rows and
    columns with their group: “（三）不予公开·1.属于国家秘密”, “法人或其他组织·商业企业”).
    `state` is number, blank or text; `value` is the Decimal read (text such as “12件” is read
    as 12, as check does), missing for blank and text cells: a blank is never 0.

    A file that cannot be read has no rows: errors="warn" (the default) says which and why in an
    UnreadableFilesWarning and keeps them in frame.attrs["unreadable"] (file → reason);
    errors="raise" raises ReadError for the first one. findings_frame gives them a row each.
    """
    if errors not in ("warn", "raise"):
        raise ValueError(f"errors 只能是 'warn' 或 'raise'，不是 {errors!r}")
    rows = batch.check_all(_files(paths), jobs=jobs, engine=engine, one=cells_row)
    unreadable = {r["file"]: r["error"] for r in rows if "error" in r}
    if unreadable and errors == "raise":
        file, reason = next(iter(unreadable.items()))
        raise ReadError(f"{file}：{reason}")
    records = [tuple(r[k] for k in _FILE_KEYS) + cell for r in rows if "cells" in r for cell in r["cells"]]
    frame = _frame(records, CELL_COLUMNS)
    frame["value"] = frame["value"].astype(object)  # Decimal, None: never a float NaN or a 0
    frame.attrs["unreadable"] = unreadable
    if unreadable:
        listed = "\n".join(f"  {file}：{reason}" for file, reason in unreadable.items())
        warnings.warn(f"{len(unreadable)} 个文件无法读取，未计入：\n{listed}", UnreadableFilesWarning, stacklevel=2)
    return frame


def _number(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def findings_frame(paths: Paths, *, jobs: int = 1, engine: str = "calamine") -> pd.DataFrame:
    """What `xlreport check --format json` reports, one row per finding: file, agency, year,
    form_version, rule, severity, message, cells, left, right, delta, error.

    `cells` is the finding's list of cells as in the JSON ({key, cell, sheet, coord, name});
    left, right and delta are Decimals (strings in the JSON). A file that cannot be read is one
    row whose `error` is the reason, as in the JSON and the summary workbook (其余列为空); a file
    without findings has no row.
    """
    records = []
    for row in batch.check_all(_files(paths), jobs=jobs, engine=engine):
        head = tuple(row.get(k) for k in _FILE_KEYS)
        if "error" in row:
            records.append(head + (None,) * len(_FINDING_KEYS) + (row["error"],))
        for f in row["findings"]:
            records.append(head + tuple(_number(f[k]) if k in _NUMBERS else f[k] for k in _FINDING_KEYS) + (None,))
    frame = _frame(records, FINDING_COLUMNS)
    for column in ("cells", *_NUMBERS):
        frame[column] = frame[column].astype(object)
    return frame
