"""What an administrator sets up: the category tree with its typed fields, the time limits per
stage and the routing rules."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.cases.models.choices import Channel, Stage
from linli.core.models import Organisation, TenantModel


class Category(TenantModel):
    """A node of the category tree; its kind decides the default resolution limit."""

    class Kind(models.TextChoices):
        INCIDENT = "incident", _("Incident")
        ENTERPRISE_APPEAL = "enterprise_appeal", _("Enterprise appeal")
        RESIDENT_SERVICE = "resident_service", _("Resident service")
        ENQUIRY = "enquiry", _("Enquiry")

    class Audience(models.TextChoices):
        """Who is offered the category on the public reporting form: residents and the public,
        or enterprises (their people, through the same form "on behalf of" their company)."""

        EVERYONE = "everyone", _("Residents and enterprises")
        ENTERPRISES = "enterprises", _("Enterprises only")

    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    audience = models.CharField(
        _("offered to"), max_length=12, choices=Audience.choices, default=Audience.EVERYONE
    )
    synonyms = models.CharField(
        _("other words for it"),
        max_length=500,
        blank=True,
        help_text=_(
            "What people call it in their own words, separated by commas (楼道堆物, 乱堆物): "
            "the reporting form finds the category by these, by its name and by their pinyin."
        ),
    )
    allows_anonymous = models.BooleanField(_("anonymous reports allowed"), default=False)
    public_display = models.BooleanField(_("shown publicly"), default=False)
    active = models.BooleanField(_("active"), default=True)
    canned_replies = models.JSONField(_("canned replies"), default=list, blank=True)
    duplicate_radius_m = models.PositiveIntegerField(
        _("duplicate search radius (m)"), null=True, blank=True
    )
    duplicate_days = models.PositiveIntegerField(
        _("duplicate search window (days)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("case category")
        verbose_name_plural = _("case categories")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "code"], name="case_category_code")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def offered_to_residents(self) -> bool:
        """Whether residents and the public are offered it (an enterprise appeal never is)."""
        return self.audience == self.Audience.EVERYONE and self.kind != self.Kind.ENTERPRISE_APPEAL

    def lineage(self) -> list[Category]:
        """This category and its ancestors, nearest first (the tree is a few levels deep)."""
        chain: list[Category] = []
        node: Category | None = self
        seen: set[int] = set()
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain


class CaseSettings(TenantModel):
    """How the sub-district shows its cases to the public."""

    public_map = models.BooleanField(
        _("public map of reports"),
        default=True,
        help_text=_(
            "Anyone may see reports of categories shown publicly on a map, without signing in: "
            "the category, the state, the dates and the place rounded to a building or block, "
            "never who reported or what they wrote. The reporting form shows them nearby."
        ),
    )

    class Meta:
        verbose_name = _("case settings")
        verbose_name_plural = _("case settings")
        constraints = [models.UniqueConstraint(fields=["subdistrict"], name="case_settings_one")]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class CategoryField(TenantModel):
    """A typed extra field of a category; also an Open311 service-definition attribute."""

    class Type(models.TextChoices):
        TEXT = "text", _("Text")
        NUMBER = "number", _("Number")
        CHOICE = "choice", _("Choice")
        DATE = "date", _("Date")
        PHOTO = "photo", _("Photo")

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="fields", verbose_name=_("category")
    )
    key = models.SlugField(_("key"), max_length=40)
    label = models.CharField(_("label"), max_length=100)
    type = models.CharField(_("type"), max_length=10, choices=Type.choices, default=Type.TEXT)
    required = models.BooleanField(_("required"), default=False)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    help_text = models.CharField(_("help text"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category field")
        verbose_name_plural = _("category fields")
        ordering = ["category", "order", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "category", "key"], name="case_category_field_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category.code}.{self.key}"


class TimeLimit(TenantModel):
    """A configured limit for one stage of a category (and, unless overridden, its subtree)."""

    class Unit(models.TextChoices):
        WORKING_HOURS = "working_hours", _("working hours")
        WORKING_DAYS = "working_days", _("working days")

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="time_limits", verbose_name=_("category")
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    amount = models.PositiveIntegerField(_("amount"), validators=[MinValueValidator(1)])
    unit = models.CharField(_("unit"), max_length=15, choices=Unit.choices)

    class Meta:
        verbose_name = _("time limit")
        verbose_name_plural = _("time limits")
        ordering = ["category", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "category", "stage"], name="case_time_limit_stage"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category.code} {self.stage}: {self.amount} {self.unit}"


class RoutingRule(TenantModel):
    """Category × place × channel → organisation; rules are tried in priority order."""

    name = models.CharField(_("name"), max_length=100)
    priority = models.PositiveIntegerField(_("priority"), default=100)
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="routing_rules",
        verbose_name=_("category"),
    )
    include_subcategories = models.BooleanField(_("include subcategories"), default=True)
    grid = models.ForeignKey(
        "registry.Grid", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("grid")
    )
    quarter = models.ForeignKey(
        "registry.Quarter",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        verbose_name=_("residential quarter"),
    )
    building = models.ForeignKey(
        "registry.Building",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        verbose_name=_("building"),
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="routing_rules",
        verbose_name=_("organisation"),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["priority", "id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.name}"

    @property
    def names_a_place(self) -> bool:
        return bool(self.grid_id or self.quarter_id or self.building_id)
