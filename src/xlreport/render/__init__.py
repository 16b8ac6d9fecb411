"""The final report from a Report value: .docx (公文 layout), .html (portal), .pdf (via LibreOffice).

document.py composes one document model and grid.py the statutory tables; the renderers only lay
them out. python-docx is imported inside the .docx renderer, never at xlreport import time.
Checking the report and writing the files is the build use case (usecases/build.py).
"""

from __future__ import annotations

from pathlib import Path


class BuildError(Exception):
    """The report could not be written; the message is for staff, in Chinese."""

    def __init__(self, message: str, written: list[Path] | None = None):
        super().__init__(message)
        self.written = written or []  # files finished before the failure
