"""Events of the Enterprise Service Center and their registrations.

An event holds a fixed number of seats. Registrations take seats in arrival order; once the
seats are gone, further registrations join a waitlist, and a freed seat is offered to the next
person in line, held for ``offer_hold_hours``. Arrival order is the order in which the event
row's lock was granted: each accepted attempt takes the event's next ``sequence`` number (see
``seats`` for the one statement that does it).
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.core import clock
from linli.core.models import Organisation, TenantModel

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PLACE_KINDS = (Organisation.Kind.SERVICE_CENTRE, Organisation.Kind.SUBCENTRE)


class Kind(models.TextChoices):
    TRAINING = "training", _("Training")
    LECTURE = "lecture", _("Lecture")
    LEGAL_CLINIC = "legal_clinic", _("Legal clinic")
    HEALTH_SESSION = "health_session", _("Health session")
    SPORTS = "sports", _("Sports")
    CULTURAL_FESTIVAL = "cultural_festival", _("Cultural festival")


class Audience(models.TextChoices):
    ENTERPRISES = "enterprises", _("Enterprises")
    PUBLIC = "public", _("Everyone (enterprises and residents)")


def validate_agenda(value: object) -> None:
    """``[{"time": "09:30", "title": "…"}, …]``: items in order, each with a time and a title."""
    if not isinstance(value, list) or not all(
        isinstance(item, dict)
        and set(item) == {"time", "title"}
        and isinstance(item["time"], str)
        and isinstance(item["title"], str)
        and item["title"]
        for item in value
    ):
        raise ValidationError(_("The agenda must be a list of items with a time and a title."))


class Event(TenantModel):
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    agenda = models.JSONField(_("agenda"), default=list, blank=True, validators=[validate_agenda])
    audience = models.CharField(
        _("open to"), max_length=20, choices=Audience.choices, default=Audience.ENTERPRISES
    )
    place = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("place"),
        help_text=_("The service centre or sub-centre that hosts the event."),
    )
    room = models.CharField(_("room"), max_length=100, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(_("seats"), validators=[MinValueValidator(1)])
    registration_opens_at = models.DateTimeField(_("registration opens"))
    registration_closes_at = models.DateTimeField(_("registration closes"))
    seats_per_enterprise = models.PositiveSmallIntegerField(
        _("seats per enterprise"), default=3, validators=[MinValueValidator(1)]
    )
    requires_approval = models.BooleanField(_("registrations need approval"), default=False)
    offer_hold_hours = models.PositiveSmallIntegerField(
        _("hold a waitlist offer for (hours)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(168)],
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    # The last arrival number handed out; only ever changed under the event row's lock.
    last_sequence = models.PositiveIntegerField(default=0, editable=False)
    # What a registration needs to know, kept on the row so that taking a place is one
    # conditional UPDATE (``seats``): the registrations holding a seat (``SEATED``) and those on
    # the waitlist, and the latest arrival's time. Every verb changes them under the row's lock;
    # the pages still count the rows themselves (``availability``).
    seats_held = models.PositiveIntegerField(default=0, editable=False)
    waitlist_length = models.PositiveIntegerField(default=0, editable=False)
    last_registered_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=clock.stamp, editable=False)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["subdistrict", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="event_registration_window",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        """Field errors a person can act on (they also spare the check constraints below)."""
        errors: dict[str, list[StrOrPromise]] = {}
        if self.place_id is not None and self.place.kind not in PLACE_KINDS:
            errors["place"] = [_("Choose the service centre or one of its sub-centres.")]
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = [_("The event must end after it starts.")]
        opens, closes = self.registration_opens_at, self.registration_closes_at
        if opens and closes and closes <= opens:
            errors["registration_closes_at"] = [_("Registration must close after it opens.")]
        elif closes and self.starts_at and closes > self.starts_at:
            errors["registration_closes_at"] = [
                _("Registration must close before the event starts.")
            ]
        if errors:
            raise ValidationError(errors)


class State(models.TextChoices):
    PENDING_APPROVAL = "pending_approval", _("Waiting for approval")
    CONFIRMED = "confirmed", _("Confirmed")
    CHECKED_IN = "checked_in", _("Checked in")
    WAITLISTED = "waitlisted", _("On the waitlist")
    OFFERED = "offered", _("Seat offered")
    EXPIRED = "expired", _("Offer expired")
    REJECTED = "rejected", _("Not approved")
    CANCELLED = "cancelled", _("Cancelled")


# States that hold one of the event's seats.
SEATED = (State.PENDING_APPROVAL, State.CONFIRMED, State.CHECKED_IN, State.OFFERED)
# States of a registration that is still alive: one per person and event.
ACTIVE = (*SEATED, State.WAITLISTED)
ATTENDING = (State.CONFIRMED, State.CHECKED_IN)


def new_code() -> str:
    return secrets.token_urlsafe(12)


class Registration(TenantModel):
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("event")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="event_registrations",
        verbose_name=_("registrant"),
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("on behalf of"),
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices)
    sequence = models.PositiveIntegerField(_("arrival number"))
    registered_at = models.DateTimeField(pgettext_lazy("event registration", "registered"))
    offer_expires_at = models.DateTimeField(_("offer held until"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    code = models.CharField(max_length=32, default=new_code, editable=False)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)

    class Meta:
        verbose_name = _("event registration")
        verbose_name_plural = _("event registrations")
        ordering = ["event", "sequence"]
        indexes = [
            # The registration path counts with these under the event's lock. Each count has
            # an index of its own, partial on the states it counts and led by its most selective
            # column, so that even a plan made on the stale statistics of a burst reads only
            # the rows it counts, never every registration of a popular event.
            models.Index(
                fields=["subdistrict", "event", "sequence"],
                condition=~Q(state=State.WAITLISTED),
                name="registration_left_line",
            ),
            models.Index(
                fields=["subdistrict", "event"],
                condition=Q(state__in=SEATED),
                name="registration_seated",
            ),
            models.Index(
                fields=["enterprise", "subdistrict", "event"],
                condition=Q(state__in=ACTIVE),
                name="registration_enterprise_live",
            ),
            models.Index(fields=["state", "offer_expires_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "subdistrict", "event"],
                condition=Q(state__in=ACTIVE),
                name="registration_one_active_per_person",
            ),
            models.UniqueConstraint(
                fields=["subdistrict", "event", "sequence"], name="registration_sequence"
            ),
            models.UniqueConstraint(fields=["subdistrict", "code"], name="registration_code"),
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.user} · {self.get_state_display()}"
