"""Group rentals (群租): one file per dwelling from the lead to the last re-inspection.

A file (``GroupRental``) starts as a lead from a case, a grid patrol or a property manager. A
phone inspection records the rooms as they are used; ``checks`` compares it with the rules and
the inspection keeps the breaches found and the parameter versions used. A breach leads to a
rectification notice with a deadline in working days, then joint enforcement, then re-inspections
(回头看) after one and three months; the file closes when they find the dwelling in order (or when
the inspection finds no breach). A quarter with no open file may be certified group-rental-free.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.cases.models import Case
from linli.core.models import Organisation, TenantModel
from linli.people.models import Dwelling
from linli.registry.models import Quarter


class GroupRental(TenantModel):
    """A dwelling's group-rental file."""

    class Stage(models.TextChoices):
        LEAD = "lead", pgettext_lazy("group rental stage", "Lead")
        INSPECTED = "inspected", pgettext_lazy("group rental stage", "Inspected")
        NOTICE = "notice", pgettext_lazy("group rental stage", "Rectification notice")
        ENFORCEMENT = "enforcement", pgettext_lazy("group rental stage", "Joint enforcement")
        REINSPECTION = "reinspection", pgettext_lazy("group rental stage", "Re-inspection")
        CLOSED = "closed", pgettext_lazy("group rental stage", "Closed")

    class Source(models.TextChoices):
        CASE = "case", _("Case")
        PATROL = "patrol", _("Grid patrol")
        PROPERTY_MANAGER = "property_manager", _("Property manager")

    class Outcome(models.TextChoices):
        NO_BREACH = "no_breach", _("No breach found")
        RECTIFIED = "rectified", _("Rectified and checked")

    dwelling = models.ForeignKey(
        Dwelling, on_delete=models.PROTECT, related_name="+", verbose_name=_("dwelling")
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    case = models.ForeignKey(
        Case,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("case"),
    )
    stage = models.CharField(
        _("stage"), max_length=15, choices=Stage.choices, default=Stage.LEAD, db_index=True
    )
    reported_on = models.DateField(_("reported on"))
    description = models.TextField(_("what was reported"), max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)

    class Meta:
        verbose_name = _("group-rental file")
        verbose_name_plural = _("group-rental files")
        ordering = ["-reported_on", "-pk"]
        indexes = [models.Index(fields=["subdistrict", "stage"], name="rentals_file_stage")]

    def __str__(self) -> str:
        return str(self.dwelling)

    @property
    def is_open(self) -> bool:
        return self.stage != self.Stage.CLOSED


class Inspection(TenantModel):
    """A phone inspection: the rooms as found, and what the rules say of them."""

    group_rental = models.ForeignKey(
        GroupRental,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("group-rental file"),
    )
    inspected_on = models.DateField(_("inspected on"))
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("inspector"),
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)
    # The breaches found: [{"rule", "room" (its position, or null for the whole dwelling),
    # "detail" (the figures), "parameter", "version" (pk, or null for the default), "limit"}].
    breaches = models.JSONField(_("breaches"), default=list, blank=True)
    # Every parameter the check read, with the version used: {key: [value, version pk]}.
    versions = models.JSONField(_("parameter versions"), default=dict, blank=True)

    class Meta:
        verbose_name = _("group-rental inspection")
        verbose_name_plural = _("group-rental inspections")
        ordering = ["-inspected_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.group_rental} {self.inspected_on}"


class Room(TenantModel):
    """A room of the dwelling as originally designed, and who sleeps in it."""

    class Kind(models.TextChoices):
        BEDROOM = "bedroom", _("Bedroom")
        LIVING_ROOM = "living_room", _("Living room")
        KITCHEN = "kitchen", _("Kitchen")
        BATHROOM = "bathroom", _("Bathroom")
        BALCONY = "balcony", _("Balcony")
        STOREROOM = "storeroom", _("Storeroom")
        OTHER = "other", pgettext_lazy("room kind", "Other")

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("inspection")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    area_m2 = models.DecimalField(
        _("original area (m²)"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    sleepers = models.PositiveSmallIntegerField(_("people sleeping here"), default=0)
    one_family = models.BooleanField(
        _("one family"),
        default=False,
        help_text=_("The people sleeping here are one family (spouses, parents and children)."),
    )

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["inspection", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "inspection", "position"], name="rentals_room_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.get_kind_display()}"


class RectificationNotice(TenantModel):
    """A rectification notice (整改通知书) for the breaches of one inspection."""

    group_rental = models.ForeignKey(
        GroupRental, on_delete=models.PROTECT, related_name="notices", verbose_name=_("file")
    )
    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="+", verbose_name=_("inspection")
    )
    number = models.CharField(_("number"), max_length=30)
    issued_on = models.DateField(_("issued on"))
    deadline = models.DateField(_("deadline"))
    working_days = models.PositiveSmallIntegerField(_("working days to rectify"))
    working_days_version = models.IntegerField(_("parameter version"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issued by"),
    )
    # The case the sweep opened when the deadline passed with nothing done: at most one.
    overdue_case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("rectification notice")
        verbose_name_plural = _("rectification notices")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "number"], name="rentals_notice_number")
        ]

    def __str__(self) -> str:
        return self.number


class Enforcement(TenantModel):
    """Joint enforcement (联合执法) at the dwelling."""

    group_rental = models.ForeignKey(
        GroupRental,
        on_delete=models.PROTECT,
        related_name="enforcements",
        verbose_name=_("file"),
    )
    on = models.DateField(_("date"))
    departments = models.ManyToManyField(
        Organisation, related_name="+", verbose_name=_("departments")
    )
    result = models.TextField(_("result"), max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("joint enforcement")
        verbose_name_plural = _("joint enforcements")
        ordering = ["-on", "-pk"]


class ReInspection(TenantModel):
    """A re-inspection (回头看) due some months after the enforcement."""

    group_rental = models.ForeignKey(
        GroupRental,
        on_delete=models.PROTECT,
        related_name="reinspections",
        verbose_name=_("file"),
    )
    months = models.PositiveSmallIntegerField(_("months after enforcement"))
    months_version = models.IntegerField(_("parameter version"), null=True, blank=True)
    due_on = models.DateField(_("due on"), db_index=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    compliant = models.BooleanField(_("in order"), null=True, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("done by"),
    )
    cancelled = models.BooleanField(_("cancelled"), default=False)
    # The case the sweep opened when it fell due and was not done: at most one.
    overdue_case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("re-inspection")
        verbose_name_plural = _("re-inspections")
        ordering = ["due_on", "pk"]


class Certification(TenantModel):
    """A quarter certified group-rental-free (无群租小区) on a date."""

    quarter = models.ForeignKey(
        Quarter, on_delete=models.PROTECT, related_name="+", verbose_name=_("quarter")
    )
    certified_on = models.DateField(_("certified on"))
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("certified by"),
    )
    note = models.TextField(_("note"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("group-rental-free certification")
        verbose_name_plural = _("group-rental-free certifications")
        ordering = ["-certified_on", "-pk"]
