"""People's mediation (人民调解): a dispute between parties of a quarter, mediated by a member
of staff in sessions, ending in an agreement (signed, followed up, perhaps confirmed by a
court), no agreement, or withdrawal."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core import clock
from linli.core.models import TenantModel, scoped_manager
from linli.core.pii import decrypt, mask_mobile
from linli.core.visibility import VisibleQuerySet


def scan_path(instance: SignedScan, filename: str) -> str:
    return f"mediation/{instance.subdistrict_id}/{clock.now():%Y/%m}/{filename}"


class MediationCase(TenantModel):
    class Kind(models.TextChoices):
        NEIGHBOURS = "neighbours", _("Neighbours")
        FAMILY = "family", _("Marriage and family")
        PROPERTY = "property", _("Property management")
        TENANCY = "tenancy", _("Tenancy")
        DEBT = "debt", _("Debt")
        LABOUR = "labour", _("Labour")
        DAMAGE = "damage", _("Damage and compensation")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Being mediated")
        AGREED = "agreed", _("Agreement reached")
        NO_AGREEMENT = "no_agreement", _("No agreement")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    number = models.CharField(_("case number"), max_length=20)
    quarter = models.ForeignKey(
        "registry.Quarter",
        on_delete=models.PROTECT,
        related_name="mediation_cases",
        verbose_name=_("quarter"),
    )
    kind = models.CharField(_("kind of dispute"), max_length=20, choices=Kind.choices)
    summary = models.TextField(_("what the dispute is about"), max_length=2000)
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="mediation_cases",
        verbose_name=_("mediator"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome_notes = models.TextField(_("outcome notes"), max_length=2000, blank=True)
    terms = models.TextField(_("terms of the agreement"), max_length=4000, blank=True)
    signed_on = models.DateField(_("agreement signed on"), null=True, blank=True)
    follow_up_due = models.DateField(_("follow-up visit due"), null=True, blank=True)
    follow_up_version = models.IntegerField(_("parameter version"), null=True, blank=True)
    follow_up_reminded_on = models.DateField(_("reminder sent on"), null=True, blank=True)
    followed_up_on = models.DateField(_("followed up on"), null=True, blank=True)
    follow_up_notes = models.TextField(_("follow-up notes"), max_length=2000, blank=True)
    confirmed_on = models.DateField(_("judicial confirmation on"), null=True, blank=True)
    confirming_court = models.CharField(_("confirming court"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("opened by"),
    )
    created_at = models.DateTimeField(_("created"), default=clock.stamp)

    objects: ClassVar[Any] = scoped_manager(VisibleQuerySet)

    class Meta:
        verbose_name = _("mediation case")
        verbose_name_plural = _("mediation cases")
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "number"], name="mediation_number")
        ]

    def __str__(self) -> str:
        return self.number


class Party(TenantModel):
    class Side(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")
        RESPONDENT = "respondent", _("Respondent")

    case = models.ForeignKey(
        MediationCase, on_delete=models.CASCADE, related_name="parties", verbose_name=_("case")
    )
    side = models.CharField(_("side"), max_length=12, choices=Side.choices)
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("resident"),
    )
    name = models.CharField(_("name"), max_length=100)
    phone_cipher = models.TextField(_("phone (encrypted)"), blank=True)
    phone_hash = models.CharField(_("phone (look-up hash)"), max_length=64, blank=True)

    objects: ClassVar[Any] = scoped_manager(VisibleQuerySet)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["side", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_phone(self) -> str:
        return mask_mobile(decrypt(self.phone_cipher)) if self.phone_cipher else ""


class Session(TenantModel):
    case = models.ForeignKey(
        MediationCase, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("case")
    )
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=100)
    attendees = models.CharField(_("attendees"), max_length=200)
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects: ClassVar[Any] = scoped_manager(VisibleQuerySet)

    class Meta:
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ["held_on", "id"]


class SignedScan(TenantModel):
    """The scan of the signed agreement, kept apart from the case so that the case's audit
    snapshots carry no file."""

    case = models.OneToOneField(
        MediationCase, on_delete=models.CASCADE, related_name="scan", verbose_name=_("case")
    )
    file = models.FileField(_("signed agreement (scan)"), upload_to=scan_path)
    content_type = models.CharField(_("content type"), max_length=50)
    uploaded_at = models.DateTimeField(_("uploaded"), default=clock.stamp)

    objects: ClassVar[Any] = scoped_manager(VisibleQuerySet)

    class Meta:
        verbose_name = _("signed agreement scan")
        verbose_name_plural = _("signed agreement scans")
