"""Catering establishments (registry enterprises with a food business licence and a risk
grade), the inspections generated for them into the joint-inspection planner, and the
rectifications ordered after a visit."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core import clock
from linli.core.models import AppendOnlyModel, AppendOnlyQuerySet, TenantModel, scoped_manager
from linli.core.visibility import VisibleQuerySet


class Grade(models.TextChoices):
    """Risk grades of food business (食品生产经营风险分级): A lowest risk, D highest."""

    A = "A", _("Grade A")
    B = "B", _("Grade B")
    C = "C", _("Grade C")
    D = "D", _("Grade D")


class Kind(models.TextChoices):
    RESTAURANT = "restaurant", _("Ordinary catering")
    CANTEEN = "canteen", _("Staff canteen")
    ELDERLY = "elderly", _("Elderly catering")
    SCHOOL = "school", _("School catering")
    CENTRAL_KITCHEN = "central_kitchen", _("Central kitchen")


# Catering for the elderly and for schools, and central kitchens that feed many, are inspected
# as the highest risk whatever grade the last assessment gave.
ALWAYS_D = frozenset({Kind.ELDERLY, Kind.SCHOOL, Kind.CENTRAL_KITCHEN})


def effective_grade(kind: str, grade: str) -> str:
    return Grade.D if kind in ALWAYS_D else grade


class EstablishmentQuerySet(VisibleQuerySet["Establishment"]):
    def with_effective_grade(self) -> models.QuerySet[Any]:
        """``effective`` on each row: the grade the inspections follow (D for the kinds that
        always count as D), the one definition the list, the filters and statistics use."""
        return self.annotate(
            effective=models.Case(
                models.When(kind__in=sorted(ALWAYS_D), then=models.Value(Grade.D.value)),
                default=models.F("grade"),
                output_field=models.CharField(),
            )
        )


class Establishment(TenantModel):
    """An enterprise of the registry that runs a catering business."""

    enterprise = models.ForeignKey(
        "registry.Enterprise",
        on_delete=models.PROTECT,
        related_name="food_establishments",
        verbose_name=_("enterprise"),
    )
    kind = models.CharField(_("kind of catering"), max_length=20, choices=Kind.choices)
    licence_number = models.CharField(_("food business licence number"), max_length=40)
    licence_valid_until = models.DateField(_("licence valid until"))
    grade = models.CharField(_("risk grade"), max_length=1, choices=Grade.choices)
    graded_on = models.DateField(_("graded on"))
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("graded by"),
    )
    registered_at = models.DateTimeField(_("registered"), default=clock.stamp)

    objects: ClassVar[Any] = scoped_manager(EstablishmentQuerySet)

    class Meta:
        verbose_name = _("catering establishment")
        verbose_name_plural = _("catering establishments")
        ordering = ["enterprise__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "enterprise"], name="foodsafety_one_per_enterprise"
            )
        ]

    def __str__(self) -> str:
        return str(self.enterprise)

    @property
    def effective_grade(self) -> str:
        return effective_grade(self.kind, self.grade)


class GradeChangeQuerySet(AppendOnlyQuerySet, VisibleQuerySet):  # type: ignore[override]
    """Append-only, and read through ``visible_to``."""


class GradeChange(AppendOnlyModel, TenantModel):
    """One risk grading of an establishment: the history is never changed."""

    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.PROTECT,
        related_name="gradings",
        verbose_name=_("catering establishment"),
    )
    grade = models.CharField(_("risk grade"), max_length=1, choices=Grade.choices)
    graded_on = models.DateField(_("graded on"))
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("graded by"),
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), default=clock.stamp)

    objects: ClassVar[Any] = scoped_manager(GradeChangeQuerySet)

    class Meta:
        verbose_name = _("risk grading")
        verbose_name_plural = _("risk gradings")
        ordering = ["-graded_on", "-id"]


class ScheduledInspection(TenantModel):
    """One of the year's inspections of an establishment, generated into the planner: the
    plan it became, and the grade and parameter version the number of inspections came from."""

    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.PROTECT,
        related_name="scheduled",
        verbose_name=_("catering establishment"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    slot = models.PositiveSmallIntegerField(_("inspection of the year"))
    grade = models.CharField(_("grade applied"), max_length=1, choices=Grade.choices)
    inspections_a_year = models.PositiveSmallIntegerField(_("inspections a year"))
    parameter_version = models.IntegerField(_("parameter version"), null=True, blank=True)
    plan = models.OneToOneField(
        "inspections.InspectionPlan",
        on_delete=models.PROTECT,
        related_name="food_inspection",
        verbose_name=_("inspection plan"),
    )

    objects: ClassVar[Any] = scoped_manager(VisibleQuerySet)

    class Meta:
        verbose_name = _("scheduled food inspection")
        verbose_name_plural = _("scheduled food inspections")
        ordering = ["year", "establishment_id", "slot"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "establishment", "year", "slot"],
                name="foodsafety_one_plan_per_slot",
            )
        ]


class Rectification(TenantModel):
    """An order to put something right by a deadline in working days, and its follow-up."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Rectified")
        FAILED = "failed", _("Not rectified")

    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.PROTECT,
        related_name="rectifications",
        verbose_name=_("catering establishment"),
    )
    plan = models.ForeignKey(
        "inspections.InspectionPlan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("inspection"),
    )
    requirement = models.TextField(_("what must be put right"), max_length=2000)
    ordered_at = models.DateTimeField(_("ordered"), default=clock.stamp)
    working_days = models.PositiveSmallIntegerField(_("working days allowed"))
    parameter_version = models.IntegerField(_("parameter version"), null=True, blank=True)
    deadline = models.DateTimeField(_("deadline"))
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ordered by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    followed_up_on = models.DateField(_("followed up on"), null=True, blank=True)
    follow_up_notes = models.TextField(_("follow-up notes"), max_length=2000, blank=True)
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("followed up by"),
    )

    objects: ClassVar[Any] = scoped_manager(VisibleQuerySet)

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        ordering = ["-ordered_at", "-id"]

    def __str__(self) -> str:
        return f"{self.establishment}: {self.requirement[:40]}"

    @property
    def overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.deadline < clock.now()
