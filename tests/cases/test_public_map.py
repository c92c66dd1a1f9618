"""The public map of reports and the reporting form that starts from the map: what anyone sees
without signing in (the category, a status, days and a rounded place; never who reported or
what they wrote), only this sub-district's reports, nothing when it is turned off; the pin in
words with the open reports around it; categories found by their other words and pinyin, and
never an enterprise's to a resident."""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled

from linli.cases import category_search, services
from linli.cases.models import Case, CaseSettings, Category, CategoryField
from linli.cases.places import Gazetteer
from linli.cases.public_map import settings_for
from linli.core.access import Access
from linli.core.models import AuditEntry
from tests.cases.conftest import png_bytes
from tests.factories import (
    BuildingFactory,
    EnterpriseFactory,
    MembershipFactory,
    QuarterFactory,
    UserFactory,
)

# A quarter west of the sub-district's centre, a tower east of it.
QUARTER_RING = [
    [121.450, 31.233],
    [121.455, 31.233],
    [121.455, 31.238],
    [121.450, 31.238],
    [121.450, 31.233],
]
PRIVATE_WORDS = ("Zhang Wei", "13912345678", "Room 302", "5 Lane 120")
PUBLIC_KEYS = {
    "number",
    "category",
    "category_name",
    "status",
    "status_label",
    "received_on",
    "received_on_display",
    "closed_on",
    "closed_on_display",
    "place",
    "lon",
    "lat",
    "distance_m",
}


@pytest.fixture
def area(office):
    """The office's e-bike category shown publicly, a sanitation category people call 楼道堆物,
    one quarter and one tower."""
    office.battery.public_display = True
    office.battery.save()
    sanitation = Category.objects.create(
        subdistrict=office.subdistrict,
        code="INC-SANI",
        name="环境卫生",
        name_en="Sanitation",
        kind=Category.Kind.INCIDENT,
        parent=office.incident,
        public_display=True,
        allows_anonymous=True,
        synonyms="楼道堆物, 乱堆物, 垃圾满溢",
    )
    CategoryField.objects.create(
        subdistrict=office.subdistrict,
        category=sanitation,
        key="photo",
        label="Photo on site",
        type=CategoryField.Type.PHOTO,
        required=True,
    )
    quarter = QuarterFactory(
        subdistrict=office.subdistrict,
        name="Plum Garden",
        address="88 Kangding Road",
        polygon={"type": "Polygon", "coordinates": [QUARTER_RING]},
    )
    tower = BuildingFactory(
        subdistrict=office.subdistrict, name="Jade Tower", lon=121.4650, lat=31.2400
    )
    return {"sanitation": sanitation, "quarter": quarter, "tower": tower}


def private_report(office, **values):
    """A resident's report full of personal data, in the public e-bike category."""
    fields = {
        "actor": office.access(office.resident),
        "category": office.battery,
        "channel": "web",
        "title": "Zhang Wei, Room 302",
        "description": "Zhang Wei in Room 302 charges batteries; call 13912345678",
        "address": "5 Lane 120, Room 302",
        "lon": 121.4521,
        "lat": 31.2347,
        "extra": {"floor": 3},
    }
    fields.update(values)
    return services.submit_case(**fields)


def reports_json(client: Client, code: str, **query) -> dict:
    response = client.get(reverse("cases:public_reports", kwargs={"code": code}), query)
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def test_anyone_sees_category_status_days_and_a_rounded_place_and_nothing_personal(
    office, area, now
):
    in_quarter = private_report(office)
    at_tower = private_report(office, lon=121.46503, lat=31.24004)
    elsewhere = private_report(office, lon=121.4612, lat=31.2318)
    anonymous = Client()
    code = office.subdistrict.code

    with translation.override("en"):
        data = reports_json(anonymous, code)
        page = anonymous.get(reverse("cases:public_map", kwargs={"code": code}))
    rows = {r["number"]: r for r in data["reports"]}
    assert set(rows) == {in_quarter.number, at_tower.number, elsewhere.number}
    assert all(set(r) == PUBLIC_KEYS for r in rows.values())
    body = data_text = json.dumps(data, ensure_ascii=False)
    html = page.content.decode()
    for word in PRIVATE_WORDS:
        assert word not in body and word not in html
    assert office.resident.username not in data_text and office.resident.username not in html

    # In a quarter: at the quarter's own point, named by it; at a tower: the tower's point.
    quarter_point = Gazetteer().public(121.4521, 31.2347)
    assert rows[in_quarter.number]["place"] == "Plum Garden"
    assert (rows[in_quarter.number]["lon"], rows[in_quarter.number]["lat"]) == (
        quarter_point.lon,
        quarter_point.lat,
    )
    assert (rows[at_tower.number]["lon"], rows[at_tower.number]["lat"]) == (121.465, 31.24)
    # Anywhere else: the centre of its block, never the point itself.
    far = rows[elsewhere.number]
    assert (far["lon"], far["lat"]) != (121.4612, 31.2318)
    assert abs(far["lat"] - 31.2318) <= 0.001 and abs(far["lon"] - 121.4612) <= 0.0012
    assert rows[in_quarter.number]["status_label"] == "Reported"
    assert rows[in_quarter.number]["received_on"] == "2026-09-29"

    assert page.status_code == 200
    assert f'id="report-{in_quarter.number}"' in html and "E-bike batteries" in html


