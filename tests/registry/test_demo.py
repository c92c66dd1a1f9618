"""The synthetic demo: what it loads, that it loads it once, and that every load is the same."""

from __future__ import annotations

import io
import random
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Sum
from django_scopes import scope, scopes_disabled
from openpyxl import Workbook, load_workbook
from shapely.geometry import Point, shape
from shapely.ops import unary_union

from linli.core.access import Access, allowed_subdistricts, memberships_of
from linli.core.demo import DEMO_PASSWORD, DemoConflict
from linli.core.models import Membership, Organisation, Subdistrict, User
from linli.core.pii import decrypt, lookup_hash, validate_mobile
from linli.core.roles import Role
from linli.demo.load import load_demo
from linli.registry.credit_code import validate_credit_code, validate_industry_code
from linli.registry.demo.enterprises import credit_code
from linli.registry.demo.enterprises_excel import PHONE_COLUMN, write_enterprises_workbook
from linli.registry.demo.facilities import FIRST_HOME_GAPS, _gap_zone
from linli.registry.demo.geography import plan_places
from linli.registry.demo.homes import FIRST_CODE, FIRST_HOME, SECOND_CODE, plan_homes
from linli.registry.demo.places import Frame
from linli.registry.exports import export_columns
from linli.registry.importers import import_records
from linli.registry.kinds import KINDS
from linli.registry.models import (
    Building,
    BuildingTaxYear,
    Enterprise,
    EnterpriseYear,
    Facility,
    Grid,
    Quarter,
)
from tests.factories import EnterpriseFactory, SubdistrictFactory

pytestmark = pytest.mark.django_db

