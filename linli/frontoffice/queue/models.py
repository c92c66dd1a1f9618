"""Take-a-number queue: halls, services with a number prefix, counters (windows) and tickets.

A hall is the waiting room of the service centre or of one of its sub-centres: its kiosks and
its calling screen share one device key. Numbers run per service and local day (A001, A002…)
from a ``DayCounter`` row, so two kiosks never print the same number.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.models import Organisation, TenantModel


def new_device_key() -> str:
    return secrets.token_urlsafe(24)


class Hall(TenantModel):
    """The waiting room of a service centre or sub-centre, with its kiosks and calling screen."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={
            "kind__in": [Organisation.Kind.SERVICE_CENTRE, Organisation.Kind.SUBCENTRE]
        },
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=100)
    # Opens the kiosk and the calling screen of this hall, nothing else (docs/frontoffice-queue.md).
    device_key = models.CharField(
        _("device key"), max_length=64, default=new_device_key, editable=False
    )

    class Meta:
        verbose_name = _("service hall")
        verbose_name_plural = _("service halls")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "organisation"], name="queue_hall_organisation_unique"
            ),
            models.UniqueConstraint(fields=["subdistrict", "device_key"], name="queue_hall_key"),
        ]

    def __str__(self) -> str:
        return self.name


class Service(TenantModel):
    """A line of business people queue for, with its own number prefix and call rules."""

    hall = models.ForeignKey(
        Hall, on_delete=models.PROTECT, related_name="services", verbose_name=_("hall")
    )
    prefix = models.CharField(
        _("number prefix"),
        max_length=1,
        validators=[RegexValidator(r"^[A-Z]$", _("Use one capital letter, A to Z."))],
    )
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)
    priority_streak = models.PositiveSmallIntegerField(
        _("priority calls in a row"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("After this many priority tickets in a row, a waiting normal ticket is next."),
    )
    appointment_lead_minutes = models.PositiveSmallIntegerField(
        _("appointment lead (minutes)"),
        default=10,
        validators=[MaxValueValidator(120)],
        help_text=_("Booked tickets go first from this long before their slot until it ends."),
    )
    # The bookings resource (kind "window") whose slots are appointments for this service;
    # a code, not a key, so the queue and the bookings keep their own tables.
    appointment_resource = models.CharField(
        _("appointment slots (bookings resource code)"),
        max_length=30,
        blank=True,
        help_text=_(
            "Code of the bookable window resource whose bookings check in here as appointments."
        ),
    )
    default_service_minutes = models.PositiveSmallIntegerField(
        _("expected service time (minutes)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_("Used for the estimated wait until enough tickets have been served."),
    )

    class Meta:
        verbose_name = _("queue service")
        verbose_name_plural = _("queue services")
        ordering = ["hall", "position", "prefix"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "hall", "prefix"], name="queue_service_prefix_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.prefix} · {self.name}"


class Counter(TenantModel):
    """A window (窗口) in a hall; it calls tickets of the services it serves."""

    hall = models.ForeignKey(
        Hall, on_delete=models.PROTECT, related_name="counters", verbose_name=_("hall")
    )
    number = models.PositiveSmallIntegerField(_("window number"))
    services = models.ManyToManyField(
        Service, through="CounterService", related_name="counters", verbose_name=_("services")
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("staff at the window"),
    )
    is_open = models.BooleanField(_("open"), default=False)

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")
        ordering = ["hall", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "hall", "number"], name="queue_counter_number_unique"
            )
        ]

    def __str__(self) -> str:
        return _("Window %(number)s") % {"number": self.number}


class CounterService(TenantModel):
    """A service a counter serves (its own row, so that it carries the sub-district too)."""

    counter = models.ForeignKey(Counter, on_delete=models.CASCADE, verbose_name=_("counter"))
    service = models.ForeignKey(Service, on_delete=models.CASCADE, verbose_name=_("service"))

    def clean(self) -> None:
        if self.counter_id and self.service_id and self.service.hall_id != self.counter.hall_id:
            raise ValidationError({"service": _("Choose a service of the counter's own hall.")})

    class Meta:
        verbose_name = _("counter service")
        verbose_name_plural = _("counter services")
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "counter", "service"], name="queue_counter_service_unique"
            )
        ]


