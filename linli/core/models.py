"""Tenancy, people, organisations, the audit log, the work calendar and the inbox."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from linli.core import clock, display
from linli.core.roles import Role
from linli.core.visibility import VisibleQuerySet, manager_class

DEFAULT_BUSINESS_HOURS = [["09:00", "12:00"], ["13:00", "17:30"]]


def default_business_hours() -> list[list[str]]:
    return [list(period) for period in DEFAULT_BUSINESS_HOURS]


def validate_business_hours(value: Any) -> None:
    from linli.core.calendar import parse_business_hours

    try:
        parse_business_hours(value)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


class District(models.Model):
    """A district (区) above its sub-districts. Not a tenant: it owns no records, and only the
    cockpit's district roll-up reads across its sub-districts, as aggregates."""

    code = models.CharField(
        _("admin-division code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", _("Enter a 6-digit division code."))],
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Subdistrict(models.Model):
    """A sub-district (街道): the tenant. Everything it owns carries its id."""

    code = models.CharField(
        _("admin-division code"),
        max_length=12,
        unique=True,
        validators=[RegexValidator(r"^\d{9}(\d{3})?$", _("Enter a 9- or 12-digit division code."))],
    )
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)
    center_lon = models.FloatField(_("centre longitude"), default=121.459)
    center_lat = models.FloatField(_("centre latitude"), default=31.237)
    business_hours = models.JSONField(
        _("business hours"), default=default_business_hours, validators=[validate_business_hours]
    )
    is_synthetic = models.BooleanField(_("synthetic demo data"), default=False)
    district = models.ForeignKey(
        District,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subdistricts",
        verbose_name=_("district"),
    )

    class Meta:
        verbose_name = _("sub-district")
        verbose_name_plural = _("sub-districts")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class TenantModel(models.Model):
    """Base for every model a sub-district owns: a query with no active scope raises."""

    subdistrict = models.ForeignKey(
        Subdistrict, on_delete=models.PROTECT, verbose_name=_("sub-district")
    )

    objects = ScopedManager(subdistrict="subdistrict", _manager_class=manager_class())

    class Meta:
        abstract = True


def scoped_manager(queryset: type[VisibleQuerySet[Any]]) -> Any:
    """The manager of a tenant model that has a queryset of its own (derived from
    ``VisibleQuerySet``): scoped to the sub-district, and read through ``visible_to``."""
    return ScopedManager(subdistrict="subdistrict", _manager_class=manager_class(queryset))


