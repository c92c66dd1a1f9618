"""Screening from the database: the field mapping, decisions with their rule hash and date,
auto-grants (once, with a notification and an audit entry), versioning, and the tasks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django_scopes import scope, scopes_disabled

from linli.core.access import Access
from linli.core.models import AuditEntry, Notification
from linli.core.roles import Role
from linli.core.scheduler import JOBS
from linli.policies import tasks
from linli.policies.enterprise_table import build_table
from linli.policies.models import Decision, Grant, PolicyVersion, ScreeningRun
from linli.policies.services import (
    VersionConflict,
    enqueue_screening,
    record_fact,
    revoke_grant,
    run_screening,
)
from linli.registry.models import BuildingTaxYear, Enterprise, EnterpriseYear
from tests.factories import BuildingFactory, EnterpriseFactory, SubdistrictFactory
from tests.policies.support import (
    ELIGIBLE,
    LAST_YEAR,
    MAYBE,
    ON,
    load,
    policy_text,
    screen,
    three_policies,
    write,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def firm(subdistrict):
    """A 20-person high-tech firm with last year's figures, in a building with rent and tax."""
    building = BuildingFactory(subdistrict=subdistrict, rent_per_m2_day=Decimal("8.50"))
    enterprise = EnterpriseFactory(
        subdistrict=subdistrict,
        building=building,
        headcount=20,
        tags=["high_tech", "key"],
        floor_area_m2=Decimal("300.0"),
        lease_end=dt.date(2026, 6, 30),
    )
    with scopes_disabled():
        BuildingTaxYear.objects.create(
            subdistrict=subdistrict, building=building, year=LAST_YEAR, tax=Decimal("12000")
        )
        for year, revenue, tax in ((LAST_YEAR, "1200", "60"), (LAST_YEAR - 1, "1000", "50")):
            EnterpriseYear.objects.create(
                subdistrict=subdistrict,
                enterprise=enterprise,
                year=year,
                revenue=Decimal(revenue),
                tax=Decimal(tax),
                headcount=22,
            )
    return enterprise


def record_of(subdistrict, enterprise, on=ON):
    with scope(subdistrict=subdistrict):
        table, ids = build_table(subdistrict, on)
    return table.record(ids.index(enterprise.pk))


def test_the_registry_maps_to_engine_fields(subdistrict, firm):
    record = record_of(subdistrict, firm)
    assert record["registered_locally"] is True  # credit code issued in 310106, taxed here
    assert record["industry_code"] == "I6510"
    assert record["registered_capital"] == 500
    assert record["founded_on"] == dt.date(2018, 5, 1)
    assert record["headcount"] == 22  # last year's figure, not the registry's current one
    assert record["tax_last_year"] == 60 and record["tax_prev_year"] == 50
    assert record["revenue_last_year"] == 1200
    assert record["revenue_growth"] == pytest.approx(0.2)
    assert record["tags"] == frozenset({"high_tech"})  # "key" is the sub-district's own label
    assert record["is_hq_recognised"] is False
    assert record["rent_per_m2_day"] == 8.5
    assert record["building_tax_last_year"] == 12000
    assert record["floor_area_m2"] == 300
    assert record["lease_end"] == dt.date(2026, 6, 30)
    # What the registry does not know stays missing, so policies answer "unknown".
    assert record["tax_credit_grade"] is None
    assert record["has_violation_record"] is None
    assert record["listing_stage"] is None


def test_recorded_facts_fill_fields_the_registry_lacks(subdistrict, firm):
    with scope(subdistrict=subdistrict):
        record_fact(firm, "tax_credit_grade", "A", actor=Access.system(subdistrict), source="t")
        record_fact(
            firm, "has_violation_record", False, actor=Access.system(subdistrict), source="t"
        )
    record = record_of(subdistrict, firm)
    assert record["tax_credit_grade"] == "A"
    assert record["has_violation_record"] is False


def test_a_fact_must_fit_its_field(subdistrict, firm):
    from django.core.exceptions import ValidationError

    with scope(subdistrict=subdistrict), pytest.raises(ValidationError):
        record_fact(firm, "tax_credit_grade", "Z", actor=Access.system(subdistrict), source="t")
    with scope(subdistrict=subdistrict), pytest.raises(ValidationError):
        record_fact(firm, "headcount", 5, actor=Access.system(subdistrict), source="t")


