"""Portfolios assigned in bulk, visit plans, and the overdue visits per butler."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from linli.core import clock
from linli.core.models import AuditEntry, Notification
from linli.enterprise.retention.models import Visit, VisitPlan
from linli.enterprise.retention.queries import overdue_visits
from linli.enterprise.retention.services import assign_portfolio, save_visit_plan
from linli.registry.models import Enterprise
from tests.retention.conftest import days_ago


def test_a_leader_assigns_a_whole_building_with_one_audit_row_each(street):
    response = street.client(street.leader).post(
        reverse("retention:assign"),
        {"butler": street.wang.pk, "building": street.harbour.pk, "industry": ""},
        follow=True,
    )
    assert "2 enterprises assigned to Wang." in response.content.decode()
    assert set(Enterprise.objects.filter(butler=street.wang)) == {
        street.jade,
        street.harbour_co,
        street.orphan,
    }
    rows = AuditEntry.objects.filter(action="retention.portfolio.assign")
    assert rows.count() == 2
    moved = rows.get(object_id=str(street.harbour_co.pk))
    assert moved.before == {"butler_id": street.zhou.pk} and moved.after == {
        "butler_id": street.wang.pk
    }
    assert Notification.objects.filter(user=street.wang, title__contains="2 enterprises").exists()


def test_assign_by_industry_prefix(street):
    count = assign_portfolio(actor=street.access(street.admin), butler=street.zhou, industry="i")
    assert count == 2  # I6510 and I6420, not F5191
    assert set(Enterprise.objects.filter(butler=street.zhou)) == set(Enterprise.objects.all())


def test_assignment_is_checked(street):
    with pytest.raises(PermissionDenied):
        assign_portfolio(actor=street.access(street.wang), butler=street.wang, industry="I")
    with pytest.raises(ValidationError) as caught:
        assign_portfolio(actor=street.access(street.leader), butler=street.resident, industry="I")
    assert "butler" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        assign_portfolio(
            actor=street.access(street.leader),
            butler=street.wang,
            building=street.tower,
            industry="I",
        )
    assert "building" in caught.value.message_dict
    response = street.client(street.leader).post(
        reverse("retention:assign"), {"butler": street.wang.pk, "building": "", "industry": ""}
    )
    assert "Choose a building or an industry, not both." in response.content.decode()
    assert not AuditEntry.objects.filter(action="retention.portfolio.assign").exists()


def test_overdue_visits_per_butler(street):
    leader = street.access(street.leader)
    plan = save_visit_plan(
        actor=leader, name="Key enterprises quarterly", every_months=3, tag="key"
    )
    everyone = save_visit_plan(actor=leader, name="Everyone yearly", every_months=12)
    VisitPlan.objects.filter(pk__in=[plan.pk, everyone.pk]).update(
        created_at=clock.now() - dt.timedelta(days=400)
    )
    for enterprise, ago in ((street.jade, 120), (street.harbour_co, 30)):
        Visit.objects.create(
            subdistrict=street.subdistrict,
            enterprise=enterprise,
            butler=enterprise.butler,
            visited_on=days_ago(ago),
            people_met="CEO",
            topics="Check-in",
        )
    found = overdue_visits(leader)
    # Jade is key: quarterly, last seen 120 days ago. Harbour: yearly, seen a month ago.
    assert list(found) == [street.wang]
    (row,) = found[street.wang]
    assert row.enterprise == street.jade and row.plan == plan and row.last_visit == days_ago(120)
    assert row.days_late > 0
    # A butler sees their own list only; the page lists them for a leader.
    assert overdue_visits(street.access(street.zhou)) == {}
    page = street.client(street.leader).get(reverse("retention:overdue")).content.decode()
    assert "Jade Software Ltd" in page and "Harbour Trading Ltd" not in page


def test_plans_page_validates_and_ends_plans(street):
    client = street.client(street.leader)
    response = client.post(reverse("retention:plans"), {"name": "", "tag": "", "every_months": "0"})
    assert response.status_code == 200 and not VisitPlan.objects.exists()
    client.post(
        reverse("retention:plans"), {"name": "Quarterly", "tag": "key", "every_months": "3"}
    )
    plan = VisitPlan.objects.get()
    client.post(reverse("retention:plan_end", kwargs={"plan_pk": plan.pk}))
    plan.refresh_from_db()
    assert not plan.active
