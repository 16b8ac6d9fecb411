"""Writing one cell of a workbook that openpyxl builds: untrusted text never becomes a formula."""

from __future__ import annotations

from .safezip import xml_chars

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what Excel, LibreOffice or a CSV import may take for a formula


def set_cell(ws, row: int, col: int, value) -> None:
    """Write a value; text that a spreadsheet could take for a formula stays text.

    File names, agency names and messages come from files we do not trust. Text starting with
    = + - @ is stored as a string with Excel's quote prefix (as if typed after an apostrophe),
    so neither opening the file nor editing the cell turns it into a formula. Characters a
    workbook cannot hold (control characters, lone surrogates from undecodable file names)
    are dropped rather than failing the whole file.
    """
    if isinstance(value, str):
        value = xml_chars(value)
    cell = ws.cell(row, col)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True