class Organisation(TenantModel):
    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Department")
        COMMITTEE = "committee", _("Neighbourhood committee")
        BUILDING_COMMITTEE = "building_committee", _("Building management committee")
        GRID_STATION = "grid_station", _("Grid workstation")
        SERVICE_CENTRE = "service_centre", _("Service centre")
        SUBCENTRE = "subcentre", _("Service sub-centre")
        DISPATCH_CENTRE = "dispatch_centre", _("Dispatch centre")
        AGENCY = "agency", _("Outside agency")
        PROVIDER = "provider", _("Service provider")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("parent")
    )
    phone = models.CharField(_("office phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "code"], name="organisation_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class LinliUserManager(UserManager["User"]):
    pass


class User(AbstractUser):
    """A person. What they may do depends on their memberships in each sub-district."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    home_subdistrict = models.ForeignKey(
        Subdistrict,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("home sub-district"),
    )
    phone_cipher = models.TextField(_("mobile number (encrypted)"), blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    ical_token = models.CharField(max_length=64, blank=True, editable=False)

    objects: ClassVar[LinliUserManager] = LinliUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_platform_admin(self) -> bool:
        return self.is_superuser


class Membership(TenantModel):
    """Ties a person to a sub-district with a role, and to what that role is about."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("organisation"),
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
    grid = models.ForeignKey(
        "registry.Grid", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("grid")
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "user", "role", "organisation", "building", "enterprise"],
                name="membership_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class DistrictMembership(models.Model):
    """A person of the district's office: they see the district roll-up of its sub-districts.
    It grants nothing inside a sub-district; that takes a ``Membership`` there."""

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="district_memberships",
        verbose_name=_("user"),
    )
    district = models.ForeignKey(
        District, on_delete=models.CASCADE, related_name="members", verbose_name=_("district")
    )

    class Meta:
        verbose_name = _("district membership")
        verbose_name_plural = _("district memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "district"], name="district_membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.district}"


class AppendOnlyQuerySet(models.QuerySet):
    """History must never change: bulk updates and deletes are refused."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("append-only: rows of this table cannot be updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("append-only: rows of this table cannot be deleted")


class AuditQuerySet(AppendOnlyQuerySet):
    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> Any:
        from linli.core.audit import check
        from linli.core.audit_chain import stamp

        objs = list(objs)
        check(entry.action for entry in objs)
        for entry in objs:
            stamp(entry)
        return super().bulk_create(objs, *args, **kwargs)


class AppendOnlyModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise PermissionError("append-only: rows of this table cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("append-only: rows of this table cannot be deleted")


class AuditEntry(AppendOnlyModel):
    subdistrict = models.ForeignKey(
        Subdistrict, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("time"), default=clock.stamp, db_index=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=40)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    # SHA-256 of the fields above as stored (``core.audit_chain``): an edit shows.
    content_hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        from linli.core.audit import check
        from linli.core.audit_chain import stamp

        if self._state.adding:
            check([self.action])
            stamp(self)
        super().save(*args, **kwargs)


class WorkDay(models.Model):
    """One calendar date: a workday or not. Seeded from the State Council schedule, editable."""

    class Source(models.TextChoices):
        OFFICIAL = "official", _("Official schedule (chinese-calendar)")
        WEEKDAY_RULE = "weekday", _("Weekday rule (no official schedule yet)")
        MANUAL = "manual", _("Edited by hand")

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("workday"))
    name = models.CharField(_("holiday or note"), max_length=50, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.OFFICIAL
    )

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("work calendar")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'✓' if self.is_workday else '✗'}"

    @property
    def label(self) -> str:
        """The holiday or note in the reader's language."""
        return display.holiday(self.name)


class Notification(TenantModel):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("user")
    )
    created_at = models.DateTimeField(_("created"), default=clock.stamp, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ApiToken(TenantModel):
    """A bearer token acting as its user in one sub-district. Only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=clock.stamp)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ScheduledSlot(models.Model):
    """One row per periodic job and time slot: whoever inserts it first enqueues the job.

    This is what keeps a second worker, or a restarted one, from enqueueing a job twice.
    """

    job = models.CharField(max_length=100)
    slot = models.DateTimeField()
    enqueued_at = models.DateTimeField(default=clock.stamp)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="scheduled_slot")]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M}"


class WorkerHeartbeat(models.Model):
    """A worker process saying it is alive, every few seconds. A job left running by a worker
    whose heartbeat stopped (killed, machine gone) is taken back (``core.worker``)."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=100)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=clock.stamp)
    beat_at = models.DateTimeField(default=clock.stamp, db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"


class Throttle(models.Model):
    """How often something was asked for in one time window, by one key (an IP, an e-mail
    address hash): what rate limits count across every web server process."""

    key = models.CharField(max_length=120)
    window = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="throttle_window")]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window:%Y-%m-%d %H:%M}: {self.hits}"


class AuditLink(AppendOnlyModel):
    """One audit entry's place in its sub-district's chain: the hash of the previous link and
    of this entry's content. Entries are linked shortly after they are written, in the order
    they are sealed (``core.audit_chain.seal``), so writing an audit row never waits on a
    chain-wide lock."""

    entry = models.OneToOneField(AuditEntry, on_delete=models.PROTECT, related_name="link")
    chain = models.PositiveBigIntegerField(help_text="sub-district id; 0 for platform entries")
    sequence = models.PositiveBigIntegerField()
    content_hash = models.CharField(max_length=64)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["chain", "sequence"], name="audit_link_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.chain}#{self.sequence} {self.hash[:12]}"


class AuditChainHead(models.Model):
    """The last link of each chain, so a log cut short at its end is noticed too."""

    chain = models.PositiveBigIntegerField(unique=True)
    sequence = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.chain}#{self.sequence} {self.hash[:12]}"


class Consent(TenantModel):
    """A person's answer for one purpose that needs their consent (``core.consent``), in one
    sub-district: given or withdrawn, and since when. Each change is audited; the processing
    that needs the consent reads it before it runs."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="consents", verbose_name=_("person")
    )
    purpose = models.CharField(_("purpose"), max_length=60)
    given = models.BooleanField(_("given"))
    changed_at = models.DateTimeField(_("changed"), default=clock.stamp)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["purpose"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "user", "purpose"], name="consent_per_purpose"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.purpose}"


class RuleParameterQuerySet(AppendOnlyQuerySet, VisibleQuerySet):  # type: ignore[override]
    """Append-only, and read through ``visible_to`` like every tenant model."""


class RuleParameter(AppendOnlyModel, TenantModel):
    """One version of a rule number (``linli.core.parameters``): the value in force from a date
    in one sub-district. Never changed: a correction is a later version."""

    key = models.CharField(_("parameter"), max_length=100)
    value = models.JSONField(_("value"))
    effective_from = models.DateField(_("in force from"))
    source = models.CharField(_("source"), max_length=300)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=clock.stamp)

    objects = scoped_manager(RuleParameterQuerySet)  # type: ignore[misc]

    class Meta:
        verbose_name = _("rule parameter")
        verbose_name_plural = _("rule parameters")
        indexes = [
            models.Index(
                fields=["subdistrict", "key", "effective_from"], name="core_parameter_key_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} = {self.value} · {self.effective_from}"
