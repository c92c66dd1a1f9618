"""The rules of a resource, checked for one requested slot.

Each check returns ``Refusal`` rows naming the rule and the form field it is about, in the
caller's language, so a page can put the message next to the field and the API can return it
in ``fields``. The overlap check must run with the resource row locked (see ``services``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from linli.core.calendar import WorkCalendar, local_zone
from linli.frontoffice.bookings.models import (
    ACTIVE_STATES,
    QUOTA_STATES,
    Booking,
    Resource,
    Suspension,
)

Slot = tuple[dt.datetime, dt.datetime]


@dataclass(frozen=True)
class Refusal:
    rule: str  # "opening_hours", "notice", "window", "duration", "quota_day", …
    field: str  # "start", "end", "enterprise", "resource"
    message: str


class BookingRefused(ValidationError):
    """A request broke one or more rules; ``refusals`` says which, field by field."""

    def __init__(self, refusals: Sequence[Refusal]) -> None:
        self.refusals = list(refusals)
        fields: dict[str, list[str]] = {}
        for refusal in self.refusals:
            fields.setdefault(refusal.field, []).append(refusal.message)
        super().__init__(fields)

    @property
    def rules(self) -> set[str]:
        return {refusal.rule for refusal in self.refusals}


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(local_zone())


def shown(moment: dt.datetime) -> str:
    return local(moment).strftime("%Y-%m-%d %H:%M")


def blocked(resource: Resource, start: dt.datetime, end: dt.datetime) -> Slot:
    return start - resource.buffer_before, end + resource.buffer_after


def day_bounds(day: dt.date) -> Slot:
    zone = local_zone()
    begin = dt.datetime.combine(day, dt.time.min, zone)
    return begin, begin + dt.timedelta(days=1)


def week_bounds(day: dt.date) -> Slot:
    monday = day - dt.timedelta(days=day.weekday())
    begin, _end = day_bounds(monday)
    return begin, begin + dt.timedelta(days=7)


def is_open_day(resource: Resource, day: dt.date, calendar: WorkCalendar) -> bool:
    return resource.open_on_non_working_days or calendar.is_workday(day)


def opening_periods(resource: Resource, day: dt.date, calendar: WorkCalendar) -> list[Slot]:
    """The opening periods of a day as aware moments (none on a closed day)."""
    if not is_open_day(resource, day, calendar):
        return []
    zone = local_zone()
    return [
        (dt.datetime.combine(day, start, zone), dt.datetime.combine(day, end, zone))
        for start, end in resource.periods.get(day.weekday(), [])
    ]


def _hours_text(periods: list[Slot]) -> str:
    return ", ".join(f"{local(a):%H:%M}–{local(b):%H:%M}" for a, b in periods)


def timing_refusals(
    resource: Resource,
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime,
    calendar: WorkCalendar,
) -> list[Refusal]:
    """Duration, notice, window and opening hours: what depends only on the slot itself."""
    if end <= start:
        return [Refusal("duration", "end", _("The end must be after the start."))]
    refusals = []
    minutes = (end - start).total_seconds() / 60
    if minutes > resource.max_duration_minutes:
        refusals.append(
            Refusal(
                "duration",
                "end",
                _("Maximum duration: %(resource)s can be booked for at most %(minutes)s minutes.")
                % {"resource": resource.name, "minutes": resource.max_duration_minutes},
            )
        )
    if start < now + dt.timedelta(minutes=resource.min_notice_minutes):
        refusals.append(
            Refusal(
                "notice",
                "start",
                _(
                    "Minimum notice: %(resource)s must be booked at least %(minutes)s minutes "
                    "before it starts."
                )
                % {"resource": resource.name, "minutes": resource.min_notice_minutes},
            )
        )
    if start > now + dt.timedelta(days=resource.window_days):
        refusals.append(
            Refusal(
                "window",
                "start",
                _(
                    "Booking window: %(resource)s can be booked at most %(days)s days ahead "
                    "(until %(last)s)."
                )
                % {
                    "resource": resource.name,
                    "days": resource.window_days,
                    "last": shown(now + dt.timedelta(days=resource.window_days)),
                },
            )
        )
    day = local(start).date()
    periods = opening_periods(resource, day, calendar)
    if not is_open_day(resource, day, calendar):
        refusals.append(
            Refusal(
                "opening_hours",
                "start",
                _("Opening hours: %(resource)s is closed on %(date)s (not a working day).")
                % {"resource": resource.name, "date": day.isoformat()},
            )
        )
    elif not any(a <= start and end <= b for a, b in periods):
        refusals.append(
            Refusal(
                "opening_hours",
                "start",
                _("Opening hours: on %(date)s %(resource)s is open %(hours)s.")
                % {
                    "resource": resource.name,
                    "date": day.isoformat(),
                    "hours": _hours_text(periods) or _("not at all"),
                },
            )
        )
    return refusals


def suspension_refusal(
    resource: Resource, enterprise_id: int | None, now: dt.datetime
) -> Refusal | None:
    if enterprise_id is None:
        return None
    suspension = (
        Suspension.objects.filter(enterprise_id=enterprise_id, starts_at__lte=now, ends_at__gt=now)
        .filter(Q(resource_kind="") | Q(resource_kind=resource.kind))
        .order_by("-ends_at")
        .first()
    )
    if suspension is None:
        return None
    return Refusal(
        "suspended",
        "enterprise",
        _("Suspended after %(count)s no-shows: this enterprise may not book until %(until)s.")
        % {"count": suspension.strikes, "until": shown(suspension.ends_at)},
    )


def quota_refusals(
    resource: Resource,
    enterprise_id: int | None,
    start: dt.datetime,
    pending: Sequence[Slot] = (),
    exclude_id: int | None = None,
) -> list[Refusal]:
    """Per day and per week; both are checked, so the stricter one is the one that refuses."""
    if enterprise_id is None:
        return []
    day = local(start).date()
    refusals = []
    quotas = (
        ("quota_day", resource.quota_per_day, day_bounds(day), _("Daily quota")),
        ("quota_week", resource.quota_per_week, week_bounds(day), _("Weekly quota")),
    )
    for rule, limit, (begin, finish), label in quotas:
        if limit is None:
            continue
        counted = Booking.objects.filter(
            resource=resource,
            enterprise_id=enterprise_id,
            state__in=QUOTA_STATES,
            start__gte=begin,
            start__lt=finish,
        )
        if exclude_id is not None:
            counted = counted.exclude(pk=exclude_id)
        taken = counted.count()
        taken += sum(1 for other, _end in pending if begin <= other < finish)
        if taken >= limit:
            refusals.append(
                Refusal(
                    rule,
                    "start",
                    _(
                        "%(rule)s: this enterprise already has %(taken)s bookings of "
                        "%(resource)s in this period (limit %(limit)s)."
                    )
                    % {"rule": label, "taken": taken, "resource": resource.name, "limit": limit},
                )
            )
    return refusals


def overlap_refusal(
    resource: Resource,
    start: dt.datetime,
    end: dt.datetime,
    pending: Sequence[Slot] = (),
    exclude_id: int | None = None,
) -> Refusal | None:
    """Another active booking (or an earlier occurrence of the same series) in the way."""
    low, high = blocked(resource, start, end)
    active = Booking.objects.filter(
        resource=resource,
        state__in=ACTIVE_STATES,
        blocked_start__lt=high,
        blocked_end__gt=low,
    )
    if exclude_id is not None:
        active = active.exclude(pk=exclude_id)
    clash = active.order_by("start").first()
    other: Slot | None = (clash.start, clash.end) if clash is not None else None
    for p_start, p_end in pending:
        p_low, p_high = blocked(resource, p_start, p_end)
        if p_low < high and low < p_high:
            other = (p_start, p_end)
    if other is None:
        return None
    return Refusal(
        "overlap",
        "start",
        _(
            "Already booked: %(resource)s is taken from %(start)s to %(end)s "
            "(with %(before)s minutes before and %(after)s minutes after kept free)."
        )
        % {
            "resource": resource.name,
            "start": shown(other[0]),
            "end": f"{local(other[1]):%H:%M}",
            "before": resource.buffer_before_minutes,
            "after": resource.buffer_after_minutes,
        },
    )


def check_slot(
    resource: Resource,
    enterprise_id: int | None,
    start: dt.datetime,
    end: dt.datetime,
    *,
    now: dt.datetime,
    calendar: WorkCalendar,
    pending: Sequence[Slot] = (),
) -> list[Refusal]:
    """Every rule for one slot; the overlap part is only final with the resource locked."""
    refusals = timing_refusals(resource, start, end, now, calendar)
    if not resource.is_active:
        refusals.append(
            Refusal(
                "inactive",
                "resource",
                _("%(resource)s cannot be booked at the moment.") % {"resource": resource.name},
            )
        )
    if (suspended := suspension_refusal(resource, enterprise_id, now)) is not None:
        refusals.append(suspended)
    if end > start:
        refusals += quota_refusals(resource, enterprise_id, start, pending)
        if (clash := overlap_refusal(resource, start, end, pending)) is not None:
            refusals.append(clash)
    return refusals


def checkin_window(booking: Booking) -> Slot:
    """From a few minutes before the start until the release time after it."""
    resource = booking.resource
    return (
        booking.start - dt.timedelta(minutes=resource.checkin_opens_minutes),
        booking.start + dt.timedelta(minutes=resource.release_after_minutes),
    )


def checkin_window_text(booking: Booking) -> str:
    opens, closes = checkin_window(booking)
    return f"{shown(opens)}–{local(closes):%H:%M}"