def test_registered_elsewhere_closed_and_untaxed_enterprises(subdistrict):
    elsewhere = EnterpriseFactory(subdistrict=subdistrict, credit_code="91310115MA1K4LHQ6U")
    untaxed = EnterpriseFactory(subdistrict=subdistrict)
    closed = EnterpriseFactory(subdistrict=subdistrict, status=Enterprise.Status.CLOSED)
    with scope(subdistrict=subdistrict):
        table, ids = build_table(subdistrict, ON)
    assert closed.pk not in ids
    assert table.record(ids.index(elsewhere.pk))["registered_locally"] is False
    # Registered here but no tax figure: whether it is taxed here is not known.
    assert table.record(ids.index(untaxed.pk))["registered_locally"] is None


def test_screening_stores_decisions_with_rule_hash_and_evaluation_date(subdistrict, firm, tmp_path):
    load(three_policies(tmp_path))
    run = screen(subdistrict)
    assert (run.enterprises, run.policies, run.evaluated_on) == (1, 3, ON)
    assert (run.eligible, run.maybe, run.near_miss) == (1, 1, 1)
    with scope(subdistrict=subdistrict):
        decisions = {d.policy_id: d for d in Decision.objects.select_related("policy_version")}
    assert set(decisions) == {"test-eligible", "test-maybe", "test-near"}
    for decision in decisions.values():
        assert decision.rule_hash == decision.policy_version.rule_hash
        assert len(decision.rule_hash) == 64
        assert decision.evaluated_on == ON
        assert decision.run == run
    assert decisions["test-eligible"].status == "eligible"
    assert decisions["test-eligible"].amount == Decimal("100000.00")
    assert decisions["test-maybe"].status == "maybe"
    assert decisions["test-maybe"].missing_fields == ["tax_credit_grade"]
    near = decisions["test-near"]
    assert near.status == "near_miss"
    assert near.failed_condition["field"] == "headcount"
    assert near.failed_condition["label"] == {
        "zh": "员工不少于500人",
        "en": "At least 500 employees",
    }
    assert "22" in near.failed_condition["reason"]["en"]


def test_a_new_run_replaces_the_decisions(subdistrict, firm, tmp_path):
    load(three_policies(tmp_path))
    first = screen(subdistrict)
    with scope(subdistrict=subdistrict):
        record_fact(firm, "tax_credit_grade", "B", actor=Access.system(subdistrict), source="t")
    second = screen(subdistrict, ON + dt.timedelta(days=1))
    with scope(subdistrict=subdistrict):
        rows = list(Decision.objects.all())
        assert ScreeningRun.objects.count() == 2
    assert {d.run_id for d in rows} == {second.pk} != {first.pk}
    maybe = next(d for d in rows if d.policy_id == "test-maybe")
    assert maybe.status == "eligible" and maybe.amount == Decimal("50000.00")
    assert {d.evaluated_on for d in rows} == {ON + dt.timedelta(days=1)}


def test_ineligible_enterprises_leave_no_row(subdistrict, tmp_path):
    EnterpriseFactory(subdistrict=subdistrict, tags=[], headcount=3)
    load(three_policies(tmp_path))
    run = screen(subdistrict)
    assert run.eligible == run.near_miss == 0
    with scope(subdistrict=subdistrict):
        assert set(Decision.objects.values_list("policy_id", flat=True)) == {"test-maybe"}


def test_auto_grant_grants_once_notifies_the_members_and_audits(
    subdistrict, firm, tmp_path, make_user
):
    member = make_user(Role.ENTERPRISE_MEMBER, subdistrict, enterprise=firm)
    load(three_policies(tmp_path, auto=True))
    run = screen(subdistrict)
    assert run.grants == 1
    with scope(subdistrict=subdistrict):
        grant = Grant.objects.get()
        notes = list(Notification.objects.filter(user=member))
    assert (grant.enterprise_id, grant.policy_id, grant.amount) == (
        firm.pk,
        "test-eligible",
        Decimal("100000.00"),
    )
    assert grant.rule_hash == grant.policy_version.rule_hash
    assert grant.evaluated_on == ON and grant.notified_at is not None
    assert grant.snapshot["status"] == "eligible"
    assert grant.snapshot["rule_hash"] == grant.rule_hash
    assert [c["result"] for c in grant.snapshot["conditions"]] == ["pass", "pass"]
    assert grant.snapshot["text"]["zh"] and grant.snapshot["text"]["en"]
    assert len(notes) == 1
    assert "Test high-tech award" in notes[0].title
    assert "100,000" in notes[0].body
    assert notes[0].url == f"/policies/enterprises/{firm.pk}/"
    assert (
        AuditEntry.objects.filter(action="policies.grant.create", object_id=str(grant.pk)).count()
        == 1
    )

    again = screen(subdistrict, ON + dt.timedelta(days=1))
    assert again.grants == 0
    with scope(subdistrict=subdistrict):
        assert Grant.objects.count() == 1
        assert Notification.objects.filter(user=member).count() == 1
    assert AuditEntry.objects.filter(action="policies.grant.create").count() == 1


