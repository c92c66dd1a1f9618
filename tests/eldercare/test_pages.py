"""The pages as each role meets them: the caregiver's day on a phone, what a caregiver never
sees, the elder's file for care staff, the exports."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
from django.urls import reverse

from linli.core import clock
from linli.core.roles import Role
from linli.livelihood.eldercare import services
from linli.livelihood.eldercare.models import CareOrder, CareVisit, ElderFile

ASSESSOR = "Jing'an assessment agency"


def scheduled(care) -> CareOrder:
    staff = care.access["committee"]
    file = services.open_file(staff, care.elder, living=ElderFile.Living.ALONE)
    services.add_contact(
        staff, file, name="Wang Daughter", relation="daughter", phone="13512345678"
    )
    services.record_assessment(
        staff,
        care.elder,
        grade="4",
        assessed_on=dt.date(2026, 3, 1),
        assessor=ASSESSOR,
        cognitive_impairment=True,
        legal_basis="LTC application",
    )
    order = services.request_order(
        staff, care.elder, kind=CareOrder.Kind.HOME_CARE, provider=care.provider
    )
    services.approve_order(staff, order)
    return services.schedule_order(staff, order)


def test_the_caregiver_sees_the_day_and_checks_in_with_a_position(care, now, client_for) -> None:
    order = scheduled(care)
    now("2026-03-02 08:30")
    client = client_for(care.access["caregiver"].user)
    page = client.get(reverse("eldercare:today")).content.decode()
    assert care.elder.name in page and "09:00" in page
    visit = order.visits.get(starts_at__date=dt.date(2026, 3, 2))
    response = client.post(
        reverse("eldercare:visit", args=[visit.pk, "check-in"]), {"lat": "31.2", "lon": "121.4"}
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == CareVisit.Status.CHECKED_IN
    assert (visit.check_in_lat, visit.check_in_lon) == (31.2, 121.4)
    # Without a position (refused or unavailable) the check-out still counts.
    client.post(reverse("eldercare:visit", args=[visit.pk, "check-out"]))
    visit.refresh_from_db()
    assert visit.status == CareVisit.Status.DONE and visit.check_out_lat is None
    # A second check-out is refused with a message, not a 500.
    again = client.post(reverse("eldercare:visit", args=[visit.pk, "check-out"]))
    assert again.status_code == 400


def test_a_caregiver_sees_the_grade_and_nothing_else_of_health(care, now, client_for) -> None:
    order = scheduled(care)
    client = client_for(care.access["caregiver"].user)
    for url in (reverse("eldercare:today"), reverse("eldercare:order", args=[order.pk])):
        text = client.get(url).content.decode()
        for private in (ASSESSOR, "Wang Daughter", "Cognitive", "cognitive", "5678"):
            assert private not in text, (url, private)
    order_page = client.get(reverse("eldercare:order", args=[order.pk])).content.decode()
    assert "Grade 4" in order_page and care.elder.name in order_page
    assert client.get(reverse("eldercare:elder", args=[care.elder.pk])).status_code == 404
    other = client_for(care.access["other_caregiver"].user)
    assert other.get(reverse("eldercare:order", args=[order.pk])).status_code == 404
    assert care.elder.name not in other.get(reverse("eldercare:today")).content.decode()


def test_committee_staff_work_on_the_file(care, now, client_for) -> None:
    client = client_for(care.access["committee"].user)
    url = reverse("eldercare:elder", args=[care.elder.pk])
    assert client.post(url, {"action": "open", "living": "spouse"}).status_code == 302
    bad = client.post(url, {"action": "contact", "name": "Li", "relation": "son", "phone": "123"})
    assert bad.status_code == 400 and "error" in bad.content.decode()
    client.post(url, {"action": "contact", "name": "Li", "relation": "son", "phone": "13698765432"})
    page = client.get(url).content.decode()
    assert "136****5432" in page and "13698765432" not in page
    # The other quarter has no committee of theirs: its elders do not exist for them.
    assert client.get(reverse("eldercare:elder", args=[care.elsewhere.pk])).status_code == 404
    grid = client_for(care.access["grid"].user)
    assert grid.get(url).status_code == 404


def sheet_text(content: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return " ".join(
        str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row
    )


def test_hours_and_statistics_export_to_excel(care, now, client_for) -> None:
    scheduled(care)
    now("2026-03-31 20:00")
    client = client_for(care.access["admin"].user)
    hours = client.get(reverse("eldercare:hours"), {"month": "2026-03", "export": "xlsx"})
    text = sheet_text(hours.content)
    assert care.elder.name in text and "22" in text
    stats = client.get(reverse("eldercare:statistics"), {"month": "2026-03", "export": "xlsx"})
    assert "Home care" in sheet_text(stats.content)
    assert clock.today() == dt.date(2026, 3, 31)


def about_and_rows(content: bytes) -> tuple[list[tuple], list[tuple]]:
    """The export's lines about itself (title, filters, when) and the rows under them."""
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    # A sheet's rows are as wide as its widest: the cells past a row's own end are None.
    rows = [
        tuple(row[: max((i + 1 for i, v in enumerate(row) if v is not None), default=0)])
        for row in sheet.values
    ]
    blank = next(i for i, row in enumerate(rows) if not row)
    return rows[:blank], rows[blank + 1 :]


def test_a_leader_reads_the_statistics_and_their_export(
    care, now, client_for, make_user, subdistrict
) -> None:
    scheduled(care)
    now("2026-03-31 20:00")
    leader = client_for(make_user(Role.LEADER, subdistrict))
    page = leader.get(reverse("eldercare:statistics"), {"month": "2026-03"})
    assert page.status_code == 200
    # Figures, never an elder's name; the hours per elder stay with care staff.
    assert care.elder.name not in page.text
    assert leader.get(reverse("eldercare:hours")).status_code == 403
    cells = re.search(r"<td>Home care Ltd</td><td class=\"num\">([\d.]+)</td>", page.text)
    assert cells is not None and float(cells.group(1)) > 0
    export = leader.get(reverse("eldercare:statistics"), {"month": "2026-03", "export": "xlsx"})
    about, rows = about_and_rows(export.content)
    assert about[0][0] == "Care statistics" and about[1] == ("Filters", "Month: 2026-03")
    provider = next(r for r in rows if r[:1] == ("Home care Ltd",))
    assert provider[1] == float(cells.group(1))
    assert ("Grade 4", "Home care", 1) in rows
    # A leader of another month sees that month's hours: none in February.
    february = leader.get(reverse("eldercare:statistics"), {"month": "2026-02", "export": "xlsx"})
    about, rows = about_and_rows(february.content)
    assert about[1] == ("Filters", "Month: 2026-02")
    assert ("Home care Ltd",) not in [r[:1] for r in rows]


def test_the_hours_export_says_which_month_it_counts(care, now, client_for) -> None:
    scheduled(care)
    now("2026-03-31 20:00")
    client = client_for(care.access["committee"].user)
    page = client.get(reverse("eldercare:hours"), {"month": "2026-03"}).text
    export = client.get(reverse("eldercare:hours"), {"month": "2026-03", "export": "xlsx"})
    about, rows = about_and_rows(export.content)
    assert about[1] == ("Filters", "Month: 2026-03")
    elder = next(r for r in rows if r[:1] == (care.elder.name,))
    assert f'<td>{care.elder.name}</td><td class="num">{elder[1]:g}</td>' in page
