"""xlreport build: the final report (.docx in 公文 layout, .html, optionally .pdf) from a workbook."""

from __future__ import annotations

import sys
from pathlib import Path

from . import EXIT_FINDINGS, EXIT_OK, fail


def register(sub) -> None:
    p = sub.add_parser("build", help="生成年度报告：.docx（公文格式）和 .html（网页），可选 .pdf")
    p.add_argument("file", metavar="FILE", help="工作簿 .xlsx")
    p.add_argument("-o", "--output-dir", metavar="DIR", help="输出文件夹（默认与工作簿相同；不存在则新建）")
    p.add_argument("--docx", action="store_true", help="生成 Word 文档（公文格式）")
    p.add_argument("--html", action="store_true", help="生成网页（可直接粘贴到政府网站）")
    p.add_argument("--pdf", action="store_true", help="生成 PDF（需要安装 LibreOffice）")
    p.add_argument("--force", action="store_true", help="有错误也生成，每页页眉标注“校验未通过稿”，仅供内部核对")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..render import BuildError
    from ..rules.findings import Severity
    from ..usecases.build import DEFAULT_FORMATS, FORMATS, build_report
    from ..usecases.files import check_file
    from ..workbook.safezip import ReadError
    from .check import render_text

    src = Path(args.file)
    formats = [f for f in FORMATS if getattr(args, f)] or list(DEFAULT_FORMATS)
    try:
        report, findings = check_file(src)
    except ReadError as exc:
        return fail(str(exc))
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if errors:
        print(render_text(str(src), report.agency, report.year, report.form.document, findings))
        if not args.force:
            print(
                f"错误：工作簿有 {len(errors)} 个错误，未生成报告。请更正后重新运行；"
                "如需先生成草稿供内部核对，加 --force（每页标注“校验未通过稿”）。",
                file=sys.stderr,
            )
            return EXIT_FINDINGS
    out_dir = Path(args.output_dir) if args.output_dir else src.parent
    try:
        paths = build_report(report, out_dir, formats, force=args.force, findings=findings, stem=src.stem, source=src)
    except BuildError as exc:
        for path in exc.written:
            print(f"已生成 {path}")
        return fail(str(exc))
    for path in paths:
        print(f"已生成 {path}")
    if errors:
        print(f"注意：以上文件是“校验未通过稿”（{len(errors)} 个错误未更正），不得公开发布。", file=sys.stderr)
        return EXIT_FINDINGS
    warnings = sum(1 for f in findings if f.severity is Severity.WARNING)
    if warnings:
        print(f"另有 {warnings} 个警告，运行 xlreport check {src} 查看。")
    return EXIT_OK
