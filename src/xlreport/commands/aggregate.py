"""xlreport aggregate: sum many agencies' workbooks of one year into one standard workbook."""

from __future__ import annotations

from pathlib import Path

from . import EXIT_FINDINGS, EXIT_OK, fail, new_workbook_problem

_EPILOG = """\
只汇总同一报告年度、同一格式版本、没有错误的工作簿；有错误（如空白、文本单元格）的文件会被点名拒绝，
不会被跳过或当作 0 计入。同一机关同一年度的多份报告（重新报送的、复制的、工作簿旁已发布的报告）、
完全相同的文件、统计表数字完全相同的文件也会被点名拒绝：同一机关只能计算一次，请只保留一份。
结果是一个标准工作簿（封面机关为 --agency，另附“来源”工作表列出各文件的机关、修改时间和哈希值），
可以再用 xlreport check 检查。退出码：0 成功；2 无法汇总（原因见提示）。"""


def register(sub) -> None:
    import argparse

    p = sub.add_parser("aggregate", help="把多个机关同一年度的工作簿汇总成一个（如县政府汇总各部门）",
                       epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("files", nargs="+", metavar="文件或文件夹", help="要汇总的工作簿 .xlsx，或包含它们的文件夹")
    p.add_argument("-o", "--output", required=True, metavar="汇总.xlsx", help="输出工作簿（不会覆盖已有文件）")
    p.add_argument("--agency", required=True, help="汇总报告的机关名称，写在封面，如“某某县人民政府”")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..rules.findings import Severity
    from ..usecases.aggregate import (
        AggregateError,
        combine,
        read_sources,
        write_aggregate,
    )
    from ..usecases.batch import discover
    from ..usecases.files import check_file

    out = Path(args.output)
    problem = new_workbook_problem(out)
    if problem:
        return fail(problem)
    if not args.agency.strip():
        return fail("--agency 不能为空：汇总报告的封面需要机关名称")
    paths = discover(args.files)
    if not paths:
        return fail("没有找到要汇总的工作簿（.xlsx）")
    try:
        sources = read_sources(paths)
        report = combine(sources, args.agency.strip())
    except AggregateError as exc:
        return fail(str(exc))
    write_aggregate(report, sources, out)
    _, findings = check_file(out)  # the written file, as check will see it
    n = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    print(f"已汇总 {len(sources)} 个文件（{report.year} 年度，{report.form.document}格式）：{out}")
    print(f"汇总结果校验：{n[Severity.ERROR]} 个错误，{n[Severity.WARNING]} 个警告（正文需由汇总机关填写）。")
    return EXIT_FINDINGS if n[Severity.ERROR] else EXIT_OK
