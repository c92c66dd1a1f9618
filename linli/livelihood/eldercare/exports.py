"""Excel exports of elderly care (``linli.core.spreadsheets``): hours and statistics."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from linli.core.http import xlsx_response
from linli.core.spreadsheets import add_sheet, new_workbook, workbook_bytes
from linli.livelihood.eldercare.models import CareOrder, Grade


def _hours_rows(rows: list[dict[str, Any]], first: str) -> list[list[Any]]:
    return [
        [first, _("Hours entitled"), _("Hours delivered"), _("Missed visits")],
        *([r["name"], float(r["entitled"]), float(r["delivered"]), r["missed"]] for r in rows),
    ]


def hours_workbook(
    month: dt.date, persons: list[dict[str, Any]], providers: list[dict[str, Any]]
) -> HttpResponse:
    book = new_workbook()
    add_sheet(book, _("Elders"), _hours_rows(persons, _("Elder")))
    add_sheet(book, _("Providers"), _hours_rows(providers, _("Provider")))
    return xlsx_response(workbook_bytes(book), f"care-hours-{month:%Y-%m}.xlsx")


def statistics_workbook(month: dt.date, figures: dict[str, Any]) -> HttpResponse:
    book = new_workbook()
    grades, kinds = dict(Grade.choices), dict(CareOrder.Kind.choices)
    add_sheet(
        book,
        _("Orders by grade"),
        [
            [_("Grade"), _("Kind of care"), _("Orders")],
            *(
                [str(grades.get(r["grade"], r["grade"])), str(kinds[r["kind"]]), r["orders"]]
                for r in figures["by_grade"]
            ),
        ],
    )
    add_sheet(book, _("Hours"), _hours_rows(figures["providers"], _("Provider")))
    add_sheet(
        book,
        _("Care homes"),
        [
            [_("Care home"), _("Beds"), _("Occupied"), _("Waiting")],
            *(
                [r["facility"].name, r["capacity"], r["occupied"], r["waiting"]]
                for r in figures["homes"]
            ),
        ],
    )
    return xlsx_response(workbook_bytes(book), f"eldercare-{month:%Y-%m}.xlsx")
