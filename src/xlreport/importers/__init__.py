"""Published annual reports in, Report values out.

`load_report(path)` reads a standard workbook (.xlsx) or a published report: text copied
from a web page or extracted from a PDF (.txt), HTML, Word (.docx), PDF with a text layer.
Each format adapter turns the file into a `document.Document` (paragraphs and tables as the
source shows them); the pure core in `build` turns that into a Report. Heavy libraries
(lxml, python-docx) are imported inside their adapters only.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Report
from ..rules.findings import Finding
from ..rules.imports import IMPORT_RULES
from ..workbook.safezip import ReadError

__all__ = ["IMPORT_RULES", "REPORT_SUFFIXES", "ReadError", "load_report", "parse_document"]

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
REPORT_SUFFIXES = WORKBOOK_SUFFIXES + TEXT_SUFFIXES + HTML_SUFFIXES + (".docx", ".pdf")
# A published report is tens of KB of text; parsing takes about 0.6 s and 17 MB of memory per MB.
MAX_TEXT_BYTES = 10 * 1024 * 1024


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES or suffix in (".xls", ".ods", ".et"):
        return "workbook"
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix == ".docx":
        return "docx"
    if suffix == ".pdf":
        return "pdf"
    if suffix in (".doc", ".wps"):
        raise ReadError(f"{path.name} 是旧版 Word 文件，请在 Word 或 WPS 中另存为 .docx 后再导入")
    with path.open("rb") as fh:  # unknown suffix: look at the content
        head = fh.read(2048)
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK"):
        import zipfile

        try:
            with zipfile.ZipFile(path) as zf:
                members = set(zf.namelist())
        except zipfile.BadZipFile:
            raise ReadError(f"{path.name} 已损坏，无法读取") from None
        return "docx" if "word/document.xml" in members else "workbook"
    if b"<html" in head.lower() or b"<table" in head.lower() or b"<!doctype" in head.lower():
        return "html"
    return "text"


def parse_document(path: Path):
    """The format adapter's Document for a published report file."""
    kind = _kind(path)
    if kind == "text":
        from .text import read_text_file

        return read_text_file(path)
    if kind == "html":
        from .html import read_html_file

        return read_html_file(path)
    if kind == "docx":
        from .docx import read_docx_file

        return read_docx_file(path)
    if kind == "pdf":
        from .pdf import read_pdf_file

        return read_pdf_file(path)
    raise ValueError(kind)


def load_report(path: str | Path, engine: str = "calamine") -> tuple[Report, list[Finding]]:
    """Read a workbook or a published report; the findings are problems met while reading
    (the same list as report.read_findings, so checks.report.validate(report) includes them).

    Raises ReadError (Chinese message) for a file that cannot be read at all.
    """
    path = Path(path)
    if not path.exists():
        raise ReadError(f"找不到文件：{path}")
    if path.is_dir():
        raise ReadError(f"{path} 是文件夹，不是年报文件")
    if path.stat().st_size == 0:
        raise ReadError(f"{path.name} 是空文件（0 字节）")
    kind = _kind(path)
    if kind == "workbook":
        from ..workbook.reader import read_report

        report = read_report(path, engine)
        return report, report.read_findings
    size = path.stat().st_size
    if kind in ("text", "html") and size > MAX_TEXT_BYTES:
        raise ReadError(f"{path.name} 过大（{size / 1024 / 1024:.0f} MB，年报的文字通常不到 1 MB），不像一份年报，"
                        f"未读取；请确认是否选错了文件（上限 {MAX_TEXT_BYTES // 1024 // 1024} MB）")
    from .build import NotAReport, build_report

    try:
        return build_report(parse_document(path))
    except NotAReport as exc:  # a notice or a letter in the inbox: say so, rather than list 200 blank cells
        raise ReadError(f"{path.name} 不像政府信息公开工作年度报告：{exc}") from None
