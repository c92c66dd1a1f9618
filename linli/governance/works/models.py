"""Sporadic renovation works (零星工程): a home's or a shop's works registered before they start.

A registration (``Works``) names the place (a dwelling of the people registry, an enterprise's
premises, or a free address in the sub-district), the scope, the dates and the contractor.
``classification`` turns the scope into a class, a checklist and whether a site inspection is
needed; the registration keeps what it decided. A site notice with a QR code is posted at the
door; the code opens a public page reached by an unguessable token. Inspections record each
checklist item pass/fail; waste removal (装修垃圾清运) is booked; completion closes the works.
Works found without registration are recorded too, and open one case.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.cases.models import Case
from linli.core import clock
from linli.core.models import TenantModel
from linli.governance.works import classification
from linli.people.models import Dwelling
from linli.registry.models import Enterprise, Grid, Quarter


def new_token() -> str:
    return secrets.token_urlsafe(18)


class Works(TenantModel):
    """One registration of sporadic works, or works found without one."""

    class Stage(models.TextChoices):
        REGISTERED = "registered", pgettext_lazy("works stage", "Registered")
        NOTICE = "notice", pgettext_lazy("works stage", "Site notice posted")
        RECTIFY = "rectify", pgettext_lazy("works stage", "To put right")
        INSPECTED = "inspected", pgettext_lazy("works stage", "Inspected and in order")
        COMPLETED = "completed", pgettext_lazy("works stage", "Completed")
        UNREGISTERED = "unregistered", pgettext_lazy("works stage", "Found without registration")

    class Place(models.TextChoices):
        DWELLING = "dwelling", _("Dwelling")
        PREMISES = "premises", _("Shop or enterprise premises")
        ADDRESS = "address", _("Other address")

    number = models.CharField(_("number"), max_length=20)
    token = models.CharField(max_length=40, default=new_token, editable=False)
    stage = models.CharField(
        _("stage"), max_length=15, choices=Stage.choices, default=Stage.REGISTERED, db_index=True
    )
    place = models.CharField(_("place"), max_length=10, choices=Place.choices)
    dwelling = models.ForeignKey(
        Dwelling,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dwelling"),
    )
    enterprise = models.ForeignKey(
        Enterprise,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("enterprise"),
    )
    address = models.CharField(_("address"), max_length=500)
    # Where the works are, for who sees them: the grid and the quarter of the place.
    grid = models.ForeignKey(
        Grid, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    quarter = models.ForeignKey(
        Quarter, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scopes = models.JSONField(_("scope of works"), default=list)
    description = models.TextField(_("what will be done"), max_length=2000)
    approval = models.CharField(
        _("approval of the structural change"),
        max_length=100,
        blank=True,
        help_text=_("The number of the design unit's or the authority's approval."),
    )
    # What the classification decided at registration (it reads the rules of that day).
    classification = models.CharField(
        _("classification"), max_length=12, choices=classification.CHOICES, blank=True
    )
    checklist = models.JSONField(_("checklist"), default=list, blank=True)
    needs_inspection = models.BooleanField(_("site inspection needed"), default=False)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    contractor = models.CharField(_("contractor"), max_length=100, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )
    registered_on = models.DateField(_("registered on"))
    registered_at = models.DateTimeField(_("registered at"), default=clock.stamp)
    notice_issued_on = models.DateField(_("site notice issued on"), null=True, blank=True)
    inspection_due = models.DateField(_("inspection due by"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    completion_note = models.TextField(_("completion note"), max_length=2000, blank=True)
    # Works found without registration: the case it opened (one per finding).
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("sporadic works")
        verbose_name_plural = _("sporadic works")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "number"], name="works_number"),
            models.UniqueConstraint(fields=["subdistrict", "token"], name="works_token"),
        ]
        indexes = [models.Index(fields=["subdistrict", "stage"], name="works_stage")]

    def __str__(self) -> str:
        return f"{self.number} {self.address}"

    @property
    def is_open(self) -> bool:
        return self.stage != self.Stage.COMPLETED

    @property
    def classification_label(self) -> str:
        return classification.label(self.classification) if self.classification else ""


class SiteInspection(TenantModel):
    """A site inspection against the works' checklist."""

    works = models.ForeignKey(
        Works, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("works")
    )
    inspected_on = models.DateField(_("inspected on"))
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("inspector"),
    )
    passed = models.BooleanField(_("in order"))
    note = models.TextField(_("note"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("works inspection")
        verbose_name_plural = _("works inspections")
        ordering = ["-inspected_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.works} {self.inspected_on}"


class CheckedItem(TenantModel):
    """One checklist item as the inspection found it."""

    inspection = models.ForeignKey(
        SiteInspection, on_delete=models.CASCADE, related_name="items", verbose_name=_("inspection")
    )
    code = models.CharField(_("item"), max_length=30)
    passed = models.BooleanField(_("in order"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("checked item")
        verbose_name_plural = _("checked items")
        ordering = ["inspection", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "inspection", "code"], name="works_item_once"
            )
        ]


class WasteRemoval(TenantModel):
    """A booked removal of renovation waste (装修垃圾清运)."""

    works = models.ForeignKey(
        Works, on_delete=models.PROTECT, related_name="removals", verbose_name=_("works")
    )
    on = models.DateField(_("removal date"))
    volume_m3 = models.DecimalField(
        _("volume (m³)"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0)]
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("booked by"),
    )
    booked_at = models.DateTimeField(_("booked at"), default=clock.stamp)

    class Meta:
        verbose_name = _("waste removal")
        verbose_name_plural = _("waste removals")
        ordering = ["on", "pk"]
