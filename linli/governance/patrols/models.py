"""Grid patrols (网格巡查): a grid's plan with its points, the patrols a grid worker runs on it,
the check-ins at the points (where and when) and the findings that became cases."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.core import clock
from linli.core.models import TenantModel, scoped_manager
from linli.core.visibility import VisibleQuerySet

lon_range = [MinValueValidator(-180), MaxValueValidator(180)]
lat_range = [MinValueValidator(-90), MaxValueValidator(90)]


class PatrolPlanQuerySet(VisibleQuerySet["PatrolPlan"]):
    pass


class PatrolPlan(TenantModel):
    """How often a grid is patrolled and which points a patrol checks in at."""

    grid = models.ForeignKey(
        "registry.Grid", on_delete=models.PROTECT, related_name="+", verbose_name=_("grid")
    )
    name = models.CharField(_("name"), max_length=100)
    per_week = models.PositiveSmallIntegerField(
        _("patrols a week"), validators=[MinValueValidator(1), MaxValueValidator(21)]
    )
    # The rule-parameter version the frequency came from (None: the declared default, or a
    # frequency the planner set by hand: see ``per_week_set``).
    per_week_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
    per_week_set = models.BooleanField(_("frequency set by hand"), default=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=clock.stamp)

    objects: ClassVar[Any] = scoped_manager(PatrolPlanQuerySet)

    class Meta:
        verbose_name = _("patrol plan")
        verbose_name_plural = _("patrol plans")
        ordering = ["grid__code", "name"]

    def __str__(self) -> str:
        return self.name


class PatrolPointQuerySet(VisibleQuerySet["PatrolPoint"]):
    pass


class PatrolPoint(TenantModel):
    """A place a patrol checks in at: a building, a quarter gate, a market…"""

    class Kind(models.TextChoices):
        BUILDING = "building", _("Building")
        GATE = "gate", _("Quarter gate")
        MARKET = "market", _("Market")
        STREET = "street", _("Street")
        OTHER = "other", pgettext_lazy("patrol point", "Other")

    plan = models.ForeignKey(
        PatrolPlan, on_delete=models.CASCADE, related_name="points", verbose_name=_("plan")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.OTHER)
    lon = models.FloatField(_("longitude"), validators=lon_range)
    lat = models.FloatField(_("latitude"), validators=lat_range)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    objects: ClassVar[Any] = scoped_manager(PatrolPointQuerySet)

    class Meta:
        verbose_name = _("patrol point")
        verbose_name_plural = _("patrol points")
        ordering = ["plan", "position", "id"]

    def __str__(self) -> str:
        return self.name


class PatrolQuerySet(VisibleQuerySet["Patrol"]):
    pass


class Patrol(TenantModel):
    """One patrol a grid worker runs on a plan, from start to end."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    plan = models.ForeignKey(
        PatrolPlan, on_delete=models.PROTECT, related_name="patrols", verbose_name=_("plan")
    )
    # The plan's grid, kept on the patrol: what a grid worker sees is read by grid.
    grid = models.ForeignKey(
        "registry.Grid", on_delete=models.PROTECT, related_name="+", verbose_name=_("grid")
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="patrols",
        verbose_name=_("grid worker"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS
    )
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    # The distance beyond which a check-in is "away", and its rule-parameter version.
    away_m = models.PositiveIntegerField(_("away beyond (m)"))
    away_version = models.PositiveIntegerField(null=True, blank=True, editable=False)

    objects: ClassVar[Any] = scoped_manager(PatrolQuerySet)

    class Meta:
        verbose_name = _("patrol")
        verbose_name_plural = _("patrols")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.plan} {clock.local(self.started_at):%Y-%m-%d %H:%M}"


class CheckInQuerySet(VisibleQuerySet["CheckIn"]):
    pass


class CheckIn(TenantModel):
    """Being at a point on a patrol: when, and where the phone said the worker was."""

    class Result(models.TextChoices):
        AT_POINT = "at_point", _("At the point")
        AWAY = "away", _("Away from the point")
        NO_LOCATION = "no_location", _("No location")

    patrol = models.ForeignKey(
        Patrol, on_delete=models.PROTECT, related_name="check_ins", verbose_name=_("patrol")
    )
    point = models.ForeignKey(
        PatrolPoint, on_delete=models.PROTECT, related_name="+", verbose_name=_("point")
    )
    at = models.DateTimeField(_("checked in at"))
    lon = models.FloatField(_("longitude"), null=True, blank=True, validators=lon_range)
    lat = models.FloatField(_("latitude"), null=True, blank=True, validators=lat_range)
    accuracy_m = models.FloatField(_("accuracy (m)"), null=True, blank=True)
    distance_m = models.FloatField(_("distance from the point (m)"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=12, choices=Result.choices)

    objects: ClassVar[Any] = scoped_manager(CheckInQuerySet)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "patrol", "point"], name="patrols_one_check_in_per_point"
            )
        ]


class FindingQuerySet(VisibleQuerySet["Finding"]):
    pass


class Finding(TenantModel):
    """Something found on a patrol, reported as a case in one step."""

    patrol = models.ForeignKey(
        Patrol, on_delete=models.PROTECT, related_name="findings", verbose_name=_("patrol")
    )
    case = models.OneToOneField(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="patrol_finding",
        verbose_name=_("case"),
    )
    point = models.ForeignKey(
        PatrolPoint,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("point"),
    )
    created_at = models.DateTimeField(_("reported"), default=clock.stamp)

    objects: ClassVar[Any] = scoped_manager(FindingQuerySet)

    class Meta:
        verbose_name = _("patrol finding")
        verbose_name_plural = _("patrol findings")
        ordering = ["created_at", "id"]
