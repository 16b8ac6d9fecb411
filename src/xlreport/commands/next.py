"""xlreport next: next year's workbook from this year's, with 上年结转 prefilled."""

from __future__ import annotations

from pathlib import Path

from . import EXIT_OK, fail, new_workbook_problem


def register(sub) -> None:
    p = sub.add_parser("next", help="由本年度工作簿生成下一年度工作簿（预填上年结转，沿用封面信息）")
    p.add_argument("file", metavar="FILE", help="本年度工作簿 .xlsx")
    p.add_argument("-o", "--output", required=True, help="下一年度工作簿 .xlsx（不会覆盖已有文件）")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..checks.crossyear import carried_keys, roll_forward
    from ..usecases.files import load_any
    from ..workbook.export import write_report_workbook
    from ..workbook.safezip import ReadError

    out = Path(args.output)
    problem = new_workbook_problem(out)
    if problem:
        return fail(problem)
    try:
        source = load_any(args.file)
        rolled = roll_forward(source)
        write_report_workbook(rolled, out)
    except (ReadError, ValueError, FileExistsError) as exc:
        return fail(str(exc))
    form = rolled.form
    print(f"已新建 {out}：{rolled.year} 年度，{form.document}格式（由 {source.year} 年度 {args.file} 结转）")
    if form.version != source.form.version:
        print(f"  格式由{source.form.document}改为{form.document}：表二按新格式留空，原格式表二的数字不结转")
    keys = carried_keys(rolled)
    rows = dict.fromkeys(form.cell(k).row_label for k in keys)
    print(f"  已从上年预填 {len(keys)} 个单元格：" + ("、".join(rows) or "无"))
    print("  封面信息已沿用（成文日期已清空）；正文和其他数字留空待填")
    for f in rolled.read_findings:
        print(f"  [{f.severity.label}] {f.rule}  {f.message}")
    return EXIT_OK