def test_only_categories_shown_publicly_and_never_rejected_or_merged_reports(office, area, now):
    shown = private_report(office)
    hidden_category = private_report(office, category=office.enquiry, extra={})
    rejected = private_report(office)
    services.reject_case(rejected, actor=office.access(office.dispatcher), reason="out_of_scope")

    numbers = {r["number"] for r in reports_json(Client(), office.subdistrict.code)["reports"]}
    assert shown.number in numbers
    assert hidden_category.number not in numbers and rejected.number not in numbers


def test_another_sub_districts_reports_never_appear(office, area, now, other_subdistrict):
    ours = private_report(office)
    with scope(subdistrict=other_subdistrict):
        theirs_category = Category.objects.create(
            subdistrict=other_subdistrict,
            code="INC-EBIKE",
            name="Their e-bikes",
            kind=Category.Kind.INCIDENT,
            public_display=True,
            allows_anonymous=True,
        )
        theirs = services.submit_case(
            actor=Access.system(other_subdistrict),
            category=theirs_category,
            channel="hotline_12345",
            description="Over the river",
            lon=121.4521,
            lat=31.2347,
        )
    anonymous = Client()
    ours_listed = {r["number"] for r in reports_json(anonymous, office.subdistrict.code)["reports"]}
    theirs_listed = {
        r["number"] for r in reports_json(anonymous, other_subdistrict.code)["reports"]
    }
    # Both numbers may be the same (numbers count per sub-district): compare the categories.
    assert ours.number in ours_listed
    theirs_rows = reports_json(anonymous, other_subdistrict.code)["reports"]
    assert {r["category_name"] for r in theirs_rows} == {"Their e-bikes"}
    assert theirs.number in theirs_listed
    # Signed in here, a person asking for the other sub-district still sees only its reports.
    ours_rows = reports_json(
        _signed_in(office.resident), office.subdistrict.code, category="INC-EBIKE"
    )["reports"]
    assert {r["category_name"] for r in ours_rows} == {"E-bike batteries charged indoors"}
    assert Client().get("/cases/public/999999999/").status_code == 404


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_filters_by_category_and_status(office, area, now):
    battery = private_report(office)
    clutter = private_report(
        office,
        category=area["sanitation"],
        extra={},
        photos=[services.Photo(png_bytes(), field_key="photo")],
    )
    closed = private_report(office)
    Case.objects.filter(pk=closed.pk).update(state="closed", closed_at=now("2026-09-30 09:00"))
    code = office.subdistrict.code
    anonymous = Client()

    def numbers(**query):
        return {r["number"] for r in reports_json(anonymous, code, **query)["reports"]}

    assert numbers(category="INC-SANI") == {clutter.number}
    assert numbers(status="open") == {battery.number, clutter.number}
    assert numbers(status="closed") == {closed.number}
    assert numbers(category="INC", status="closed") == {closed.number}  # a parent: its subtree
    bad = anonymous.get(reverse("cases:public_reports", kwargs={"code": code}), {"status": "x"})
    assert bad.status_code == 400 and "status" in json.loads(bad.content)["errors"]


