"""Check many report files at once: find them, check each, collect small plain rows.

Each file is checked on its own (in worker processes with --jobs), and comes back as the
plain dict `xlreport check --format json` prints for it, never as a Report: the parent
holds only findings, so memory does not grow with the number of files. Whatever a file
does to its reader (an exception, even a crashed worker process) becomes that file's row.
Each row also carries the file's fingerprint (hashes of its bytes and of its tables), taken
while the worker has the file: the parent finds files that would count one agency twice
(同一机关多份) from the rows alone.
"""

from __future__ import annotations

import os
import unicodedata
import zipfile
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from decimal import Decimal
from pathlib import Path

from ..forms import FORMS
from ..rules.findings import CellRef, Finding, Severity
from . import duplicates
from .duplicates import Fingerprint
from .folders import is_candidate

# Workbooks, and published reports the importer reads (a folder may also hold notices: those
# become 无法读取 rows with the importer's reason, never a stop).
REPORT_SUFFIXES = frozenset({".xlsx", ".txt", ".html", ".htm", ".docx", ".pdf"})
SUMMARY_TITLE = "xlreport 批量校验汇总"  # core property marking our own summary workbooks

PASSED, HAS_ERRORS, HAS_WARNINGS, UNREADABLE = "通过", "有错误", "有警告", "无法读取"
EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2

# The JSON shape of one file: file, agency, year, form_version, fingerprint, days_late, findings (+ duplicates
# when another file shares its agency and year, its bytes or its tables) | file, error, findings.
Row = dict


# --- finding the files -------------------------------------------------------------


def discover(args: Iterable[str | Path], exclude: Iterable[str | Path] = ()) -> list[Path]:
    """Files to check, in argument order; folders recursively, sorted. Named files are kept as named."""
    suffixes = REPORT_SUFFIXES
    seen = {Path(p).resolve() for p in exclude}
    found: list[Path] = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            candidates = []
            for folder, dirs, files in os.walk(path):
                dirs.sort()
                candidates += [Path(folder, f) for f in sorted(files) if is_candidate(Path(f), suffixes)]
        else:
            candidates = [path]
        for c in candidates:
            key = c.resolve()
            if key not in seen:
                seen.add(key)
                found.append(c)
    return found


# --- checking one file -----------------------------------------------------------


def load(path: Path, engine: str = "calamine"):
    """A Report from a workbook, or from a published report file through the importer."""
    from .files import load_any

    return load_any(path, engine)


def unreadable(name: str, reason: str) -> Row:
    return {"file": name, "error": reason, "findings": []}


def read_one(path: str | Path, work: Callable, engine: str = "calamine") -> Row | None:
    """The file's row with what `work(report)` adds to it (findings, cells); the 无法读取 row if the
    file cannot be read; None for a summary workbook this command wrote earlier. Never raises."""
    from ..workbook.safezip import ReadError

    name, path = str(path), Path(path)
    try:
        report = load(path, engine)
        extra = work(report)
    except ReadError as exc:  # our own summary workbook reads as "not a standard workbook": skip it
        return None if _is_own_summary(path) else unreadable(name, str(exc))
    except Exception as exc:  # a hostile file must not stop the batch
        detail = str(exc)[:200] or "没有说明"
        return unreadable(name, f"{path.name} 读取时出错（{type(exc).__name__}：{detail}），请在 Excel 中打开检查后另存")
    return {"file": name, "agency": report.agency, "year": report.year, "form_version": report.form.version, **extra}


def _findings(report) -> dict:
    from ..checks.report import validate
    from ..checks.timeliness import timeliness

    on_time = timeliness(report)
    return {
        "days_late": on_time.days_late if on_time else None,  # 0 on time; None without a usable date
        "findings": [f.to_dict() for f in validate(report)],
    }


