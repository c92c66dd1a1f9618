"""Bookable resources (rooms, desks, advisors) at the centre and its sub-centres, and bookings.

A booking blocks ``[blocked_start, blocked_end)``: its own time widened by the resource's
buffers, copied when it is made so that changing a buffer later never makes two stored
bookings overlap. On PostgreSQL an exclusion constraint over that range (migration 0002)
backs up the locked check in ``services``; SQLite serialises writers instead.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.models import Organisation, TenantModel

WEEKDAYS = ("0", "1", "2", "3", "4", "5", "6")  # Monday = "0", as datetime.weekday()


def new_token() -> str:
    return secrets.token_urlsafe(24)


def default_opening_hours() -> dict[str, list[list[str]]]:
    """Monday to Friday 09:00–17:30; weekends closed."""
    return {day: [["09:00", "17:30"]] for day in WEEKDAYS[:5]}


def parse_opening_hours(value: Any) -> dict[int, list[tuple[dt.time, dt.time]]]:
    """``{"0": [["09:00", "12:00"], …], …}`` as weekday → sorted periods."""
    if not isinstance(value, dict):
        raise ValueError("opening hours must map weekdays 0-6 to lists of [start, end]")
    parsed: dict[int, list[tuple[dt.time, dt.time]]] = {}
    for day, periods in value.items():
        if str(day) not in WEEKDAYS or not isinstance(periods, list):
            raise ValueError(f"bad weekday entry {day!r}")
        rows = []
        for pair in periods:
            if not isinstance(pair, list | tuple) or len(pair) != 2:
                raise ValueError(f"bad period {pair!r}")
            start, end = (dt.time.fromisoformat(str(part)) for part in pair)
            if end <= start:
                raise ValueError(f"period {pair!r} ends before it starts")
            rows.append((start, end))
        parsed[int(day)] = sorted(rows)
    return parsed


def validate_equipment(value: Any) -> None:
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise ValidationError(_("Equipment must be a list of items."))


def photo_path(instance: Resource, filename: str) -> str:
    return f"bookings/{instance.subdistrict_id}/resources/{filename}"


def validate_opening_hours(value: Any) -> None:
    try:
        parse_opening_hours(value)
    except ValueError as exc:
        raise ValidationError(
            _("Opening hours are not valid: %(problem)s"), params={"problem": str(exc)}
        ) from exc


class ResourceKind(models.TextChoices):
    NEGOTIATION_ROOM = "negotiation_room", _("Negotiation room")
    MEETING_ROOM = "meeting_room", _("Meeting room")
    DESK = "desk", _("Shared desk")
    ADVISOR = "advisor", _("Advisor")
    # Appointment slots at a window of the queue: the queue Service names this resource's code.
    WINDOW = "window", _("Window appointment")


class AdvisorField(models.TextChoices):
    LEGAL = "legal", _("Legal")
    TAX = "tax", _("Tax")
    HEALTH = "health", _("Health")
    FINANCE = "finance", _("Finance")


class Resource(TenantModel):
    """Something bookable by the slot: a room, a desk or an advisor's time, at one place."""

    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices)
    advisor_field = models.CharField(
        _("advisor field"), max_length=10, choices=AdvisorField.choices, blank=True
    )
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    place = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="bookable_resources",
        verbose_name=_("place (centre or sub-centre)"),
    )
    location = models.CharField(_("room or floor"), max_length=100, blank=True)
    capacity = models.PositiveIntegerField(_("seats"), default=1)
    equipment = models.JSONField(
        _("equipment"), default=list, blank=True, validators=[validate_equipment]
    )
    description = models.TextField(_("description"), blank=True)
    # Checked by content when uploaded (``cases.attachments.check_image``) and served with the
    # type found then, never the one the browser claimed.
    photo = models.FileField(_("photo"), upload_to=photo_path, blank=True)
    photo_type = models.CharField(max_length=50, blank=True, editable=False)
    is_active = models.BooleanField(_("bookable"), default=True)
    opening_hours = models.JSONField(
        _("opening hours"), default=default_opening_hours, validators=[validate_opening_hours]
    )
    open_on_non_working_days = models.BooleanField(
        _("open on non-working days"),
        default=False,
        help_text=_("Otherwise closed on weekends and public holidays of the work calendar."),
    )
    slot_minutes = models.PositiveIntegerField(_("slot length (minutes)"), default=30)
    min_notice_minutes = models.PositiveIntegerField(_("minimum notice (minutes)"), default=60)
    window_days = models.PositiveIntegerField(_("booking window (days ahead)"), default=30)
    max_duration_minutes = models.PositiveIntegerField(_("maximum duration (minutes)"), default=240)
    default_duration_minutes = models.PositiveIntegerField(
        _("usual duration (minutes)"),
        default=60,
        help_text=_("Prefilled in the booking form when a time is picked."),
    )
    buffer_before_minutes = models.PositiveIntegerField(_("buffer before (minutes)"), default=0)
    buffer_after_minutes = models.PositiveIntegerField(_("buffer after (minutes)"), default=0)
    quota_per_day = models.PositiveIntegerField(
        _("bookings per enterprise per day"), null=True, blank=True
    )
    quota_per_week = models.PositiveIntegerField(
        _("bookings per enterprise per week"), null=True, blank=True
    )
    approval_required = models.BooleanField(_("approval required"), default=False)
    cancel_cutoff_minutes = models.PositiveIntegerField(
        _("cancellation cut-off (minutes before start)"), default=120
    )
    checkin_opens_minutes = models.PositiveIntegerField(
        _("check-in opens (minutes before start)"), default=15
    )
    release_after_minutes = models.PositiveIntegerField(
        _("released when nobody checks in within (minutes)"), default=15
    )
    door_token = models.CharField(max_length=64, default=new_token, editable=False)
    feed_token = models.CharField(max_length=64, default=new_token, editable=False)

    class Meta:
        verbose_name = _("bookable resource")
        verbose_name_plural = _("bookable resources")
        ordering = ["place__name", "kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "code"], name="resource_code_unique"),
            models.UniqueConstraint(fields=["subdistrict", "door_token"], name="resource_door"),
            models.UniqueConstraint(fields=["subdistrict", "feed_token"], name="resource_feed"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def periods(self) -> dict[int, list[tuple[dt.time, dt.time]]]:
        return parse_opening_hours(self.opening_hours)

    @property
    def default_duration(self) -> dt.timedelta:
        """The duration the booking form proposes: the usual one, never over the maximum."""
        return dt.timedelta(minutes=min(self.default_duration_minutes, self.max_duration_minutes))

    @property
    def buffer_before(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.buffer_before_minutes)

    @property
    def buffer_after(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.buffer_after_minutes)


class State(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    PENDING_APPROVAL = "pending_approval", _("Awaiting approval")
    CONFIRMED = "confirmed", _("Confirmed")
    CHECKED_IN = "checked_in", _("Checked in")
    COMPLETED = "completed", _("Completed")
    RELEASED_NO_SHOW = "released_no_show", _("Released (no-show)")
    CANCELLED = "cancelled", _("Cancelled")
    REJECTED = "rejected", _("Rejected")


# States that hold the resource: no two of them may overlap on one resource.
ACTIVE_STATES = (State.REQUESTED, State.PENDING_APPROVAL, State.CONFIRMED, State.CHECKED_IN)
# States that count against an enterprise's quota (a no-show did take the slot).
QUOTA_STATES = (*ACTIVE_STATES, State.COMPLETED, State.RELEASED_NO_SHOW)


class BookingSeries(TenantModel):
    """A recurring booking: the occurrences that were free became bookings of the series."""

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Every day")
        WEEKLY = "weekly", _("Every week")

    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, verbose_name=_("resource"))
    booker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("booked by")
    )
    frequency = models.CharField(_("repeats"), max_length=10, choices=Frequency.choices)
    occurrences = models.PositiveIntegerField(_("occurrences asked for"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("recurring booking")
        verbose_name_plural = _("recurring bookings")


class Booking(TenantModel):
    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("resource")
    )
    booker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("booked by"),
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("on behalf of"),
    )
    series = models.ForeignKey(
        BookingSeries,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bookings",
        verbose_name=_("recurring booking"),
    )
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    blocked_start = models.DateTimeField(editable=False)
    blocked_end = models.DateTimeField(editable=False)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.REQUESTED
    )
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    checkin_token = models.CharField(max_length=64, default=new_token, editable=False)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["start"]
        indexes = [
            models.Index(fields=["resource", "blocked_start"], name="booking_resource_time"),
            models.Index(fields=["state", "start"], name="booking_state_start"),
            # The lists, newest first: every booking (staff), and a person's own.
            models.Index(fields=["subdistrict", "-start", "-id"], name="booking_newest"),
            models.Index(fields=["booker", "-start", "-id"], name="booking_booker_newest"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "checkin_token"], name="booking_token"),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="booking_end"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource} {self.start:%Y-%m-%d %H:%M}"

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600


