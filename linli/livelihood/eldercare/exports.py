"""Excel exports of elderly care: the hours page and the statistics page, each one sheet that
says above its tables what it counts, where, for which month and when
(``linli.core.spreadsheets.about_rows``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from linli.core import clock
from linli.core.access import Access
from linli.core.http import xlsx_response
from linli.core.spreadsheets import about_rows, rows_to_xlsx
from linli.livelihood.eldercare.models import CareOrder, Grade


def _about(access: Access, title: str, month: dt.date) -> list[list[Any]]:
    return about_rows(title, str(access.subdistrict), [(_("Month"), f"{month:%Y-%m}")], clock.now())


def _sections(*sections: tuple[str, list[list[Any]]]) -> list[list[Any]]:
    """Tables one under the other, each under its title, an empty row between them."""
    rows: list[list[Any]] = []
    for title, table in sections:
        rows += [*([[]] if rows else []), [title], *table]
    return rows


def _hours_rows(rows: list[dict[str, Any]], first: str) -> list[list[Any]]:
    return [
        [first, _("Hours entitled"), _("Hours delivered"), _("Missed visits")],
        *([r["name"], float(r["entitled"]), float(r["delivered"]), r["missed"]] for r in rows),
    ]


def hours_workbook(
    access: Access, month: dt.date, persons: list[dict[str, Any]], providers: list[dict[str, Any]]
) -> HttpResponse:
    title = _("Care hours")
    table = _sections(
        (_("Per provider"), _hours_rows(providers, _("Provider"))),
        (_("Per elder"), _hours_rows(persons, _("Elder"))),
    )
    content = rows_to_xlsx(title, table, about=_about(access, title, month))
    return xlsx_response(content, f"care-hours-{month:%Y-%m}.xlsx")


def statistics_workbook(access: Access, month: dt.date, figures: dict[str, Any]) -> HttpResponse:
    grades, kinds = dict(Grade.choices), dict(CareOrder.Kind.choices)
    by_grade = [
        [_("Grade"), _("Kind of care"), _("Orders")],
        *(
            [str(grades.get(r["grade"], r["grade"] or "—")), str(kinds[r["kind"]]), r["orders"]]
            for r in figures["by_grade"]
        ),
    ]
    homes = [
        [_("Care home"), _("Beds"), _("Occupied"), _("Waiting")],
        *(
            [r["facility"].name, r["capacity"], r["occupied"], r["waiting"]]
            for r in figures["homes"]
        ),
    ]
    title = _("Care statistics")
    table = _sections(
        (_("Orders in force by grade"), by_grade),
        (
            _("Long-term care hours, entitled and delivered"),
            _hours_rows(figures["providers"], _("Provider")),
        ),
        (_("Care-home occupancy"), homes),
    )
    content = rows_to_xlsx(title, table, about=_about(access, title, month))
    return xlsx_response(content, f"eldercare-{month:%Y-%m}.xlsx")
