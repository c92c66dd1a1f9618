"""The demo's year of cases: what it configures, that every history obeys the state table, that
the outcomes look like a working office, and that the same seed gives the same year."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pytest
from django.db import transaction
from django_scopes import scope, scopes_disabled

from linli.cases import demo as cases_demo
from linli.cases import metrics, tasks, workflow
from linli.cases.demo.catalogue import CATEGORIES, PARENTS
from linli.cases.models import (
    FINAL_STATES,
    Case,
    CaseEvent,
    CaseReporter,
    Category,
    CategoryField,
    Channel,
    RoutingRule,
    SlaMark,
    State,
    TimeLimit,
)
from linli.core import clock
from linli.core.models import Subdistrict
from linli.demo.load import _places, load_demo
from linli.registry.demo.context import DemoContext
from linli.registry.demo.homes import DEMO_SEED, FIRST_CODE, SECOND_CODE, SECOND_HOME

pytestmark = pytest.mark.django_db
LOADED_AT = dt.datetime(2026, 11, 20, 3, 15, tzinfo=dt.UTC)  # 11:15 in Shanghai, a Friday
# Actions that are not moves of the state table.
NOTES = {"submit", "reminder", "supervision", "absorb", "rate"}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The whole demo, loaded once at a fixed moment; rolled back after the module."""
    patch = pytest.MonkeyPatch()
    patch.setattr(clock, "now", lambda: LOADED_AT)
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)
    patch.undo()


@pytest.fixture
def first(demo) -> Subdistrict:
    return Subdistrict.objects.get(code=FIRST_CODE)


# Case links of the demos that load after the cases demo and open cases of their own: caring
# alerts and concerns, patrol findings, group-rental follow-ups, works found without
# registration. (A group-rental lead's source case is one of the cases demo's.)
OPENED_LATER = {"caring", "patrols", "works"}
OPENED_LATER_FIELDS = {"overdue_case"}


def cases_of(subdistrict):
    """The cases demo's own cases."""
    cases = Case.objects.filter(subdistrict=subdistrict)
    reverse = (
        f for f in Case._meta.get_fields(include_hidden=True) if f.auto_created and not f.concrete
    )
    for relation in reverse:
        model, name = relation.related_model, relation.field.name
        if model._meta.app_label in OPENED_LATER or name in OPENED_LATER_FIELDS:
            links = model._default_manager.filter(**{f"{name}__isnull": False})
            cases = cases.exclude(pk__in=links.values(name))
    return cases


def own_categories(subdistrict) -> set[str]:
    """The categories the cases demo configured (other demos add categories of their own)."""
    codes = {s.code for s in (*PARENTS, *CATEGORIES)}
    return set(
        Category.objects.filter(subdistrict=subdistrict, code__in=codes).values_list(
            "code", flat=True
        )
    )


def test_the_office_is_configured(first):
    with scopes_disabled():
        own = own_categories(first)
        categories = {c.code: c for c in Category.objects.filter(subdistrict=first, code__in=own)}
        assert set(categories) == {s.code for s in (*PARENTS, *CATEGORIES)}
        assert {c.kind for c in categories.values()} == set(Category.Kind.values)
        battery = categories["INC-EBIKE"]
        assert battery.allows_anonymous and battery.public_display and battery.canned_replies
        assert battery.parent == categories["INC"]
        assert CategoryField.objects.filter(category=battery, key="where", required=True).exists()
        assert set(
            CategoryField.objects.filter(subdistrict=first).values_list("type", flat=True)
        ) == set(CategoryField.Type.values)
        assert TimeLimit.objects.get(category=categories["SVC-LIFT"], stage="resolve").amount == 15
        rules = RoutingRule.objects.filter(subdistrict=first)
        assert rules.filter(quarter__isnull=False).exists()
        assert rules.filter(grid__isnull=False).exists()
        assert rules.filter(organisation__code="SCJG", category__code="INC-FOOD").exists()


def test_a_year_of_cases_in_every_category_and_channel(demo, first):
    with scopes_disabled():
        cases = cases_of(first)
        assert 3000 <= cases.count() <= 4500
        assert set(cases.values_list("category__code", flat=True)) == {s.code for s in CATEGORIES}
        # Inspection cases come only from results recorded at a joint visit, which the
        # inspections demo records without a follow-up category.
        assert set(cases.values_list("channel", flat=True)) == set(Channel.values) - {
            Channel.INSPECTION
        }
        oldest = cases.order_by("received_at").first().received_at
        assert LOADED_AT - oldest > dt.timedelta(days=360)
        assert cases.filter(received_at__gt=LOADED_AT).count() == 0
        assert cases.filter(grid__isnull=True).count() < cases.count() * 0.02
        numbers = list(cases.order_by("received_at", "id").values_list("number", flat=True))
        assert len(set(numbers)) == len(numbers)
        second = Case.objects.filter(subdistrict__code=SECOND_CODE).count()
        assert 0.15 * cases.count() < second < 0.4 * cases.count()


