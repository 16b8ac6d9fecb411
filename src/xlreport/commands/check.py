"""xlreport check: validate workbooks (or whole folders of them); text, JSON or a summary workbook."""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from ..rules.findings import Finding, Severity
from . import EXIT_FINDINGS, EXIT_OK, fail, new_workbook_problem

_EPILOG = """\
文件夹会逐层查找其中的 .xlsx 工作簿（以及可导入的已发布报告），跳过 Excel 锁定文件 ~$*.xlsx、
本工具的备份 *.备份-*.xlsx 和隐藏文件。一个文件无法读取不影响其余文件。
同一机关同一年度有多份、文件完全相同或统计表数字完全相同的文件，在汇总工作簿的“同一机关多份”列
（文字输出在末尾）逐一列出，汇总（xlreport aggregate）前请每个机关只保留一份。

退出码：0 全部没有错误（可有警告）；1 至少一个文件有错误；2 至少一个文件无法读取，或命令用法有误。
无法读取比有错误更严重：无法读取的文件根本没有被检查。"""


def register(sub) -> None:
    import argparse

    p = sub.add_parser(
        "check", help="校验工作簿的勾稽关系与填写规范（可检查整个文件夹）", epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("files", nargs="+", metavar="文件或文件夹", help="工作簿 .xlsx，或包含它们的文件夹")
    p.add_argument("--format", choices=("text", "json", "xlsx"), default="text",
                   help="输出格式；xlsx 写出汇总工作簿（未给 -o 时保存为当前文件夹的 校验汇总-日期时间.xlsx）")
    p.add_argument("-o", "--output", metavar="汇总.xlsx", help="另外写出汇总工作簿：每个文件一行（汇总），每个问题一行（问题清单）")
    p.add_argument("--jobs", type=int, default=0, metavar="N", help="同时检查的进程数（默认：文件多时用全部 CPU 核）")
    p.add_argument("--verbose", action="store_true", help="同时列出“提示”级别的结果")
    p.add_argument("--engine", choices=("calamine", "openpyxl"), default="calamine", help="读取引擎（默认 calamine）")
    p.add_argument("--previous", metavar="上年文件",
                   help="上一年度的工作簿或已发布报告：另做跨年度核对（上年结转 = 上年结转下年度 等）；只能检查一个文件")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..usecases import batch

    if args.previous:
        return _run_pair(args)
    output = _summary_path(args)
    problem = output and _output_problem(output)
    if problem:
        return fail(problem)
    paths = batch.discover(args.files, exclude=[output] if output else [])
    if not paths:
        folders = "、".join(str(f) for f in args.files)
        return fail(f"文件夹 {folders} 中没有找到工作簿（.xlsx）")
    jobs = args.jobs if args.jobs > 0 else (os.cpu_count() or 1) if len(paths) >= 50 else 1
    bar = Progress(len(paths))
    try:
        rows = batch.check_all(paths, jobs=jobs, engine=args.engine, progress=bar)
    finally:
        bar.close()
    if not rows:
        return fail("没有找到年报工作簿（本命令写出的校验汇总工作簿不参与检查）")

    if args.format == "text":
        for row in rows:
            if "error" in row:
                print(f"{row['file']}\n  无法读取：{row['error']}\n", file=sys.stderr)
            else:
                findings = [batch.finding_from_dict(f) for f in row["findings"]]
                print(render_text(row["file"], row["agency"], row["year"], batch.document(row["form_version"]), findings, args.verbose))
        twice = batch.duplicate_lines(rows)
        if twice:
            text = f"{batch.DUPLICATES}（汇总时同一机关会被计算两次，请每个机关只保留一份）：\n" + "\n".join(twice)
            print(_CONTROL.sub("\ufffd", text) + "\n")
    elif args.format == "json":
        single = len(args.files) == 1 and len(rows) == 1 and not Path(args.files[0]).is_dir()
        print(json.dumps(rows[0] if single else rows, ensure_ascii=False, indent=2))
    if len(rows) > 1 and args.format != "json":
        print(batch.tally(rows))
    if output is not None:
        if output.exists():  # appeared while checking: still never replaced
            return fail(f"{output} 已存在，不会覆盖；请换一个文件名")
        batch.write_summary(rows, output)
        print(f"汇总工作簿已保存：{output}")
    return batch.exit_code(rows)


def _run_pair(args) -> int:
    """check FILE --previous LAST: this year's findings plus the cross-year ones."""
    from ..usecases.files import check_pair
    from ..workbook.safezip import ReadError

    if len(args.files) != 1 or Path(args.files[0]).is_dir() or args.output or args.format == "xlsx":
        return fail("--previous 只能与一个文件一起使用（不能是文件夹或汇总工作簿）")
    try:
        report, findings = check_pair(args.files[0], args.previous)
    except ReadError as exc:
        return fail(str(exc))
    refused = [f for f in findings if f.rule == "X-YEARS"]
    if refused:
        return fail(refused[0].message)
    if args.format == "json":
        data = {"file": args.files[0], "previous": args.previous, "agency": report.agency, "year": report.year,
                "form_version": report.form.version, "findings": [f.to_dict() for f in findings]}
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(render_text(args.files[0], report.agency, report.year, report.form.document, findings, args.verbose))
    return EXIT_FINDINGS if any(f.severity is Severity.ERROR for f in findings) else EXIT_OK


def _summary_path(args) -> Path | None:
    if args.output:
        return Path(args.output)
    if args.format == "xlsx":
        return Path(f"校验汇总-{datetime.now():%Y%m%d-%H%M%S}.xlsx")
    return None


def _output_problem(output: Path) -> str | None:
    """Why the summary cannot be written there; it never replaces a file, input or not."""
    return new_workbook_problem(output, "汇总工作簿")


class Progress:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, total: int, stream=None, width: int = 30):
        self.stream = stream or sys.stderr
        self.total, self.width = total, width
        self.enabled = total > 1 and self.stream.isatty()
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self._last < 0.1 and done < total):
            return
        self._last = now
        filled = self.width * done // total
        self.stream.write(f"\r检查中 [{'#' * filled}{'.' * (self.width - filled)}] {done}/{total}")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * (self.width + 30) + "\r")
            self.stream.flush()


