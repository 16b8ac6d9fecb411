"""xlreport draft: write a first draft into the narrative cells that are still empty.

Typed text is never overwritten: a target is drafted only when the report says it is
empty, and written only when the cell is also empty in the file's XML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import EXIT_OK, fail

_LABELS = {
    "XR_NARR_OVERVIEW_INTRO": "一、总体情况（导语）",
    "XR_NARR_OTHER": "六、其他需要报告的事项",
}


def register(sub) -> None:
    p = sub.add_parser("draft", help="按统计表数字为空白的正文单元格起草初稿（不改动已填写的文字）")
    p.add_argument("file", metavar="FILE")
    p.add_argument("-o", "--output", help="另存为（默认原地更新，并保留备份）")
    p.set_defaults(run=run)


@dataclass
class DraftResult:
    output: Path
    written: list[tuple[str, str, str]] = field(default_factory=list)  # (Sheet!A1, section, text)
    not_written: list[str] = field(default_factory=list)  # why a draft stayed out, for staff
    backup: Path | None = None
    errors: int = 0  # error findings of the workbook: the draft copies its numbers as they are


def draft_file(path: str | Path, output: str | Path | None = None) -> DraftResult:
    """Draft the empty narrative cells; in place (with a backup) unless output is given."""
    from ..checks.report import validate
    from ..narrative.draft import draft_narrative
    from ..rules.findings import Severity
    from ..workbook.reader import read_report
    from ..workbook.writer import backup, write_cells

    src = Path(path)
    report = read_report(src)
    notes: list[str] = []
    located, not_written = _locate(src, draft_narrative(report, notes))
    dst = Path(output) if output else src
    in_place = dst.resolve() == src.resolve()
    result = DraftResult(dst, not_written=notes + not_written)
    result.errors = sum(1 for f in validate(report) if f.severity is Severity.ERROR)
    if located or not in_place:
        if in_place:
            result.backup = backup(src)
        write_cells(src, dst, {where: text for where, (_, text) in located.items()}, only_empty=True)
    result.written = [(f"{s}!{_a1(r, c)}", label, text) for (s, r, c), (label, text) in sorted(located.items())]
    return result


def _a1(row: int, col: int) -> str:
    from ..workbook.reader import a1_coord

    return a1_coord(row, col)


def _is_empty(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _locate(path: Path, drafts: dict[str, str]):
    """Target → (sheet, row, col); a sub-section is found by its sub-heading in the range."""
    from ..narrative.draft import part_heading
    from ..workbook import names
    from ..workbook.reader import CalamineSource

    source = CalamineSource(path)
    located: dict[tuple[str, int, int], tuple[str, str]] = {}
    not_written: list[str] = []

    def raw(sheet: str, row: int, col: int):
        grid = source.grid(sheet)
        return grid[row - 1][col - 1] if row - 1 < len(grid) and col - 1 < len(grid[row - 1]) else None

    try:
        for target, text in drafts.items():
            heading = part_heading(target)
            name = names.NARR_OVERVIEW_PARTS if heading is not None else target
            label = f"一、总体情况·{heading}" if heading is not None else _LABELS.get(target, target)
            area = source.names.get(name)
            if area is None or area.sheet not in source.sheet_names:
                not_written.append(f"{label}：工作簿缺少名称 {name}，无法定位，未起草")
                continue
            if heading is None:
                row, col = area.first
            else:
                (r0, c0), (r1, _) = area.first, area.last
                rows = [r for r in range(r0, r1 + 1) if str(raw(area.sheet, r, c0) or "").strip() == heading
                        and _is_empty(raw(area.sheet, r, c0 + 1))]
                if not rows:
                    not_written.append(f"{label}：找不到这个小标题下的空白单元格，未起草")
                    continue
                row, col = rows[0], c0 + 1
            if not _is_empty(raw(area.sheet, row, col)):
                not_written.append(f"{label}：单元格已有文字，未改动")
                continue
            located[(area.sheet, row, col)] = (label, text)
    finally:
        source.close()
    return located, not_written


def _preview(text: str, width: int = 48) -> str:
    one_line = text.replace("\n", " ")
    return one_line if len(one_line) <= width else one_line[:width] + "……"


def run(args) -> int:
    from ..workbook.safezip import ReadError

    src = Path(args.file)
    if args.output and Path(args.output).exists() and Path(args.output).resolve() != src.resolve():
        return fail(f"{args.output} 已存在，不会覆盖；请换一个文件名")
    try:
        result = draft_file(src, args.output)
    except ReadError as exc:
        return fail(str(exc))
    except OSError as exc:  # e.g. the workbook is open in Excel on Windows
        return fail(f"无法写入 {args.output or src}：{exc.strerror or exc}。如文件已在 Excel 中打开，请先关闭")
    if result.backup:
        print(f"原文件已备份为 {result.backup}")
    if result.written:
        print(f"已为 {len(result.written)} 处空白正文起草初稿：{result.output}")
        for where, label, text in result.written:
            print(f"  {where}  {label}（{len(text)} 字）：{_preview(text)}")
    else:
        print("没有需要起草的空白正文单元格" + ("，工作簿未改动。" if result.output.resolve() == src.resolve() else f"；已另存为 {result.output}"))
    for line in result.not_written:
        print(f"  {line}")
    if result.written:
        print("其余部分（政府信息管理、平台建设、监督保障、存在的主要问题及改进情况）没有统计数字可依据，请自行填写。")
    if any("【待补充" in text for *_, text in result.written):
        print("注意：草稿中有【待补充】标记，表示所需单元格不是数字，请填写后补充相应句子。")
    if result.errors:
        print(f"注意：工作簿有 {result.errors} 个错误（运行 xlreport check 查看）；草稿照录当前单元格的数字，改正后请重新核对正文。")
    return EXIT_OK
