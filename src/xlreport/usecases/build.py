"""Build the final report files from a Report value: refuse on errors unless forced, write atomically."""

from __future__ import annotations

import re
from pathlib import Path

from ..checks.report import validate
from ..model import Report
from ..render import BuildError
from ..rules.findings import Finding, Severity
from ..workbook.writer import atomic_write

FORMATS = ("docx", "html", "pdf")
DEFAULT_FORMATS = ("docx", "html")


class BuildRefused(BuildError):
    """The workbook has error findings and the build was not forced."""

    def __init__(self, errors: list[Finding]):
        super().__init__(f"工作簿有 {len(errors)} 个错误，未生成报告。请更正后重新生成，或加 --force 生成标注“校验未通过稿”的草稿。")
        self.errors = errors


def file_stem(title: str) -> str:
    """A file name from the title, without characters Windows refuses."""
    return re.sub(r'[\\/:*?"<>|\s]+', "_", title).strip("._") or "report"


def build_report(
    report: Report,
    out_dir: str | Path,
    formats=DEFAULT_FORMATS,
    force: bool = False,
    findings: list[Finding] | None = None,
    *,
    stem: str | None = None,
    source: str | Path | None = None,
) -> list[Path]:
    """Write the report as out_dir/<stem>.<format> for each format, atomically; return the paths.

    Refuses (BuildRefused) while `findings` (default: validate(report)) hold errors, unless
    `force`, which marks every page 校验未通过稿. Never writes over `source`, the input workbook.
    """
    from ..render.document import compose

    formats = tuple(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ValueError(f"未知的输出格式：{unknown}；可选 {', '.join(FORMATS)}")
    if findings is None:
        findings = validate(report)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if errors and not force:
        raise BuildRefused(errors)
    doc = compose(report, draft=bool(errors))
    folder = Path(out_dir)
    targets = {fmt: folder / f"{stem or file_stem(doc.title)}.{fmt}" for fmt in formats}
    if source is not None:
        src = Path(source).resolve()
        for path in targets.values():
            if path.resolve() == src:
                raise BuildError(f"输出文件 {path} 就是输入的工作簿，不会覆盖；请用 -o 指定其他文件夹")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(f"无法创建输出文件夹 {folder}：{exc.strerror or exc}") from None
    if not folder.is_dir():
        raise BuildError(f"{folder} 不是文件夹")

    written: list[Path] = []

    def write(fmt: str, data: bytes) -> None:
        path = targets[fmt]
        try:
            atomic_write(path, lambda fh: fh.write(data))
        except PermissionError:
            raise BuildError(f"无法写入 {path}：文件可能正在 Word、WPS 或浏览器中打开，请关闭后重试", written) from None
        except OSError as exc:
            raise BuildError(f"无法写入 {path}：{exc.strerror or exc}", written) from None
        written.append(path)

    for fmt in formats:
        if fmt == "docx":
            from ..render.docx import render_docx

            write(fmt, render_docx(doc))
        elif fmt == "html":
            from ..render.html import render_html

            write(fmt, render_html(doc).encode("utf-8"))
        else:
            from ..render.docx import render_docx
            from ..render.pdf import docx_to_pdf

            try:
                pdf = docx_to_pdf(render_docx(doc, justify=False))
            except BuildError as exc:
                raise BuildError(str(exc), written) from None
            write(fmt, pdf)
    return written