class StrikeRule(TenantModel):
    """How many no-shows suspend an enterprise, for one resource kind or (blank) for all."""

    resource_kind = models.CharField(
        _("resource kind"), max_length=20, choices=ResourceKind.choices, blank=True
    )
    strikes = models.PositiveIntegerField(_("no-shows"), default=3)
    period_days = models.PositiveIntegerField(_("within (days)"), default=30)
    suspension_days = models.PositiveIntegerField(_("suspension (days)"), default=14)

    class Meta:
        verbose_name = _("no-show rule")
        verbose_name_plural = _("no-show rules")
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "resource_kind"], name="strike_rule_kind"
            )
        ]


class Strike(TenantModel):
    """One no-show held against an enterprise (one per released booking)."""

    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.CASCADE, verbose_name=_("enterprise")
    )
    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, verbose_name=_("booking"))
    resource_kind = models.CharField(_("resource kind"), max_length=20)
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("no-show strike")
        verbose_name_plural = _("no-show strikes")


class Suspension(TenantModel):
    """An enterprise may not book (one resource kind, or blank: any) until ``ends_at``."""

    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.CASCADE, verbose_name=_("enterprise")
    )
    resource_kind = models.CharField(_("resource kind"), max_length=20, blank=True)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    strikes = models.PositiveIntegerField(_("no-shows"))

    class Meta:
        verbose_name = _("booking suspension")
        verbose_name_plural = _("booking suspensions")


class FeedToken(TenantModel):
    """The secret in a person's calendar-feed URL; rotating it breaks the old URL."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("user")
    )
    token = models.CharField(max_length=64, default=new_token)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "user"], name="feed_token_user"),
            models.UniqueConstraint(fields=["subdistrict", "token"], name="feed_token_unique"),
        ]