def test_a_revoked_grant_is_not_granted_again(subdistrict, firm, tmp_path, make_user):
    admin = make_user(Role.SUBDISTRICT_ADMIN, subdistrict)
    load(three_policies(tmp_path, auto=True))
    screen(subdistrict)
    with scope(subdistrict=subdistrict):
        grant = Grant.objects.get()
        revoke_grant(grant, actor=Access.for_user(admin, subdistrict), reason="duplicate payment")
        with pytest.raises(PermissionError):
            grant.delete()
        with pytest.raises(PermissionError):
            Grant.objects.all().delete()
    screen(subdistrict, ON + dt.timedelta(days=1))
    with scope(subdistrict=subdistrict):
        assert list(Grant.objects.values_list("status", flat=True)) == ["revoked"]


def test_auto_grant_waits_for_a_definite_pass(subdistrict, firm, tmp_path):
    write(tmp_path, "maybe.v1.yaml", policy_text("test-maybe", MAYBE, mode="auto_grant"))
    load(tmp_path)
    run = screen(subdistrict)
    assert run.maybe == 1 and run.grants == 0


def test_editing_a_loaded_version_is_refused(subdistrict, firm, tmp_path):
    path = write(tmp_path, "p.v1.yaml", policy_text("test-edit", ELIGIBLE, award=100000))
    load(tmp_path)
    original = PolicyVersion.objects.get()
    path.write_text(policy_text("test-edit", ELIGIBLE, award=150000), encoding="utf-8")
    with pytest.raises(VersionConflict, match="version 2"):
        load(tmp_path)
    assert list(PolicyVersion.objects.values_list("rule_hash", flat=True)) == [original.rule_hash]


def test_a_change_of_tests_only_keeps_the_version(tmp_path):
    path = write(tmp_path, "p.v1.yaml", policy_text("test-edit", ELIGIBLE))
    load(tmp_path)
    before = PolicyVersion.objects.get()
    path.write_text(
        path.read_text(encoding="utf-8") + "  - enterprise: {tags: [high_tech], headcount: 3}\n"
        "    expect: ineligible\n",
        encoding="utf-8",
    )
    report = load(tmp_path)
    after = PolicyVersion.objects.get()
    assert report.refreshed == ["test-edit@v1"]
    assert after.rule_hash == before.rule_hash and "headcount: 3" in after.source_text


def test_a_new_version_makes_new_decisions_and_old_ones_keep_their_hash(
    subdistrict, firm, tmp_path
):
    write(
        tmp_path,
        "p.v1.yaml",
        policy_text("test-edit", ELIGIBLE, award=100000, valid_to="2026-06-30"),
    )
    load(tmp_path)
    screen(subdistrict)
    v1 = PolicyVersion.objects.get(version=1)
    with scope(subdistrict=subdistrict):
        old = Decision.objects.get()
    assert old.rule_hash == v1.rule_hash

    write(
        tmp_path,
        "p.v2.yaml",
        policy_text("test-edit", ELIGIBLE, version=2, award=150000, valid_from="2026-07-01"),
    )
    report = load(tmp_path)
    assert report.created == ["test-edit@v2"]
    v2 = PolicyVersion.objects.get(version=2)
    assert v2.rule_hash != v1.rule_hash
    with scope(subdistrict=subdistrict):
        # Loading a version changes no decision: they keep the hash they were made with.
        assert Decision.objects.get().rule_hash == v1.rule_hash
    screen(subdistrict, dt.date(2026, 3, 3))
    with scope(subdistrict=subdistrict):
        assert Decision.objects.get().rule_hash == v1.rule_hash  # v1 is still in force
    screen(subdistrict, dt.date(2026, 7, 1))
    with scope(subdistrict=subdistrict):
        decision = Decision.objects.get()
    assert (decision.rule_hash, decision.amount) == (v2.rule_hash, Decimal("150000.00"))


