"""The meals statistics page of a month as one Excel sheet: its subsidies, the subsidy by age
band and the meals per point and day, under the lines that say what, where, which month and
when (``linli.core.spreadsheets``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from linli.core import clock, spreadsheets
from linli.core.access import Access
from linli.livelihood.meals import statistics


def band_label(band: int | None) -> str:
    if band is None:
        return _("Under 60 or not living here")
    return _("%(band)s and over") % {"band": band}


def statistics_workbook(access: Access, first: dt.date, last: dt.date) -> bytes:
    table: list[list[Any]] = [
        [_("Subsidies")],
        [
            _("Month"),
            _("Meal point"),
            _("Served"),
            _("Subsidised"),
            _("Subsidy (yuan)"),
            _("Paid by diners (yuan)"),
        ],
        *(
            [
                f"{m.month:%Y-%m}",
                m.point,
                m.served,
                m.subsidised,
                float(m.subsidy),
                float(m.paid_by_diners),
            ]
            for m in statistics.subsidies_per_month(first, last)
        ),
        [],
        [_("Subsidy by age band")],
        [_("Age band"), _("Subsidy (yuan)")],
        *(
            [band_label(band), float(amount)]
            for band, amount in sorted(
                statistics.subsidy_by_age_band(first, last).items(),
                key=lambda item: -1 if item[0] is None else item[0],
            )
        ),
        [],
        [_("Meals per point and day")],
        [_("Day"), _("Meal point"), _("Capacity"), _("Ordered"), _("Served"), _("Delivered")],
        *(
            [d.day, d.point, d.capacity, d.ordered, d.served, d.delivered]
            for d in statistics.per_point_and_day(first, last)
        ),
    ]
    title = _("Meal statistics")
    about = spreadsheets.about_rows(
        title, str(access.subdistrict), [(_("Month"), f"{first:%Y-%m}")], clock.now()
    )
    return spreadsheets.rows_to_xlsx(title, table, about=about)
