"""The case indicators of the cockpit. Each counts through ``Case.objects.visible_to`` or the
case events of the period (one aggregate query each) and drills into the workbench's list with
the same filters, so the number on the cockpit is the length of the list it opens."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from linli.cases.metrics import OrganisationMetrics, organisation_metrics
from linli.cases.models import Case, CaseEvent, Channel
from linli.cases.queues import apply_queue
from linli.cockpit.indicators import Figure, Part, Period, indicator, rate
from linli.core.access import Access

CASES = _("Cases")


def cases_url(**params: object) -> str:
    shown = {k: v for k, v in params.items() if v not in (None, "")}
    return reverse("cases:workbench") + "?" + urlencode(shown)


def _received(period: Period) -> dict[str, str]:
    return {"received_from": str(period.first_day), "received_to": str(period.last_day)}


@indicator(
    key="cases.intake",
    group=CASES,
    label=_("Cases received"),
    definition=_("Cases received in the month through any channel, duplicates included."),
    formula=_("count(cases with received at in the month)"),
    breakdown=_("By channel"),
)
def intake(access: Access, period: Period) -> Figure:
    cases = Case.objects.visible_to(access).filter(
        received_at__gte=period.start, received_at__lt=period.end
    )
    labels = dict(Channel.choices)
    by_channel = cases.values("channel").annotate(n=Count("id")).order_by("-n", "channel")
    parts = tuple(
        Part(
            str(labels.get(row["channel"], row["channel"])),
            row["n"],
            cases_url(queue="all", channel=row["channel"], **_received(period)),
        )
        for row in by_channel
    )
    return Figure(sum(p.value for p in parts), cases_url(queue="all", **_received(period)), parts)


@indicator(
    key="cases.overdue",
    group=CASES,
    label=_("Overdue now"),
    definition=_(
        "Open cases whose running clock is past its deadline at this moment. A case waiting "
        "for the reporter has its clock paused and is not overdue."
    ),
    formula=_("count(cases with stage deadline < now and clock not paused)"),
    lower_is_better=True,
    breakdown=_("By grid"),
)
def overdue(access: Access, period: Period) -> Figure:
    cases = apply_queue(access, Case.objects.visible_to(access), "overdue")
    by_grid = (
        cases.values("grid__code", "grid__name")
        .annotate(n=Count("id"))
        .order_by("-n", "grid__code")
    )
    parts = tuple(
        Part(
            f"{row['grid__code']} {row['grid__name']}" if row["grid__code"] else str(_("No grid")),
            row["n"],
            cases_url(queue="overdue", grid=row["grid__code"]) if row["grid__code"] else "",
        )
        for row in by_grid
    )
    return Figure(sum(p.value for p in parts), cases_url(queue="overdue"), parts)


@indicator(
    key="cases.reopened",
    group=CASES,
    label=_("Reopened"),
    definition=_(
        "Cases reopened in the month after a dissatisfied callback, each counted once however "
        "often it was reopened."
    ),
    formula=_("count(distinct cases with a reopen event in the month)"),
    lower_is_better=True,
)
def reopened(access: Access, period: Period) -> Figure:
    count = (
        CaseEvent.objects.filter(
            action="reopen",
            at__gte=period.start,
            at__lt=period.end,
            case__in=Case.objects.visible_to(access),
        )
        .values("case")
        .distinct()
        .count()
    )
    return Figure(count)


def _totals(period: Period) -> OrganisationMetrics:
    total = OrganisationMetrics(0, "")
    for row in organisation_metrics(period.start, period.end):
        for name in vars(total):
            if name not in ("organisation_id", "organisation"):
                setattr(total, name, getattr(total, name) + getattr(row, name))
    return total


def _metrics_url(period: Period) -> str:
    query = urlencode({"start": str(period.first_day), "end": str(period.last_day)})
    return reverse("cases:metrics") + "?" + query


def _rate_indicator(
    key: str, label: object, definition: object, formula: object, part: str, whole: str
) -> None:
    def compute(access: Access, period: Period) -> Figure:
        total = _totals(period)
        base = getattr(total, whole)
        return Figure(rate(getattr(total, part), base), _metrics_url(period), base=base)

    indicator(
        key=key, group=CASES, label=label, definition=definition, formula=formula, is_rate=True
    )(compute)


_rate_indicator(
    "cases.timely_acceptance",
    _("Contact within time"),
    _(
        "Of the dispatches answered in the month (accepted or returned), the share answered "
        "within the acceptance limit of 1 working hour, counted on the work calendar."
    ),
    _("answered in time ÷ answered"),
    "answered_in_time",
    "answered",
)
_rate_indicator(
    "cases.on_time_closure",
    _("Completed on time"),
    _(
        "Of the cases closed in the month, the share whose handling met its limit (1, 5 or 15 "
        "working days by category, extensions included; a paused clock does not run)."
    ),
    _("closed on time ÷ closed"),
    "closed_on_time",
    "closed",
)
_rate_indicator(
    "cases.resolution",
    _("Resolution rate"),
    _("Of the callbacks in the month, the share where the reporter says the problem is solved."),
    _("callbacks resolved ÷ callbacks"),
    "resolved",
    "callbacks",
)
_rate_indicator(
    "cases.satisfaction",
    _("Satisfaction"),
    _(
        "Of the callbacks in the month, the share where the reporter is satisfied or basically "
        "satisfied."
    ),
    _("(satisfied + basically satisfied) ÷ callbacks"),
    "satisfied",
    "callbacks",
)
