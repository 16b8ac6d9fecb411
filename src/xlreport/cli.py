"""xlreport 命令行：新建、检查、填充合计。

Exit codes: 0 no error findings, 1 error findings, 2 usage error or unreadable file.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

from . import __version__
from .rules.findings import Finding, Severity

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own words stay, the frame is Chinese
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"命令用法有误：{message}\n请运行 xlreport -h 查看帮助。\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="xlreport", description="政府信息公开工作年度报告工具：标准工作簿、勾稽关系校验、填充合计。")
    p.add_argument("--version", action="version", version=f"xlreport {__version__}")
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)

    new = sub.add_parser("new", help="按报告年度新建标准工作簿（自动选择格式版本）")
    new.add_argument("--year", type=int, required=True, help="报告年度，如 2026")
    new.add_argument("--agency", default="", help="机关名称")
    new.add_argument("-o", "--output", required=True, help="输出文件 .xlsx（不会覆盖已有文件）")

    check = sub.add_parser("check", help="校验工作簿的勾稽关系与填写规范")
    check.add_argument("files", nargs="+", metavar="FILE", help="工作簿 .xlsx")
    check.add_argument("--format", choices=("text", "json"), default="text", help="输出格式")
    check.add_argument("--verbose", action="store_true", help="同时列出“提示”级别的结果")
    check.add_argument("--engine", choices=("calamine", "openpyxl"), default="calamine", help=argparse.SUPPRESS)

    fill = sub.add_parser("fill", help="计算并填写全部合计单元格（只改合计，不改填报数据）")
    fill.add_argument("file", metavar="FILE")
    fill.add_argument("-o", "--output", help="另存为（默认原地更新，并保留备份）")
    fill.add_argument("--no-backup", action="store_true", help="原地更新时不保留备份")

    rules = sub.add_parser("rules", help="列出全部校验规则")
    rules.add_argument("--format", choices=("text", "markdown"), default="text")
    return p


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # Chinese on any console
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    args = build_parser().parse_args(argv)
    if args.command is None:
        build_parser().print_help()
        return EXIT_USAGE
    return {"new": cmd_new, "check": cmd_check, "fill": cmd_fill, "rules": cmd_rules}[args.command](args)


def _fail(message: str) -> int:
    print(f"错误：{message}", file=sys.stderr)
    return EXIT_USAGE


def cmd_new(args) -> int:
    from .forms import form_for_year
    from .workbook.template import write_workbook

    out = Path(args.output)
    if out.exists():
        return _fail(f"{out} 已存在，不会覆盖；请换一个文件名")
    if out.suffix.lower() != ".xlsx":
        return _fail("输出文件应以 .xlsx 结尾")
    if not out.parent.exists():
        return _fail(f"文件夹 {out.parent} 不存在")
    try:
        form = form_for_year(args.year)
    except ValueError as exc:
        return _fail(str(exc))
    write_workbook(out, form, year=args.year, agency=args.agency)
    print(f"已新建 {out}：{args.year} 年度，{form.document}格式")
    return EXIT_OK


def cmd_check(args) -> int:
    from .actions import check_file
    from .workbook.reader import ReadError

    worst = EXIT_OK
    results = []
    for name in args.files:
        try:
            report, findings = check_file(name, args.engine)
        except ReadError as exc:
            results.append({"file": name, "error": str(exc), "findings": []})
            if args.format == "text":
                print(f"{name}\n  无法读取：{exc}\n", file=sys.stderr)
            worst = EXIT_USAGE
            continue
        errors = any(f.severity is Severity.ERROR for f in findings)
        if errors and worst == EXIT_OK:
            worst = EXIT_FINDINGS
        results.append(
            {
                "file": name,
                "agency": report.agency,
                "year": report.year,
                "form_version": report.form.version,
                "findings": [f.to_dict() for f in findings],
            }
        )
        if args.format == "text":
            print(render_text(name, report.agency, report.year, report.form.document, findings, args.verbose))
    if args.format == "json":
        print(json.dumps(results if len(results) > 1 else results[0], ensure_ascii=False, indent=2))
    return worst


def render_text(name: str, agency: str, year, document: str, findings: list[Finding], verbose: bool = False) -> str:
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    lines = [f"{name}：{agency or '（未填机关名称）'} {year or '？'} 年度，{document}格式"]
    by_sheet: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        if f.severity is not Severity.INFO or verbose:
            by_sheet[f.table or "工作簿"].append(f)
    for sheet, items in by_sheet.items():
        lines.append(f"\n【{sheet}】")
        for f in items:
            lines.append(f"  [{f.severity.label}] {f.rule}  {f.message}")
            if len(f.cells) > 1:
                lines.append("      涉及单元格：" + "、".join(c.a1 for c in f.cells))
    lines.append("")
    if counts[Severity.ERROR]:
        lines.append(f"共 {counts[Severity.ERROR]} 个错误、{counts[Severity.WARNING]} 个警告。")
    else:
        lines.append(f"校验通过：没有错误（{counts[Severity.WARNING]} 个警告）。")
    if counts[Severity.INFO] and not verbose:
        lines.append(f"另有 {counts[Severity.INFO]} 条提示（含空白或文本的勾稽关系未能核对），加 --verbose 查看。")
    return "\n".join(lines) + "\n"


def cmd_fill(args) -> int:
    from .actions import fill_file
    from .workbook.reader import ReadError

    src = Path(args.file)
    if args.output and Path(args.output).exists() and Path(args.output).resolve() != src.resolve():
        return _fail(f"{args.output} 已存在，不会覆盖；请换一个文件名")
    try:
        result = fill_file(src, args.output, keep_backup=not args.no_backup)
    except ReadError as exc:
        return _fail(str(exc))
    if result.backup:
        print(f"原文件已备份为 {result.backup}")
    print(f"已填写 {len(result.written)} 个合计单元格，{len(result.unchanged)} 个原本正确：{result.output}")
    for f in result.findings:
        print(f"  [{f.severity.label}] {f.rule}  {f.message}")
    return EXIT_OK


def cmd_rules(args) -> int:
    from .rules.catalog import RULES, rules_markdown

    if args.format == "markdown":
        print(rules_markdown(), end="")
    else:
        for r in RULES:
            print(f"{r.id:<18}{r.severity.label}  {r.title}：{r.basis}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
