"""Lift installation in existing multi-storey housing (既有多层住宅加装电梯).

One ``Project`` per building unit (门洞). Its owners are taken from the homes registry when the
project opens, as ``Voter`` rows: one voter per set of co-owners, holding one or more dwellings
of the unit (Civil Code art. 278 and the Supreme People's Court's interpretation on
condominium ownership, art. 8–9: one head per exclusive part, co-owners of a part count as one,
an owner of several parts counts once). Each voter's votes are append-only; the latest counts.
Stages advance one at a time (``StageRecord``, append-only), each with its date.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.core import clock
from linli.core.models import AppendOnlyModel, AppendOnlyQuerySet, TenantModel, scoped_manager
from linli.core.visibility import VisibleQuerySet
from linli.people.models import Dwelling, Person, Unit


def new_token() -> str:
    return secrets.token_urlsafe(18)


class Stage(models.IntegerChoices):
    SURVEY = 1, _("Intention survey and fund-raising")
    DESIGN = 2, _("Design published and commitment letters")
    PLANNING = 3, _("Planning permit")
    STRUCTURAL_REVIEW = 4, _("Structural review of the drawings")
    CONSTRUCTION_PERMIT = 5, _("Construction permit or filing")
    INSTALLATION = 6, _("Installation")
    USE_REGISTRATION = 7, _("Lift use registration")
    ACCEPTANCE = 8, _("Joint acceptance")
    IN_SERVICE = 9, _("In service")


class Project(TenantModel):
    """A lift for one building unit, from the intention survey to the lift in service."""

    class Route(models.TextChoices):
        PERMIT = "permit", _("Construction permit")
        FILING = "filing", _("Filing (cost under the threshold)")

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="lift_projects", verbose_name=_("unit")
    )
    token = models.CharField(max_length=40, default=new_token, editable=False)
    stage = models.PositiveSmallIntegerField(
        _("stage"), choices=Stage.choices, default=Stage.SURVEY
    )
    opened_on = models.DateField(_("survey started on"))
    lifts = models.PositiveSmallIntegerField(_("number of lifts"), default=1)
    estimated_cost = models.DecimalField(
        _("estimated cost (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # The consent decision (stage 1 → 2): the day and the ratio versions it used.
    consent_decided_on = models.DateField(_("consent reached on"), null=True, blank=True)
    consent_versions = models.JSONField(default=dict, blank=True, editable=False)
    # Stage 5: permit or filing, by the cost threshold in force that day.
    route = models.CharField(_("permit route"), max_length=10, choices=Route.choices, blank=True)
    route_threshold = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, editable=False
    )
    route_version = models.IntegerField(null=True, blank=True, editable=False)
    # Stage 7: registration is due within N days of the lift entering service.
    entered_service_on = models.DateField(_("lift entered service on"), null=True, blank=True)
    registration_days = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    registration_version = models.IntegerField(null=True, blank=True, editable=False)
    registration_late = models.BooleanField(_("registered late"), default=False)
    # Subsidy per lift, fixed when the cost is recorded.
    subsidy_per_lift = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, editable=False
    )
    subsidy_version = models.IntegerField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=clock.stamp, editable=False)

    class Meta:
        verbose_name = _("lift project")
        verbose_name_plural = _("lift projects")
        ordering = ["unit"]
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "unit"], name="lifts_one_per_unit"),
            models.UniqueConstraint(fields=["subdistrict", "token"], name="lifts_token"),
        ]

    def __str__(self) -> str:
        return str(self.unit)


class StageQuerySet(AppendOnlyQuerySet, VisibleQuerySet):  # type: ignore[override]
    pass


class StageRecord(AppendOnlyModel, TenantModel):
    """The day a project reached a stage (append-only)."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="stages")
    stage = models.PositiveSmallIntegerField(_("stage"), choices=Stage.choices)
    reached_on = models.DateField(_("reached on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(default=clock.stamp, editable=False)

    objects = scoped_manager(StageQuerySet)  # type: ignore[misc]

    class Meta:
        verbose_name = _("stage reached")
        verbose_name_plural = _("stages reached")
        ordering = ["project", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "project", "stage"], name="lifts_stage_once"
            )
        ]


class Voter(TenantModel):
    """One head in the vote: the owner (or the co-owners together) of one or more dwellings of
    the unit, with their exclusive area."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="voters")
    name = models.CharField(_("owner"), max_length=200, blank=True)
    persons = models.ManyToManyField(Person, blank=True, related_name="+")
    organisation_name = models.CharField(max_length=200, blank=True)
    dwellings = models.ManyToManyField(Dwelling, related_name="+")
    area_m2 = models.DecimalField(_("exclusive area (m²)"), max_digits=10, decimal_places=2)
    in_registry = models.BooleanField(_("owner in the registry"), default=True)

    class Meta:
        verbose_name = _("owner in the vote")
        verbose_name_plural = _("owners in the vote")
        ordering = ["project", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The owners' names read from their person records (so erasing a person's data
        erases it here too), then any organisation; ``name`` holds only what no person
        record carries (an organisation, an owner missing from the registry)."""
        names = [p.name for p in self.persons.all()]
        return " · ".join([*names, self.name] if self.name else names)


class Choice(models.TextChoices):
    AGREE = "agree", _("Agrees")
    OBJECT = "object", _("Objects")
    ABSTAIN = "abstain", _("Takes part, abstains")
    ABSENT = "absent", _("Does not take part")


class Channel(models.TextChoices):
    PAPER = "paper", _("Signed form")
    MEETING = "meeting", _("Owners' meeting")
    VISIT = "visit", _("Home visit")
    ONLINE = "online", _("Online")


class VoteQuerySet(AppendOnlyQuerySet, VisibleQuerySet):  # type: ignore[override]
    pass


class Vote(AppendOnlyModel, TenantModel):
    """An owner's vote as recorded; a later vote replaces an earlier one in the count."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="votes")
    voter = models.ForeignKey(Voter, on_delete=models.PROTECT, related_name="votes")
    choice = models.CharField(_("vote"), max_length=10, choices=Choice.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(default=clock.stamp, editable=False)

    objects = scoped_manager(VoteQuerySet)  # type: ignore[misc]

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["on", "pk"]


class Mediation(TenantModel):
    """A mediation session with objecting owners."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="mediations")
    on = models.DateField(_("date"))
    mediator = models.CharField(_("mediator"), max_length=100)
    participants = models.CharField(_("participants"), max_length=300)
    outcome = models.CharField(_("outcome"), max_length=500)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(default=clock.stamp, editable=False)

    class Meta:
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ["project", "on", "pk"]


def document_path(instance: Document, filename: str) -> str:
    return f"lifts/{instance.subdistrict_id}/{instance.project_id}/{new_token()}.{instance.suffix}"


class Document(TenantModel):
    """A document of a project (survey result, permits, certificates…), PDF or image."""

    class Kind(models.TextChoices):
        SURVEY_RESULT = "survey_result", _("Survey result notice")
        FUND_AGREEMENT = "fund_agreement", _("Fund-raising agreement")
        DESIGN = "design", _("Design scheme")
        COMMITMENT = "commitment", _("Commitment letters")
        PLANNING_PERMIT = "planning_permit", _("Planning permit")
        STRUCTURAL_REVIEW = "structural_review", _("Structural review report")
        CONSTRUCTION_PERMIT = "construction_permit", _("Construction permit or filing")
        USE_REGISTRATION = "use_registration", _("Lift use registration certificate")
        ACCEPTANCE = "acceptance", _("Joint acceptance report")
        OTHER = "other", pgettext_lazy("lift document", "Other")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=document_path)
    content_type = models.CharField(max_length=50, editable=False)
    suffix = models.CharField(max_length=5, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(default=clock.stamp, editable=False)

    class Meta:
        verbose_name = _("project document")
        verbose_name_plural = _("project documents")
        ordering = ["project", "kind", "pk"]
