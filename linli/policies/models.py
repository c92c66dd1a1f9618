"""The policy library as loaded, screening runs, their decisions, grants and applications.

The library itself is global (every sub-district of a deployment is under the same district or
city policies); what it decides about enterprises belongs to each sub-district.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from linli.core import clock
from linli.core.models import TenantModel, scoped_manager
from linli.core.visibility import VisibleQuerySet


def _lang_is_zh() -> bool:
    return (get_language() or "zh").startswith("zh")


class Benefit(models.TextChoices):
    SUBSIDY = "subsidy", _("Subsidy")
    RENT_RELIEF = "rent_relief", _("Rent relief")
    AWARD = "award", _("Award")
    LOAN_INTEREST_SUBSIDY = "loan_interest_subsidy", _("Loan interest subsidy")
    TAX_REFUND = "tax_refund", _("Tax refund")
    SERVICE = "service", _("Service")


class Mode(models.TextChoices):
    AUTO_GRANT = "auto_grant", _("Granted without applying")
    APPLY = "apply", _("Apply to receive")
    NOTIFY = "notify", _("For information")


class PolicyVersion(models.Model):
    """One version of one policy file, exactly as it was loaded.

    A version never changes once loaded: decisions and grants point at it and quote its rule
    hash. Editing the rules means publishing the next version number.
    """

    policy_id = models.CharField(_("policy"), max_length=80, db_index=True)
    version = models.PositiveIntegerField(_("version"))
    rule_hash = models.CharField(_("rule hash"), max_length=64, unique=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    summary_zh = models.TextField(_("summary (Chinese)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    issuer_zh = models.CharField(_("issuer (Chinese)"), max_length=200)
    issuer_en = models.CharField(_("issuer (English)"), max_length=200)
    source_document = models.CharField(_("source document"), max_length=300)
    source_clause = models.CharField(_("source clause"), max_length=300)
    benefit = models.CharField(_("benefit"), max_length=30, choices=Benefit.choices)
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    amount_unit_zh = models.CharField(_("amount unit (Chinese)"), max_length=40, blank=True)
    amount_unit_en = models.CharField(_("amount unit (English)"), max_length=40, blank=True)
    example = models.BooleanField(_("example, not a real policy"), default=False)
    document = models.JSONField(_("document"))
    # The file's text: JSON cannot tell a date from a string, the engine's loader can.
    source_text = models.TextField(_("policy file"))
    source_file = models.CharField(_("file"), max_length=300)
    loaded_at = models.DateTimeField(_("loaded"), default=clock.stamp)
    is_active = models.BooleanField(_("in the library"), default=True)

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ["policy_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["policy_id", "version"], name="policy_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def key(self) -> str:
        return f"{self.policy_id}@v{self.version}"

    @property
    def title(self) -> str:
        return self.title_zh if _lang_is_zh() else self.title_en

    @property
    def summary(self) -> str:
        return self.summary_zh if _lang_is_zh() else self.summary_en

    @property
    def issuer(self) -> str:
        return self.issuer_zh if _lang_is_zh() else self.issuer_en

    @property
    def amount_unit(self) -> str:
        return self.amount_unit_zh if _lang_is_zh() else self.amount_unit_en

    def in_force_on(self, day: Any) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class ScreeningRun(TenantModel):
    class Trigger(models.TextChoices):
        NIGHTLY = "nightly", _("Nightly")
        ON_DEMAND = "on_demand", _("On demand")

    trigger = models.CharField(_("trigger"), max_length=20, choices=Trigger.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"))
    evaluated_on = models.DateField(_("evaluation date"))
    enterprises = models.PositiveIntegerField(_("enterprises"), default=0)
    policies = models.PositiveIntegerField(_("policies"), default=0)
    eligible = models.PositiveIntegerField(_("eligible"), default=0)
    maybe = models.PositiveIntegerField(_("maybe"), default=0)
    near_miss = models.PositiveIntegerField(_("near misses"), default=0)
    grants = models.PositiveIntegerField(_("new grants"), default=0)
    policy_keys = models.JSONField(_("policy versions screened"), default=list)

    class Meta:
        verbose_name = _("screening run")
        verbose_name_plural = _("screening runs")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["subdistrict", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.evaluated_on} {self.get_trigger_display()}"


class DecisionQuerySet(VisibleQuerySet["Decision"]):
    def unclaimed(self) -> DecisionQuerySet:
        """Eligible benefits nobody has applied for nor been granted (announcements aside): the
        one definition of "eligible but not claimed", for the unclaimed list, its API and its
        export."""
        applied = Application.objects.filter(
            enterprise=models.OuterRef("enterprise"),
            policy_version=models.OuterRef("policy_version"),
        )
        granted = Grant.objects.filter(
            enterprise=models.OuterRef("enterprise"),
            policy_version=models.OuterRef("policy_version"),
        )
        return (
            self.filter(status=Decision.Status.ELIGIBLE)
            .exclude(policy_version__mode=Mode.NOTIFY)
            .exclude(models.Exists(applied))
            .exclude(models.Exists(granted))
        )

    def largest_first(self) -> DecisionQuerySet:
        return self.order_by(models.F("amount").desc(nulls_last=True), "enterprise__name", "pk")


class Decision(TenantModel):
    """The latest outcome of one enterprise against one policy.

    Only outcomes someone can act on are stored (eligible, maybe, near miss): "ineligible" is
    by far the most common and is what an absent row means. A run replaces all of a
    sub-district's decisions at once; what must outlive a run (a grant, an application) keeps
    its own copy of the decision.
    """

    class Status(models.TextChoices):
        ELIGIBLE = "eligible", _("Eligible")
        MAYBE = "maybe", _("Maybe: data missing")
        NEAR_MISS = "near_miss", _("One condition short")

    run = models.ForeignKey(
        ScreeningRun, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("run")
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        on_delete=models.CASCADE,
        related_name="policy_decisions",
        verbose_name=_("enterprise"),
    )
    policy_version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("policy version")
    )
    policy_id = models.CharField(_("policy"), max_length=80)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    amount = models.DecimalField(
        _("amount"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    missing_fields = models.JSONField(_("missing data"), default=list, blank=True)
    failed_condition = models.JSONField(_("failed condition"), null=True, blank=True)
    rule_hash = models.CharField(_("rule hash"), max_length=64)
    evaluated_on = models.DateField(_("evaluation date"))

    objects = scoped_manager(DecisionQuerySet)  # type: ignore[misc]

    class Meta:
        verbose_name = _("policy decision")
        verbose_name_plural = _("policy decisions")
        ordering = ["policy_id", "enterprise"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "enterprise", "policy_id"], name="policy_decision_unique"
            )
        ]
        indexes = [
            models.Index(fields=["subdistrict", "policy_id", "status"]),
            models.Index(fields=["subdistrict", "status", "amount"]),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.policy_id}: {self.status}"


class GrantQuerySet(VisibleQuerySet["Grant"]):
    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("grants are never deleted; revoke them instead")


class Grant(TenantModel):
    """A benefit granted without an application (免申即享), with the explanation it rests on.

    At most one grant per enterprise and policy version: a version is one set of terms for one
    validity period, so a policy that pays again in a new period publishes a new version. A
    revoked grant stays revoked; the next screening does not grant it again.
    """

    class Status(models.TextChoices):
        GRANTED = "granted", _("Granted")
        REVOKED = "revoked", _("Revoked")

    enterprise = models.ForeignKey(
        "registry.Enterprise",
        on_delete=models.PROTECT,
        related_name="policy_grants",
        verbose_name=_("enterprise"),
    )
    policy_version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("policy version")
    )
    policy_id = models.CharField(_("policy"), max_length=80)
    amount = models.DecimalField(
        _("amount"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    rule_hash = models.CharField(_("rule hash"), max_length=64)
    evaluated_on = models.DateField(_("evaluation date"))
    decided_at = models.DateTimeField(_("decided"), default=clock.stamp)
    run = models.ForeignKey(
        ScreeningRun,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("run"),
    )
    snapshot = models.JSONField(_("explanation"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.GRANTED
    )
    notified_at = models.DateTimeField(_("enterprise notified"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoke_reason = models.CharField(_("reason for revoking"), max_length=200, blank=True)

    objects = scoped_manager(GrantQuerySet)  # type: ignore[misc]

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "enterprise", "policy_version"], name="policy_grant_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.policy_id}"

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("grants are never deleted; revoke them instead")


class Application(TenantModel):
    """An enterprise applied for a policy: the case that handles it and what it applied on."""

    enterprise = models.ForeignKey(
        "registry.Enterprise",
        on_delete=models.PROTECT,
        related_name="policy_applications",
        verbose_name=_("enterprise"),
    )
    policy_version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("policy version")
    )
    policy_id = models.CharField(_("policy"), max_length=80)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="policy_applications",
        verbose_name=_("case"),
    )
    case_number = models.CharField(_("case number"), max_length=20)
    status_when_applied = models.CharField(
        _("status when applied"), max_length=20, choices=Decision.Status.choices
    )
    amount = models.DecimalField(
        _("amount"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    rule_hash = models.CharField(_("rule hash"), max_length=64)
    evaluated_on = models.DateField(_("evaluation date"))
    snapshot = models.JSONField(_("explanation"))
    applied_at = models.DateTimeField(_("applied"), default=clock.stamp)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("applied by"),
    )

    class Meta:
        verbose_name = _("policy application")
        verbose_name_plural = _("policy applications")
        ordering = ["-applied_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "enterprise", "policy_version"],
                name="policy_application_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_number} {self.policy_id}"


class EnterpriseFact(TenantModel):
    """A value of a policy field that the registry does not hold (tax credit grade, serious
    violations, size class, insured employees, …), from a data feed, a butler's visit or the
    enterprise itself. The latest value per field counts."""

    enterprise = models.ForeignKey(
        "registry.Enterprise",
        on_delete=models.CASCADE,
        related_name="policy_facts",
        verbose_name=_("enterprise"),
    )
    field = models.CharField(_("field"), max_length=40)
    value = models.JSONField(_("value"))
    source = models.CharField(_("source"), max_length=100)
    as_of = models.DateField(_("as of"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), default=clock.stamp)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("enterprise fact")
        verbose_name_plural = _("enterprise facts")
        ordering = ["enterprise", "field"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "enterprise", "field"], name="policy_fact_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.field}"
