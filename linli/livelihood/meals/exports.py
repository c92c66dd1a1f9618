"""The meals statistics of a period as an Excel workbook (``linli.core.spreadsheets``)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from linli.core import spreadsheets
from linli.livelihood.meals import statistics


def statistics_workbook(first: dt.date, last: dt.date) -> bytes:
    workbook = spreadsheets.new_workbook()
    spreadsheets.add_sheet(
        workbook,
        _("Meals per day"),
        [
            [_("Day"), _("Meal point"), _("Capacity"), _("Ordered"), _("Served"), _("Delivered")],
            *(
                [d.day, d.point, d.capacity, d.ordered, d.served, d.delivered]
                for d in statistics.per_point_and_day(first, last)
            ),
        ],
    )
    spreadsheets.add_sheet(
        workbook,
        _("Subsidies per month"),
        [
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
        ],
    )
    return spreadsheets.workbook_bytes(workbook)
