"""xlreport new: a standard workbook for a report year."""

from __future__ import annotations

from pathlib import Path

from . import EXIT_OK, fail, new_workbook_problem


def register(sub) -> None:
    p = sub.add_parser("new", help="按报告年度新建标准工作簿（自动选择格式版本）")
    p.add_argument("--year", type=int, required=True, help="报告年度，如 2026")
    p.add_argument("--agency", default="", help="机关名称")
    p.add_argument("-o", "--output", required=True, help="输出文件 .xlsx（不会覆盖已有文件）")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..forms import form_for_year
    from ..workbook.template import write_workbook

    out = Path(args.output)
    problem = new_workbook_problem(out)
    if problem:
        return fail(problem)
    try:
        form = form_for_year(args.year)
    except ValueError as exc:
        return fail(str(exc))
    write_workbook(out, form, year=args.year, agency=args.agency)
    print(f"已新建 {out}：{args.year} 年度，{form.document}格式")
    return EXIT_OK
