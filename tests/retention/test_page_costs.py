"""The leaders' lists over the whole sub-district (watch list, overdue visits) cost the same few
queries whatever the number of enterprises, and show one page of rows at a time."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.urls import reverse

from linli.core import clock
from linli.enterprise.retention.models import Visit, VisitPlan
from linli.enterprise.retention.services import save_visit_plan
from tests.factories import EnterpriseFactory
from tests.retention.conftest import days_ago

MANY = 70  # more than a page (50)
ROW = re.compile(r'<tr data-key="(\d+)"')
OVERDUE_ROW = re.compile(r'<tr><td><a href="/')


@pytest.fixture
def crowded(street):
    """MANY more enterprises, half each butler's, every lease ending soon and every one visited
    long ago under a quarterly plan: all on the watch list, all overdue."""
    today = clock.today()
    for n in range(MANY):
        enterprise = EnterpriseFactory(
            subdistrict=street.subdistrict,
            name=f"Crowd {n:03d} Ltd",
            building=street.tower,
            butler=street.wang if n % 2 else street.zhou,
            lease_end=today + dt.timedelta(days=30 + n),
        )
        Visit.objects.create(
            subdistrict=street.subdistrict,
            enterprise=enterprise,
            butler=enterprise.butler,
            visited_on=days_ago(200 + n),
            people_met="CEO",
            topics="Check-in",
        )
    plan = save_visit_plan(
        actor=street.access(street.leader), name="Everyone quarterly", every_months=3
    )
    VisitPlan.objects.filter(pk=plan.pk).update(created_at=clock.now() - dt.timedelta(days=400))
    return street


def test_the_watch_list_reads_a_page_in_a_few_queries_and_agrees_with_the_api(
    crowded, django_assert_max_num_queries
):
    client = crowded.client(crowded.leader)
    client.get(reverse("retention:watchlist"))  # the session and the menu's first reads
    with django_assert_max_num_queries(16):
        first = client.get(reverse("retention:watchlist")).content.decode()
    second = client.get(reverse("retention:watchlist") + "?page=2").content.decode()
    shown = ROW.findall(first) + ROW.findall(second)
    assert len(ROW.findall(first)) == 50
    with django_assert_max_num_queries(16):
        api = json.loads(client.get(reverse("api:retention_watchlist") + "?limit=1000").content)
    assert [str(r["enterprise_id"]) for r in api] == shown
    assert len(shown) >= MANY


def test_overdue_visits_come_a_page_at_a_time_with_a_count_per_butler(
    crowded, django_assert_max_num_queries
):
    client = crowded.client(crowded.leader)
    client.get(reverse("retention:overdue"))
    with django_assert_max_num_queries(10):
        page = client.get(reverse("retention:overdue")).content.decode()
    # Jade and Harbour (never visited, one each) are overdue too.
    assert len(OVERDUE_ROW.findall(page)) == 50
    assert f"{MANY + 2} visits overdue" in page
    assert page.count(f"{MANY // 2 + 1} visits overdue") == 2  # each butler's count
    assert "Page 1 of 2" in page

    only_zhou = client.get(
        reverse("retention:overdue"), {"butler": crowded.zhou.pk}
    ).content.decode()
    names = set(re.findall(r"Crowd (\d{3}) Ltd", only_zhou))
    assert names and all(int(n) % 2 == 0 for n in names)
    assert "Page 1 of 1" not in only_zhou and "Page 2" not in only_zhou

    last = client.get(reverse("retention:overdue"), {"page": 2}).content.decode()
    assert len(OVERDUE_ROW.findall(last)) == MANY + 2 - 50