def test_open_reports_near_a_point_are_measured_from_their_rounded_place(office, area, now):
    near = private_report(office, lon=121.4523, lat=31.2349)
    far = private_report(office, lon=121.4680, lat=31.2430)
    closed = private_report(office, lon=121.4522, lat=31.2348)
    Case.objects.filter(pk=closed.pk).update(state="closed")
    quarter_point = Gazetteer().public(121.4523, 31.2349)

    found = reports_json(
        Client(), office.subdistrict.code, lon=quarter_point.lon + 0.0005, lat=quarter_point.lat
    )["reports"]
    assert [r["number"] for r in found] == [near.number]
    assert found[0]["distance_m"] == 50  # from the quarter's point, to 10 m
    assert far.number not in {r["number"] for r in found}


def test_turned_off_the_page_and_the_list_answer_404_and_the_form_skips_the_step(
    office, area, now, client_for
):
    private_report(office)
    settings = settings_for(office.subdistrict)
    settings.public_map = False
    settings.save()
    code = office.subdistrict.code
    anonymous = Client()
    assert anonymous.get(reverse("cases:public_map", kwargs={"code": code})).status_code == 404
    assert anonymous.get(reverse("cases:public_reports", kwargs={"code": code})).status_code == 404
    resident = client_for(office.resident)
    with translation.override("en"):
        step = resident.get(reverse("cases:nearby"), {"lon": "121.4521", "lat": "31.2347"})
    html = step.content.decode()
    assert "Plum Garden" in html  # the pin in words still
    assert "open report" not in html and "Is it one of these?" not in html
    assert CaseSettings.objects.count() == 1


def test_the_public_map_leads_to_the_subdistrict_a_person_works_in(office, area):
    response = _signed_in(office.resident).get(reverse("cases:public_map_home"))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "cases:public_map", kwargs={"code": office.subdistrict.code}
    )


# --- the reporting form -----------------------------------------------------------------


def test_the_pin_in_words_and_the_open_reports_around_it(office, area, now, client_for):
    known = private_report(office)
    resident = client_for(office.resident)
    with translation.override("en"):
        in_quarter = resident.get(reverse("cases:nearby"), {"lon": "121.4522", "lat": "31.2346"})
        at_tower = resident.get(reverse("cases:nearby"), {"lon": "121.4651", "lat": "31.2401"})
        nowhere = resident.get(reverse("cases:nearby"), {"lon": "nan", "lat": "31.2"})
    html = in_quarter.content.decode()
    assert "In Plum Garden (88 Kangding Road)" in html
    assert "Is it one of these?" in html and f"#report-{known.number}" in html
    assert "121.452" not in html and "31.234" not in html  # never raw coordinates
    assert "At Jade Tower" in at_tower.content.decode()
    assert nowhere.status_code == 200 and "Your pin" not in nowhere.content.decode()


def test_the_case_page_says_where_in_words_and_leaves_the_point_to_the_map(
    office, area, now, client_for
):
    """A case with a pin and no address reads "In Plum Garden…" on its page, for the staff who
    work on it and for its reporter; never its coordinates."""
    case = private_report(office, address="", title="Bikes charged in the stairwell")
    url = reverse("cases:detail", kwargs={"number": case.number})
    for user in (office.dispatcher, office.resident):
        with translation.override("en"):
            html = client_for(user).get(url).content.decode()
        assert "In Plum Garden (88 Kangding Road)" in html, user
        assert not re.search(r"\(31\.23\d*, 121\.45\d*\)", html), user  # as it read before


def test_categories_are_found_by_their_other_words_and_pinyin(office, area):
    offered = [office.battery, area["sanitation"], office.enquiry]
    assert [h.category for h in category_search.find(offered, "楼道堆物")] == [area["sanitation"]]
    assert category_search.find(offered, "楼道堆物")[0].matched == "楼道堆物"
    assert [h.category for h in category_search.find(offered, "lddw")] == [area["sanitation"]]
    assert [h.category for h in category_search.find(offered, "duiwu")] == [area["sanitation"]]
    assert [h.category for h in category_search.find(offered, "e-bike")] == [office.battery]
    assert category_search.find(offered, "x") == []  # a lone letter matches nothing


