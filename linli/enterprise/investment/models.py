"""Prospective enterprises (招商 pipeline), their stage history and next actions, and the
vacant units of the buildings they might move into."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.core import clock
from linli.core.models import AppendOnlyModel, AppendOnlyQuerySet, TenantModel, scoped_manager
from linli.core.visibility import VisibleQuerySet
from linli.registry.credit_code import validate_credit_code, validate_industry_code
from linli.registry.models import Building, Enterprise

non_negative = MinValueValidator(0)


class Stage(models.TextChoices):
    LEAD = "lead", _("Lead")
    CONTACTED = "contacted", _("Contacted")
    NEGOTIATING = "negotiating", _("Negotiating")
    SITE_VISIT = "site_visit", _("Site visit")
    SIGNED = "signed", _("Signed")
    REGISTERED = "registered", pgettext_lazy("prospect stage", "Registered")
    LOST = "lost", _("Lost")


# The way forward, in order; ``lost`` can be reached from any open stage.
FORWARD: tuple[str, ...] = (
    Stage.LEAD,
    Stage.CONTACTED,
    Stage.NEGOTIATING,
    Stage.SITE_VISIT,
    Stage.SIGNED,
    Stage.REGISTERED,
)
CLOSED_STAGES = frozenset({Stage.REGISTERED, Stage.LOST})


class Source(models.TextChoices):
    REFERRAL = "referral", _("Referral")
    FAIR = "fair", _("Investment fair")
    AGENCY = "agency", _("Agency or intermediary")
    ONLINE = "online", _("Online enquiry")
    AMBASSADOR = "ambassador", _("Ambassador's own network")
    RELOCATION = "relocation", _("Expansion of an enterprise already here")
    OTHER = "other", _("Other")


class LostReason(models.TextChoices):
    OTHER_LOCATION = "other_location", _("Chose another location")
    RENT = "rent", _("Rent too high")
    NO_SPACE = "no_space", _("No suitable space")
    POLICY = "policy", _("Better incentives elsewhere")
    PLAN_CANCELLED = "plan_cancelled", _("Plan cancelled or postponed")
    NO_RESPONSE = "no_response", _("No longer responding")
    OTHER = "other", _("Other reason")


class VacantUnit(TenantModel):
    """A unit of a building that is free to let: what prospects are matched against."""

    building = models.ForeignKey(
        Building,
        on_delete=models.PROTECT,
        related_name="vacant_units",
        verbose_name=_("building"),
    )
    label = models.CharField(_("unit"), max_length=30)
    floor = models.IntegerField(_("floor"))
    area_m2 = models.DecimalField(
        _("area (m²)"), max_digits=10, decimal_places=1, validators=[MinValueValidator(1)]
    )
    rent_per_m2_day = models.DecimalField(
        _("rent (yuan/m²/day)"), max_digits=8, decimal_places=2, validators=[non_negative]
    )
    available_from = models.DateField(_("available from"), default=timezone.localdate)
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True, editable=False)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("vacant unit")
        verbose_name_plural = _("vacant units")
        ordering = ["building__code", "floor", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "building", "label"], name="vacant_unit_label"
            )
        ]

    def __str__(self) -> str:
        return f"{self.building} {self.label}"

    @property
    def is_free(self) -> bool:
        return self.taken_at is None


def overdue_condition(prefix: str = "") -> models.Q:
    """The one definition of an overdue next action: not done, and due before today
    (``prefix`` reaches the actions from another model, ``actions__`` from a prospect)."""
    return models.Q(**{f"{prefix}done_at__isnull": True, f"{prefix}due_on__lt": clock.today()})


class ProspectQuerySet(VisibleQuerySet["Prospect"]):
    def with_next_action(self) -> ProspectQuerySet:
        """``next_due`` (the earliest open action's date) and ``overdue_actions`` on each
        prospect, for the board, the API and the export alike."""
        return self.annotate(
            next_due=models.Min("actions__due_on", filter=models.Q(actions__done_at__isnull=True)),
            overdue_actions=models.Count("actions", filter=overdue_condition("actions__")),
        )


class Prospect(TenantModel):
    """An enterprise the sub-district is trying to attract, until it registers or is lost."""

    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(
        _("intended Unified Social Credit Code"),
        max_length=18,
        blank=True,
        # Django ignores what a validator returns; this one also returns the normalised code.
        validators=[validate_credit_code],  # type: ignore[list-item]
        help_text=_("Optional until registration."),
    )
    industry_code = models.CharField(
        _("industry (GB/T 4754)"),
        max_length=5,
        # Django ignores what a validator returns; this one also returns the normalised code.
        validators=[validate_industry_code],  # type: ignore[list-item]
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    ambassador = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="prospects",
        verbose_name=_("ambassador"),
    )
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone_cipher = models.TextField(blank=True, editable=False)
    contact_phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    area_m2 = models.DecimalField(
        _("space needed (m²)"),
        max_digits=10,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[non_negative],
    )
    floor_min = models.IntegerField(_("lowest floor"), null=True, blank=True)
    floor_max = models.IntegerField(_("highest floor"), null=True, blank=True)
    budget_per_m2_day = models.DecimalField(
        _("budget (yuan/m²/day)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[non_negative],
    )
    expected_tax = models.DecimalField(
        _("expected annual tax (10k yuan)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
        validators=[non_negative],
    )
    registered_capital = models.DecimalField(
        _("registered capital (10k yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[non_negative],
    )
    headcount = models.PositiveIntegerField(_("expected headcount"), default=0)
    legal_rep_name = models.CharField(_("legal representative"), max_length=50, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    stage = models.CharField(
        _("stage"), max_length=12, choices=Stage.choices, default=Stage.LEAD, editable=False
    )
    lost_reason = models.CharField(
        _("reason lost"), max_length=20, choices=LostReason.choices, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), default=clock.stamp, editable=False)
    stage_changed_at = models.DateTimeField(_("stage changed"), default=clock.stamp, editable=False)
    enterprise = models.OneToOneField(
        Enterprise,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="prospect",
        verbose_name=_("registered enterprise"),
        editable=False,
    )
    unit = models.ForeignKey(
        VacantUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="prospects",
        verbose_name=_("unit taken"),
        editable=False,
    )

    objects: ClassVar[Any] = scoped_manager(ProspectQuerySet)

    class Meta:
        verbose_name = _("prospect")
        verbose_name_plural = _("prospects")
        ordering = ["-stage_changed_at", "-id"]
        indexes = [models.Index(fields=["subdistrict", "stage"], name="prospect_stage")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.stage not in CLOSED_STAGES

    @property
    def contact_phone(self) -> str:
        from linli.core.pii import decrypt

        return decrypt(self.contact_phone_cipher)


class StageChangeQuerySet(VisibleQuerySet["StageChange"], AppendOnlyQuerySet):  # type: ignore[override]
    pass


class StageChange(AppendOnlyModel, TenantModel):
    """One move of a prospect through the pipeline: who, when, why. Never changed or deleted."""

    prospect = models.ForeignKey(
        Prospect, on_delete=models.PROTECT, related_name="history", verbose_name=_("prospect")
    )
    at = models.DateTimeField(_("time"), default=clock.stamp)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    from_stage = models.CharField(_("from"), max_length=12, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=12, choices=Stage.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=LostReason.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects: ClassVar[Any] = scoped_manager(StageChangeQuerySet)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage history")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.prospect}: {self.from_stage or '-'} → {self.to_stage}"


class NextActionQuerySet(VisibleQuerySet["NextAction"]):
    def overdue(self) -> NextActionQuerySet:
        return self.filter(overdue_condition())

    def with_overdue(self) -> NextActionQuerySet:
        """``overdue`` on each action (``overdue_condition``), for pages, API and exports."""
        return self.annotate(
            overdue=models.ExpressionWrapper(
                overdue_condition(), output_field=models.BooleanField()
            )
        )


class NextAction(TenantModel):
    """Something to do for a prospect by a date (call back, send the offer, show the floor)."""

    prospect = models.ForeignKey(
        Prospect, on_delete=models.CASCADE, related_name="actions", verbose_name=_("prospect")
    )
    title = models.CharField(_("what to do"), max_length=200)
    due_on = models.DateField(_("due on"))
    created_at = models.DateTimeField(_("created"), default=clock.stamp)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    objects: ClassVar[Any] = scoped_manager(NextActionQuerySet)

    class Meta:
        verbose_name = _("next action")
        verbose_name_plural = _("next actions")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        """``overdue_condition`` for one action in hand (lists annotate ``overdue``)."""
        return self.done_at is None and self.due_on < clock.today()
