"""老伙伴计划 groups: the committee forms one from the registry (a volunteer elder and at most
the group size in force of older elders), changes and ends it; the volunteer elder's phone page
lists the group and logs the weekly calls, a concern opening a case in the same step."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from linli.cases.models import Case
from linli.core import services as core_services
from linli.core.access import Access
from linli.livelihood.caring import groups
from linli.livelihood.caring.models import CaringVisit, CompanionGroup
from linli.people import services as people
from tests.caring.helpers import TODAY
from tests.people.helpers import resident_id


@pytest.fixture
def elders(hood, users, access):
    """In the committee's quarter: a volunteer elder of 65 (the volunteer's own person record)
    and six older elders of 80 to 85."""
    system = Access.system(hood.subdistrict)
    dwelling = hood.dwellings[0]
    leader = people.register_person(
        system,
        name="Volunteer Wang",
        on=dt.date(2026, 3, 1),
        resident_id=resident_id(dt.date(1961, 2, 3), 31),
        dwelling=dwelling,
        user=users["volunteer"],
    )
    older = [
        people.register_person(
            system,
            name=f"Elder {i}",
            on=dt.date(2026, 3, 1),
            resident_id=resident_id(dt.date(1941 + i, 4, 5), 40 + i),
            dwelling=dwelling,
        )
        for i in range(6)
    ]
    return leader, older


def test_the_committee_forms_a_group_and_the_volunteer_calls_each_week(
    hood, users, elders, client_for
):
    leader, older = elders
    committee = client_for(users["committee"])
    page = committee.get(reverse("caring:companion_new"))
    assert page.status_code == 200
    assert "Volunteer Wang" in page.text and "Elder 5" in page.text
    # The other quarter is not the committee's: its residents are not offered.
    assert "Resident A1" not in page.text
    found = committee.get(reverse("caring:companion_new"), {"name": "Elder 3"})
    assert "Elder 3" in found.text and "Elder 2" not in found.text
    too_long = committee.get(reverse("caring:companion_new"), {"name": "x" * 51})
    assert too_long.status_code == 400
    # Six is more than the five a group holds: refused on the field, nothing formed.
    six = committee.post(
        reverse("caring:companion_new"),
        {"leader": leader.pk, "members": [p.pk for p in older]},
    )
    assert six.status_code == 400 and "at most 5 older elders" in six.text
    assert not CompanionGroup.objects.exists()
    outsider = committee.post(
        reverse("caring:companion_new"),
        {"leader": leader.pk, "members": [hood.persons[1].pk]},
    )
    assert outsider.status_code == 400
    formed = committee.post(
        reverse("caring:companion_new"),
        {"leader": leader.pk, "members": [p.pk for p in older[:5]]},
    )
    group = CompanionGroup.objects.get()
    assert formed.status_code == 302 and formed.url == reverse(
        "caring:companion_group", args=[group.pk]
    )
    assert group.memberships.count() == 5 and group.target_size == 5

    # The volunteer elder's phone page lists the five, each call due.
    volunteer = client_for(users["volunteer"])
    mine = volunteer.get(reverse("caring:companions"))
    assert mine.text.count("Call due") == 5
    member = group.memberships.get(person=older[0])
    log = reverse("caring:companion_log", args=[member.pk])
    # A concern needs a note, then opens a case for the committee in the same step.
    volunteer.post(log, {"outcome": "concern", "kind": "phone", "note": ""})
    assert not CaringVisit.objects.exists()
    volunteer.post(log, {"outcome": "concern", "kind": "phone", "note": "Sounds confused"})
    visit = CaringVisit.objects.get()
    assert visit.kind == "phone" and visit.case is not None
    assert Case.objects.get(pk=visit.case_id).description == "Sounds confused"
    after = volunteer.get(reverse("caring:companions"))
    assert after.text.count("Call due") == 4 and f"Case {visit.case.number}" in after.text
    # Not reached twice in a row raises an urgent alert.
    other = group.memberships.get(person=older[1])
    for _ in range(2):
        volunteer.post(
            reverse("caring:companion_log", args=[other.pk]),
            {"outcome": "not_reached", "kind": "phone", "note": ""},
        )
    assert CaringVisit.objects.filter(person=older[1], alert__isnull=False).count() == 1
    # The volunteer reads their group but does not change it.
    assert volunteer.get(reverse("caring:companion_group", args=[group.pk])).status_code == 200
    add = reverse("caring:companion_add", args=[group.pk])
    assert volunteer.post(add, {"members": [older[5].pk]}).status_code == 403

    # The group is full: the sixth is refused until someone leaves.
    full = committee.post(add, {"members": [older[5].pk]})
    assert full.status_code == 400 and "free places: 0" in full.text
    committee.post(reverse("caring:companion_remove", args=[member.pk]))
    assert committee.post(add, {"members": [older[5].pk]}).status_code == 302
    current = set(group.memberships.filter(left_on__isnull=True).values_list("person", flat=True))
    assert current == {p.pk for p in older[1:]}
    # Ended: the members are free again and the volunteer's list is empty.
    committee.post(reverse("caring:companion_end", args=[group.pk]))
    group.refresh_from_db()
    assert group.ended_on is not None
    free = groups.older_elders(
        Access.for_user(users["committee"], hood.subdistrict), group.ended_on
    )
    assert set(older) <= set(free)
    assert "Elder 1" not in volunteer.get(reverse("caring:companions")).text
    assert committee.post(add, {"members": [older[0].pk]}).status_code == 400


def test_a_volunteer_elder_leads_one_group_at_a_time(hood, access, elders):
    leader, older = elders
    groups.form_group(access["committee"], leader=leader, members=older[:2])
    with pytest.raises(ValidationError, match="already in a group"):
        groups.form_group(access["committee"], leader=leader, members=older[2:4])
    with pytest.raises(ValidationError, match="needs a volunteer account"):
        groups.form_group(access["committee"], leader=older[4], members=older[5:])


def test_the_group_size_in_force_bounds_a_group(hood, access, elders):
    leader, older = elders
    core_services.set_parameter(
        access["admin"],
        key="caring.companion_group_size",
        value="3",
        effective_from=TODAY,
        source="District notice",
    )
    with pytest.raises(ValidationError, match="at most 3 older elders"):
        groups.form_group(access["committee"], leader=leader, members=older[:4])
    group = groups.form_group(access["committee"], leader=leader, members=older[:3])
    assert group.target_size == 3 and group.size_version is not None
    with pytest.raises(ValidationError, match="free places: 0"):
        groups.add_members(access["committee"], group, older[3:4])
