"""The demo's Park Assistant and joint inspections (one load for both).

The load runs the registry's steps and these two apps' own, not the whole demo: a case category
the forwarded requests need stands in for the cases step.

Park: notices in three buildings, some read and some not, requests forwarded, answered and
waiting. Inspections: a quarter of plans merged into joint visits, past visits with results,
visits spared."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_scopes import scope, scopes_disabled

from linli.cases.models import Category, CategoryField, Channel
from linli.core.demo import DemoStep, present
from linli.core.models import Subdistrict
from linli.demo import load
from linli.enterprise.inspections.models import InspectionPlan, JointVisit
from linli.enterprise.inspections.queries import Period, spared_by_enterprise
from linli.enterprise.inspections.services import today
from linli.enterprise.park import demo as park_demo
from linli.enterprise.park.models import BuildingRequest, Notice, NoticeReceipt
from linli.registry.demo.context import DemoContext
from linli.registry.demo.homes import FIRST_CODE

pytestmark = pytest.mark.django_db

REGISTRY_STEPS = {
    "organisations",
    "grids and quarters",
    "buildings",
    "staff accounts",
    "enterprises",
    "public accounts",
}
MINE = {"park assistant", "joint inspections"}


def repair_category(ctx: DemoContext) -> int:
    category = Category.objects.create(
        subdistrict=ctx.subdistrict,
        code=park_demo.FORWARD_CATEGORY,
        name="房屋及设施报修",
        kind=Category.Kind.INCIDENT,
    )
    CategoryField.objects.create(
        subdistrict=ctx.subdistrict,
        category=category,
        key="item",
        label="报修项目",
        type=CategoryField.Type.CHOICE,
        required=True,
        choices=[{"key": "stair_light", "name": "楼道灯"}],
    )
    return 2


@pytest.fixture(scope="module")
def first(django_db_setup, django_db_blocker):
    steps = [s for s in load.STEPS if s.name in REGISTRY_STEPS]
    steps.append(DemoStep("repair category", repair_category, present(Category)))
    steps += [s for s in load.STEPS if s.name in MINE]
    patch = pytest.MonkeyPatch()
    patch.setattr(load, "STEPS", steps)
    with django_db_blocker.unblock(), transaction.atomic():
        summary = load.load_demo()
        with scopes_disabled():
            yield Subdistrict.objects.get(code=FIRST_CODE), summary
        transaction.set_rollback(True)
    patch.undo()


def test_demo_notices_have_readers_and_non_readers(first):
    subdistrict, _ = first
    with scope(subdistrict=subdistrict):
        notices = list(Notice.objects.all())
        buildings = {n.building_id for n in notices}
        receipts = NoticeReceipt.objects.count()
        recipients = sum(n.recipients.count() for n in notices)
        read = sum(n.receipts.values("enterprise").distinct().count() for n in notices)
    assert len(buildings) == 3 and len(notices) == 9
    assert receipts > 0
    assert 0 < read < recipients


def test_demo_requests_are_forwarded_answered_and_waiting(first):
    subdistrict, _ = first
    with scope(subdistrict=subdistrict):
        statuses = set(BuildingRequest.objects.values_list("status", flat=True))
        forwarded = list(BuildingRequest.objects.filter(status="forwarded").select_related("case"))
    assert statuses == {"open", "forwarded", "declined"}
    assert forwarded and all(r.case.channel == Channel.BUILDING_MANAGER for r in forwarded)


def test_demo_quarter_of_joint_inspections(first):
    subdistrict, _ = first
    with scope(subdistrict=subdistrict):
        plans = InspectionPlan.objects.count()
        joint = [v for v in JointVisit.objects.all() if v.plans.count() > 1]
        cancelled = InspectionPlan.objects.filter(status="cancelled").count()
        rows = spared_by_enterprise(Period.quarter_of(today()))
    assert plans >= 80
    assert len(joint) >= 20
    assert cancelled >= 1
    assert sum(r.to_be_spared + r.spared for r in rows) > 0


def test_loading_twice_adds_nothing(first):
    subdistrict, _ = first
    again = load.load_demo()
    home = next(h for h in again.homes if h.code == FIRST_CODE)
    assert not set(home.written) & MINE
    assert set(home.skipped) >= MINE