class DayCounter(TenantModel):
    """The last number issued for a service on a local day, locked to issue the next one, and
    the current run of priority calls, changed under the service's lock when calling."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, verbose_name=_("service"))
    day = models.DateField(_("day"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)
    # Priority tickets called in a row in this service today (see ordering.py).
    priority_run = models.PositiveSmallIntegerField(_("priority calls in a row"), default=0)

    class Meta:
        verbose_name = _("day counter")
        verbose_name_plural = _("day counters")
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "service", "day"], name="queue_day_counter_unique"
            )
        ]


class TicketKind(models.TextChoices):
    NORMAL = "normal", _("Normal")
    PRIORITY = "priority", _("Priority")
    APPOINTMENT = "appointment", _("Appointment")


class PriorityReason(models.TextChoices):
    ELDERLY = "elderly", _("Elderly")
    DISABLED = "disabled", _("Disability")


class TicketState(models.TextChoices):
    ISSUED = "issued", _("Waiting")
    CALLED = "called", _("Called")
    SERVING = "serving", _("Being served")
    DONE = "done", _("Done")
    NO_SHOW = "no_show", _("No show")
    CANCELLED = "cancelled", _("Cancelled")
    TRANSFERRED = "transferred", _("Transferred")


OPEN_STATES = (TicketState.ISSUED, TicketState.CALLED, TicketState.SERVING)


class Ticket(TenantModel):
    class Channel(models.TextChoices):
        KIOSK = "kiosk", _("Kiosk")
        STAFF = "staff", _("Staff")
        TRANSFER = "transfer", _("Transfer")

    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("service")
    )
    day = models.DateField(_("day"))
    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(
        _("kind"), max_length=12, choices=TicketKind.choices, default=TicketKind.NORMAL
    )
    priority_reason = models.CharField(
        _("priority reason"), max_length=10, choices=PriorityReason.choices, blank=True
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.KIOSK
    )
    state = models.CharField(
        _("state"), max_length=12, choices=TicketState.choices, default=TicketState.ISSUED
    )
    slot_start = models.DateTimeField(_("slot start"), null=True, blank=True)
    slot_end = models.DateTimeField(_("slot end"), null=True, blank=True)
    # Where the ticket stands in line: the time it was issued, kept across a transfer.
    queued_at = models.DateTimeField(_("in line since"))
    issued_at = models.DateTimeField(_("issued"))
    called_at = models.DateTimeField(_("called"), null=True, blank=True)
    started_at = models.DateTimeField(_("service started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    last_called_at = models.DateTimeField(_("last called"), null=True, blank=True)
    calls = models.PositiveSmallIntegerField(_("times called"), default=0)
    counter = models.ForeignKey(
        Counter,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
        verbose_name=_("counter"),
    )
    transferred_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("transferred to"),
    )
    # The booking an appointment ticket was issued for (its id in the bookings app).
    booking_ref = models.PositiveIntegerField(_("booking"), null=True, blank=True)
    closed_at_day_end = models.BooleanField(_("closed at the end of the day"), default=False)
    # The secret of the holder's ticket link; a ticket made by a transfer has none; the link of
    # the original ticket follows ``transferred_to`` to it.
    token_hash = models.CharField(max_length=64, null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["day", "queued_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "service", "day", "number"], name="queue_ticket_number"
            ),
            models.UniqueConstraint(
                fields=["subdistrict", "token_hash"], name="queue_ticket_token"
            ),
            models.UniqueConstraint(
                fields=["subdistrict", "booking_ref"], name="queue_ticket_booking"
            ),
        ]
        indexes = [
            models.Index(fields=["service", "day", "state"]),
            models.Index(fields=["token_hash"]),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return f"{self.service.prefix}{self.number:03d}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES
