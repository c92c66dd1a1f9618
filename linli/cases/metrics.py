"""Metrics per organisation and period, counted from the case events of that period.

Every event carries the organisation answerable at that moment and whether it came after the
deadline in force, so each rate is one conditional count over an indexed range of events:

- timely acceptance: dispatches answered (accepted or returned) within the acceptance limit
- on-time closure: closures whose handling met its deadline
- resolution: callbacks where the reporter says the problem is solved
- satisfaction: callbacks "satisfied" or "basically satisfied"
- rework: cases sent back at verification, of the cases submitted for verification
- extension: cases granted an extension, of the cases accepted
- return: returns, of the dispatches
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from linli.cases.models import CaseEvent, Satisfaction
from linli.core.calendar import local_zone
from linli.core.models import Organisation

ANSWERS = ("accept", "return")


@dataclass
class OrganisationMetrics:
    organisation_id: int
    organisation: str
    dispatched: int = 0
    answered: int = 0
    answered_in_time: int = 0
    returned: int = 0
    closed: int = 0
    closed_on_time: int = 0
    callbacks: int = 0
    satisfied: int = 0
    resolved: int = 0
    cases_verified: int = 0
    cases_reworked: int = 0
    cases_accepted: int = 0
    cases_extended: int = 0

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return round(part / whole, 4) if whole else None

    @property
    def timely_acceptance_rate(self) -> float | None:
        return self._rate(self.answered_in_time, self.answered)

    @property
    def on_time_closure_rate(self) -> float | None:
        return self._rate(self.closed_on_time, self.closed)

    @property
    def resolution_rate(self) -> float | None:
        return self._rate(self.resolved, self.callbacks)

    @property
    def satisfaction_rate(self) -> float | None:
        return self._rate(self.satisfied, self.callbacks)

    @property
    def rework_rate(self) -> float | None:
        return self._rate(self.cases_reworked, self.cases_verified)

    @property
    def extension_rate(self) -> float | None:
        return self._rate(self.cases_extended, self.cases_accepted)

    @property
    def return_rate(self) -> float | None:
        return self._rate(self.returned, self.dispatched)

    def rates(self) -> dict[str, float | None]:
        return {name: getattr(self, name) for name in RATE_NAMES}


RATE_NAMES = (
    "timely_acceptance_rate",
    "on_time_closure_rate",
    "resolution_rate",
    "satisfaction_rate",
    "rework_rate",
    "extension_rate",
    "return_rate",
)
COUNT_NAMES = tuple(f.name for f in fields(OrganisationMetrics))[2:]


def organisation_metrics(
    start: dt.datetime, end: dt.datetime, *, organisation_ids: list[int] | None = None
) -> list[OrganisationMetrics]:
    """One row per organisation with events in [start, end); one aggregate query."""
    events = CaseEvent.objects.filter(at__gte=start, at__lt=end, organisation__isnull=False)
    if organisation_ids is not None:
        events = events.filter(organisation_id__in=organisation_ids)
    callback = Q(action="record_callback")
    rows = (
        events.values("organisation_id")
        .annotate(
            dispatched=Count("id", filter=Q(action="dispatch")),
            answered=Count("id", filter=Q(action__in=ANSWERS)),
            answered_in_time=Count("id", filter=Q(action__in=ANSWERS, late=False)),
            returned=Count("id", filter=Q(action="return")),
            closed=Count("id", filter=Q(action="close")),
            closed_on_time=Count("id", filter=Q(action="close", late=False)),
            callbacks=Count("id", filter=callback),
            satisfied=Count(
                "id",
                filter=callback
                & Q(outcome__in=[Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED]),
            ),
            resolved=Count("id", filter=callback & Q(data__resolved=True)),
            cases_verified=Count("case", distinct=True, filter=Q(action="submit_for_verification")),
            cases_reworked=Count("case", distinct=True, filter=Q(action="rework")),
            cases_accepted=Count("case", distinct=True, filter=Q(action="accept")),
            cases_extended=Count("case", distinct=True, filter=Q(action="approve_extension")),
        )
        .order_by("organisation_id")
    )
    counted: list[dict[str, Any]] = [dict(row) for row in rows]
    names = dict(
        Organisation.objects.filter(pk__in=[r["organisation_id"] for r in counted]).values_list(
            "pk", "name"
        )
    )
    return [
        OrganisationMetrics(
            organisation_id=row["organisation_id"],
            organisation=names.get(row["organisation_id"], ""),
            **{name: row[name] for name in COUNT_NAMES},
        )
        for row in counted
    ]


def rate_labels() -> dict[str, str]:
    return {
        "timely_acceptance_rate": _("Timely acceptance"),
        "on_time_closure_rate": _("On-time closure"),
        "resolution_rate": pgettext("case metric", "Resolution"),
        "satisfaction_rate": _("Satisfaction"),
        "rework_rate": _("Rework"),
        "extension_rate": _("Extension"),
        "return_rate": _("Return"),
    }


def export_xlsx(rows: list[OrganisationMetrics], start: dt.datetime, end: dt.datetime) -> bytes:
    """The metrics as an Excel workbook: one row per organisation, rates as percentages.

    Written through ``core.spreadsheets``: an organisation's name is text, never a formula."""
    from openpyxl.styles import Font

    from linli.core import spreadsheets

    book = spreadsheets.new_workbook()
    sheet = book.create_sheet(_("Case metrics")[:31])
    sheet.column_dimensions["A"].width = 30
    zone = local_zone()
    spreadsheets.append(
        sheet,
        [
            _("Period"),
            f"{start.astimezone(zone):%Y-%m-%d %H:%M} – {end.astimezone(zone):%Y-%m-%d %H:%M}",
        ],
    )
    labels = rate_labels()
    header = [
        _("Organisation"),
        *labels.values(),
        _("Dispatched"),
        pgettext("case metric", "Closed"),
        _("Callbacks"),
    ]
    bold = Font(bold=True)
    spreadsheets.append(sheet, [spreadsheets.cell(sheet, label, font=bold) for label in header])
    for row in rows:
        spreadsheets.append(
            sheet,
            [
                row.organisation,
                *(
                    spreadsheets.cell(sheet, getattr(row, name), number_format="0.0%")
                    for name in labels
                ),
                row.dispatched,
                row.closed,
                row.callbacks,
            ],
        )
    return spreadsheets.workbook_bytes(book)
