"""The printed shape of the statutory tables, shared by the workbook template and the renderers.

Nested headers are paths of labels (行政诉讼 › 未经复议直接起诉 › 结果维持); `tree_spans` turns
a list of paths into merged cells, so the workbook and the report merge exactly alike.
"""

from __future__ import annotations

from .base import Block, Table
from .statutory import T3_COLUMN_CAPTION, T3_RESULT_FIRST, T3_RESULT_TOTAL, T3_RESULTS_GROUP

# Printed header over all value columns of a table; the columns do not carry it.
COLUMN_CAPTIONS = {"t3": T3_COLUMN_CAPTION}
# Outer row groups that Row.group does not carry: table key -> (label, first row key, last row key).
OUTER_ROW_GROUPS = {"t3": (T3_RESULTS_GROUP, T3_RESULT_FIRST, T3_RESULT_TOTAL)}


def column_paths(table: Table, block: Block) -> list[tuple[str, ...]]:
    """Header path of each value column, top level first (申请人情况 › 法人或其他组织 › 商业企业)."""
    top = (COLUMN_CAPTIONS[table.key],) if table.key in COLUMN_CAPTIONS else ()
    return [top + (tuple(c.group.split("·")) if c.group else ()) + (c.label,) for c in block.columns]


def row_paths(table: Table, block: Block) -> list[tuple[str, ...]]:
    """Label path of each row, outer group first (三、本年度办理结果 › （三）不予公开 › 1.属于国家秘密)."""
    keys = [r.key for r in block.rows]
    span = None
    if table.key in OUTER_ROW_GROUPS:
        label, first, last = OUTER_ROW_GROUPS[table.key]
        span = (label, keys.index(first), keys.index(last))
    out = []
    for i, row in enumerate(block.rows):
        outer = (span[0],) if span and span[1] <= i <= span[2] else ()
        out.append(outer + tuple(p for p in (row.group, row.label) if p))
    return out


def tree_spans(paths: list[tuple[str, ...]], depth: int) -> list[tuple[int, int, int, int, str]]:
    """Merged labels of a nested header: (first line, last line, first level, last level, text).

    Consecutive lines sharing a prefix share its label; a path shorter than `depth` lets its
    last label span the remaining levels (自然人 over two header rows).
    """
    out = []
    for level in range(depth):
        i = 0
        while i < len(paths):
            path = paths[i]
            if len(path) <= level:
                i += 1
                continue
            leaf = len(path) == level + 1
            j = i
            while (
                j + 1 < len(paths)
                and not leaf
                and len(paths[j + 1]) > level + 1
                and paths[j + 1][: level + 1] == path[: level + 1]
            ):
                j += 1
            out.append((i, j, level, depth - 1 if leaf else level, path[level]))
            i = j + 1
    return out


def value_spans(n: int, width: int) -> list[int]:
    """Split `width` grid columns among `n` value columns; the spare ones go to the middle
    (as the printed 2019 表二 does: 本年新公开数量 spans two)."""
    spans = [width // n] * n
    for k in range(width - sum(spans)):
        spans[(n - 1) // 2 + k] += 1
    return spans
