"""PDF adapter: the text layer as layout text (pdftotext -layout from poppler-utils, else pypdf's
layout mode), then the plain-text adapter in layout mode. A PDF without a text layer (a scan)
is refused with a message saying what to do."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from ..workbook.safezip import ReadError
from .document import Document
from .text import parse_text

PDFTOTEXT_TIMEOUT = 120  # seconds; a report is a few pages


def read_pdf_file(path: Path) -> Document:
    text = pdf_text(path)
    if len(re.sub(r"\s", "", text)) < 20:
        raise ReadError(
            f"{path.name} 没有文字层（可能是扫描件或图片），无法读取其中的文字。"
            "请先用 WPS 或 Adobe Acrobat 的“文字识别（OCR）”转成可选中文字的 PDF，或改为导入网页版、Word 版年报"
        )
    return parse_text(text, kind="PDF", where=lambda n, page: f"PDF第{page}页", layout=True)


def pdf_text(path: Path) -> str:
    """Pages separated by form feeds, as pdftotext writes them."""
    exe = shutil.which("pdftotext")
    if exe:
        try:
            done = subprocess.run([exe, "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                                  timeout=PDFTOTEXT_TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise ReadError(f"{path.name} 读取超时（超过 {PDFTOTEXT_TIMEOUT} 秒）") from None
        if done.returncode != 0:
            err = done.stderr.decode("utf-8", "replace")
            if "password" in err.lower():
                raise ReadError(f"{path.name} 设置了打开密码，请取消密码后再导入")
            raise ReadError(f"{path.name} 已损坏或不是 PDF 文件：{err.strip().splitlines()[-1] if err.strip() else ''}")
        return done.stdout.decode("utf-8", "replace")
    try:
        from pypdf import PdfReader
    except ImportError:
        raise ReadError(
            "读取 PDF 需要 poppler-utils 中的 pdftotext（Debian/Ubuntu：apt-get install poppler-utils）"
            "或 Python 包 pypdf（pip install pypdf）"
        ) from None
    return _pypdf_text(path, PdfReader)


def _pypdf_text(path: Path, reader_class) -> str:
    try:
        reader = reader_class(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReadError(f"{path.name} 设置了打开密码，请取消密码后再导入")
        return "\f".join(page.extract_text(extraction_mode="layout") for page in reader.pages)
    except ReadError:
        raise
    except Exception as exc:  # pypdf raises many kinds on damaged files
        raise ReadError(f"{path.name} 已损坏或不是 PDF 文件：{exc}") from None
