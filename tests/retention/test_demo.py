"""The demo's butler visits: plans, a year of visits, demands filed as cases, and a watch list
whose top 20 are plausible (warning signs with reasons, the biggest taxpayers among them)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_scopes import scope, scopes_disabled

from linli.cases.models import Case, Channel
from linli.core.access import Access
from linli.core.models import Subdistrict
from linli.demo import load as demo_load
from linli.demo.load import load_demo
from linli.enterprise.retention.models import Visit, VisitDemand, VisitPlan
from linli.enterprise.retention.queries import overdue_visits
from linli.enterprise.retention.watchlist import watchlist
from linli.registry.demo.homes import FIRST_CODE

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def first(django_db_setup, django_db_blocker):
    """The demo up to this app's step (the later steps are other apps' and add nothing here),
    loaded once and rolled back after the module."""
    patch = pytest.MonkeyPatch()
    names = [step.name for step in demo_load.STEPS]
    patch.setattr(demo_load, "STEPS", demo_load.STEPS[: names.index("butler visits") + 1])
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        with scopes_disabled():
            yield Subdistrict.objects.get(code=FIRST_CODE)
        transaction.set_rollback(True)
    patch.undo()


def test_demo_visits_and_watch_list(first):
    with scope(subdistrict=first):
        assert VisitPlan.objects.filter(active=True).count() == 2
        assert Visit.objects.count() > 500
        moving = [
            v
            for v in Visit.objects.all()
            if any(w in v.notes for w in ("到期不续", "外迁", "搬迁", "注销", "缩减", "迁出"))
        ]
        assert len(moving) >= 20
        demands = VisitDemand.objects.select_related("case__category")
        assert demands.count() >= 20
        assert all(d.case.channel == Channel.BUTLER_VISIT for d in demands)
        assert all(d.case.category.kind == "enterprise_appeal" for d in demands)

        access = Access.system(first)
        top = watchlist(access)[:20]
        assert len(top) == 20
        assert all(a.explained and a.tax for a in top)
        assert sum("moving_words" in a.score.keys for a in top) >= 3
        assert overdue_visits(access)


def test_loading_twice_adds_nothing(first):
    with scope(subdistrict=first):
        before = (Visit.objects.count(), VisitPlan.objects.count(), Case.objects.count())
    load_demo()
    with scope(subdistrict=first):
        after = (Visit.objects.count(), VisitPlan.objects.count(), Case.objects.count())
    assert after == before
