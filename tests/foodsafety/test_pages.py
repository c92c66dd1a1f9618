"""The food-safety pages as the market-regulation handler uses them: the list with grade and
next inspection (in Chinese too), the Excel export of the same rows, the statistics, grading
again, and a rectification due in working days and its follow-up."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django_scopes import scope
from openpyxl import load_workbook

from linli.governance.foodsafety import services
from linli.governance.foodsafety.models import Establishment, Rectification, ScheduledInspection
from linli.governance.foodsafety.statistics import per_grade

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(food, subdistrict):
    with scope(subdistrict=subdistrict):
        services.generate_inspections(food.access, year=2026, department=food.market)
    return food


def test_the_list_shows_grades_and_next_inspections_in_both_languages(planned, client_for):
    client = client_for(planned.regulator)
    page = client.get(reverse("foodsafety:list"), {"grade": "D"}).content.decode()
    assert "Grill D" in page and "School lunches" in page and "Bistro B" not in page
    assert "(graded B)" in page  # school catering counts as D whatever its grade
    assert "2026-" in page  # the next inspection's date
    chinese = client.get(reverse("foodsafety:list"), headers={"accept-language": "zh-hans"})
    assert chinese.status_code == 200


def test_the_export_has_the_listed_rows(planned, client_for):
    response = client_for(planned.regulator).get(
        reverse("foodsafety:list_xlsx"), {"kind": "canteen"}
    )
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["Canteen C"]
    assert rows[1][4:6] == ("C", "C")


def test_the_statistics_count_planned_and_done_per_grade(planned, client_for, subdistrict):
    with scope(subdistrict=subdistrict):
        figures = {
            f.grade: f
            for f in per_grade(Establishment.objects.all(), ScheduledInspection.objects.all(), 2026)
        }
    assert {g: f.planned for g, f in figures.items()} == {"A": 1, "B": 2, "C": 3, "D": 16}
    assert figures["D"].establishments == 4 and figures["D"].required == 12
    assert all(f.done == 0 for f in figures.values())
    page = client_for(planned.leader).get(reverse("foodsafety:statistics"), {"year": 2026})
    assert page.status_code == 200 and 'data-key="D"' in page.content.decode()


def test_a_rectification_is_due_in_working_days_and_followed_up(planned, client_for, subdistrict):
    client = client_for(planned.regulator)
    bistro = planned.establishments["Bistro B"]
    response = client.post(
        reverse("foodsafety:rectify", kwargs={"pk": bistro.pk}),
        {"requirement": "Replace the broken fridge thermometer"},
    )
    assert response.status_code == 302
    with scope(subdistrict=subdistrict):
        rectification = Rectification.objects.get(establishment=bistro)
    # Ordered Monday 2 March 2026, 10:00: ten working days later is Monday 16 March.
    assert rectification.working_days == 10 and rectification.parameter_version is None
    assert rectification.deadline == dt.datetime(2026, 3, 16, 2, 0, tzinfo=dt.UTC)
    refused = client.post(
        reverse("foodsafety:follow_up", kwargs={"pk": rectification.pk}),
        {"rectified": "no", "on": "2026-03-02", "notes": ""},
    )
    assert refused.status_code == 400 and "Say what is still wrong." in refused.content.decode()
    client.post(
        reverse("foodsafety:follow_up", kwargs={"pk": rectification.pk}),
        {"rectified": "yes", "on": "2026-03-02"},
    )
    with scope(subdistrict=subdistrict):
        rectification.refresh_from_db()
    assert rectification.status == "done"


def test_grading_again_keeps_the_history(planned, client_for):
    client = client_for(planned.regulator)
    noodle = planned.establishments["Noodle A"]
    client.post(
        reverse("foodsafety:grade", kwargs={"pk": noodle.pk}),
        {"grade": "B", "graded_on": "2026-02-27", "reason": "Complaints"},
    )
    text = client.get(reverse("foodsafety:establishment", kwargs={"pk": noodle.pk})).content
    assert "Complaints" in text.decode() and "First grading" in text.decode()
    future = client.post(
        reverse("foodsafety:grade", kwargs={"pk": noodle.pk}),
        {"grade": "C", "graded_on": "2026-12-01"},
    )
    assert future.status_code == 400
