"""Residents, households and homes (实有人口 · 实有房屋).

Homes: a residential building (楼栋) of a quarter has units (单元/门洞), a unit has dwellings
(户/室), a dwelling has owners (persons or organisations, each with a share and an exclusive
area) and rental records (租赁备案) naming its tenants.

Persons: name, resident ID and mobile (encrypted, with a keyed hash for exact look-up, masked
on every surface), sex and birth date read from the ID, registered residence (户籍, as text)
and actual residence (a dwelling), status (living here / moved out / deceased, with its date;
never deleted), household with the relation to its head, tags with source and validity, and
consent records. Every change is a ``LifeEvent`` row: a person's and a dwelling's history.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from linli.core import clock
from linli.core.models import AppendOnlyModel, AppendOnlyQuerySet, TenantModel, scoped_manager
from linli.core.pii import decrypt, mask_mobile, mask_resident_id
from linli.core.visibility import VisibleQuerySet
from linli.registry.models import Grid, Quarter

non_negative = MinValueValidator(0)


class ResidentialBuilding(TenantModel):
    """A residential building (楼栋) of a quarter."""

    quarter = models.ForeignKey(
        Quarter,
        on_delete=models.PROTECT,
        related_name="residential_buildings",
        verbose_name=_("quarter"),
    )
    grid = models.ForeignKey(
        Grid,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("grid"),
    )
    code = models.CharField(_("code"), max_length=30)
    number = models.CharField(pgettext_lazy("building", "number"), max_length=30)
    address = models.CharField(_("address"), max_length=200, blank=True)
    floors = models.PositiveSmallIntegerField(
        _("floors"), validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    built_year = models.PositiveSmallIntegerField(_("year built"), null=True, blank=True)
    has_lift = models.BooleanField(_("has a lift"), default=False)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("residential building")
        verbose_name_plural = _("residential buildings")
        ordering = ["quarter", "code"]
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "code"], name="people_building_code")
        ]

    def __str__(self) -> str:
        return f"{self.quarter.name} {self.number}"


class Unit(TenantModel):
    """An entrance or unit (单元/门洞) of a residential building."""

    building = models.ForeignKey(
        ResidentialBuilding,
        on_delete=models.PROTECT,
        related_name="units",
        verbose_name=_("building"),
    )
    number = models.CharField(pgettext_lazy("unit", "number"), max_length=20)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["building", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "building", "number"], name="people_unit_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.building} {self.number}"


class Dwelling(TenantModel):
    """A dwelling (户/室) in a unit."""

    class Use(models.TextChoices):
        RESIDENTIAL = "residential", _("Residential")
        SHOP = "shop", _("Shop")
        OTHER = "other", pgettext_lazy("dwelling use", "Other")

    class Tenure(models.TextChoices):
        OWNER_OCCUPIED = "owner_occupied", _("Owner-occupied")
        RENTED = "rented", _("Rented")
        VACANT = "vacant", _("Vacant")

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="dwellings", verbose_name=_("unit")
    )
    number = models.CharField(pgettext_lazy("dwelling", "number"), max_length=20)
    floor = models.SmallIntegerField(_("floor"))
    floor_area_m2 = models.DecimalField(
        _("floor area (m²)"), max_digits=8, decimal_places=2, validators=[non_negative]
    )
    use = models.CharField(_("use"), max_length=12, choices=Use.choices, default=Use.RESIDENTIAL)
    tenure = models.CharField(
        _("tenure"), max_length=15, choices=Tenure.choices, default=Tenure.OWNER_OCCUPIED
    )

    class Meta:
        verbose_name = _("dwelling")
        verbose_name_plural = _("dwellings")
        ordering = ["unit", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "unit", "number"], name="people_dwelling_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.number}"


class Household(TenantModel):
    """A household (户): the persons living together, with their relation to its head."""

    number = models.CharField(_("household number"), max_length=30)
    dwelling = models.ForeignKey(
        Dwelling,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name=_("dwelling"),
    )

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "number"], name="people_household_number"
            )
        ]

    def __str__(self) -> str:
        return self.number


class Person(TenantModel):
    class Sex(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    class Status(models.TextChoices):
        LIVING = "living", _("Living here")
        MOVED_OUT = "moved_out", _("Moved out")
        DECEASED = "deceased", _("Deceased")
        MERGED = "merged", _("Merged into another record")

    class Relation(models.TextChoices):
        HEAD = "head", _("Head of household")
        SPOUSE = "spouse", _("Spouse")
        CHILD = "child", _("Child")
        PARENT = "parent", _("Parent")
        GRANDCHILD = "grandchild", _("Grandchild")
        GRANDPARENT = "grandparent", _("Grandparent")
        SIBLING = "sibling", _("Sibling")
        CHILD_IN_LAW = "child_in_law", _("Son- or daughter-in-law")
        OTHER = "other", pgettext_lazy("relation", "Other")

    name = models.CharField(_("name"), max_length=50)
    resident_id_cipher = models.TextField(blank=True, editable=False)
    resident_id_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    mobile_cipher = models.TextField(blank=True, editable=False)
    mobile_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    registered_address = models.CharField(
        _("registered residence (hukou)"), max_length=200, blank=True
    )
    dwelling = models.ForeignKey(
        Dwelling,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="persons",
        verbose_name=_("actual residence"),
    )
    # 人户分离 when False: living at the dwelling, registered elsewhere (services follow the
    # actual residence).
    registered_here = models.BooleanField(_("registered at the actual residence"), default=True)
    household = models.ForeignKey(
        Household,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("household"),
    )
    relation = models.CharField(
        _("relation to the head"), max_length=15, choices=Relation.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.LIVING
    )
    status_since = models.DateField(_("since"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_records",
        verbose_name=_("merged into"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("account"),
    )
    created_at = models.DateTimeField(_("recorded"), default=clock.stamp)
    # Archived: out of daily work (search, lists, changes); administrators still read it.
    archived_on = models.DateField(_("archived on"), null=True, blank=True)
    purged_on = models.DateField(_("personal data purged on"), null=True, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "resident_id_hash"],
                condition=~Q(resident_id_hash=""),
                name="people_person_resident_id",
            )
        ]
        indexes = [models.Index(fields=["subdistrict", "name"], name="people_person_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def resident_id_masked(self) -> str:
        return mask_resident_id(self.resident_id)

    @property
    def mobile_masked(self) -> str:
        return mask_mobile(self.mobile)

    @property
    def resident_id(self) -> str:
        return decrypt(self.resident_id_cipher)

    @property
    def mobile(self) -> str:
        return decrypt(self.mobile_cipher)

    def age_on(self, day: dt.date) -> int | None:
        if self.birth_date is None:
            return None
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class TagKind(models.Model):
    """A kind of tag (60+, living alone, disability…): data, the same in every sub-district.
    A sensitive kind (health, disability, assistance) needs a consent or a legal basis."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)
    sensitive = models.BooleanField(_("sensitive personal information"), default=False)
    has_grade = models.BooleanField(_("has a grade"), default=False)
    from_age = models.PositiveSmallIntegerField(
        _("set by age from"),
        null=True,
        blank=True,
        help_text=_("Tags such as 60+ follow from the date of birth."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("tag kind")
        verbose_name_plural = _("tag kinds")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        if self.name_en and get_language() == "en":
            return self.name_en
        return self.name


class ConsentRecord(TenantModel):
    """A person's consent to one purpose (PIPL art. 14, 29): given on a date through a
    channel, and possibly withdrawn later. Never deleted."""

    class Purpose(models.TextChoices):
        ELDERLY_CARE = "elderly_care", _("Elderly care services")
        ASSISTANCE = "assistance", _("Social assistance")
        DISABILITY = "disability", _("Disability services")
        EMPLOYMENT = "employment", _("Employment services")
        HEALTH = "health", _("Health follow-up")

    class Channel(models.TextChoices):
        PAPER = "paper", _("Signed form")
        IN_PERSON = "in_person", _("In person, recorded by staff")
        PHONE = "phone", _("By telephone")
        ONLINE = "online", _("Online")

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="consents", verbose_name=_("person")
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    given_on = models.DateField(_("given on"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("withdrawal recorded by"),
    )

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["person", "-given_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_purpose_display()}"

    def in_force_on(self, day: dt.date) -> bool:
        return self.given_on <= day and (self.withdrawn_on is None or day < self.withdrawn_on)


class PersonTag(TenantModel):
    """A tag on a person, with its source, validity, who set it and why."""

    class Source(models.TextChoices):
        DATE_OF_BIRTH = "birth_date", _("Date of birth")
        SELF = "self", _("Declared by the person")
        SURVEY = "survey", _("Residents' committee survey")
        CIVIL_AFFAIRS = "civil_affairs", _("Civil affairs bureau")
        DISABLED_FEDERATION = "disabled_federation", _("Disabled Persons' Federation")
        VETERANS_AFFAIRS = "veterans_affairs", _("Veterans affairs bureau")
        HUMAN_RESOURCES = "human_resources", _("Human resources and social security")
        IMPORT = "import", _("Imported ledger")

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="tags", verbose_name=_("person")
    )
    kind = models.ForeignKey(TagKind, on_delete=models.PROTECT, verbose_name=_("tag"))
    grade = models.CharField(_("grade"), max_length=10, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200)
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=200,
        blank=True,
        help_text=_("For sensitive tags without the person's consent: the law that allows it."),
    )
    consent = models.ForeignKey(
        ConsentRecord,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("consent"),
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("set by"),
    )
    set_at = models.DateTimeField(_("set"), default=clock.stamp)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ended by"),
    )
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["person", "kind__order", "-valid_from"]

    def __str__(self) -> str:
        return f"{self.person} · {self.kind}"

    def in_force_on(self, day: dt.date) -> bool:
        return (
            self.valid_from <= day
            and (self.valid_until is None or day <= self.valid_until)
            and (self.ended_on is None or day < self.ended_on)
        )


class Ownership(TenantModel):
    """An owner of a dwelling: a person or an organisation, with a share and an exclusive
    area (lift votes count both heads and area)."""

    dwelling = models.ForeignKey(
        Dwelling, on_delete=models.PROTECT, related_name="ownerships", verbose_name=_("dwelling")
    )
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ownerships",
        verbose_name=_("owner (person)"),
    )
    organisation_name = models.CharField(_("owner (organisation)"), max_length=200, blank=True)
    share = models.DecimalField(
        _("share"),
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    exclusive_area_m2 = models.DecimalField(
        _("exclusive area (m²)"), max_digits=8, decimal_places=2, validators=[non_negative]
    )
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("ownership")
        verbose_name_plural = _("ownerships")
        ordering = ["dwelling", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(organisation_name=""))
                | (Q(person__isnull=True) & ~Q(organisation_name="")),
                name="people_ownership_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dwelling} · {self.person or self.organisation_name}"


class Rental(TenantModel):
    """A rental record (租赁备案): the tenants of a dwelling and the dates."""

    dwelling = models.ForeignKey(
        Dwelling, on_delete=models.PROTECT, related_name="rentals", verbose_name=_("dwelling")
    )
    tenants = models.ManyToManyField(Person, related_name="rentals", verbose_name=_("tenants"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("rental record")
        verbose_name_plural = _("rental records")
        ordering = ["dwelling", "-starts_on"]

    def __str__(self) -> str:
        return f"{self.dwelling} · {self.starts_on}"


class LifeEventQuerySet(AppendOnlyQuerySet, VisibleQuerySet):  # type: ignore[override]
    """Append-only, and read through ``visible_to`` like every tenant model."""


class LifeEvent(AppendOnlyModel, TenantModel):
    """One change in a person's or a dwelling's life: never changed, never deleted."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        MOVED_IN = "moved_in", _("Moved in")
        MOVED_OUT = "moved_out", _("Moved out")
        DIED = "died", _("Died")
        TAG_SET = "tag_set", _("Tag set")
        TAG_ENDED = "tag_ended", _("Tag ended")
        CONSENT_GIVEN = "consent_given", _("Consent given")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
        MERGED = "merged", _("Records merged")
        DWELLING_RECORDED = "dwelling_recorded", _("Dwelling recorded")
        OWNER_RECORDED = "owner_recorded", _("Owner recorded")
        RENTAL_RECORDED = "rental_recorded", _("Rental recorded")
        ARCHIVED = "archived", _("Record archived")
        PURGED = "purged", _("Personal data purged")

    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("person"),
    )
    dwelling = models.ForeignKey(
        Dwelling,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("dwelling"),
    )
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    on = models.DateField(_("date"))
    at = models.DateTimeField(_("recorded"), default=clock.stamp)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = scoped_manager(LifeEventQuerySet)  # type: ignore[misc]

    class Meta:
        verbose_name = _("history event")
        verbose_name_plural = _("history")
        ordering = ["on", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()}"
