"""xlreport fill: compute and write every total cell, nothing else."""

from __future__ import annotations

from pathlib import Path

from . import EXIT_OK, fail


def register(sub) -> None:
    p = sub.add_parser("fill", help="计算并填写全部合计单元格（只改合计，不改填报数据）")
    p.add_argument("file", metavar="FILE")
    p.add_argument("-o", "--output", help="另存为（默认原地更新，并保留备份）")
    p.add_argument("--no-backup", action="store_true", help="原地更新时不保留备份")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..usecases.files import fill_file
    from ..workbook.safezip import ReadError

    src = Path(args.file)
    if args.output and Path(args.output).exists() and Path(args.output).resolve() != src.resolve():
        return fail(f"{args.output} 已存在，不会覆盖；请换一个文件名")
    try:
        result = fill_file(src, args.output, keep_backup=not args.no_backup)
    except ReadError as exc:
        return fail(str(exc))
    except OSError as exc:  # disk full, a read-only folder, the workbook open in Excel on Windows
        return fail(f"无法写入 {args.output or src}：{exc.strerror or exc}。原文件未改动；如文件已在 Excel 中打开，请先关闭")
    if result.backup:
        print(f"原文件已备份为 {result.backup}")
    print(f"已填写 {len(result.written)} 个合计单元格，{len(result.unchanged)} 个原本正确：{result.output}")
    for f in result.findings:
        print(f"  [{f.severity.label}] {f.rule}  {f.message}")
    return EXIT_OK
