"""Grids, residential quarters, buildings and parks, enterprises and facilities."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.core.models import Organisation, TenantModel
from linli.registry.credit_code import validate_credit_code, validate_industry_code

HUNDRED_MILLION_IN_TEN_THOUSANDS = Decimal("10000")

non_negative = MinValueValidator(0)
lon_range = [MinValueValidator(-180), MaxValueValidator(180)]
lat_range = [MinValueValidator(-90), MaxValueValidator(90)]


class Grid(TenantModel):
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    polygon = models.JSONField(_("polygon (GeoJSON)"), null=True, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("responsible organisation"),
    )

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["subdistrict", "code"], name="grid_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Quarter(TenantModel):
    """A residential quarter (小区)."""

    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    polygon = models.JSONField(_("polygon (GeoJSON)"), null=True, blank=True)
    entrances = models.JSONField(_("entrances [[lon, lat], …]"), default=list, blank=True)
    households = models.PositiveIntegerField(_("households"), default=0)
    population = models.PositiveIntegerField(_("population"), default=0)
    over_60 = models.PositiveIntegerField(_("residents over 60"), default=0)
    built_year = models.PositiveIntegerField(_("year built"), null=True, blank=True)
    committee = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("neighbourhood committee"),
    )
    grid = models.ForeignKey(
        Grid, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("grid")
    )

    class Meta:
        verbose_name = _("residential quarter")
        verbose_name_plural = _("residential quarters")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["subdistrict", "code"], name="quarter_code")]

    def __str__(self) -> str:
        return self.name


class Building(TenantModel):
    class Kind(models.TextChoices):
        OFFICE = "office", _("Office building")
        PARK = "park", _("Business park")
        MIXED = "mixed", _("Mixed use")

    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OFFICE)
    address = models.CharField(_("address"), max_length=200)
    lon = models.FloatField(_("longitude"), validators=lon_range)
    lat = models.FloatField(_("latitude"), validators=lat_range)
    floors = models.PositiveIntegerField(_("floors"), default=1)
    floor_area_m2 = models.DecimalField(
        _("floor area (m²)"), max_digits=12, decimal_places=1, validators=[non_negative]
    )
    vacant_area_m2 = models.DecimalField(
        _("vacant area (m²)"),
        max_digits=12,
        decimal_places=1,
        default=Decimal(0),
        validators=[non_negative],
    )
    rent_per_m2_day = models.DecimalField(
        _("rent (yuan/m²/day)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[non_negative],
    )
    subcentre = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_by",
        verbose_name=_("service sub-centre"),
    )
    grid = models.ForeignKey(
        Grid, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("grid")
    )

    class Meta:
        verbose_name = _("building or park")
        verbose_name_plural = _("buildings and parks")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "code"], name="building_code")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def vacancy_rate(self) -> float:
        if not self.floor_area_m2:
            return 0.0
        return float(self.vacant_area_m2 / self.floor_area_m2)

    @property
    def has_subcentre(self) -> bool:
        return self.subcentre_id is not None


class BuildingTaxYear(TenantModel):
    """Tax paid by the enterprises of a building in one year, in 10,000 yuan (万元)."""

    building = models.ForeignKey(
        Building, on_delete=models.CASCADE, related_name="tax_years", verbose_name=_("building")
    )
    year = models.PositiveIntegerField(_("year"))
    tax = models.DecimalField(
        _("tax (10k yuan)"), max_digits=14, decimal_places=2, validators=[non_negative]
    )

    class Meta:
        verbose_name = _("building tax by year")
        verbose_name_plural = _("building tax by year")
        ordering = ["building", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "building", "year"], name="building_tax_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.building} {self.year}"

    @property
    def is_hundred_million(self) -> bool:
        return self.tax >= HUNDRED_MILLION_IN_TEN_THOUSANDS


class Enterprise(TenantModel):
    class Tag(models.TextChoices):
        HIGH_TECH = "high_tech", _("High-tech enterprise")
        SPECIALISED = "specialised_sophisticated", _("Specialised and sophisticated SME")
        LITTLE_GIANT = "little_giant", _("Little giant")
        HEADQUARTERS = "headquarters", _("Regional headquarters")
        FOREIGN = "foreign_invested", _("Foreign-invested")
        LISTED = "listed", _("Listed company")
        SMALL_MICRO = "small_micro", _("Small or micro enterprise")
        GRADUATE_STARTUP = "graduate_startup", _("Graduate start-up")
        KEY = "key", _("Key enterprise")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        MOVING_OUT = "moving_out", _("Moving out")
        CLOSED = "closed", pgettext_lazy("enterprise status", "Closed")

    credit_code = models.CharField(
        _("Unified Social Credit Code"),
        max_length=18,
        # Django ignores what a validator returns; this one also returns the normalised code.
        validators=[validate_credit_code],  # type: ignore[list-item]
    )
    name = models.CharField(_("name"), max_length=200)
    industry_code = models.CharField(
        _("industry (GB/T 4754)"),
        max_length=5,
        # Django ignores what a validator returns; this one also returns the normalised code.
        validators=[validate_industry_code],  # type: ignore[list-item]
    )
    registered_capital = models.DecimalField(
        _("registered capital (10k yuan)"),
        max_digits=14,
        decimal_places=2,
        validators=[non_negative],
    )
    founded_on = models.DateField(_("founded on"))
    headcount = models.PositiveIntegerField(_("headcount"), default=0)
    building = models.ForeignKey(
        Building,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
        verbose_name=_("building"),
    )
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    floor_area_m2 = models.DecimalField(
        _("leased area (m²)"),
        max_digits=10,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[non_negative],
    )
    lease_end = models.DateField(_("lease ends"), null=True, blank=True)
    tags = models.JSONField(_("qualification tags"), default=list, blank=True)
    butler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="portfolio",
        verbose_name=_("butler"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    legal_rep_name = models.CharField(_("legal representative"), max_length=50, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone_cipher = models.TextField(blank=True, editable=False)
    contact_phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "credit_code"], name="enterprise_uscc")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def contact_phone(self) -> str:
        from linli.core.pii import decrypt

        return decrypt(self.contact_phone_cipher)

    @property
    def tag_labels(self) -> list[str]:
        labels = dict(self.Tag.choices)
        return [str(labels.get(t, t)) for t in self.tags]


class EnterpriseYear(TenantModel):
    """Revenue, tax (10k yuan) and headcount of an enterprise in one year."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="years", verbose_name=_("enterprise")
    )
    year = models.PositiveIntegerField(_("year"))
    revenue = models.DecimalField(
        _("revenue (10k yuan)"), max_digits=14, decimal_places=2, validators=[non_negative]
    )
    tax = models.DecimalField(
        _("tax (10k yuan)"), max_digits=14, decimal_places=2, validators=[non_negative]
    )
    headcount = models.PositiveIntegerField(_("headcount"), default=0)

    class Meta:
        verbose_name = _("enterprise figures by year")
        verbose_name_plural = _("enterprise figures by year")
        ordering = ["enterprise", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "enterprise", "year"], name="enterprise_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"


