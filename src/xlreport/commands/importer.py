"""xlreport import: a published report (.txt/.html/.docx/.pdf) into a standard workbook."""

from __future__ import annotations

from pathlib import Path

from . import EXIT_FINDINGS, EXIT_OK, fail, new_workbook_problem


def register(sub) -> None:
    p = sub.add_parser(
        "import",
        help="导入已公开的年报（网页复制的文本、.html、.docx、带文字层的 .pdf），生成标准工作簿",
        description="读取已公开的政府信息公开工作年度报告，识别机关名称、年度和格式版本，"
                    "把统计表的每个数值和正文各部分填入标准工作簿。无法对应的内容逐条列出，不会静默丢弃。",
    )
    p.add_argument("report", metavar="REPORT", help="年报文件：.txt .html .docx .pdf（或 .xlsx）")
    p.add_argument("-o", "--output", required=True, help="输出工作簿 .xlsx（不会覆盖已有文件）")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..importers import load_report
    from ..rules.findings import Severity
    from ..workbook.export import write_report_workbook
    from ..workbook.safezip import ReadError

    src, out = Path(args.report), Path(args.output)
    problem = new_workbook_problem(out)
    if problem:
        return fail(problem)
    try:
        report, findings = load_report(src)
    except ReadError as exc:
        return fail(str(exc))
    try:
        write_report_workbook(report, out)
    except FileExistsError as exc:
        return fail(str(exc))
    filled = sum(1 for v in report.values.values() if v.state.value != "blank")
    print(f"已导入 {report.agency or '（未识别机关名称）'} {report.year or '？'} 年度报告（{report.form.document}格式）："
          f"{filled}/{len(report.values)} 个统计单元格有值 → {out}")
    for f in findings:
        print(f"  [{f.severity.label}] {f.rule}  {f.message}")
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    if errors:
        print(f"共 {errors} 处内容未能导入，请对照原文在工作簿中补填。")
    print(f"运行 xlreport check {out} 校验勾稽关系。")
    return EXIT_FINDINGS if errors else EXIT_OK
