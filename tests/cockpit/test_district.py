"""The district roll-up: the district's people see every sub-district's figures side by side
and ranked, go further only where they are members, and find another sub-district's cases as
absent as ever."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from linli.cases.models import Case
from linli.cockpit.district import ranks
from linli.cockpit.indicators import Period
from linli.core import clock
from linli.core.models import District, DistrictMembership
from linli.core.roles import Role
from tests.cockpit.conftest import make_case
from tests.factories import BuildingFactory, SubdistrictFactory, UserFactory


def test_ranks_put_the_best_first_share_ties_and_leave_no_figure_out():
    assert ranks([3, 7, None, 7], lower_is_better=False) == [3, 1, None, 1]
    assert ranks([3, 7, None, 7], lower_is_better=True) == [1, 2, None, 2]


@pytest.fixture
def jingan(db, subdistrict, other_subdistrict):
    """A district of three sub-districts: this month, the first received one case, the other
    three, the third none."""
    third = SubdistrictFactory(code="310106015", name="Third Street")
    district = District.objects.create(code="310106", name="Jing'an")
    with scopes_disabled():
        for sd, cases in ((subdistrict, 1), (other_subdistrict, 3), (third, 0)):
            sd.district = district
            sd.save(update_fields=["district"])
            building = BuildingFactory(subdistrict=sd)
            for n in range(cases):
                make_case(building, f"{sd.code}-{n}")
    return district


@pytest.fixture
def district_user(jingan, subdistrict, make_user):
    """A leader of the first sub-district who is also of the district's office."""
    user = make_user(Role.LEADER, subdistrict)
    DistrictMembership.objects.create(user=user, district=jingan)
    return user


def test_the_district_sees_every_sub_district_ranked(district_user, client_for):
    page = client_for(district_user).get(reverse("cockpit:district"))
    assert page.status_code == 200
    (intake,) = [r for r in page.context["rows"] if r.indicator.key == "cases.intake"]
    assert [(c.subdistrict.name, c.value, c.rank) for c in intake.cells] == [
        ("Demo Street", 1, 2),
        ("Other Street", 3, 1),
        ("Third Street", 0, 3),
    ]
    (overdue,) = [r for r in page.context["rows"] if r.indicator.key == "cases.overdue"]
    assert overdue.indicator.lower_is_better


def test_only_a_member_sub_district_opens_and_another_ones_cases_stay_404(
    district_user, subdistrict, other_subdistrict, client_for
):
    client = client_for(district_user)
    page = client.get(reverse("cockpit:district"), {"month": str(Period.of(clock.today()))})
    assert page.context["openable"] == {subdistrict.pk}
    text = page.content.decode()
    assert f'name="subdistrict" value="{subdistrict.pk}"' in text
    assert f'name="subdistrict" value="{other_subdistrict.pk}"' not in text
    # Other Street's three cases are counted above, yet none of them opens for this reader,
    # and the reader cannot switch into Other Street to list them.
    with scopes_disabled():
        theirs = Case.objects.filter(subdistrict=other_subdistrict).first()
    assert client.get(reverse("cases:detail", args=[theirs.number])).status_code == 404
    switch = client.post(
        reverse("switch_subdistrict"),
        {"subdistrict": other_subdistrict.pk, "next": reverse("cases:workbench")},
    )
    assert switch.status_code == 404
    listing = client.get(reverse("cases:workbench"))
    assert theirs.number not in listing.content.decode()


def test_a_district_user_without_any_sub_district_still_sees_the_aggregates(jingan, client_for):
    outsider = UserFactory()
    DistrictMembership.objects.create(user=outsider, district=jingan)
    client = client_for(outsider)
    page = client.get(reverse("cockpit:district"))
    assert page.status_code == 200 and page.context["openable"] == set()
    assert client.get(reverse("cases:workbench")).status_code == 404


def test_a_person_of_no_district_finds_nothing(jingan, subdistrict, make_user, client_for):
    leader = make_user(Role.LEADER, subdistrict)
    client = client_for(leader)
    assert client.get(reverse("cockpit:district")).status_code == 404
    assert client.get(reverse("cockpit:district"), {"district": "310106"}).status_code == 404
