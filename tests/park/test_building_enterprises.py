"""The building's enterprises with their open requests and open cases: right counts, and a
fixed number of queries however many enterprises the building has."""

from __future__ import annotations

import re

from django.urls import reverse
from django_scopes import scope

from linli.cases.models import Case, State
from linli.enterprise.park.models import BuildingRequest
from tests.factories import EnterpriseFactory

MANY = 40


def _case(park, enterprise, number: str, state: str) -> Case:
    return Case.objects.create(
        subdistrict=enterprise.subdistrict,
        number=number,
        category=park.category,
        channel="web",
        title=f"Case {number}",
        description="Something to fix",
        building=park.jade,
        enterprise=enterprise,
        state=state,
    )


def test_counts_per_enterprise_in_a_fixed_number_of_queries(
    client_for, park, subdistrict, django_assert_max_num_queries
):
    with scope(subdistrict=subdistrict):
        for n in range(MANY):
            EnterpriseFactory(subdistrict=subdistrict, building=park.jade, name=f"Crowd {n:02d}")
        # Alpha: two open cases, a closed one, an open and a declined request.
        _case(park, park.alpha, "C1", State.DISPATCHED)
        _case(park, park.alpha, "C2", State.RECEIVED)
        _case(park, park.alpha, "C3", State.CLOSED)
        for status in (BuildingRequest.Status.OPEN, BuildingRequest.Status.DECLINED):
            BuildingRequest.objects.create(
                subdistrict=subdistrict,
                building=park.jade,
                enterprise=park.alpha,
                title="Parking card",
                description="Two more cards",
                status=status,
            )
    client = client_for(park.manager)
    url = reverse("park:enterprises", kwargs={"pk": park.jade.pk})
    client.get(url)
    with django_assert_max_num_queries(8):
        page = client.get(url).content.decode()
    items = re.findall(
        r"<strong>([^<]+)</strong>.*?Open requests: (\d+) · open cases: (\d+)", page, re.S
    )
    counts = {name: (int(r), int(c)) for name, r, c in items}
    assert counts["Alpha Ltd"] == (1, 2)
    assert counts["Beta Ltd"] == (0, 0)
    assert len([n for n in counts if n.startswith("Crowd")]) == MANY
