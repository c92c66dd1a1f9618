"""Keeping enterprises (稳商): visit plans, the butlers' visit logs and the demands raised there,
butlers' private notes, and the nightly relocation-risk snapshots."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core import clock
from linli.core.models import TenantModel
from linli.registry.models import Enterprise


class VisitPlan(TenantModel):
    """A visiting rule: every enterprise of a butler's portfolio (or those with one tag) is to be
    visited at least once every ``every_months``."""

    name = models.CharField(_("name"), max_length=100)
    tag = models.CharField(
        _("only enterprises tagged"),
        max_length=40,
        blank=True,
        choices=Enterprise.Tag.choices,
        help_text=_("Leave empty for every enterprise of the portfolio."),
    )
    every_months = models.PositiveSmallIntegerField(
        _("at least once every (months)"),
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=clock.stamp)

    class Meta:
        verbose_name = _("visit plan")
        verbose_name_plural = _("visit plans")
        ordering = ["every_months", "name"]

    def __str__(self) -> str:
        return self.name

    def covers(self, enterprise: Enterprise) -> bool:
        return not self.tag or self.tag in (enterprise.tags or [])


class Visit(TenantModel):
    """One butler visit to an enterprise, logged on a phone right after it."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="visits", verbose_name=_("enterprise")
    )
    butler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("butler"),
    )
    visited_on = models.DateField(_("date of the visit"))
    people_met = models.CharField(_("people met"), max_length=200)
    topics = models.CharField(_("topics"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("logged at"), default=clock.stamp)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["enterprise", "visited_on"], name="visit_enterprise_on")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.visited_on:%Y-%m-%d}"


class VisitDemand(TenantModel):
    """A demand raised during a visit; it became an enterprise-appeal case at once."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="demands", verbose_name=_("visit")
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case")
    )

    class Meta:
        verbose_name = _("demand raised in a visit")
        verbose_name_plural = _("demands raised in visits")
        ordering = ["visit", "id"]

    def __str__(self) -> str:
        return f"{self.visit_id} → {self.case_id}"


class ButlerNote(TenantModel):
    """What the butler knows about an enterprise and keeps for staff only."""

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.CASCADE,
        related_name="butler_notes",
        verbose_name=_("enterprise"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written at"), default=clock.stamp)

    class Meta:
        verbose_name = _("butler's note")
        verbose_name_plural = _("butler's notes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.created_at:%Y-%m-%d}"


class RiskSnapshot(TenantModel):
    """An enterprise's relocation-risk score on one day (the nightly run keeps one per day)."""

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.CASCADE,
        related_name="risk_snapshots",
        verbose_name=_("enterprise"),
    )
    on = models.DateField(_("date"))
    score = models.PositiveSmallIntegerField(_("risk score"))
    factors = models.JSONField(_("contributing factors"), default=list)
    tax = models.DecimalField(
        _("latest tax (10k yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("relocation-risk snapshot")
        verbose_name_plural = _("relocation-risk snapshots")
        ordering = ["-on", "-score"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "enterprise", "on"], name="retention_risk_snapshot_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.on}: {self.score}"
