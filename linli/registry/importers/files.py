"""Reading an uploaded CSV or Excel file into a header and numbered rows of text."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import zipfile
from collections.abc import Iterator
from pathlib import PurePath
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from linli.core.spreadsheets import csv_text

MAX_BYTES = 10 * 1024 * 1024
# Far above any real sub-district (≈2,600 enterprises) yet low enough that a compressed
# workbook cannot keep a request busy for minutes.
MAX_ROWS = 50_000
# What an .xlsx may unpack to. A workbook is a zip: 300 KB can unpack to gigabytes (a
# "zip bomb"), and openpyxl reads the shared strings whole. A real 50,000-row sheet unpacks to
# well under this.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
# How many parts (zip members) an .xlsx may have. A real workbook has a few dozen (sheets, styles,
# shared strings, relationships); thousands of tiny members only cost time to list and open.
MAX_MEMBERS = 1_000
EXTENSIONS = (".csv", ".xlsx")


class ImportFileError(Exception):
    """The file as a whole cannot be imported: wrong type, unreadable, too big, bad header."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_upload(filename: str, size: int) -> None:
    """Refuse a file before reading it, so a huge or foreign upload costs nothing."""
    if PurePath(filename or "").suffix.lower() not in EXTENSIONS:
        raise ImportFileError(_("Upload a .csv or .xlsx file."))
    if size == 0:
        raise ImportFileError(_("The file is empty."))
    if size > MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(size)s MB; split it into smaller files.")
            % {"size": MAX_BYTES // (1024 * 1024)}
        )


def read_upload(upload: Any) -> bytes:
    """The bytes of an uploaded file, checked for type and size before they are read."""
    check_upload(upload.name, upload.size or 0)
    return bytes(upload.read())


def read_table(filename: str, content: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-empty data rows (maybe none), numbered as a spreadsheet shows them."""
    check_upload(filename, len(content))
    suffix = PurePath(filename).suffix.lower()
    raw = _csv_rows(content) if suffix == ".csv" else _xlsx_rows(content)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for number, values in raw:
        cells = [cell_text(v) for v in values]
        if header is None:
            if number != 1 or not any(cells):
                raise ImportFileError(_("The first row must hold the column names."))
            header = _trim(cells)
            continue
        cells = cells[: len(header)]
        if not any(cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(count)s rows; split it into smaller files.")
                % {"count": MAX_ROWS}
            )
        rows.append((number, cells + [""] * (len(header) - len(cells))))
    if header is None:
        raise ImportFileError(_("The file is empty."))
    return header, rows


def _trim(cells: list[str]) -> list[str]:
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _csv_rows(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    text = None
    # utf-8-sig reads files with and without a BOM; GB18030 is what Excel on Chinese Windows writes.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None or "\x00" in text:
        raise ImportFileError(
            _("This file is not readable as CSV text; save it as CSV (UTF-8 or GB18030).")
        )
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        # Numbered by record, not by physical line: a quoted cell may span lines, and a
        # spreadsheet shows it as one row.
        for number, row in enumerate(reader, start=1):
            yield number, [csv_text(cell) for cell in row]
    except csv.Error as exc:
        raise ImportFileError(
            _("This file is not readable as CSV text; save it as CSV (UTF-8 or GB18030).")
        ) from exc


def check_unpacked_size(content: bytes) -> None:
    """Refuse a workbook of more than ``MAX_MEMBERS`` parts or that would unpack to more than
    ``MAX_UNPACKED_BYTES``, from its zip directory, before anything is unpacked."""
    unreadable = _("This file cannot be read as an Excel workbook (.xlsx).")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFileError(unreadable) from exc
    if len(members) > MAX_MEMBERS:
        raise ImportFileError(
            _(
                "This workbook has more than %(count)s parts; a real one has a few dozen. Save "
                "it again from Excel, or the data as CSV."
            )
            % {"count": MAX_MEMBERS}
        )
    if sum(info.file_size for info in members) > MAX_UNPACKED_BYTES:
        raise ImportFileError(
            _(
                "This workbook unpacks to more than %(size)s MB; save a smaller one, or the "
                "data as CSV."
            )
            % {"size": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    unreadable = _("This file cannot be read as an Excel workbook (.xlsx).")
    check_unpacked_size(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:
        # openpyxl raises anything from BadZipFile to KeyError on a damaged or foreign file;
        # all of them mean the same to the person uploading it.
        raise ImportFileError(unreadable) from exc
    try:
        if not workbook.worksheets:
            raise ImportFileError(unreadable)
        sheet = workbook.worksheets[0]
        # A stated dimension of thousands of columns would make every row that wide.
        sheet.reset_dimensions()
        # From row 1 whatever the sheet claims, so the numbering is the spreadsheet's.
        yield from enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1)
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(unreadable) from exc
    finally:
        workbook.close()


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        # Excel stores every number as a float; 40.0 is the headcount 40.
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    return str(value).strip()