FRAME = Frame(FIRST_HOME.lon, FIRST_HOME.lat)
FIRST_HOME_ACCOUNTS = (
    "admin",
    "subadmin",
    "leader",
    "handler",
    "window",
    "grid",
    "butler",
    "ambassador",
    "building",
    "enterprise",
    "resident",
    "caregiver",
    "volunteer",
    "committee",
    "meals",
    "operator",
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load once for the module; roll back afterwards so other test files start empty."""
    with django_db_blocker.unblock(), transaction.atomic():
        summary = load_demo()
        yield summary
        transaction.set_rollback(True)


@pytest.fixture
def first(demo) -> Subdistrict:
    return Subdistrict.objects.get(code=FIRST_CODE)


@pytest.fixture
def second(demo) -> Subdistrict:
    return Subdistrict.objects.get(code=SECOND_CODE)


def metric(geometry: dict):
    """A lon/lat GeoJSON polygon in the local metres the demo was drawn in."""
    ring = geometry["coordinates"][0]
    return shape({"type": "Polygon", "coordinates": [[FRAME.xy(*p) for p in ring]]})


def snapshot() -> dict[str, object]:
    """What a load wrote, as comparable values: counts and the data that must not drift."""
    with scopes_disabled():
        return {
            "counts": {
                model.__name__: model.objects.count()
                for model in (Organisation, Membership, Grid, Quarter, Building, BuildingTaxYear)
                + (Enterprise, EnterpriseYear, Facility)
            },
            "users": User.objects.count(),
            "credit_codes": list(
                Enterprise.objects.order_by("subdistrict__code", "credit_code").values_list(
                    "subdistrict__code", "credit_code", "name", "headcount", "butler__username"
                )
            ),
            "taxes": list(
                BuildingTaxYear.objects.order_by(
                    "subdistrict__code", "building__code", "year"
                ).values_list("building__code", "year", "tax")
            ),
            "facilities": list(
                Facility.objects.order_by("subdistrict__code", "code").values_list(
                    "code", "name", "entrances"
                )
            ),
            "boundaries": list(Subdistrict.objects.order_by("code").values_list("boundary")),
        }


def test_the_first_home_is_labelled_synthetic_and_has_its_registry(first):
    assert first.is_synthetic
    assert "合成数据" in first.name and "synthetic" in first.name_en
    assert len(first.code) == 9 and first.code.startswith("310106")
    with scope(subdistrict=first):
        assert Quarter.objects.count() == 11
        assert Building.objects.count() == 32
        assert Grid.objects.count() == 16
        assert Enterprise.objects.count() == 2600
        kinds = Counter(Organisation.objects.values_list("kind", flat=True))
    assert kinds[Organisation.Kind.COMMITTEE] == 11
    assert kinds[Organisation.Kind.SUBCENTRE] == 5
    assert kinds[Organisation.Kind.DISPATCH_CENTRE] == 1
    assert kinds[Organisation.Kind.SERVICE_CENTRE] == 2
    assert kinds[Organisation.Kind.DEPARTMENT] >= 6
    assert kinds[Organisation.Kind.AGENCY] >= 4
    assert kinds[Organisation.Kind.GRID_STATION] >= 1
    assert kinds[Organisation.Kind.BUILDING_COMMITTEE] >= 1


def test_exactly_seven_buildings_paid_over_a_hundred_million_in_the_latest_year(first):
    with scope(subdistrict=first):
        latest = BuildingTaxYear.objects.filter(year=2025)
        assert latest.filter(tax__gte=Decimal("10000")).count() == 7
        assert latest.count() == 32
        assert set(BuildingTaxYear.objects.values_list("year", flat=True)) == set(range(2021, 2026))
        assert Building.objects.filter(subcentre__isnull=False).count() == 5
        assert all(
            b.subcentre.kind == Organisation.Kind.SUBCENTRE
            for b in Building.objects.filter(subcentre__isnull=False)
        )


def test_every_credit_code_is_valid_and_unique(first):
    with scope(subdistrict=first):
        codes = list(Enterprise.objects.values_list("credit_code", flat=True))
    assert len(codes) == len(set(codes)) == 2600
    for code in codes:
        assert validate_credit_code(code) == code
        assert code.startswith("91310106")


def test_about_thirty_thousand_residents_a_third_of_them_over_sixty(first):
    with scope(subdistrict=first):
        quarters = list(Quarter.objects.select_related("committee", "grid"))
    population = sum(q.population for q in quarters)
    assert 29_000 <= population <= 31_000
    assert 0.30 <= sum(q.over_60 for q in quarters) / population <= 0.38
    assert len({q.committee_id for q in quarters}) == 11
    for quarter in quarters:
        assert quarter.committee.kind == Organisation.Kind.COMMITTEE
        assert quarter.grid is not None and quarter.entrances and quarter.built_year
        assert 0 < quarter.households < quarter.population


def test_everything_lies_inside_the_boundary_and_grids_tile_it(first):
    boundary = metric(first.boundary)
    assert boundary.area == pytest.approx(1.07e6, rel=0.02)
    lons = [p[0] for p in first.boundary["coordinates"][0]]
    lats = [p[1] for p in first.boundary["coordinates"][0]]
    assert 121.451 <= min(lons) < max(lons) <= 121.467
    assert 31.232 <= min(lats) < max(lats) <= 31.242
    with scope(subdistrict=first):
        grids = [metric(g.polygon) for g in Grid.objects.all()]
        quarters = [metric(q.polygon) for q in Quarter.objects.all()]
        buildings = list(Building.objects.values_list("lon", "lat"))
        facilities = list(Facility.objects.values_list("entrances", flat=True))
    assert unary_union(grids).symmetric_difference(boundary).area < 1.0
    assert sum(g.area for g in grids) == pytest.approx(boundary.area, rel=1e-6)
    for quarter in quarters:
        assert boundary.buffer(0.5).contains(quarter)
    for lon, lat in buildings:
        assert boundary.contains(Point(FRAME.xy(lon, lat)))
    inside = outside = 0
    for entrances in facilities:
        point = Point(FRAME.xy(*entrances[0]))
        assert boundary.distance(point) <= 1000
        inside += boundary.contains(point)
        outside += not boundary.contains(point)
    assert inside and outside


def test_facilities_of_every_category_with_deliberate_gaps(first):
    with scope(subdistrict=first):
        facilities = list(Facility.objects.all())
    # The registry's own 60–80, then the care homes, meal points and charging points the
    # elderly-care, meals and charging demos add.
    assert 90 <= len(facilities) <= 120
    assert {f.category for f in facilities} == set(Facility.Category.values)
    parks = [f for f in facilities if f.category == Facility.Category.PARK]
    assert any(len(p.entrances) >= 3 for p in parks)
    boundary = metric(first.boundary)
    for category, side in FIRST_HOME_GAPS.items():
        gap = _gap_zone(boundary, side)
        for facility in (f for f in facilities if f.category == category):
            assert not gap.buffer(-1).contains(Point(FRAME.xy(*facility.entrances[0])))


def test_enterprises_have_plausible_profiles(first):
    with scope(subdistrict=first):
        enterprises = list(Enterprise.objects.select_related("building", "butler"))
        years = Counter(EnterpriseYear.objects.values_list("year", flat=True))
    sections = Counter(e.industry_code[0] for e in enterprises)
    # A central business district: business services and finance lead, then IT and trade.
    assert [s for s, _ in sections.most_common(2)] == ["L", "J"]
    assert sections["I"] > sections["R"] and sections["F"] > sections["R"]
    tags = set(Enterprise.Tag.values)
    butlers_by_building = defaultdict(set)
    for e in enterprises:
        validate_industry_code(e.industry_code)
        assert e.name.endswith("公司") and len(e.name) >= 8
        assert set(e.tags) <= tags
        phone = decrypt(e.contact_phone_cipher)
        assert validate_mobile(phone) == phone
        assert e.contact_phone_hash == lookup_hash(phone)
        assert e.legal_rep_name and e.contact_name and e.butler is not None
        if e.building:
            assert e.unit and e.floor_area_m2 and e.lease_end
            butlers_by_building[e.building.code].add(e.butler.username)
    assert len({e.name for e in enterprises}) == len(enterprises)
    assert all(len(butlers) == 1 for butlers in butlers_by_building.values())
    assert years[2023] > 2000 and years[2024] > years[2023] and years[2025] > 2400


def test_enterprise_tax_adds_up_to_its_buildings_tax(first):
    with scope(subdistrict=first):
        for year in (2023, 2024, 2025):
            paid = dict(
                EnterpriseYear.objects.filter(year=year, enterprise__building__isnull=False)
                .values_list("enterprise__building__code")
                .annotate(total=Sum("tax"))
            )
            for code, tax in BuildingTaxYear.objects.filter(year=year).values_list(
                "building__code", "tax"
            ):
                assert 0.9 <= paid[code] / tax <= 1.0, (code, year)


def test_every_role_has_an_account_with_the_shared_password(first):
    with scopes_disabled():
        memberships = list(
            Membership.objects.filter(subdistrict=first).select_related(
                "user", "organisation", "building", "enterprise", "grid"
            )
        )
    assert {m.role for m in memberships} == set(Role.values)
    usernames = {m.user.username for m in memberships}
    assert set(FIRST_HOME_ACCOUNTS) <= usernames
    # Later demo steps add more members (event attendees, Park Assistant readers): the accounts
    # printed for people to try are the ones that must fit together.
    by_role = {m.role: m for m in memberships if m.user.username in FIRST_HOME_ACCOUNTS}
    assert User.objects.get(username="admin").is_superuser
    assert check_password(DEMO_PASSWORD, User.objects.get(username="leader").password)
    assert by_role[Role.GRID_WORKER].grid is not None
    assert by_role[Role.GRID_WORKER].organisation.kind == Organisation.Kind.GRID_STATION
    manager, member = by_role[Role.BUILDING_MANAGER], by_role[Role.ENTERPRISE_MEMBER]
    assert manager.building is not None
    assert member.enterprise.building == manager.building
    assert member.enterprise.butler.username == "butler"
    assert by_role[Role.RESIDENT].organisation.kind == Organisation.Kind.COMMITTEE
    assert by_role[Role.WINDOW_STAFF].organisation.kind == Organisation.Kind.SERVICE_CENTRE
    for role in (Role.ENTERPRISE_MEMBER, Role.RESIDENT, Role.HANDLER):
        assert role in Access.for_user(by_role[role].user, first).roles


def test_the_operator_can_switch_between_both_sub_districts(first, second):
    operator = User.objects.get(username="operator")
    memberships = memberships_of(operator)
    assert {first, second} <= set(allowed_subdistricts(operator, memberships))
    for subdistrict in (first, second):
        assert Role.LEADER in Access.for_user(operator, subdistrict).roles
        assert Role.LEADER in Access.for_user(operator, subdistrict, memberships).roles


def test_the_second_sub_district_is_separate(first, second):
    assert second.is_synthetic and second.boundary
    with scope(subdistrict=second):
        assert Enterprise.objects.count() == 50
        assert Quarter.objects.count() >= 2 and Building.objects.count() >= 2
        theirs = set(Enterprise.objects.values_list("credit_code", flat=True))
        assert Facility.objects.exists()
    with scope(subdistrict=first):
        assert not Enterprise.objects.filter(credit_code__in=theirs).exists()
        mine = set(Enterprise.objects.values_list("credit_code", flat=True))
    assert not mine & theirs
    second_admin = User.objects.get(username="second_admin")
    assert Access.for_user(second_admin, first).roles == frozenset()
    assert Role.SUBDISTRICT_ADMIN in Access.for_user(second_admin, second).roles
    assert User.objects.filter(username="second_handler").exists()


def test_loading_again_writes_nothing(demo):
    before = snapshot()
    summary = load_demo()
    assert summary.rows_written == 0
    assert all(not h.written for h in summary.homes)
    assert snapshot() == before


def test_reset_reloads_the_same_data_and_spares_real_sub_districts(first):
    real = SubdistrictFactory(code="310106013")
    real_enterprise = EnterpriseFactory(subdistrict=real)
    before = snapshot()

    summary = load_demo(reset=True)

    assert summary.rows_written > 10_000
    assert snapshot() == before
    assert Subdistrict.objects.get(code=FIRST_CODE).pk == first.pk
    with scope(subdistrict=real):
        assert Enterprise.objects.get() == real_enterprise
    connection.check_constraints()  # the raw deletes left no dangling foreign key


def test_the_demo_never_takes_over_real_data(first):
    User.objects.filter(username="admin").update(email="root@example.org")
    with pytest.raises(DemoConflict, match="admin"):
        load_demo(reset=True)
    Subdistrict.objects.filter(pk=first.pk).update(is_synthetic=False)
    with pytest.raises(DemoConflict, match=FIRST_CODE):
        load_demo()


def test_generation_is_deterministic_without_the_database():
    one, two = (plan_places(FIRST_HOME, random.Random("x")) for _ in range(2))
    assert [b.tax for b in one.buildings] == [b.tax for b in two.buildings]
    assert [q.population for q in one.quarters] == [q.population for q in two.quarters]
    assert one.boundary.equals(two.boundary)
    codes = {credit_code(n, new_style) for n in range(5000) for new_style in (False, True)}
    assert len(codes) == 10_000
    assert all(validate_credit_code(c) == c for c in codes)


def test_scale_adds_copies_of_the_first_home():
    homes = plan_homes(3)
    assert len(homes) == 4
    assert sum(h.enterprises for h in homes) == 3 * 2600 + 50
    assert len({h.code for h in homes}) == len({h.name for h in homes}) == 4
    for scale in (0, 99):
        with pytest.raises(ValueError):
            plan_homes(scale)


def test_the_command_prints_the_accounts_password_and_address(demo):
    out = io.StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    assert DEMO_PASSWORD in text and "http://127.0.0.1:8000/" in text
    for username in (*FIRST_HOME_ACCOUNTS, "second_admin", "second_handler"):
        assert f"\n{username} " in text
    assert "0 rows written" in text


def test_the_command_refuses_a_production_deployment(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("demo", stdout=io.StringIO())


def test_the_enterprises_export_in_the_import_format(first, tmp_path):
    path = write_enterprises_workbook(tmp_path / "enterprises.xlsx", first)
    rows = list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    header, data = list(rows[0]), rows[1:]
    assert header == [*export_columns(KINDS["enterprise"]), PHONE_COLUMN]
    assert len(data) == 2600
    column = {name: i for i, name in enumerate(header)}
    with scope(subdistrict=first):
        codes = set(Enterprise.objects.values_list("credit_code", flat=True))
        buildings = set(Building.objects.values_list("code", flat=True))
    assert {r[column["credit_code"]] for r in data} == codes
    assert {r[column["building"]] for r in data} <= buildings | {None, ""}
    assert all(validate_mobile(r[column[PHONE_COLUMN]]) for r in data)

    # The importer reads it back without a single complaint (a slice keeps this quick).
    sample = Workbook()
    for row in rows[:101]:
        sample.active.append(row)
    sample.save(tmp_path / "sample.xlsx")
    admin = Access.for_user(User.objects.get(username="subadmin"), first)
    with scope(subdistrict=first):
        report = import_records(
            admin,
            "enterprise",
            "sample.xlsx",
            (tmp_path / "sample.xlsx").read_bytes(),
            dry_run=True,
        )
    assert report.errors == []
    assert report.rows == 100
