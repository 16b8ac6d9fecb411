"""The ribbon's entry point. Each button's VBA callback runs, through xlwings' RunPython,

    import xlreport.excel.dispatch as d; d.run('<button id>')

in a fresh Python process, on the workbook that was active (xw.Book.caller()).
Button ids are those of excel.buttons.BUTTONS; the actions are in xlreport.excel.ribbon.
xlwings is imported only inside run(), without pandas (see xlgrid.import_xlwings).
"""

from __future__ import annotations

import logging
import sys

from . import ribbon
from .xlgrid import XlGrid, import_xlwings

log = logging.getLogger("xlreport.excel")


def run(button_id: str, book=None, **options) -> object:
    """Run one button on `book` (default: the workbook Excel called from)."""
    log_file = ribbon.start_log()
    try:
        if book is None:
            book = import_xlwings().Book.caller()
        grid = XlGrid(book)
    except Exception as exc:
        log.exception("cannot attach to the workbook for %s", button_id)
        message = "无法连接到当前工作簿。" + ribbon.failure_message(exc, log_file)
        if book is not None:
            try:
                book.app.alert(message, title="年报工具")
                return None
            except Exception:
                log.exception("cannot show the alert")
        # RunPython shows what a failed process wrote to stderr in a message box.
        print(message, file=sys.stderr)
        raise SystemExit(1) from None
    return ribbon.perform(grid, button_id, log_file, **options)
