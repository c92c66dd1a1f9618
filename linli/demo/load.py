"""Load the demo sub-districts: ``load_demo(scale=1, reset=False)``.

Loading runs the apps' demo steps (``STEPS``, found by ``steps.discover``) for every demo home,
in load order. A step is skipped when its rows are already there, so loading twice adds
nothing, and a database loaded before an app added its step gets just that step on the next
run. Each step takes its randomness only from ``ctx.rng("<part>")``, so the data stays the same
on every run, whatever other steps do.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.test.utils import override_settings
from django_scopes import scopes_disabled

from linli.core import statistics
from linli.core.demo import DEMO_PASSWORD, DemoConflict, DemoStep, demo_rng
from linli.core.models import AuditEntry, Membership, Subdistrict, TenantModel
from linli.demo import steps
from linli.registry.demo import people
from linli.registry.demo.context import DemoContext
from linli.registry.demo.geography import plan_places
from linli.registry.demo.homes import DEMO_SEED, DemoHome, plan_homes
from linli.registry.demo.places import HUNDRED_MILLION, LATEST_YEAR, PlacePlan
from linli.registry.models import Building, BuildingTaxYear, Enterprise, Facility, Quarter

DEMO_URL = "http://127.0.0.1:8000/"

STEPS: list[DemoStep[DemoContext]] = steps.discover()


@dataclass
class HomeSummary:
    code: str
    name: str
    written: dict[str, int] = field(default_factory=dict)  # step → rows
    skipped: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class AccountRow:
    username: str
    display_name: str
    role: str
    subdistrict: str
    linked_to: str


@dataclass
class DemoSummary:
    homes: list[HomeSummary]
    accounts: list[AccountRow]
    password: str = DEMO_PASSWORD
    url: str = DEMO_URL
    seconds: float = 0.0

    @property
    def rows_written(self) -> int:
        return sum(sum(h.written.values()) for h in self.homes)


def _subdistrict(home: DemoHome, places: PlacePlan) -> Subdistrict:
    subdistrict = Subdistrict.objects.filter(code=home.code).first()
    if subdistrict is not None and not subdistrict.is_synthetic:
        raise DemoConflict(
            f"sub-district {home.code} exists and is not synthetic; the demo will not touch it"
        )
    centre = places.boundary.centroid
    fields = {
        "name": home.name,
        "name_en": home.name_en,
        "boundary": places.frame.geojson(places.boundary),
        "center_lon": places.lonlat(centre.x, centre.y)[0],
        "center_lat": places.lonlat(centre.x, centre.y)[1],
        "business_hours": [list(period) for period in home.business_hours],
        "is_synthetic": True,
    }
    if subdistrict is None:
        return Subdistrict.objects.create(code=home.code, **fields)
    for name, value in fields.items():
        setattr(subdistrict, name, value)
    subdistrict.save()
    return subdistrict


def _counts(subdistrict: Subdistrict) -> dict[str, int]:
    quarters = Quarter.objects.filter(subdistrict=subdistrict).aggregate(
        quarters=Count("id"), population=Sum("population")
    )
    return {
        "quarters": quarters["quarters"],
        "population": quarters["population"] or 0,
        "buildings": Building.objects.filter(subdistrict=subdistrict).count(),
        "hundred_million": BuildingTaxYear.objects.filter(
            subdistrict=subdistrict, year=LATEST_YEAR, tax__gte=HUNDRED_MILLION
        ).count(),
        "enterprises": Enterprise.objects.filter(subdistrict=subdistrict).count(),
        "facilities": Facility.objects.filter(subdistrict=subdistrict).count(),
    }


def _account_rows(homes: list[DemoHome], seed: int) -> list[AccountRow]:
    usernames: list[str] = []
    for home in homes:
        for account in people.account_plans(home, _places(home, seed)):
            if account.username not in usernames:
                usernames.append(account.username)
    # Accounts the steps create beyond the planned ones (the cases step's dispatcher).
    usernames += [name for step in STEPS for name in step.accounts if name not in usernames]
    memberships = (
        Membership.objects.filter(user__username__in=usernames)
        .select_related("user", "subdistrict", "organisation", "building", "enterprise", "grid")
        .order_by("subdistrict__code", "id")
    )
    rows = []
    for membership in sorted(memberships, key=lambda m: usernames.index(m.user.username)):
        linked = [
            str(obj)
            for obj in (
                membership.organisation,
                membership.grid,
                membership.building,
                membership.enterprise,
            )
            if obj is not None
        ]
        rows.append(
            AccountRow(
                username=membership.user.username,
                display_name=membership.user.display_name,
                role=str(membership.get_role_display()),
                subdistrict=membership.subdistrict.name,
                linked_to=" · ".join(linked),
            )
        )
    return rows


@cache
def _places(home: DemoHome, seed: int) -> PlacePlan:
    return plan_places(home, demo_rng(seed, home, "places"))


def tenant_models() -> list[type[TenantModel]]:
    return [
        model
        for model in apps.get_models()
        if issubclass(model, TenantModel) and model._meta.managed and not model._meta.proxy
    ]


def wipe_demo_subdistricts() -> int:
    """Delete every row the synthetic sub-districts own; real sub-districts are not touched.

    Rows go with plain DELETE statements: the tenant tables refer to each other (organisations
    to their parents, with PROTECT), which the ORM's collector would refuse, while the database
    checks the deferred foreign keys once everything is gone. The audit log is kept, and so are
    the sub-district rows it refers to; demo user accounts are kept and reused.
    """
    ids = list(Subdistrict.objects.filter(is_synthetic=True).values_list("id", flat=True))
    if not ids:
        return 0
    deleted = 0
    quote = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(ids))
    with transaction.atomic(), scopes_disabled(), connection.cursor() as cursor:
        for model in tenant_models():
            for m2m in model._meta.local_many_to_many:
                through = m2m.remote_field.through
                if through is not None and through._meta.auto_created:
                    source = f"{m2m.m2m_field_name()}__subdistrict_id__in"
                    deleted += through._default_manager.filter(**{source: ids}).delete()[0]
        for model in tenant_models():
            table = quote(model._meta.db_table)
            column = quote(model._meta.get_field("subdistrict").column)
            cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", ids)  # noqa: S608
            deleted += max(cursor.rowcount, 0)
    return deleted


def _drop_unplanned(homes: list[DemoHome]) -> None:
    """Remove emptied synthetic sub-districts that this load does not plan (a smaller scale),
    unless the audit log still refers to them."""
    audited = AuditEntry.objects.filter(subdistrict__is_synthetic=True).values("subdistrict_id")
    Subdistrict.objects.filter(is_synthetic=True).exclude(
        Q(code__in=[h.code for h in homes]) | Q(id__in=audited)
    ).delete()


def load_demo(scale: int = 1, reset: bool = False, seed: int = DEMO_SEED) -> DemoSummary:
    """Load (or with ``reset``, wipe and reload) the demo homes; returns what was done."""
    started = time.perf_counter()
    homes = plan_homes(scale)
    summaries = []
    # Demo steps that go through the real verbs would mail and text the synthetic accounts;
    # their notices stay in the in-app inbox only.
    quiet = override_settings(
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        LINLI_SMS_BACKEND="linli.core.sms.MemorySmsBackend",
    )
    with quiet, transaction.atomic(), scopes_disabled():
        if reset:
            wipe_demo_subdistricts()
            _drop_unplanned(homes)
        for home in homes:
            places = _places(home, seed)
            subdistrict = _subdistrict(home, places)
            ctx = DemoContext(home=home, subdistrict=subdistrict, places=places, seed=seed)
            summary = HomeSummary(code=home.code, name=home.name)
            for step in STEPS:
                if step.loaded(ctx):
                    summary.skipped.append(step.name)
                elif rows := step.load(ctx):
                    summary.written[step.name] = rows
            summary.counts = _counts(subdistrict)
            summaries.append(summary)
        accounts = _account_rows(homes, seed)
        statistics.refresh()
    return DemoSummary(homes=summaries, accounts=accounts, seconds=time.perf_counter() - started)