# Many blanks in one sheet (a half-filled workbook) read better as one line.
_COLLAPSE = {"CELL-BLANK", "TOTAL-BLANK"}
_COLLAPSE_OVER = 6


# Control characters from a hostile file (terminal escape codes) never reach the console.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def render_text(name: str, agency: str, year, document: str, findings: list[Finding], verbose: bool = False) -> str:
    """Findings grouped by sheet, each with its cells and both sides of the identity."""
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    lines = [f"{name}：{agency or '（未填机关名称）'} {year or '？'} 年度，{document}格式"]
    by_sheet: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        if f.severity is not Severity.INFO or verbose:
            by_sheet[f.table or "工作簿"].append(f)
    for sheet, items in by_sheet.items():
        lines.append(f"\n【{sheet}】")
        for rule in _COLLAPSE:
            same = [f for f in items if f.rule == rule]
            if len(same) > _COLLAPSE_OVER and not verbose:
                items = [f for f in items if f.rule != rule]
                cells = "、".join(f.cells[0].a1 for f in same)
                what = "合计单元格为空，请点击“填充合计”" if rule == "TOTAL-BLANK" else "单元格为空，没有发生的请填 0"
                lines.append(f"  [{same[0].severity.label}] {rule}  {len(same)} 个{what}：{cells}")
        for f in items:
            lines.append(f"  [{f.severity.label}] {f.rule}  {f.message}")
            if len(f.cells) > 1:
                # a cell of an imported report has no coordinate: name it by 表/行/列 instead
                where = list(dict.fromkeys(c.a1 if c.coord else c.name for c in f.cells))
                if len(where) > 3 and not any(c.coord for c in f.cells):
                    where = [f"{where[0]} 等 {len(where)} 个单元格"]
                lines.append("      涉及单元格：" + "、".join(where))
    lines.append("")
    if counts[Severity.ERROR]:
        lines.append(f"共 {counts[Severity.ERROR]} 个错误、{counts[Severity.WARNING]} 个警告。")
    else:
        lines.append(f"校验通过：没有错误（{counts[Severity.WARNING]} 个警告）。")
    if counts[Severity.INFO] and not verbose:
        lines.append(f"另有 {counts[Severity.INFO]} 条提示（含空白或文本的勾稽关系未能核对），加 --verbose 查看。")
    return _CONTROL.sub("\ufffd", "\n".join(lines)) + "\n"
