"""PDF through LibreOffice headless: the .docx converted by soffice, where it is installed.

Each conversion gets its own temporary profile (-env:UserInstallation), so it neither waits for nor
disturbs a LibreOffice the user has open, and a timeout ends the whole process group it started.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from . import BuildError

TIMEOUT = 180  # seconds; a first start of LibreOffice with a fresh profile takes a few

_STANDARD_PLACES = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
)

MISSING = (
    "未找到 LibreOffice（soffice），无法生成 PDF。"
    "请安装 LibreOffice（https://zh-cn.libreoffice.org）后重试，"
    "或用 Word / WPS 打开生成的 .docx，另存为 PDF。"
)


def find_soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((p for p in _STANDARD_PLACES if Path(p).is_file()), None)


def _run(cmd: list[str], timeout: float, log: Path) -> tuple[int, str]:
    """Run soffice with its output in a file (no pipe a stray child could hold open)."""
    posix = sys.platform != "win32"
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=posix)
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            if posix:
                os.killpg(proc.pid, signal.SIGKILL)  # soffice starts soffice.bin as a child
            else:
                proc.kill()
            proc.wait()
            raise BuildError(f"LibreOffice 转换 PDF 超时（{timeout:g} 秒），已停止。可用 Word / WPS 打开 .docx 另存为 PDF。") from None
    return code, log.read_text("utf-8", "replace")


def docx_to_pdf(docx: bytes, timeout: float = TIMEOUT, soffice: str | None = None) -> bytes:
    return to_pdf(docx, ".docx", timeout, soffice)


def to_pdf(document: bytes, suffix: str, timeout: float = TIMEOUT, soffice: str | None = None) -> bytes:
    """Any document LibreOffice opens (.docx, .xlsx: every visible sheet's print area) as PDF."""
    exe = soffice or find_soffice()
    if exe is None:
        raise BuildError(MISSING)
    with tempfile.TemporaryDirectory(prefix="xlreport-pdf-") as tmp:
        folder = Path(tmp)
        src = (folder / "report").with_suffix(suffix)
        src.write_bytes(document)
        profile = (folder / "profile").as_uri()
        cmd = [exe, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nolockcheck",
               "--convert-to", "pdf", "--outdir", str(folder), str(src)]
        try:
            code, output = _run(cmd, timeout, folder / "soffice.log")
        except OSError as exc:
            raise BuildError(f"无法启动 LibreOffice（{exe}）：{exc}") from None
        pdf = folder / "report.pdf"
        if not pdf.is_file():
            detail = output.strip().splitlines()[-1:] or [f"退出码 {code}"]
            raise BuildError(f"LibreOffice 未能生成 PDF：{detail[0]}")
        return pdf.read_bytes()