class Facility(TenantModel):
    """A service facility of the 15-minute life circle (DESIGN.md §6)."""

    class Category(models.TextChoices):
        ELDERLY_DAY_CARE = "elderly_day_care", _("Elderly day care")
        KINDERGARTEN = "kindergarten", _("Kindergarten")
        CONVENIENCE_SHOP = "convenience_shop", _("Convenience shop")
        HEALTH_STATION = "health_station", _("Health station")
        PRIMARY_SCHOOL = "primary_school", _("Primary school")
        PARK = "park", _("Neighbourhood park")
        CHILDCARE = "childcare", _("Childcare (0–3)")
        MIDDLE_SCHOOL = "middle_school", _("Middle school")
        COMMUNITY_HEALTH_CENTRE = "community_health_centre", _("Community health service centre")
        CULTURE_SPORTS_CENTRE = "culture_sports_centre", _("Culture and sports centre")
        COMMUNITY_SERVICE_CENTRE = "community_service_centre", _("Community service centre")
        SUBDISTRICT_OFFICE = "subdistrict_office", _("Sub-district office")
        ELDERLY_SERVICE_CENTRE = "elderly_service_centre", _("Comprehensive elderly service centre")
        CARE_HOME = "care_home", _("Care home for the elderly")
        MEAL_POINT = "meal_point", _("Meal-assist point or community canteen")
        CHARGING_POINT = "charging_point", _("E-bike charging pile or cabinet")

    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    category = models.CharField(_("category"), max_length=40, choices=Category.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    entrances = models.JSONField(_("entrances [[lon, lat], …]"))
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    capacity_unit = models.CharField(_("capacity unit"), max_length=20, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    quarter = models.ForeignKey(
        Quarter, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("quarter")
    )
    # The provider that runs it under contract (a care home, a meal point): its caregivers and
    # operators work there.
    operator = models.ForeignKey(
        "core.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="operated_facilities",
        verbose_name=_("operated by"),
    )

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["category", "code"]
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "code"], name="facility_code")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def lon(self) -> float | None:
        return self.entrances[0][0] if self.entrances else None

    @property
    def lat(self) -> float | None:
        return self.entrances[0][1] if self.entrances else None
