"""The bookings list and "my bookings" at a sub-district's size: a page of rows in a few
queries whatever the number of bookings and enterprises, and no select of every enterprise."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from linli.core import clock
from linli.frontoffice.bookings.models import Booking, State
from tests.factories import EnterpriseFactory

MANY = 60  # more than a page (25), each for another enterprise
KEY = re.compile(r'<tr data-key="(\d+)"')
UPCOMING = re.compile(r'<li><a href="/bookings/(\d+)/">')
ENTERPRISE_OPTION = re.compile(r'<select id="f-enterprise".*?</select>', re.S)


@pytest.fixture
def busy(centre):
    """MANY bookings the window staff made for MANY enterprises, in the coming days."""
    room = centre.room(name="Room Busy")
    start = clock.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    for n in range(MANY):
        enterprise = EnterpriseFactory(
            subdistrict=centre.subdistrict, name=f"Crowd {n:03d} Ltd", building=centre.building
        )
        begin = start + dt.timedelta(hours=n)
        Booking.objects.create(
            subdistrict=centre.subdistrict,
            resource=room,
            booker=centre.staff,
            enterprise=enterprise,
            start=begin,
            end=begin + dt.timedelta(hours=1),
            blocked_start=begin,
            blocked_end=begin + dt.timedelta(hours=1),
            state=State.CONFIRMED,
        )
    return centre


def test_the_list_reads_a_page_in_a_few_queries_without_every_enterprise(
    busy, client_for, django_assert_max_num_queries
):
    client = client_for(busy.staff)
    client.get(reverse("bookings:list"))  # the session and the menu's first reads
    with django_assert_max_num_queries(12):
        page = client.get(reverse("bookings:list")).content.decode()
    assert len(KEY.findall(page)) == 25
    assert f"{MANY} bookings" in page and "Page 1 of 3" in page
    # Staff find an enterprise by its name in the search, not in a select of all of them.
    assert f"Crowd {MANY - 1:03d} Ltd" in page and 'id="f-enterprise"' not in page
    found = client.get(reverse("bookings:list"), {"q": "Crowd 042"}).content.decode()
    assert len(KEY.findall(found)) == 1 and "Crowd 042 Ltd" in found


def test_a_link_filtered_on_an_enterprise_shows_it_chosen(busy, client_for):
    wanted = Booking.objects.get(enterprise__name="Crowd 010 Ltd")
    page = (
        client_for(busy.staff)
        .get(reverse("bookings:list"), {"enterprise": wanted.enterprise_id})
        .content.decode()
    )
    assert KEY.findall(page) == [str(wanted.pk)]
    select = ENTERPRISE_OPTION.search(page)
    assert select is not None
    assert re.findall(r'<option value="(\d+)" selected>', select.group()) == [
        str(wanted.enterprise_id)
    ]
    assert len(re.findall(r"<option ", select.group())) == 2  # "All" and this one


def test_an_enterprise_member_picks_among_their_own_enterprises(busy, client_for):
    page = client_for(busy.member).get(reverse("bookings:list")).content.decode()
    select = ENTERPRISE_OPTION.search(page)
    assert select is not None and "Acme Ltd" in select.group()
    assert "Crowd" not in select.group()


def test_my_coming_bookings_come_a_page_at_a_time(busy, client_for, django_assert_max_num_queries):
    client = client_for(busy.staff)
    client.get(reverse("bookings:mine"))
    with django_assert_max_num_queries(10):
        first = client.get(reverse("bookings:mine")).content.decode()
    assert "Page 1 of 3" in first
    pages = [UPCOMING.findall(first)]
    for number in (2, 3):
        found = client.get(reverse("bookings:mine"), {"page": number}).content.decode()
        pages.append(UPCOMING.findall(found))
    assert [len(p) for p in pages] == [25, 25, MANY - 50]
    shown = [int(pk) for p in pages for pk in p]
    in_order = Booking.objects.filter(booker=busy.staff).order_by("start", "pk")
    assert shown == list(in_order.values_list("pk", flat=True))