def check_one(path: str | Path, engine: str = "calamine") -> Row | None:
    """One file's row, as `check --format json` prints it, with the file's fingerprint. Never raises."""
    return read_one(path, lambda report: {"fingerprint": duplicates.file_facts(path, report), **_findings(report)}, engine)


def _is_own_summary(path: Path) -> bool:
    from ..workbook.safezip import read_member

    try:
        with zipfile.ZipFile(path) as zf:  # core.xml is under 1 KB: a larger one is not ours
            return SUMMARY_TITLE.encode() in read_member(zf, "docProps/core.xml", limit=64 * 1024)[:4096]
    except Exception:
        return False


def _chunk(items: list[tuple[int, str]], engine: str, one: Callable) -> list[tuple[int, Row | None]]:
    return [(i, one(p, engine)) for i, p in items]


# --- checking many -----------------------------------------------------------------


def check_all(
    paths: Iterable[str | Path],
    jobs: int = 1,
    engine: str = "calamine",
    progress: Callable[[int, int], None] | None = None,
    chunksize: int | None = None,
    one: Callable[[str, str], Row | None] = check_one,
) -> list[Row]:
    """Rows in the order of `paths` (deterministic whatever the completion order),
    files that would count one agency twice marked (mark_duplicates).

    `one(path, engine)` makes a file's row (check_one by default); with jobs > 1 it runs in
    worker processes, so it must be a module-level function.
    """
    items = list(enumerate(str(p) for p in paths))
    results: dict[int, Row | None] = {}

    def done(i: int, row: Row | None) -> None:
        results[i] = row
        if progress:
            progress(len(results), len(items))

    if jobs <= 1 or len(items) < 2:
        for i, p in items:
            done(i, one(p, engine))
    else:
        chunk = chunksize or max(1, min(32, len(items) // (jobs * 8)))
        _run_pool(items, jobs, engine, chunk, done, one)
    rows = [results[i] for i in range(len(items)) if results[i] is not None]
    mark_duplicates(rows)
    return rows


def _prints(rows: list[Row]) -> tuple[list[Row], list[Fingerprint]]:
    readable = [r for r in rows if "fingerprint" in r]
    return readable, [Fingerprint.of_row(r) for r in readable]


def mark_duplicates(rows: list[Row]) -> None:
    """Give each row that would count its agency twice the list of the other files and why."""
    readable, prints = _prints(rows)
    for pair in duplicates.find(prints):
        for me, other in ((pair.first, pair.second), (pair.second, pair.first)):
            entry = {"file": prints[other].file, "modified": prints[other].modified, "why": pair.why}
            readable[me].setdefault("duplicates", []).append(entry)


def duplicate_lines(rows: list[Row]) -> list[str]:
    """The sets of files that would count one agency twice, for the terminal (empty: none)."""
    _, prints = _prints(rows)
    return duplicates.group_lines(prints, duplicates.find(prints))


def _run_pool(items, jobs: int, engine: str, chunk: int, done, one: Callable) -> None:
    """Chunks through a process pool, a bounded number in flight (flat memory).

    A worker that dies (a crash in a native reader, the OOM killer) breaks the pool and every
    chunk in flight with it; those files are retried one by one, each in a process of its own,
    so only the file that kills its process is reported, and the rest continue in a new pool.
    """
    todo = deque(items[i : i + chunk] for i in range(0, len(items), chunk))
    lost: list[tuple[int, str]] = []
    while todo:
        with ProcessPoolExecutor(jobs) as pool:
            running: dict = {}
            broken = False
            while todo or running:
                while todo and not broken and len(running) < 2 * jobs:
                    c = todo.popleft()
                    running[pool.submit(_chunk, c, engine, one)] = c
                if not running:
                    break
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for fut in finished:
                    c = running.pop(fut)
                    try:
                        for i, row in fut.result():
                            done(i, row)
                    except Exception as exc:  # BrokenProcessPool above all
                        broken |= isinstance(exc, BrokenProcessPool)
                        lost += c
    for i, p in lost:
        done(i, _isolated(p, engine, one))


def _isolated(path: str, engine: str, one: Callable) -> Row | None:
    try:
        with ProcessPoolExecutor(1) as pool:
            return pool.submit(one, path, engine).result()
    except BrokenProcessPool:
        reason = f"{Path(path).name} 检查时读取程序异常退出（文件可能损坏或过大），请在 Excel 中打开检查后另存"
    except Exception as exc:
        reason = f"{Path(path).name} 检查时出错（{type(exc).__name__}）"
    return unreadable(path, reason)


# --- rows for people -------------------------------------------------------------


def finding_from_dict(d: dict) -> Finding:
    """Back from the JSON shape, for the text renderer."""
    num = lambda s: None if s is None else Decimal(s)  # noqa: E731
    cells = tuple(CellRef(c["key"], c["sheet"], c["coord"], c["name"]) for c in d["cells"])
    return Finding(d["rule"], Severity(d["severity"]), d["message"], cells, num(d["left"]), num(d["right"]), num(d["delta"]))


def counts(row: Row) -> dict[str, int]:
    out = {s.value: 0 for s in Severity}
    for f in row["findings"]:
        out[f["severity"]] += 1
    return out


def status(row: Row) -> str:
    if "error" in row:
        return UNREADABLE
    n = counts(row)
    return HAS_ERRORS if n["error"] else HAS_WARNINGS if n["warning"] else PASSED


def reason(row: Row) -> str:
    """Why a file did not pass: the read error, else its first error (or warning) and how many more."""
    if "error" in row:
        return row["error"]
    for severity in ("error", "warning"):
        hits = [f["message"] for f in row["findings"] if f["severity"] == severity]
        if hits:
            return hits[0] + (f"（另有 {len(hits) - 1} 项）" if len(hits) > 1 else "")
    return ""


def duplicate_note(row: Row, shown: int = 5) -> str:
    """The 同一机关多份 column: the other files, why, and when each was changed."""
    notes = []
    for d in row.get("duplicates", [])[:shown]:
        when = f"（修改于 {duplicates.shown_time(d['modified'])}）" if d["modified"] else ""
        notes.append(f"另有 {d['file']}：{d['why']}{when}")
    more = len(row.get("duplicates", [])) - shown
    return "；".join(notes) + (f"；……另有 {more} 份" if more > 0 else "")


def exit_code(rows: Iterable[Row]) -> int:
    """2 if any file could not be read, else 1 if any has an error finding, else 0."""
    worst = EXIT_OK
    for row in rows:
        s = status(row)
        if s == UNREADABLE:
            return EXIT_UNREADABLE
        if s == HAS_ERRORS:
            worst = EXIT_ERRORS
    return worst


def tally(rows: list[Row]) -> str:
    by = {s: 0 for s in (PASSED, HAS_WARNINGS, HAS_ERRORS, UNREADABLE)}
    for row in rows:
        by[status(row)] += 1
    return f"共检查 {len(rows)} 个文件：" + "，".join(f"{s} {n}" for s, n in by.items())


def document(version: str | None) -> str:
    form = FORMS.get(version or "")
    return form.document if form else ""


# --- the summary workbook --------------------------------------------------------

DUPLICATES = "同一机关多份"
SUMMARY_HEADERS = ("文件", "机关", "年度", "格式版本", "逾期天数", "错误数", "警告数", "状态", DUPLICATES, "原因")
FINDING_HEADERS = ("文件", "工作表", "单元格", "表/行/列", "规则", "级别", "说明", "左值", "右值", "差额")
_FILLS = {  # Excel's own "good / neutral / bad" palette
    "bad": ("FFC7CE", "9C0006"),
    "neutral": ("FFEB9C", "9C5700"),
    "good": ("C6EFCE", "006100"),
    "grey": ("D9D9D9", "000000"),
}


def text_width(text) -> float:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def _sheet(wb, title: str, headers, rows, status_col: int, rules: dict[str, str], max_width: int = 60):
    """A list sheet: bold frozen header, autofilter, fitted widths, coloured status column."""
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from ..workbook.cells import set_cell

    ws = wb.create_sheet(title)
    widths = [text_width(h) + 4 for h in headers]
    for c, h in enumerate(headers, 1):
        ws.cell(1, c, h).font = Font(bold=True)
    n = 1
    for n, values in enumerate(rows, 2):
        for c, v in enumerate(values, 1):
            set_cell(ws, n, c, v)
            if v is not None:
                widths[c - 1] = max(widths[c - 1], min(text_width(v) + 2, max_width))
    for c, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = w
        if w >= max_width:
            for (cell,) in ws.iter_rows(min_row=2, min_col=c, max_col=c):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"  # printed: landscape, all columns on one page wide, header on every page
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    last = get_column_letter(len(headers))
    ws.auto_filter.ref = f"A1:{last}{max(n, 2)}"
    col = get_column_letter(status_col)
    for text, tone in rules.items():
        bg, fg = _FILLS[tone]
        ws.conditional_formatting.add(
            f"{col}2:{col}{max(n, 2)}",
            CellIsRule(operator="equal", formula=[f'"{text}"'], fill=PatternFill("solid", bgColor=bg), font=Font(color=fg)),
        )
    return ws


def _flag_filled(ws, col: int, n: int) -> None:
    """Colour the non-empty cells of a column (a file to look at before aggregating)."""
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(col)
    bg, fg = _FILLS["bad"]
    ws.conditional_formatting.add(f"{letter}2:{letter}{max(n + 1, 2)}", FormulaRule(
        formula=[f'LEN({letter}2)>0'], fill=PatternFill("solid", bgColor=bg), font=Font(color=fg)))


def _number(s: str | None):
    if s is None:
        return None
    n = Decimal(s)
    return int(n) if n == n.to_integral() else n


def summary_workbook(rows: list[Row]):
    """汇总: one row per file; 问题清单: every finding with file, sheet and cell."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = SUMMARY_TITLE
    wb.properties.creator = "xlreport"
    summary = []
    for r in rows:
        n = counts(r)
        summary.append((
            r["file"], r.get("agency") or None, r.get("year"), document(r.get("form_version")) or None,
            r.get("days_late"), None if "error" in r else n["error"], None if "error" in r else n["warning"], status(r),
            duplicate_note(r) or None, reason(r) or None,
        ))
    ws = _sheet(wb, "汇总", SUMMARY_HEADERS, summary, SUMMARY_HEADERS.index("状态") + 1,
                {UNREADABLE: "grey", HAS_ERRORS: "bad", HAS_WARNINGS: "neutral", PASSED: "good"})
    _flag_filled(ws, SUMMARY_HEADERS.index(DUPLICATES) + 1, len(summary))
    findings = (
        (
            r["file"],
            f["cells"][0]["sheet"] if f["cells"] else None,
            (f["cells"][0]["coord"] or None) if f["cells"] else None,
            f["cells"][0]["name"] if f["cells"] else None,
            f["rule"],
            Severity(f["severity"]).label,
            f["message"],
            _number(f["left"]),
            _number(f["right"]),
            _number(f["delta"]),
        )
        for r in rows
        for f in r["findings"]
    )
    _sheet(wb, "问题清单", FINDING_HEADERS, findings, FINDING_HEADERS.index("级别") + 1,
           {Severity.ERROR.label: "bad", Severity.WARNING.label: "neutral"}, max_width=80)
    return wb


def write_summary(rows: list[Row], path: str | Path) -> Path:
    """Write atomically; the caller makes sure `path` is not an input."""
    from ..workbook.template import workbook_bytes
    from ..workbook.writer import atomic_write

    data = workbook_bytes(summary_workbook(rows))
    atomic_write(Path(path), lambda fh: fh.write(data))
    return Path(path)
