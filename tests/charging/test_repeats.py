"""Repeat addresses: charging reports grouped by the residential building they were made at,
most first; the categories are set up once, with a photo of the scene required."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django_scopes import scope

from linli.cases import intake
from linli.cases.models import Category, Channel
from linli.core import clock
from linli.core.access import Access
from linli.governance.charging import categories, repeats, services
from tests.lifecircle.helpers import lonlat

pytestmark = pytest.mark.django_db


def report(actor, category, x, y, text="飞线充电"):
    lon, lat = lonlat(x, y)
    return intake.submit_case(
        actor=actor,
        category=category,
        channel=Channel.GRID_PATROL,
        description=text,
        lon=lon,
        lat=lat,
        address="U Garden",
    )


def test_categories_are_set_up_once_with_a_required_photo(town):
    with scope(subdistrict=town.subdistrict):
        admin = Access.for_user(town.admin, town.subdistrict)
        made = services.set_up_categories(actor=admin)
        assert sorted(c.code for c in made) == ["EBIKE-INDOOR", "EBIKE-WIRE"]
        assert services.set_up_categories(actor=admin) == []
        wire = Category.objects.get(code="EBIKE-WIRE")
        assert list(wire.fields.values_list("key", "type", "required")) == [
            ("photo", "photo", True)
        ]
        with pytest.raises(PermissionDenied):
            services.set_up_categories(actor=Access.for_user(town.leader, town.subdistrict))


def test_repeat_addresses_by_building_most_first(town):
    with scope(subdistrict=town.subdistrict):
        # A sub-district's own category that mentions 飞线充电 counts too; another does not.
        own = Category.objects.create(
            subdistrict=town.subdistrict,
            code="INC-EBIKE",
            name="电动自行车违规充电",
            synonyms="飞线充电, 楼道充电",
            kind="incident",
        )
        other = Category.objects.create(
            subdistrict=town.subdistrict, code="INC-RUBBISH", name="垃圾", kind="incident"
        )
        worker = Access.for_user(town.worker, town.subdistrict)
        for _ in range(3):
            report(worker, own, 2, 195)  # at the "near" building, a few metres off
        for _ in range(2):
            report(worker, own, 200, 5)  # at "across"
        report(worker, own, 100, 250)  # once at "top": not a repeat
        report(worker, other, 2, 195, "垃圾")  # not a charging report
        found = repeats.repeat_addresses(town_admin(town), since=clock.today())
        assert set(categories.report_categories()) == {own}
    assert found.reports == 6 and found.threshold == 2
    assert [(a.label, a.count) for a in found.addresses] == [
        ("U Garden near号楼", 3),
        ("U Garden across号楼", 2),
    ]


def town_admin(town):
    return Access.for_user(town.admin, town.subdistrict)


def test_the_repeat_page_lists_them(town, client_for):
    with scope(subdistrict=town.subdistrict):
        own = Category.objects.create(
            subdistrict=town.subdistrict,
            code="INC-EBIKE",
            name="电动自行车违规充电",
            synonyms="飞线充电",
            kind="incident",
        )
        worker = Access.for_user(town.worker, town.subdistrict)
        for _ in range(2):
            report(worker, own, 200, 5)
    page = client_for(town.worker).get(reverse("charging:repeats"))
    text = page.content.decode()
    assert "U Garden across号楼" in text and "2 reports in the period" in text
    # The worker cannot set the categories up; the administrator is offered it.
    assert "Set up the categories" not in text
    assert (
        "Set up the categories"
        in client_for(town.admin).get(reverse("charging:repeats")).content.decode()
    )
