"""Alert rules on the cockpit's indicators, and their history."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core import clock
from linli.core.models import AppendOnlyModel, AppendOnlyQuerySet, TenantModel, User, scoped_manager
from linli.core.visibility import VisibleQuerySet


class AlertRule(TenantModel):
    """ "Notify these leaders when this indicator goes past this threshold": once per breach,
    again only after the figure has come back (``in_breach`` remembers which side it is on)."""

    class Comparison(models.TextChoices):
        ABOVE = "above", _("rises above")
        BELOW = "below", _("falls below")

    indicator = models.CharField(_("indicator"), max_length=60)
    comparison = models.CharField(_("when it"), max_length=5, choices=Comparison.choices)
    threshold = models.DecimalField(_("threshold"), max_digits=14, decimal_places=4)
    recipients = models.ManyToManyField(User, related_name="+", verbose_name=_("notify"))
    active = models.BooleanField(_("active"), default=True)
    in_breach = models.BooleanField(_("in breach"), default=False)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=clock.stamp)

    class Meta:
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")
        ordering = ["indicator", "pk"]

    def __str__(self) -> str:
        return f"{self.indicator} {self.comparison} {self.threshold}"


class AlertEventQuerySet(AppendOnlyQuerySet, VisibleQuerySet):  # type: ignore[override]
    """Append-only, and read through ``visible_to`` like every tenant model."""


class AlertEvent(AppendOnlyModel, TenantModel):
    """A rule's figure crossed its threshold (fired) or came back (recovered)."""

    class Kind(models.TextChoices):
        FIRED = "fired", _("fired")
        RECOVERED = "recovered", _("recovered")

    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    at = models.DateTimeField(_("at"), default=clock.stamp)

    objects = scoped_manager(AlertEventQuerySet)  # type: ignore[misc]

    class Meta:
        verbose_name = _("alert event")
        verbose_name_plural = _("alert events")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.kind} {self.value}"


class ReportSchedule(TenantModel):
    """A leader's own report: these indicators, with these filters, every week or month, to
    these people. The worker sends it once per period (``Report`` remembers which)."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("weekly")
        MONTHLY = "monthly", _("monthly")

    name = models.CharField(_("report name"), max_length=100)
    indicators = models.JSONField(_("indicators"), default=list)
    grid = models.ForeignKey(
        "registry.Grid",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("grid"),
    )
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    recipients = models.ManyToManyField(User, related_name="+", verbose_name=_("send to"))
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=clock.stamp)

    class Meta:
        verbose_name = _("report schedule")
        verbose_name_plural = _("report schedules")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Report(TenantModel):
    """A report as it was sent: its PDF and workbook, kept with the row (one transaction writes
    both, so a run that fails leaves neither), for the period it covers."""

    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("monthly report")
        SCHEDULED = "scheduled", _("scheduled report")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    schedule = models.ForeignKey(
        ReportSchedule,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("schedule"),
    )
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    filters = models.JSONField(_("filters"), default=list)
    pdf = models.BinaryField(_("PDF"))
    xlsx = models.BinaryField(_("workbook"))
    computed_at = models.DateTimeField(_("computed at"), default=clock.stamp)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period_start", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "period_start", "kind"],
                condition=models.Q(kind="monthly"),
                name="cockpit_one_monthly_report_per_month",
            ),
            models.UniqueConstraint(
                fields=["subdistrict", "schedule", "period_start"],
                condition=models.Q(kind="scheduled"),
                name="cockpit_one_scheduled_report_per_period",
            ),
        ]

    def __str__(self) -> str:
        return self.title
