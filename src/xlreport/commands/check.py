"""xlreport check: validate workbooks and print findings as text or JSON."""

from __future__ import annotations

import json
import sys
from collections import defaultdict

from ..rules.findings import Finding, Severity
from . import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE


def register(sub) -> None:
    p = sub.add_parser("check", help="校验工作簿的勾稽关系与填写规范")
    p.add_argument("files", nargs="+", metavar="FILE", help="工作簿 .xlsx")
    p.add_argument("--format", choices=("text", "json"), default="text", help="输出格式")
    p.add_argument("--verbose", action="store_true", help="同时列出“提示”级别的结果")
    p.add_argument("--engine", choices=("calamine", "openpyxl"), default="calamine", help="读取引擎（默认 calamine）")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..actions import check_file
    from ..workbook.reader import ReadError

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
        if any(f.severity is Severity.ERROR for f in findings) and worst == EXIT_OK:
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


# Many blanks in one sheet (a half-filled workbook) read better as one line.
_COLLAPSE = {"CELL-BLANK", "TOTAL-BLANK"}
_COLLAPSE_OVER = 6


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
                lines.append("      涉及单元格：" + "、".join(c.a1 for c in f.cells))
    lines.append("")
    if counts[Severity.ERROR]:
        lines.append(f"共 {counts[Severity.ERROR]} 个错误、{counts[Severity.WARNING]} 个警告。")
    else:
        lines.append(f"校验通过：没有错误（{counts[Severity.WARNING]} 个警告）。")
    if counts[Severity.INFO] and not verbose:
        lines.append(f"另有 {counts[Severity.INFO]} 条提示（含空白或文本的勾稽关系未能核对），加 --verbose 查看。")
    return "\n".join(lines) + "\n"
