"""Excel workbooks written from rows: one writer for every download.

User text is written as text. A cell that starts with ``=`` (or ``+``, ``-``, ``@``) would be a
formula if written plainly, and a formula in a download runs on the reader's machine (CSV/
formula injection), so strings are always stored as string cells.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet


def cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """One cell: numbers stay numbers; text, dates and decimals are text, so they re-import
    exactly and never run as formulas."""
    if value is None or isinstance(value, bool | int | float):
        return value
    written = WriteOnlyCell(sheet, value=str(value))
    written.data_type = "s"
    return written


def add_sheet(workbook: Workbook, name: str, table: Iterable[list[Any]]) -> None:
    sheet = workbook.create_sheet(name)
    for row in table:
        sheet.append([cell(sheet, v) for v in row])


def rows_to_xlsx(sheet_name: str, table: Iterable[list[Any]]) -> bytes:
    """One sheet of rows, as the bytes of an .xlsx file."""
    workbook = Workbook(write_only=True)
    add_sheet(workbook, sheet_name, table)
    return workbook_bytes(workbook)


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
