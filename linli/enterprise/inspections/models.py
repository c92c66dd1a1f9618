"""Joint inspections (综合查一次): departments' planned inspections of an enterprise, merged into
one visit when they fall in the same period, and each department's result."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from linli.core import clock
from linli.core.models import TenantModel, scoped_manager
from linli.core.visibility import VisibleQuerySet


class JointVisit(TenantModel):
    """One trip to an enterprise that the participating departments make together. The window
    is what all their plans have in common; the visit is scheduled on a date inside it."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    enterprise = models.ForeignKey(
        "registry.Enterprise",
        on_delete=models.PROTECT,
        related_name="joint_visits",
        verbose_name=_("enterprise"),
    )
    window_start = models.DateField(_("common window from"))
    window_end = models.DateField(_("common window to"))
    scheduled_on = models.DateField(_("scheduled on"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED
    )
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=clock.stamp)

    class Meta:
        verbose_name = _("joint visit")
        verbose_name_plural = _("joint visits")
        ordering = ["scheduled_on", "id"]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.scheduled_on}"


class InspectionPlanQuerySet(VisibleQuerySet["InspectionPlan"]):
    def with_partners(self) -> InspectionPlanQuerySet:
        """``partners`` on each plan: how many other departments' active plans share its
        joint visit (0: the department goes alone, or the plan is not merged yet). The one
        definition of "merged" the pages, the API and the export show."""
        others = (
            InspectionPlan.objects.filter(
                joint_visit=models.OuterRef("joint_visit"), status=InspectionPlan.Status.PLANNED
            )
            .exclude(pk=models.OuterRef("pk"))
            .order_by()
            .values("joint_visit")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return self.annotate(
            partners=Coalesce(models.Subquery(others, output_field=models.IntegerField()), 0)
        )


class InspectionPlan(TenantModel):
    """A department's intention to inspect one enterprise within a window of dates."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CANCELLED = "cancelled", _("Cancelled")

    enterprise = models.ForeignKey(
        "registry.Enterprise",
        on_delete=models.PROTECT,
        related_name="inspection_plans",
        verbose_name=_("enterprise"),
    )
    department = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="inspection_plans",
        verbose_name=_("department"),
    )
    subject = models.CharField(_("inspection subject"), max_length=200)
    matters = models.TextField(_("matters to check"), blank=True)
    window_start = models.DateField(_("planned from"))
    window_end = models.DateField(_("planned to"))
    inspectors = models.CharField(_("inspectors"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    joint_visit = models.ForeignKey(
        JointVisit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plans",
        verbose_name=_("joint visit"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("planned by"),
    )
    created_at = models.DateTimeField(_("created"), default=clock.stamp)

    objects: ClassVar[Any] = scoped_manager(InspectionPlanQuerySet)

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["window_start", "id"]
        indexes = [models.Index(fields=["enterprise", "status"])]

    def __str__(self) -> str:
        return f"{self.department} · {self.enterprise} · {self.subject}"


class InspectionResult(TenantModel):
    """What one department found on the visit."""

    class Outcome(models.TextChoices):
        PASSED = "passed", _("Passed")
        ISSUES = "issues", _("Issues found")
        FOLLOW_UP = "follow_up", _("Follow-up needed")

    plan = models.ForeignKey(
        InspectionPlan,
        on_delete=models.PROTECT,
        related_name="results",
        verbose_name=_("inspection plan"),
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    notes = models.TextField(_("findings"), blank=True)
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("follow-up case"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=clock.stamp)

    class Meta:
        verbose_name = _("inspection result")
        verbose_name_plural = _("inspection results")
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "plan"], name="inspection_result_plan")
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.get_outcome_display()}"
