"""What each ribbon button does, written once against the grid interface (xlreport.excel.grid).

The same functions run inside Excel (excel.xlgrid), on a file (grid_file) and in
memory (grid_memory). Every action ends with an alert; perform() turns any
failure into a Chinese alert pointing at the log file, never a traceback.
Heavy modules (openpyxl, python-docx, pandas) are not imported here.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from ..checks.report import validate as check
from ..checks.totals import changed_totals, compute_totals
from ..model import Report
from ..rules.findings import Finding, Severity
from ..workbook import names
from ..workbook.reader import report_from_source
from ..workbook.safezip import ReadError
from .buttons import BUTTONS
from .grid import (
    ERROR_FILL,
    RESULTS_SHEET,
    WARNING_FILL,
    Grid,
    Link,
    Mark,
    cell_value,
    split_coord,
    write_cells,
)

log = logging.getLogger("xlreport.excel.ribbon")

RESULTS_HEADER = ["规则", "级别", "说明", "单元格"]
_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


# --- findings → marks, result rows, summary -----------------------------------------------


def marks_for(findings: list[Finding], sheets: set[str]) -> list[Mark]:
    """One mark per cell: the first cell of each error or warning (an identity's total), all its messages."""
    by_cell: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if f.severity is Severity.INFO or not f.cells:
            continue
        first = f.cells[0]
        if first.coord and first.sheet in sheets:
            by_cell.setdefault((first.sheet, first.coord), []).append(f)
    marks = []
    for (sheet, coord), items in by_cell.items():
        lines = []
        for f in items:
            lines.append(f.message)
            if len(f.cells) > 1:
                lines.append("涉及单元格：" + "、".join(c.a1 for c in f.cells[1:]))
        error = any(f.severity is Severity.ERROR for f in items)
        marks.append(Mark(sheet, *split_coord(coord), ERROR_FILL if error else WARNING_FILL, "\n".join(lines)))
    return marks


def result_rows(findings: list[Finding], sheets: set[str] | None = None) -> list[list]:
    """The 校验结果 sheet: errors, then warnings, then notes; a link to every cell of each finding
    that is in this workbook (`sheets`); last year's cells (上年 表三!D29) are named, not linked."""
    rows = [list(RESULTS_HEADER)]
    for f in sorted(findings, key=lambda f: _ORDER[f.severity]):
        cells = [Link(c.sheet, c.coord, c.a1) if c.coord and (sheets is None or c.sheet in sheets) else c.a1
                 for c in f.cells]
        rows.append([f.rule, f.severity.label, f.message, *cells])
    if len(rows) == 1:
        rows.append(["", "", "校验通过：没有发现问题。"])
    width = max(len(r) for r in rows)
    return [r + [None] * (width - len(r)) for r in rows]


def summary(findings: list[Finding]) -> str:
    n = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    errors, warnings, notes = n[Severity.ERROR], n[Severity.WARNING], n[Severity.INFO]
    where = f"问题单元格已标色并加批注，详见“{RESULTS_SHEET}”工作表。"
    if errors:
        text = f"{errors} 个错误、{warnings} 个警告。{where}"
    elif warnings:
        text = f"校验通过：没有错误，{warnings} 个警告。{where}"
    else:
        text = "校验通过。"
    if notes:
        text += f"\n另有 {notes} 条提示（含空白或文本的勾稽关系未能核对）。"
    return text


def show(grid: Grid, findings: list[Finding]) -> None:
    """Replace earlier marks and results with these findings."""
    grid.clear_marks()
    grid.mark(marks_for(findings, grid.sheet_names))
    grid.write_results(result_rows(findings, grid.sheet_names))


def read(grid: Grid) -> Report:
    return report_from_source(grid)


def findings_for(grid: Grid, report: Report) -> tuple[list[Finding], str]:
    """The workbook's findings, plus the cross-year ones when last year's workbook of the same agency
    is in the same folder (usecases.folders); and what to tell staff about that workbook."""
    findings = check(report)
    if grid.path is None:
        return findings, ""
    from ..usecases.folders import check_beside

    cross, beside = check_beside(grid.path, report)
    return findings + cross, beside.note()


def _with_note(text: str, note: str) -> str:
    return f"{text}\n\n{note}" if note else text


# --- the actions ----------------------------------------------------------------------------


def validate(grid: Grid) -> list[Finding]:
    findings, note = findings_for(grid, read(grid))
    show(grid, findings)
    grid.alert(BUTTONS["validate"], _with_note(summary(findings), note))
    return findings


def fill(grid: Grid) -> dict:
    report = read(grid)
    broken = [f.message for f in report.read_findings if f.rule == "NAME-MISSING"]
    if broken:
        grid.alert(BUTTONS["fill"], "工作簿结构不完整，未填充合计：" + "；".join(broken))
        return {}
    totals, skipped = compute_totals(report)
    changed = changed_totals(report, totals)
    cells = {}
    for key, value in changed.items():
        loc = report.locations[key]
        cells[(loc.sheet, *split_coord(loc.coord))] = value
    write_cells(grid, cells)
    findings, note = findings_for(grid, read(grid))  # read() again sees the written totals (cached grid)
    findings += skipped
    show(grid, findings)
    text = f"已填写 {len(changed)} 个合计单元格，{len(totals) - len(changed)} 个原本正确。"
    if skipped:
        text += f"\n{len(skipped)} 个合计因组成项不是数字未填充。"
    grid.alert(BUTTONS["fill"], _with_note(text + "\n\n" + summary(findings), note))
    return changed


class StaffMessage(Exception):
    """A failure whose message is already written for staff, in Chinese: shown as it is."""


Drafter = Callable[[Report, list], dict[str, str]]


def _default_drafter(report: Report, notes: list[str]) -> dict[str, str]:
    from ..narrative.draft import draft_narrative  # imported only on this button

    return draft_narrative(report, notes)


def _draft_cell(grid: Grid, target: str) -> tuple[tuple[str, int, int] | None, str]:
    """Where a draft target goes and its label: a narrative name, or a sub-heading of 一、总体情况."""
    from ..narrative.draft import part_heading

    heading = part_heading(target)
    if heading is None:
        area = grid.names.get(target)
        label = dict(names.NARRATIVE_TEXTS).get(target, target)
        ok = area is not None and area.sheet in grid.sheet_names
        return ((area.sheet, *area.first) if ok else None), label
    label = f"一、总体情况·{heading}"
    area = grid.names.get(names.NARR_OVERVIEW_PARTS)
    if area is None or area.sheet not in grid.sheet_names:
        return None, label
    (r0, c0), (r1, _) = area.first, area.last
    for row in range(r0, r1 + 1):
        if str(cell_value(grid, area.sheet, row, c0) or "").strip() == heading and _empty(cell_value(grid, area.sheet, row, c0 + 1)):
            return (area.sheet, row, c0 + 1), label
    return None, label


def _empty(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def draft(grid: Grid, drafter: Drafter | None = None) -> list[str]:
    """Write drafts into empty narrative cells only; what staff typed stays."""
    report = read(grid)
    notes: list[str] = []
    drafts = (drafter or _default_drafter)(report, notes)
    cells, filled = {}, []
    for target, text in drafts.items():
        where, label = _draft_cell(grid, target)
        if where is None:
            notes.append(f"{label}：找不到要写入的空白单元格，未起草")
        elif not text or not _empty(cell_value(grid, *where)):
            notes.append(f"{label}：单元格已有文字，未改动")
        else:
            cells[where] = text
            filled.append(label)
    write_cells(grid, cells)
    if filled:
        text = f"已为 {len(filled)} 个空白栏目生成初稿：{'、'.join(f'“{x}”' for x in filled)}。已填写的栏目未改动；请核对初稿，按实际情况修改。"
    else:
        text = "没有需要起草的空白栏目，没有改动。生成初稿只填写空白栏目。"
    if notes:
        text += "\n\n" + "\n".join(notes)
    grid.alert(BUTTONS["draft"], text)
    return filled


Builder = Callable[[Report, Path, bool], list[Path]]


def _default_builder(report: Report, workbook: Path, force: bool) -> list[Path]:
    # python-docx and friends: only on this button
    from ..render import BuildError
    from ..usecases.build import build_report

    try:
        return build_report(report, workbook.parent, force=force, stem=workbook.stem, source=workbook)
    except BuildError as exc:
        done = "".join(f"\n已生成：{p}" for p in exc.written)
        raise StaffMessage(f"{exc}{done}") from exc


def build(grid: Grid, builder: Builder | None = None) -> list[Path]:
    """Build the report next to the workbook; with errors, only a draft and only if staff say so."""
    title = BUTTONS["build"]
    if grid.path is None:
        grid.alert(title, "请先保存工作簿：报告生成在工作簿所在的文件夹。")
        return []
    report = read(grid)
    findings, note = findings_for(grid, report)
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    force = False
    if errors:
        show(grid, findings)
        question = _with_note(
            f"工作簿有 {errors} 个错误，不能生成正式报告。问题单元格已标色并加批注，详见“{RESULTS_SHEET}”工作表。", note
        ) + "\n\n是否仍生成每页标注“校验未通过稿”的草稿？"
        if not grid.ask(title, question):
            return []
        force = True
    paths = (builder or _default_builder)(report, grid.path, force)
    kind = "草稿（校验未通过稿，不得公开发布）" if force else "报告"
    grid.alert(title, f"{kind}已生成：\n" + "\n".join(str(p) for p in paths))
    return paths


def new_year(grid: Grid) -> Path | None:
    """Next year's workbook beside this one; never replaces a file."""
    from ..checks.crossyear import roll_forward
    from ..workbook.export import write_report_workbook  # openpyxl: only on this button

    title = BUTTONS["new_year"]
    if grid.path is None:
        grid.alert(title, "请先保存工作簿：新工作簿建在工作簿所在的文件夹。")
        return None
    report = read(grid)
    if report.year is None:
        grid.alert(title, "封面的“报告年度”为空或无效，无法确定下一年度。")
        return None
    rolled = roll_forward(report)
    target = grid.path.with_name(f"{rolled.year}年政府信息公开工作年度报告.xlsx")
    n = 1
    while target.exists():
        n += 1
        target = grid.path.with_name(f"{rolled.year}年政府信息公开工作年度报告（{n}）.xlsx")
    write_report_workbook(rolled, target)
    notes = [f.message for f in rolled.read_findings]
    text = f"已新建 {rolled.year} 年度工作簿（{rolled.form.document}格式）：\n{target}\n上年结转已按本年“结转下年度”预填。"
    if notes:
        text += "\n\n" + "\n".join(notes)
    grid.alert(title, text)
    return target


def clear_marks(grid: Grid) -> int:
    n = grid.clear_marks()
    grid.alert(BUTTONS["clear_marks"], f"已清除 {n} 个单元格的标记。" if n else "没有需要清除的标记。")
    return n


def doctor(grid: Grid, report_file: Path | None = None, machine=None) -> list:
    """The doctor's report on this computer (excel.doctor), shown and saved beside the log."""
    from .doctor import ribbon_help  # subprocesses and package metadata: only on this button

    return ribbon_help(grid, report_file or log_path().with_name("环境检查.txt"), machine)


ACTIONS: dict[str, Callable[[Grid], object]] = {
    "validate": validate,
    "fill": fill,
    "draft": draft,
    "build": build,
    "clear_marks": clear_marks,
    "new_year": new_year,
    "help": doctor,
}


# --- running one click -------------------------------------------------------------------------


def log_path() -> Path:
    return Path(tempfile.gettempdir()) / "xlreport" / "xlreport.log"


def start_log(path: Path | None = None) -> Path:
    """Log to a file staff can send along; one handler per process."""
    path = path or log_path()
    root = logging.getLogger("xlreport")
    if not any(getattr(h, "baseFilename", None) == str(path.resolve()) for h in root.handlers):
        from logging.handlers import RotatingFileHandler

        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=2, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        root.setLevel(logging.INFO)
    return path


def failure_message(exc: BaseException, log_file: Path) -> str:
    if isinstance(exc, (ReadError, StaffMessage)):  # already a message for staff
        return f"{exc}\n\n详细信息已记录在日志文件：{log_file}"
    return (
        f"操作未完成：程序内部出错（{type(exc).__name__}: {exc}）。\n\n"
        f"详细信息已记录在日志文件，请发给技术支持：{log_file}"
    )


def perform(grid: Grid, button_id: str, log_file: Path | None = None, **options) -> object:
    """Run one button on a grid; failures become an alert (and a log entry), never a traceback."""
    log_file = start_log(log_file)
    action = ACTIONS.get(button_id)
    if action is None:
        log.error("unknown button %r", button_id)
        grid.alert("年报工具", f"未知的按钮“{button_id}”：加载项与已安装的 xlreport 版本不一致，请重新安装加载项。")
        return None
    started = time.perf_counter()
    try:
        result = action(grid, **options)
    except Exception as exc:
        log.exception("button %s failed", button_id)
        grid.alert(BUTTONS[button_id], failure_message(exc, log_file))
        return None
    log.info("button %s done in %.0f ms", button_id, (time.perf_counter() - started) * 1000)
    return result
