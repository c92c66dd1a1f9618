"""What a booker sees of a resource and how staff pick the booker: capacity, equipment and a
photo; the grid filtered by kind and seats; the usual duration prefilled from the grid; the
staff's enterprise search (by name and credit code, within the sub-district), which keeps the
staff booking form small."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scopes_disabled
from PIL import Image

from linli.frontoffice.bookings.models import Booking, Resource
from tests.bookings.test_pages import a_later_day, form_for
from tests.factories import EnterpriseFactory


@pytest.fixture
def staff(centre, client_for):
    return client_for(centre.staff)


def test_grid_filters_by_kind_and_seats_and_shows_capacity_and_equipment(centre, client_for):
    centre.open_room(name="Big hall", capacity=40, equipment=["Projector", "Sound system"])
    centre.open_room(name="Small room", capacity=4)
    centre.open_room(name="Desk 1", kind="desk", capacity=1)
    member = client_for(centre.member)

    html = member.get(reverse("bookings:grid")).content.decode()
    assert "40 seats" in html and "Projector, Sound system" in html

    # As the filter form sends it: a select left at "all" is empty.
    rooms = member.get(
        reverse("bookings:grid"), {"place": "", "kind": "meeting_room", "min_capacity": 10}
    )
    names = [row.resource.name for row in rooms.context["grid"].rows]
    assert names == ["Big hall"]
    desks = member.get(reverse("bookings:grid"), {"kind": "desk"})
    assert [row.resource.name for row in desks.context["grid"].rows] == ["Desk 1"]
    # The days move with the filters kept.
    assert "kind=desk" in desks.content.decode().split('id="grid-next"')[1].split(">")[0]

    bad = member.get(reverse("bookings:grid"), {"min_capacity": "0", "kind": "castle"})
    assert bad.status_code == 200
    errors = bad.content.decode().split('id="filter-errors"')[1].split("</div>")[0]
    assert "Seats at least" in errors and "Kind" in errors


def test_resources_api_filters_by_the_same_definition(centre, client_for):
    centre.open_room(name="Big hall", capacity=40, equipment=["Projector"])
    centre.open_room(name="Small room", capacity=4)
    member = client_for(centre.member)
    found = member.get("/api/v1/bookings/resources", {"min_capacity": 10}).json()
    assert [(r["name"], r["equipment"], r["has_photo"]) for r in found] == [
        ("Big hall", ["Projector"], False)
    ]
    assert member.get("/api/v1/bookings/resources", {"kind": "castle"}).status_code == 422


def test_the_usual_duration_is_prefilled_when_a_slot_is_picked(centre, client_for):
    room = centre.open_room(default_duration_minutes=90)
    desk = centre.open_room(kind="desk", default_duration_minutes=240, max_duration_minutes=120)
    member = client_for(centre.member)
    day = a_later_day().date().isoformat()
    page = member.get(
        reverse("bookings:book", kwargs={"pk": room.pk}), {"date": day, "time": "10:30"}
    )
    html = page.content.decode()
    assert f'value="{day}"' in html  # an ISO date, whatever the language
    assert 'name="start_time" value="10:30"' in html
    assert 'name="end_time" value="12:00"' in html
    # Never longer than the resource allows.
    page = member.get(
        reverse("bookings:book", kwargs={"pk": desk.pk}), {"date": day, "time": "09:00"}
    )
    assert 'name="end_time" value="11:00"' in page.content.decode()
    # Late in the evening the end would fall on the next day: the person says it.
    page = member.get(
        reverse("bookings:book", kwargs={"pk": room.pk}), {"date": day, "time": "23:30"}
    )
    assert 'name="end_time" value' not in page.content.decode()


def test_date_fields_stay_iso_in_chinese(centre, client_for):
    room = centre.open_room()
    member = client_for(centre.member)
    day = a_later_day().date().isoformat()
    page = member.get(
        reverse("bookings:book", kwargs={"pk": room.pk}),
        {"date": day, "time": "10:00"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert page.headers["Content-Language"] == "zh-hans"
    assert f'type="date" name="date" value="{day}"' in page.content.decode()


def test_staff_find_the_booker_by_name_or_credit_code_within_their_subdistrict(
    centre, staff, client_for, other_subdistrict
):
    with scopes_disabled():
        stranger = EnterpriseFactory(subdistrict=other_subdistrict, name="Acme Far Away")
    search = reverse("bookings:enterprise_search")
    by_name = staff.get(search, {"enterprise_q": "acme"}).content.decode()
    assert "Acme Ltd" in by_name and "Beta Ltd" not in by_name
    assert "Acme Far Away" not in by_name  # another sub-district's
    by_code = staff.get(search, {"enterprise_q": centre.beta.credit_code.lower()}).content.decode()
    assert "Beta Ltd" in by_code and "Acme Ltd" not in by_code
    nothing = staff.get(search, {"enterprise_q": stranger.credit_code}).content.decode()
    assert "No enterprise of this sub-district matches." in nothing
    # Only booking staff search the whole registry.
    assert client_for(centre.member).get(search, {"enterprise_q": "acme"}).status_code == 403


def test_staff_book_for_the_enterprise_they_found(centre, staff):
    room = centre.open_room()
    url = reverse("bookings:book", kwargs={"pk": room.pk})
    # Without script: "Find" shows the matches, books nothing and reports no error yet.
    found = staff.post(url, {**form_for(a_later_day(10)), "enterprise_q": "beta", "find": "1"})
    html = found.content.decode()
    assert f'value="{centre.beta.pk}"' in html and "Beta Ltd" in html
    assert 'class="error"' not in html
    assert not Booking.objects.exists()
    booked = staff.post(url, {**form_for(a_later_day(10)), "enterprise": centre.beta.pk})
    assert booked.status_code == 302
    assert Booking.objects.get().enterprise == centre.beta


def test_the_form_refuses_an_enterprise_of_another_subdistrict(centre, staff, other_subdistrict):
    with scopes_disabled():
        stranger = EnterpriseFactory(subdistrict=other_subdistrict, name="Far Away Ltd")
    room = centre.open_room()
    response = staff.post(
        reverse("bookings:book", kwargs={"pk": room.pk}),
        {**form_for(a_later_day(10)), "enterprise": stranger.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["enterprise"] == [
        "Choose an enterprise of this sub-district from the search."
    ]
    assert "Far Away Ltd" not in response.content.decode()
    assert not Booking.objects.exists()


def test_the_staff_form_is_small_with_thousands_of_enterprises(
    centre, staff, django_assert_max_num_queries
):
    with scopes_disabled():
        EnterpriseFactory.create_batch(600, subdistrict=centre.subdistrict, building=None)
    room = centre.open_room()
    with django_assert_max_num_queries(12):
        page = staff.get(reverse("bookings:book", kwargs={"pk": room.pk}))
    assert page.status_code == 200
    assert len(page.content) < 40_000
    form = page.content.decode().split('id="booking-form"')[1].split("</form>")[0]
    assert form.count("<option") == 3  # "repeat": never, daily, weekly


def _png(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, format="PNG")
    return out.getvalue()


def _resource_form(centre, **extra) -> dict:
    return {
        "code": "HALL",
        "name": "Hall",
        "kind": "meeting_room",
        "place": centre.centre.pk,
        "capacity": 30,
        "equipment": "Projector\n\nWhiteboard \n",
        "is_active": "on",
        "opening_hours": '{"0": [["09:00", "17:00"]]}',
        "slot_minutes": 30,
        "min_notice_minutes": 60,
        "window_days": 30,
        "max_duration_minutes": 240,
        "default_duration_minutes": 60,
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 0,
        "cancel_cutoff_minutes": 120,
        "checkin_opens_minutes": 15,
        "release_after_minutes": 15,
        **extra,
    }


def test_admin_uploads_a_photo_checked_by_its_content(centre, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    admin = client_for(centre.admin)
    fake = SimpleUploadedFile("room.png", b"MZ not an image", content_type="image/png")
    refused = admin.post(
        reverse("bookings:resource_create"), _resource_form(centre, new_photo=fake)
    )
    assert "not a photo we can read" in refused.context["form"].errors["new_photo"][0]
    assert not Resource.objects.exists()
    too_long = admin.post(
        reverse("bookings:resource_create"), _resource_form(centre, default_duration_minutes=300)
    )
    assert "default_duration_minutes" in too_long.context["form"].errors

    photo = SimpleUploadedFile("room.jpg", _png(), content_type="image/jpeg")
    saved = admin.post(reverse("bookings:resource_create"), _resource_form(centre, new_photo=photo))
    assert saved.status_code == 302
    hall = Resource.objects.get(code="HALL")
    assert hall.equipment == ["Projector", "Whiteboard"]
    assert hall.photo_type == "image/png"  # the type found in the file, not the one claimed
    page = client_for(centre.member).get(reverse("bookings:resource", kwargs={"pk": hall.pk}))
    html = page.content.decode()
    assert reverse("bookings:resource_photo", kwargs={"pk": hall.pk}) in html
    assert "Projector, Whiteboard" in html
    grid = client_for(centre.member).get(reverse("bookings:grid")).content.decode()
    assert reverse("bookings:resource_photo", kwargs={"pk": hall.pk}) in grid
    image = client_for(centre.member).get(
        reverse("bookings:resource_photo", kwargs={"pk": hall.pk})
    )
    assert image["Content-Type"] == "image/png"
    assert "sandbox" in image["Content-Security-Policy"]
    assert b"".join(image.streaming_content) == hall.photo.open("rb").read()