def test_every_history_obeys_the_state_table(first):
    with scopes_disabled():
        states = dict(cases_of(first).values_list("pk", "state"))
        histories = defaultdict(list)
        for row in (
            CaseEvent.objects.filter(subdistrict=first, case__in=cases_of(first))
            .order_by("at", "id")
            .values("case_id", "action", "from_state", "to_state", "at")
        ):
            histories[row["case_id"]].append(row)
    assert set(histories) == set(states)
    for pk, events in histories.items():
        assert events[0]["action"] == "submit"
        state = State.RECEIVED
        for event in events:
            if event["action"] in NOTES:
                continue
            assert event["from_state"] == state, (pk, event)
            workflow.check(state, event["action"])
            assert event["to_state"] == workflow.target_state(state, event["action"])
            state = event["to_state"]
        assert state == states[pk], pk


def test_outcomes_look_like_a_working_office(first):
    with scope(subdistrict=first):
        year = metrics.organisation_metrics(LOADED_AT - dt.timedelta(days=365), LOADED_AT)
    total = metrics.OrganisationMetrics(0, "")
    for row in year:
        for name in metrics.COUNT_NAMES:
            setattr(total, name, getattr(total, name) + getattr(row, name))
    assert 0.85 <= total.timely_acceptance_rate <= 0.98
    assert 0.75 <= total.on_time_closure_rate <= 0.95
    assert 0.75 <= total.satisfaction_rate <= 0.95
    assert 0.7 <= total.resolution_rate <= 0.95
    assert 0.02 <= total.rework_rate <= 0.15
    assert 0.01 <= total.extension_rate <= 0.1
    assert 0.01 <= total.return_rate <= 0.1
    with scopes_disabled():
        cases = cases_of(first)
        states = Counter(cases.values_list("state", flat=True))
        assert states[State.CLOSED] > 0.85 * cases.count()
        open_now = cases.exclude(state__in=FINAL_STATES)
        assert len({s for s in states if s not in FINAL_STATES}) >= 6
        assert 40 <= open_now.count() <= 300
        assert open_now.filter(stage_deadline__lt=LOADED_AT, paused_since__isnull=True).exists()
        assert states[State.LONG_TERM] and states[State.REJECTED] and states[State.MERGED]
        actions = Counter(
            CaseEvent.objects.filter(subdistrict=first).values_list("action", flat=True)
        )
        for action in ("reopen", "rework", "return", "approve_extension", "deny_extension"):
            assert actions[action] > 0, action
        assert actions["wait_for_reporter"] and actions["add_co_handler"]
        assert actions["reminder"] and actions["supervision"] and actions["rate"]


def test_merged_cases_hand_their_reporters_to_a_case_still_open_then(first):
    with scopes_disabled():
        merged = list(cases_of(first).filter(state=State.MERGED).select_related("merged_into"))
        assert merged
        for case in merged:
            target = case.merged_into
            assert target is not None and target.category_id == case.category_id
            merged_at = CaseEvent.objects.get(case=case, action="merge").at
            closed = target.closed_at
            assert closed is None or closed > merged_at
            assert CaseReporter.objects.filter(case=target, from_case=case).exists()
            assert CaseEvent.objects.filter(case=target, action="absorb").exists()


def test_the_sla_sweep_finds_nothing_left_to_send(first):
    with scopes_disabled():
        marks = SlaMark.objects.filter(subdistrict=first).count()
    assert marks > 0
    sent = tasks.sweep(LOADED_AT)
    assert sent == {"reminder": 0, "supervision": 0}


def test_the_demo_accounts_have_cases_of_their_own(first):
    with scopes_disabled():
        cases = cases_of(first)
        mine = cases.filter(reporter__username="resident")
        assert mine.filter(state=State.CLOSED).count() >= 5
        assert mine.exclude(state__in=FINAL_STATES).exists()
        assert CaseEvent.objects.filter(case__in=mine, action="rate").exists()
        assert cases.filter(reporter__username="grid", channel=Channel.GRID_PATROL).exists()
        assert cases.filter(reporter__username="building", channel="building_manager").exists()
        assert cases.filter(reporter__username="enterprise").exists()
        assert cases.filter(assignee__username="butler").exists()
        assert cases.filter(lead_organisation__code="SQGL", assignee__username="handler").exists()
        assert CaseEvent.objects.filter(actor__username="dispatcher", action="dispatch").exists()


def test_the_same_seed_plays_the_same_year(demo, first, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: LOADED_AT)
    with scopes_disabled():
        second = Subdistrict.objects.get(code=SECOND_CODE)
        ctx = DemoContext(
            home=SECOND_HOME,
            subdistrict=second,
            places=_places(SECOND_HOME, DEMO_SEED),
            seed=DEMO_SEED,
        )
        office = cases_demo.Office.build(ctx)
        office.read_configuration()
        replayed = [
            (s.case.category.code, s.case.received_at, s.case.state, s.case.title)
            for s in office.stories()
        ]
        stored = list(
            cases_of(second)
            .order_by("received_at", "id")
            .values_list("category__code", "received_at", "state", "title")
        )
    assert replayed == stored
