"""The demo's data files say what their loaders and the models expect: every code, kind and
choice they name exists, and the category tree and the catalogue are whole."""

from __future__ import annotations

import random

from django.db.models import TextChoices

from linli.cases.demo.catalogue import (
    BY_BUILDING,
    BY_GRID,
    BY_QUARTER,
    CATEGORIES,
    OWN_CASES,
    PARENTS,
    PHRASES,
    RULES,
)
from linli.cases.models import (
    Category,
    CategoryField,
    Channel,
    RejectReason,
    Satisfaction,
    Stage,
    TimeLimit,
)
from linli.core.models import Organisation
from linli.core.roles import Role
from linli.enterprise.inspections.demo import SUBJECTS
from linli.enterprise.investment.demo import SOURCE_WEIGHTS, STAGE_COUNTS
from linli.enterprise.investment.models import Source
from linli.enterprise.investment.models import Stage as ProspectStage
from linli.enterprise.park.demo import FORWARD_ANSWERS, FORWARD_CATEGORY
from linli.enterprise.retention.demo import ANSWERS, DEMANDS
from linli.frontoffice.bookings.demo import CENTRE, SUBCENTRE
from linli.frontoffice.bookings.models import ResourceKind
from linli.frontoffice.catalog.demo import ITEMS
from linli.frontoffice.catalog.models import Affairs
from linli.frontoffice.events.demo import TOPICS
from linli.frontoffice.events.models import Audience
from linli.frontoffice.events.models import Kind as EventKind
from linli.frontoffice.queue.demo import CENTRE_HALL, SUBCENTRE_HALL
from linli.registry.demo import people
from linli.registry.demo.geography import plan_places
from linli.registry.demo.homes import FIRST_HOME, SECOND_HOME, plan_homes
from linli.registry.demo.organisations import AGENCIES, DEPARTMENTS, organisation_rows
from linli.registry.demo.places import FACILITY_KINDS
from linli.registry.models import Facility

ORGANISATIONS = {code for code, _kind, _name in DEPARTMENTS} | {code for code, _n in AGENCIES}


def values(choices: type[TextChoices]) -> set[str]:
    return set(choices.values)


def test_the_case_category_tree():
    parents = {p.code: p for p in PARENTS}
    assert set(parents) == {"INC", "SVC", "APP", "ENQ"}
    assert {p.kind for p in PARENTS} == values(Category.Kind)
    codes = [c.code for c in CATEGORIES]
    assert len(codes) == len(set(codes)) == 17
    for category in CATEGORIES:
        assert category.kind == parents[category.parent].kind, category.code
        assert category.yearly > 0 and category.texts and category.replies, category.code
        assert set(category.channels) <= values(Channel), category.code
        assert category.where in {"quarter", "street", "building", "enterprise"}
        for stage, (amount, unit) in category.limits.items():
            assert stage in values(Stage) and unit in values(TimeLimit.Unit) and amount > 0
        for field in category.fields:
            assert field.type in values(CategoryField.Type), (category.code, field.key)
            assert (field.type == CategoryField.Type.CHOICE) == bool(field.choices)
        organisation, part = category.co_handler
        assert (organisation in ORGANISATIONS) == bool(part), category.code


def test_routing_and_phrases_name_what_exists():
    known = {c.code for c in (*PARENTS, *CATEGORIES)}
    for rule in RULES:
        assert rule.category in known and rule.organisation in ORGANISATIONS, rule
    assert {*BY_QUARTER, *BY_GRID, *BY_BUILDING} <= known
    for own in OWN_CASES:
        assert set(own.categories) <= known and own.count > 0, own.username
    assert set(PHRASES.reject_notes) == values(RejectReason)
    assert set(PHRASES.callback_notes) == values(Satisfaction)


def test_the_catalogue_is_whole():
    codes = [item.code for item in ITEMS]
    assert len(codes) == len(set(codes)) == 68
    assert {item.affairs for item in ITEMS} == values(Affairs)
    categories = {c.code for c in CATEGORIES}
    for item in ITEMS:
        assert item.department in ORGANISATIONS, item.code
        assert not item.category or item.category in categories, item.code
        assert item.channels and set(item.channels) <= set("TWO"), item.code
        assert ("T" in item.channels) == bool(item.terminal), item.code
        assert item.materials and item.steps and item.place, item.code
        assert 0 <= item.days[1] <= item.days[0], item.code


def test_the_registry_data():
    assert {kind.category for kind in FACILITY_KINDS} <= values(Facility.Category)
    assert {kind for _code, kind, _name in DEPARTMENTS} <= values(Organisation.Kind)
    assert (FIRST_HOME.enterprises, FIRST_HOME.population) == (2600, 30_000)
    assert SECOND_HOME.ordinal == 1
    for home in plan_homes(3):
        plan = plan_places(home, random.Random(home.code))
        organisations = {o.code for o in organisation_rows(plan, None)}
        accounts = people.account_plans(home, plan)
        for account in accounts:
            for membership in account.memberships:
                assert membership.role in values(Role), account.username
                assert membership.organisation in organisations | {""}, account.username
        assert {Role.SUBDISTRICT_ADMIN, Role.BUTLER, Role.LEADER} <= {
            m.role for a in accounts for m in a.memberships
        }


def test_the_other_apps_data_names_what_exists():
    categories = {c.code: c for c in CATEGORIES}
    assert set(DEMANDS) == set(ANSWERS) <= set(categories)
    for code, answers in ANSWERS.items():
        required = {f.key for f in categories[code].fields if f.required}
        assert required <= set(answers), code
    assert FORWARD_CATEGORY in categories and set(FORWARD_ANSWERS) == {"item"}
    assert set(SUBJECTS) <= ORGANISATIONS
    assert {r.kind for r in (*CENTRE, *SUBCENTRE)} <= values(ResourceKind)
    assert set(TOPICS) == values(EventKind)
    assert {t.audience for t in TOPICS.values()} <= values(Audience)
    assert set(STAGE_COUNTS) == values(ProspectStage)
    assert set(SOURCE_WEIGHTS) == values(Source)
    windows = {r.code for r in CENTRE if r.kind == ResourceKind.WINDOW}
    assert set(CENTRE_HALL.appointments.values()) == windows
    assert not SUBCENTRE_HALL.appointments