def test_the_form_finds_categories_and_offers_residents_no_enterprise_appeals(
    office, area, client_for
):
    resident = client_for(office.resident)
    url = reverse("cases:category_search")
    hits = resident.get(url, {"q": "楼道堆物", "variant": "web"}).content.decode()
    assert 'data-code="INC-SANI"' in hits
    assert 'data-code="APP-LIC"' not in resident.get(url, {"q": "licence"}).content.decode()
    form = resident.get(reverse("cases:report")).content.decode()
    assert 'value="APP-LIC"' not in form and 'value="INC-EBIKE"' in form
    refused = resident.post(
        reverse("cases:report"), {"category": "APP-LIC", "description": "Help with a licence"}
    )
    assert refused.status_code == 200 and not Case.objects.exists()

    # An enterprise's own people still have their appeals on the same form.
    enterprise_user = UserFactory()
    company = EnterpriseFactory(subdistrict=office.subdistrict)
    with scopes_disabled():
        MembershipFactory(
            user=enterprise_user,
            subdistrict=office.subdistrict,
            role="enterprise_member",
            enterprise=company,
        )
    theirs = client_for(enterprise_user).get(reverse("cases:report")).content.decode()
    assert 'value="APP-LIC"' in theirs


def test_one_photo_field_answers_the_categorys_photo_question(office, area, client_for, now):
    resident = client_for(office.resident)
    data = {
        "category": "INC-SANI",
        "description": "Boxes piled on the landing",
        "lon": "121.4521",
        "lat": "31.2347",
    }
    with translation.override("en"):
        form = resident.get(reverse("cases:report") + "?category=INC-SANI").content.decode()
        missing = resident.post(reverse("cases:report"), data)
    assert form.count('type="file"') == 1
    html = missing.content.decode()
    assert missing.status_code == 200 and not Case.objects.exists()
    assert 'id="id_photos_error"' in html and "Please add a photo" in html
    assert "Boxes piled on the landing" in html  # what was typed stays
    assert "In Plum Garden" in html  # and the pin, in words

    photos = [
        SimpleUploadedFile(f"{c}.png", png_bytes(c).read(), content_type="image/png")
        for c in ("red", "blue")
    ]
    sent = resident.post(reverse("cases:report"), {**data, "photos": photos})
    assert sent.status_code == 302
    case = Case.objects.get()
    assert sorted(case.attachments.values_list("field_key", flat=True)) == ["photo", "photo"]


def test_the_sub_district_administrator_turns_the_map_off_in_the_admin(
    office, area, make_user, client_for
):
    admin = make_user("subdistrict_admin", office.subdistrict)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = client_for(admin)
    row = settings_for(office.subdistrict)
    assert client.get(reverse("admin:cases_casesettings_add")).status_code == 403  # one row
    change = reverse("admin:cases_casesettings_change", args=[row.pk])
    assert client.post(change, {}).status_code == 302  # the box unticked
    row.refresh_from_db()
    assert row.public_map is False
    code = office.subdistrict.code
    assert Client().get(reverse("cases:public_map", kwargs={"code": code})).status_code == 404
    assert AuditEntry.objects.filter(action="core.admin.update").exists()


def test_without_javascript_the_plain_form_takes_a_report_by_address(office, area, client_for):
    resident = client_for(office.resident)
    form = resident.get(reverse("cases:report")).content.decode()
    assert 'id="category-search-field" hidden' in form  # the search box needs JavaScript
    sent = resident.post(
        reverse("cases:report"),
        {
            "category": "INC-EBIKE",
            "extra_floor": "2",
            "description": "Batteries on the landing",
            "address": "Plum Garden, building 3",
        },
    )
    assert sent.status_code == 302
    case = Case.objects.get()
    assert case.address == "Plum Garden, building 3" and case.lon is None


def test_reports_at_one_rounded_place_are_one_dot_on_the_map(office, area, now):
    """A quarter's reports all stand at its point: the page draws one dot for them, saying how
    many, and leads to the newest; the list still shows each."""
    first = private_report(office)
    second = private_report(office, lon=121.4523, lat=31.2349)
    apart = private_report(office, lon=121.46503, lat=31.24004)

    with translation.override("en"):
        page = Client().get(reverse("cases:public_map", kwargs={"code": office.subdistrict.code}))
    dots = page.context["features"]["features"]
    html = page.content.decode()

    assert len(dots) == 2
    names = sorted(d["properties"]["name"] for d in dots)
    assert names == ["Jade Tower · 1 report", "Plum Garden · 2 reports"]
    in_quarter = next(d for d in dots if d["properties"]["name"].startswith("Plum"))
    assert in_quarter["properties"]["url"] == f"#report-{second.number}"
    for case in (first, second, apart):
        assert f'id="report-{case.number}"' in html
