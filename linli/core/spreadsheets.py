"""Excel workbooks and CSV files written from rows: one writer of each for every download.

User text is written as text. A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return would be a formula if a spreadsheet read it plainly, and a formula in a download
runs on the reader's machine (CSV/formula injection). In a workbook, strings are stored as string
cells; in a CSV, such a text gets a leading apostrophe, the spreadsheets' own mark for "text",
which ``csv_text`` takes off again when the file is imported back.

This module is the only one that makes workbooks, cells and rows (``new_workbook``, ``cell``,
``append``); ``tests/test_export_formulas.py`` keeps it so.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from linli.core import clock


def cell(
    sheet: WriteOnlyWorksheet,
    value: Any,
    *,
    number_format: str | None = None,
    font: Font | None = None,
    fill: PatternFill | None = None,
) -> Any:
    """One cell: numbers stay numbers; text, dates and decimals are text, so they re-import
    exactly and never run as formulas. A number format, font or fill makes it a styled cell."""
    plain = value is None or isinstance(value, bool | int | float)
    if plain and number_format is None and font is None and fill is None:
        return value
    written = WriteOnlyCell(sheet, value=value if plain else str(value))
    if not plain:
        written.data_type = "s"
    if number_format is not None:
        written.number_format = number_format
    if font is not None:
        written.font = font
    if fill is not None:
        written.fill = fill
    return written


def append(sheet: WriteOnlyWorksheet, values: Iterable[Any]) -> None:
    """One row: cells made by ``cell`` as they are, anything else through ``cell``."""
    sheet.append([v if isinstance(v, Cell) else cell(sheet, v) for v in values])


def new_workbook() -> Workbook:
    """An empty write-only workbook; add sheets with ``create_sheet`` and rows with ``append``."""
    return Workbook(write_only=True)


def add_sheet(workbook: Workbook, name: str, table: Iterable[list[Any]]) -> None:
    sheet = workbook.create_sheet(name)
    for row in table:
        append(sheet, row)


def rows_to_xlsx(
    sheet_name: str, table: Iterable[list[Any]], *, about: list[list[Any]] | None = None
) -> bytes:
    """One sheet of rows, as the bytes of an .xlsx file; ``about`` (``about_rows``) goes above
    the table, separated from it by an empty row."""
    workbook = new_workbook()
    add_sheet(workbook, sheet_name, [*about, [], *table] if about else table)
    return workbook_bytes(workbook)


def about_rows(
    title: str, place: str, filters: Iterable[tuple[str, str]], computed_at: dt.datetime
) -> list[list[Any]]:
    """What an export is, where, with which filters and when it was computed: a reader of the
    file, or of a printout, knows what the figures stand for."""
    shown = "; ".join(f"{name}: {value}" for name, value in filters) or _("none")
    return [
        [title, place],
        [_("Filters"), shown],
        [_("Computed at"), f"{clock.local(computed_at):%Y-%m-%d %H:%M} (Asia/Shanghai)"],
    ]


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
