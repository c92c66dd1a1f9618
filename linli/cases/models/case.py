"""The case itself with its running clock, its yearly number counter and its reporters."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.cases import sla
from linli.cases.models.choices import FINAL_STATES, Channel, Satisfaction, Stage, State
from linli.cases.models.setup import Category, RoutingRule
from linli.core import clock as core_clock
from linli.core.models import Organisation, TenantModel


class CaseCounter(TenantModel):
    """The last number given out per sub-district and year; locked while a number is taken."""

    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "year"], name="case_counter_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Case(TenantModel):
    number = models.CharField(_("number"), max_length=20)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="cases", verbose_name=_("category")
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    keep_location = models.BooleanField(_("photo locations kept with consent"), default=False)
    grid = models.ForeignKey(
        "registry.Grid", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("grid")
    )
    quarter = models.ForeignKey(
        "registry.Quarter",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("residential quarter"),
    )
    building = models.ForeignKey(
        "registry.Building",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("building"),
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("enterprise"),
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_cases",
        verbose_name=_("reporter"),
    )
    extra = models.JSONField(_("extra fields"), default=dict, blank=True)

    state = models.CharField(
        _("state"), max_length=25, choices=State.choices, default=State.RECEIVED
    )
    lead_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_cases",
        verbose_name=_("lead organisation"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
        verbose_name=_("assignee"),
    )

    # What routing suggested at intake, and why: the dispatcher sees it and usually takes it.
    routed_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("suggested organisation"),
    )
    routed_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("suggested assignee"),
    )
    routing_rule = models.ForeignKey(
        RoutingRule,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("matched routing rule"),
    )
    routing_reason = models.TextField(_("why it was routed there"), blank=True)

    received_at = models.DateTimeField(_("received at"), default=core_clock.stamp)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    # The running clock. ``clock`` counts the clocks started on this case, so reminders are
    # keyed on it: a pause shifts a clock (no new reminder), an approved extension starts one.
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, blank=True)
    clock = models.PositiveIntegerField(default=0, editable=False)
    stage_started_at = models.DateTimeField(_("stage started"), null=True, blank=True)
    stage_deadline = models.DateTimeField(_("stage deadline"), null=True, blank=True)
    reminder_at = models.DateTimeField(_("reminder due"), null=True, blank=True)
    resolve_deadline = models.DateTimeField(_("resolution deadline"), null=True, blank=True)
    paused_since = models.DateTimeField(_("paused since"), null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(_("paused working seconds"), default=0)
    handled_late = models.BooleanField(_("handled after the deadline"), default=False)

    satisfaction = models.CharField(
        _("satisfaction"), max_length=20, choices=Satisfaction.choices, blank=True
    )
    resolved = models.BooleanField(_("resolved, says the reporter"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_cases",
        verbose_name=_("merged into"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "number"], name="case_number")
        ]
        indexes = [
            models.Index(fields=["subdistrict", "state"], name="case_state"),
            models.Index(fields=["lead_organisation", "state"], name="case_org_state"),
            models.Index(fields=["assignee", "state"], name="case_assignee_state"),
            # The SLA sweep reads these two every minute; closed cases hold NULL in both.
            models.Index(fields=["reminder_at"], name="case_reminder_at"),
            models.Index(fields=["stage_deadline"], name="case_stage_deadline"),
            models.Index(fields=["category", "received_at"], name="case_category_received"),
            # The staff list's order, id included: its pages are read from the index alone.
            models.Index(fields=["subdistrict", "-received_at", "-id"], name="case_received_order"),
        ]

    # Set by ``submit_case`` for a reporter without an account: shown once, only its hash kept
    # (on the reporter row, so every reporter of a merged case keeps a working link).
    tracking_token: str = ""

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.state not in FINAL_STATES

    @property
    def is_paused(self) -> bool:
        return self.paused_since is not None

    @property
    def state_label(self) -> str:
        """The state in words, in the reader's language."""
        return str(State(self.state).label)

    @property
    def is_overdue(self) -> bool:
        """Whether the running clock is past its deadline now (``sla.is_overdue``)."""
        return sla.is_overdue(self, core_clock.now())

    @property
    def assignee_name(self) -> str | None:
        return str(self.assignee) if self.assignee_id is not None and self.assignee else None

    @property
    def routing(self) -> Case:
        """What routing suggested at intake, and why: ``routed_organisation``, ``routing_rule``
        and ``routing_reason``, read as one part of the case (the API's ``routing``)."""
        return self


class CaseReporter(TenantModel):
    """Everyone who reported this problem: the first reporter, and those of merged duplicates."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="reporters", verbose_name=_("case")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=50, blank=True)
    phone_cipher = models.TextField(blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    email = models.EmailField(_("e-mail"), blank=True)
    tracking_token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    from_case = models.ForeignKey(
        Case,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reported as"),
    )
    added_at = models.DateTimeField(_("added at"), default=core_clock.stamp)

    class Meta:
        verbose_name = _("case reporter")
        verbose_name_plural = _("case reporters")
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "case", "user"],
                condition=models.Q(user__isnull=False),
                name="case_reporter_user",
            )
        ]

    def __str__(self) -> str:
        return str(self.user or self.name or _("anonymous"))

    @property
    def phone(self) -> str:
        from linli.core.pii import decrypt

        return decrypt(self.phone_cipher)