def test_a_removed_file_leaves_the_library_but_stays_stored(subdistrict, firm, tmp_path):
    three_policies(tmp_path)
    load(tmp_path)
    (tmp_path / "test-near.v1.yaml").unlink()
    report = load(tmp_path)
    assert report.deactivated == ["test-near@v1"]
    assert PolicyVersion.objects.count() == 3
    run = screen(subdistrict)
    assert run.policies == 2


def test_only_admins_and_leaders_screen(subdistrict, make_user, tmp_path):
    handler = make_user(Role.HANDLER, subdistrict)
    with scope(subdistrict=subdistrict), pytest.raises(PermissionDenied):
        run_screening(subdistrict, actor=Access.for_user(handler, subdistrict))


def test_decisions_stay_in_their_sub_district(subdistrict, other_subdistrict, firm, tmp_path):
    EnterpriseFactory(subdistrict=other_subdistrict, tags=["high_tech"], headcount=50)
    load(three_policies(tmp_path))
    screen(subdistrict)
    screen(other_subdistrict)
    screen(subdistrict, ON + dt.timedelta(days=1))  # replaces A's decisions only
    with scopes_disabled():
        by_place = {
            sd: set(Decision.objects.filter(subdistrict=sd).values_list("enterprise", flat=True))
            for sd in (subdistrict, other_subdistrict)
        }
    assert by_place[subdistrict] == {firm.pk}
    assert len(by_place[other_subdistrict]) == 1 and firm.pk not in by_place[other_subdistrict]


def test_nightly_screening_covers_every_sub_district(
    subdistrict, other_subdistrict, firm, tmp_path
):
    load(three_policies(tmp_path))
    assert JOBS["policies.nightly_screening"].every == dt.timedelta(days=1)
    done = tasks.nightly_screening.call()
    assert set(done) == {subdistrict.code, other_subdistrict.code}
    with scopes_disabled():
        runs = ScreeningRun.objects.all()
        assert {r.trigger for r in runs} == {"nightly"}
        assert runs.count() == 2


def test_on_demand_screening_is_queued_and_runs_as_the_requester(
    subdistrict, firm, tmp_path, make_user
):
    from django_tasks_db.models import DBTaskResult

    leader = make_user(Role.LEADER, subdistrict)
    load(three_policies(tmp_path))
    access = Access.for_user(leader, subdistrict)
    with scope(subdistrict=subdistrict):
        task_id = enqueue_screening(subdistrict, actor=access)
    queued = DBTaskResult.objects.get(id=task_id)
    assert queued.task_path.endswith("screen_subdistrict")
    run_id = tasks.screen_subdistrict.call(*queued.args_kwargs["args"])
    with scope(subdistrict=subdistrict):
        run = ScreeningRun.objects.get(pk=run_id)
    assert (run.trigger, run.requested_by) == ("on_demand", leader)
    assert AuditEntry.objects.filter(action="policies.screening.request").exists()


def test_the_demo_step_loads_the_library_and_screens(db):
    from linli.policies import demo

    sd = SubdistrictFactory(code="310106950", is_synthetic=True)
    for n in range(5):
        EnterpriseFactory(subdistrict=sd, tags=["small_micro"], headcount=5 + n)

    class Context:
        subdistrict = sd

        @staticmethod
        def rng(part):
            import random

            return random.Random(f"test:{part}")

    with scopes_disabled():
        assert not demo.loaded(Context)
        rows = demo.load(Context)
        assert rows > 0 and demo.loaded(Context)
    assert PolicyVersion.objects.filter(is_active=True).count() >= 30


def test_an_enterprise_cannot_record_its_own_facts(subdistrict, firm, make_user):
    member = make_user(Role.ENTERPRISE_MEMBER, subdistrict, enterprise=firm)
    with scope(subdistrict=subdistrict), pytest.raises(PermissionDenied):
        record_fact(
            firm,
            "has_violation_record",
            False,
            actor=Access.for_user(member, subdistrict),
            source="self",
        )
    with scope(subdistrict=subdistrict):
        fact = record_fact(
            firm,
            "has_violation_record",
            False,
            actor=Access.for_user(make_user(Role.SUBDISTRICT_ADMIN, subdistrict), subdistrict),
            source="visit",
        )
    assert fact.value is False
