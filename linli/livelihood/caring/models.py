"""Caring visits (关爱探访) to elders who live alone or have no family support.

A ``CaringPlan`` says that a person is visited, by whom and by when the next visit is due; each
``CaringVisit`` (at home or, for 老伙伴 pairs, a phone call) is logged with its outcome. The overdue
sweep writes one ``OverdueStep`` per plan, due date and level (remind the visitor, tell the
residents' committee, open a case), so a second run doubles nothing. ``ExtremeWeather`` raises
the visit frequency for a date range; a ``CompanionGroup`` is a 老伙伴计划 pair: a younger
volunteer elder with about five older ones. An ``Alert`` is an urgent case about an elder.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.cases.models import Case
from linli.core import clock
from linli.core.models import AppendOnlyModel, AppendOnlyQuerySet, TenantModel, scoped_manager
from linli.core.visibility import VisibleQuerySet
from linli.people.models import Person


class CaringPlan(TenantModel):
    class Reason(models.TextChoices):
        LIVING_ALONE = "living_alone", _("Lives alone")
        EMPTY_NEST = "empty_nest", _("Empty nest, no family support")
        OTHER = "other", pgettext_lazy("visit reason", "Other")

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    reason = models.CharField(_("reason"), max_length=15, choices=Reason.choices)
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("visitor"),
    )
    starts_on = models.DateField(_("starts on"))
    # The next visit is due by this day: the last visit (or the start) plus the frequency in
    # force that day, whose parameter version is kept (None: the declared default).
    next_due_on = models.DateField(_("next visit due"), db_index=True)
    due_version = models.IntegerField(null=True, blank=True, editable=False)
    last_visited_on = models.DateField(_("last visited"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=clock.stamp)

    class Meta:
        verbose_name = _("visit plan")
        verbose_name_plural = _("visit plans")
        ordering = ["next_due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "person"],
                condition=Q(ended_on__isnull=True),
                name="caring_one_open_plan",
            )
        ]
        indexes = [models.Index(fields=["subdistrict", "visitor"], name="caring_plan_visitor")]

    def __str__(self) -> str:
        return str(self.person)

    def days_overdue(self, today: dt.date) -> int:
        return max(0, (today - self.next_due_on).days)


class CaringVisitQuerySet(AppendOnlyQuerySet, VisibleQuerySet):  # type: ignore[override]
    """Visits are history: never updated, never deleted."""


class CaringVisit(AppendOnlyModel, TenantModel):
    class Kind(models.TextChoices):
        HOME = "home", _("Home visit")
        PHONE = "phone", _("Phone call")

    class Outcome(models.TextChoices):
        SEEN_WELL = "seen_well", _("Seen, well")
        CONCERN = "concern", _("Concerns")
        NOT_REACHED = "not_reached", _("Not reached")

    plan = models.ForeignKey(
        CaringPlan,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("visit plan"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("visitor"),
    )
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices, default=Kind.HOME)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    on = models.DateField(_("date"), db_index=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    case = models.ForeignKey(
        Case,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("case"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=clock.stamp)

    objects = scoped_manager(CaringVisitQuerySet)  # type: ignore[misc]

    class Meta:
        verbose_name = _("caring visit")
        verbose_name_plural = _("caring visits")
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["subdistrict", "on"], name="caring_visit_on")]

    def __str__(self) -> str:
        return f"{self.person} {self.on}"

    @property
    def counts(self) -> bool:
        """Whether the visit covers the person: they were reached."""
        return self.outcome != self.Outcome.NOT_REACHED


# The outcomes that count as done: the person was reached.
DONE_OUTCOMES = (CaringVisit.Outcome.SEEN_WELL, CaringVisit.Outcome.CONCERN)


class OverdueStepQuerySet(AppendOnlyQuerySet, VisibleQuerySet):  # type: ignore[override]
    pass


class OverdueStep(AppendOnlyModel, TenantModel):
    """What the sweep did about one overdue due date of a plan, once per level."""

    class Level(models.TextChoices):
        VISITOR = "visitor", _("Visitor reminded")
        COMMITTEE = "committee", _("Residents' committee told")
        CASE = "case", _("Case opened")

    plan = models.ForeignKey(
        CaringPlan, on_delete=models.PROTECT, related_name="overdue_steps", verbose_name=_("plan")
    )
    due_on = models.DateField(_("visit due"))
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    days_limit = models.PositiveSmallIntegerField(_("days overdue"))
    limit_version = models.IntegerField(null=True, blank=True, editable=False)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=clock.stamp)

    objects = scoped_manager(OverdueStepQuerySet)  # type: ignore[misc]

    class Meta:
        verbose_name = _("overdue step")
        verbose_name_plural = _("overdue steps")
        ordering = ["plan", "due_on", "at"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "plan", "due_on", "level"], name="caring_overdue_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.due_on} {self.level}"


class ExtremeWeather(TenantModel):
    """Days of heat, cold or a typhoon, when elders are visited more often."""

    class Reason(models.TextChoices):
        HEAT = "heat", _("Heat")
        COLD = "cold", _("Cold")
        TYPHOON = "typhoon", _("Typhoon")
        OTHER = "other", pgettext_lazy("weather", "Other")

    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    every_days = models.PositiveSmallIntegerField(_("visit every (days)"))
    every_version = models.IntegerField(null=True, blank=True, editable=False)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("set by"),
    )
    set_at = models.DateTimeField(_("set"), default=clock.stamp)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        verbose_name = _("extreme weather")
        verbose_name_plural = _("extreme weather")
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.starts_on}–{self.ends_on}"


class CompanionGroup(TenantModel):
    """A 老伙伴计划 pair: a younger volunteer elder and the older elders they look after."""

    leader = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("volunteer elder")
    )
    members = models.ManyToManyField(
        Person, through="CompanionMember", related_name="+", verbose_name=_("older elders")
    )
    formed_on = models.DateField(_("formed on"))
    target_size = models.PositiveSmallIntegerField(_("target group size"))
    size_version = models.IntegerField(null=True, blank=True, editable=False)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("老伙伴 group")
        verbose_name_plural = _("老伙伴 groups")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.leader)


class CompanionMember(TenantModel):
    group = models.ForeignKey(CompanionGroup, on_delete=models.PROTECT, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("老伙伴 group member")
        verbose_name_plural = _("老伙伴 group members")
        ordering = ["group", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "person"],
                condition=Q(left_on__isnull=True),
                name="caring_one_companion_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.person}"


class AlertQuerySet(AppendOnlyQuerySet, VisibleQuerySet):  # type: ignore[override]
    pass


class Alert(AppendOnlyModel, TenantModel):
    """Something urgent about an elder; it opens an urgent case at once."""

    class Kind(models.TextChoices):
        NOT_REACHED_TWICE = "not_reached_twice", _("Not reached twice")
        CAREGIVER_CALL = "caregiver_call", _("Call from a caregiver")
        FALL = "fall", _("Fall reported by family")

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    note = models.CharField(_("what happened"), max_length=500, blank=True)
    caller_name = models.CharField(_("caller"), max_length=50, blank=True)
    # The second of two not-reached visits, for "not reached twice": one alert per visit.
    visit = models.OneToOneField(
        CaringVisit, null=True, blank=True, on_delete=models.PROTECT, related_name="alert"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reported by"),
    )
    at = models.DateTimeField(_("at"), default=clock.stamp)

    objects = scoped_manager(AlertQuerySet)  # type: ignore[misc]

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_kind_display()}"
