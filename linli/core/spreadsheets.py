"""Excel workbooks and CSV files written from rows: one writer of each for every download.

User text is written as text. A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return would be a formula if a spreadsheet read it plainly, and a formula in a download
runs on the reader's machine (CSV/formula injection). In a workbook, strings are stored as string
cells; in a CSV, such a text gets a leading apostrophe, the spreadsheets' own mark for "text",
which ``csv_text`` takes off again when the file is imported back.
"""

from __future__ import annotations

import csv
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


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(cell: str) -> str:
    """A CSV cell as written before ``csv_cell`` protected it."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


def rows_to_csv(table: Iterable[list[Any]]) -> bytes:
    """UTF-8 with a BOM, which Excel on Chinese Windows needs to open it right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in table:
        writer.writerow([csv_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
