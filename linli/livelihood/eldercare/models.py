"""Embedded elderly care (社区嵌入式养老): an elder's file, care-needs assessments, care orders
and their service visits.

An elder's file belongs to a person of the registry aged 60 or more: living situation and
emergency contacts. An assessment (老年照护统一需求评估) gives a grade (normal or 1–6) valid for a
period; the grade in force decides the entitlements. A care order (home care, day care, a
care-home bed) goes requested → approved → scheduled, may be suspended (in hospital) and resumed,
or cancelled; a home-care order's visits are slots a caregiver checks in and out of.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core import clock
from linli.core.models import Organisation, TenantModel
from linli.core.pii import decrypt, mask_mobile
from linli.people.models import Person, PersonTag
from linli.registry.models import Facility

GRADES = ("normal", "1", "2", "3", "4", "5", "6")


class Grade(models.TextChoices):
    NORMAL = "normal", _("Normal (no care need)")
    ONE = "1", _("Grade 1")
    TWO = "2", _("Grade 2")
    THREE = "3", _("Grade 3")
    FOUR = "4", _("Grade 4")
    FIVE = "5", _("Grade 5")
    SIX = "6", _("Grade 6")


def grade_number(grade: str) -> int:
    """Grade ``normal`` counts as 0, so grades compare as numbers."""
    return 0 if grade in ("", Grade.NORMAL) else int(grade)


class ElderFile(TenantModel):
    class Living(models.TextChoices):
        ALONE = "alone", _("Living alone")
        SPOUSE = "spouse", _("With spouse only")
        FAMILY = "family", _("With family")

    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, related_name="elder_file", verbose_name=_("person")
    )
    living = models.CharField(_("living situation"), max_length=10, choices=Living.choices)
    opened_at = models.DateTimeField(_("opened"), default=clock.stamp)

    class Meta:
        verbose_name = _("elder's file")
        verbose_name_plural = _("elders' files")
        ordering = ["person__name", "pk"]

    def __str__(self) -> str:
        return str(self.person)


class EmergencyContact(TenantModel):
    """Someone to call for an elder: the phone is encrypted, with a keyed hash, and masked."""

    elder = models.ForeignKey(
        ElderFile, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("elder")
    )
    name = models.CharField(_("name"), max_length=50)
    relation = models.CharField(_("relation"), max_length=30)
    phone_cipher = models.TextField(editable=False)
    phone_hash = models.CharField(max_length=64, db_index=True, editable=False)

    class Meta:
        verbose_name = _("emergency contact")
        verbose_name_plural = _("emergency contacts")
        ordering = ["elder", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def phone_masked(self) -> str:
        return mask_mobile(decrypt(self.phone_cipher))


class Assessment(TenantModel):
    """One care-needs assessment; the newest one whose validity covers a day is in force."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="care_assessments", verbose_name=_("person")
    )
    grade = models.CharField(_("grade"), max_length=6, choices=Grade.choices)
    assessed_on = models.DateField(_("assessed on"))
    valid_until = models.DateField(_("valid until"))
    validity_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
    assessor = models.CharField(_("assessor"), max_length=100)
    cognitive_impairment = models.BooleanField(_("cognitive impairment"), default=False)
    tag = models.ForeignKey(
        PersonTag, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=clock.stamp)
    reminded_at = models.DateTimeField(_("re-assessment reminded"), null=True, blank=True)

    class Meta:
        verbose_name = _("care-needs assessment")
        verbose_name_plural = _("care-needs assessments")
        ordering = ["person", "-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_grade_display()}"

    def in_force_on(self, day: dt.date) -> bool:
        return self.assessed_on <= day <= self.valid_until


class CareOrder(TenantModel):
    class Kind(models.TextChoices):
        HOME_CARE = "home_care", _("Home care")
        DAY_CARE = "day_care", _("Day care")
        CARE_HOME_BED = "care_home_bed", _("Care-home bed")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        SCHEDULED = "scheduled", _("Scheduled")
        SUSPENDED = "suspended", _("Suspended (in hospital)")
        CANCELLED = "cancelled", _("Cancelled")

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="care_orders", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="care_orders",
        verbose_name=_("provider"),
    )
    facility = models.ForeignKey(
        Facility,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="care_orders",
        verbose_name=_("facility"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    requested_on = models.DateField(_("requested on"))
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    # What the approval rested on: the grade in force, whether the entitlement held, and the
    # parameter versions (key -> version pk, None for a declared default) it read.
    grade = models.CharField(_("grade"), max_length=6, choices=Grade.choices, blank=True)
    entitled = models.BooleanField(_("entitled"), default=False)
    parameter_versions = models.JSONField(default=dict, blank=True, editable=False)
    slot_time = models.TimeField(_("visit time"), default=dt.time(9, 0))
    note = models.CharField(_("note"), max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )

    class Meta:
        verbose_name = _("care order")
        verbose_name_plural = _("care orders")
        ordering = ["-requested_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_kind_display()}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE


ACTIVE = (CareOrder.Status.APPROVED, CareOrder.Status.SCHEDULED, CareOrder.Status.SUSPENDED)


class CareVisit(TenantModel):
    """One service slot of a home-care order; entitled unless cancelled, delivered when done."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CHECKED_IN = "checked_in", _("Checked in")
        DONE = "done", _("Done")
        MISSED = "missed", _("Missed")
        CANCELLED = "cancelled", _("Cancelled")

    order = models.ForeignKey(
        CareOrder, on_delete=models.PROTECT, related_name="visits", verbose_name=_("order")
    )
    starts_at = models.DateTimeField(_("slot start"))
    ends_at = models.DateTimeField(_("slot end"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=2)
    grade = models.CharField(_("grade"), max_length=6, choices=Grade.choices)
    # The versions of the weekly-visits and hours parameters this slot was planned with.
    visits_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hours_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    caregiver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("caregiver"),
    )
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out"), null=True, blank=True)
    check_in_lat = models.FloatField(null=True, blank=True)
    check_in_lon = models.FloatField(null=True, blank=True)
    check_out_lat = models.FloatField(null=True, blank=True)
    check_out_lon = models.FloatField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("care visit")
        verbose_name_plural = _("care visits")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "ends_at"], name="eldercare_visit_due")]

    def __str__(self) -> str:
        return f"{self.order.person} · {clock.local(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def delivered_hours(self) -> Decimal:
        return self.hours if self.status == self.Status.DONE else Decimal(0)
