"""The verbs of sporadic works: the classification decides the checklist and the inspection;
the site notice and its public page; inspections item by item; waste removal; completion; and
unregistered works opening one case however often they are found."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from linli.cases.models import Case
from linli.core import parameters
from linli.core.audit_display import in_words
from linli.core.models import AuditEntry
from linli.governance.works import classification, services
from linli.governance.works.models import Works
from linli.governance.works.notice import notice_pdf
from linli.governance.works.parameters import WASTE_MAX
from tests.rentals.test_services import pdf_text
from tests.works.helpers import TODAY, at_home, register

# A mainland mobile number, whole or masked (139****1234).
MOBILE = re.compile(r"1[3-9]\d(?:\d{4}|\*{4})\d{4}")

pytestmark = pytest.mark.django_db


def test_the_most_demanding_scope_classifies_and_decides_the_inspection():
    interior = classification.classify(["interior"])
    assert (interior.classification, interior.needs_inspection) == ("interior", False)
    assert interior.checklist == ["hours", "wiring", "waterproofing", "passages"]
    mixed = classification.classify(["waste", "structural", "interior"])
    assert mixed.classification == "structural"
    assert mixed.needs_inspection
    assert "load_bearing" in mixed.checklist and "waste_booked" in mixed.checklist
    assert classification.classify(["facade"]).needs_inspection
    assert not classification.classify(["waste"]).needs_inspection


def test_a_resident_registers_at_home_and_the_registration_keeps_its_decision(hood, people):
    works = register(people["resident"], hood.dwellings[0], "facade", "waste")
    assert works.classification == "facade"
    assert works.needs_inspection
    assert works.checklist == [
        "waste_bagged",
        "waste_booked",
        "facade_plan",
        "no_protrusion",
        "balcony_load",
    ]
    assert works.grid == hood.grids[0] and works.quarter == hood.quarters[0]
    assert works.number == "ZX2026-0001" and works.stage == "registered"


def test_a_resident_cannot_register_at_someone_elses_home(hood, people):
    with pytest.raises(ValidationError) as error:
        register(people["resident"], hood.dwellings[1])
    assert "dwelling" in error.value.message_dict
    assert not Works.objects.exists()


def test_a_structural_change_without_approval_is_refused_on_its_field(hood, people):
    with pytest.raises(ValidationError) as error:
        register(people["grid1"], hood.dwellings[0], "structural")
    assert list(error.value.message_dict) == ["approval"]
    works = register(people["grid1"], hood.dwellings[0], "structural", approval="结构审第12号")
    assert works.classification == "structural"


def test_works_are_registered_before_they_start_and_for_a_limited_period(hood, people):
    with pytest.raises(ValidationError) as error:
        register(people["admin"], hood.dwellings[0], starts_on=TODAY - dt.timedelta(days=1))
    assert "starts_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        register(people["admin"], hood.dwellings[0], ends_on=TODAY + dt.timedelta(days=181))
    assert "ends_on" in error.value.message_dict


def test_the_notice_sets_the_inspection_due_in_working_days(hood, people):
    works = register(people["grid1"], hood.dwellings[0], "facade")
    services.issue_notice(works, actor=people["grid1"], on=TODAY)
    assert works.stage == "notice"
    # Three working days after Monday 12 October 2026.
    assert works.inspection_due == dt.date(2026, 10, 15)
    interior = register(people["grid1"], hood.dwellings[0])
    services.issue_notice(interior, actor=people["grid1"], on=TODAY)
    assert interior.inspection_due is None


def test_the_registrant_does_not_issue_the_notice(hood, people):
    works = register(people["resident"], hood.dwellings[0])
    with pytest.raises(PermissionDenied):
        services.issue_notice(works, actor=people["resident"], on=TODAY)
    with pytest.raises(PermissionDenied):
        services.issue_notice(works, actor=people["grid2"], on=TODAY)


def test_the_notice_pdf_carries_the_registration_and_its_qr_link_without_a_phone(hood, people):
    works = register(people["resident"], hood.dwellings[0], "interior", "waste")
    services.issue_notice(works, actor=people["grid1"], on=TODAY)
    url = "https://linli.example/works/public/" + works.token + "/"
    content = notice_pdf(works, url)
    assert content.startswith(b"%PDF") and b"STSong-Light" in content
    text = pdf_text(content)
    assert works.number in text
    assert services.address_of_dwelling(hood.dwellings[0]) in text
    assert "2026-11-11" in text  # the end date
    assert url.encode() in content  # the QR code's link
    assert not MOBILE.search(text) and hood.persons[0].name not in text


def test_an_inspection_records_every_item_and_a_failure_needs_a_note(hood, people):
    works = register(people["grid1"], hood.dwellings[0], "facade")
    services.issue_notice(works, actor=people["grid1"], on=TODAY)
    with pytest.raises(ValidationError) as error:
        services.record_inspection(
            works,
            actor=people["grid1"],
            results={"facade_plan": (True, ""), "no_protrusion": (False, "")},
            inspected_on=TODAY,
        )
    assert set(error.value.message_dict) == {"items.no_protrusion", "items.balcony_load"}
    assert not works.inspections.exists()
    failed = services.record_inspection(
        works,
        actor=people["grid1"],
        results={
            "facade_plan": (True, ""),
            "no_protrusion": (False, "空调架伸出外墙"),
            "balcony_load": (True, ""),
        },
        inspected_on=TODAY,
    )
    assert not failed.passed and works.stage == "rectify"
    assert failed.items.get(code="no_protrusion").note == "空调架伸出外墙"
    passed = services.record_inspection(
        works,
        actor=people["grid1"],
        results={code: (True, "") for code in works.checklist},
        inspected_on=TODAY,
    )
    assert passed.passed and works.stage == "inspected"


def test_waste_removal_is_booked_within_the_works_and_one_truck(hood, people):
    works = register(people["resident"], hood.dwellings[0], "interior", "waste")
    services.issue_notice(works, actor=people["grid1"], on=TODAY)
    with pytest.raises(ValidationError) as error:
        services.book_waste_removal(
            works, actor=people["resident"], on=TODAY - dt.timedelta(days=1), volume_m3=Decimal(3)
        )
    assert "on" in error.value.message_dict
    most = parameters.value(WASTE_MAX, on=TODAY).value
    with pytest.raises(ValidationError) as error:
        services.book_waste_removal(
            works, actor=people["resident"], on=TODAY, volume_m3=Decimal(str(most)) + 1
        )
    assert "volume_m3" in error.value.message_dict
    removal = services.book_waste_removal(
        works, actor=people["resident"], on=TODAY + dt.timedelta(days=3), volume_m3=Decimal("4.5")
    )
    assert removal.volume_m3 == Decimal("4.5")
    with pytest.raises(PermissionDenied):
        services.book_waste_removal(
            works, actor=people["neighbour"], on=TODAY, volume_m3=Decimal(1)
        )


def test_completion_waits_for_the_waste_removal_and_the_inspection(hood, people):
    works = register(people["resident"], hood.dwellings[0], "interior", "waste")
    services.issue_notice(works, actor=people["grid1"], on=TODAY)
    with pytest.raises(ValidationError) as error:
        services.record_completion(works, actor=people["grid1"], on=TODAY)
    assert "__all__" in error.value.message_dict
    services.book_waste_removal(works, actor=people["resident"], on=TODAY, volume_m3=Decimal(2))
    services.record_completion(works, actor=people["grid1"], on=TODAY, note="验收完毕")
    assert works.stage == "completed" and works.completed_on == TODAY
    facade = register(people["grid1"], hood.dwellings[0], "facade")
    services.issue_notice(facade, actor=people["grid1"], on=TODAY)
    with pytest.raises(PermissionDenied):  # not inspected yet
        services.record_completion(facade, actor=people["grid1"], on=TODAY)


def test_works_found_without_registration_open_one_case_however_often(hood, people):
    found = dict(
        actor=people["grid1"],
        place=at_home(hood.dwellings[0]),
        description="敲墙施工，未见公示",
        found_on=TODAY,
    )
    works, new = services.record_unregistered(**found)
    assert new and works.stage == "unregistered" and works.case is not None
    assert works.case.channel == "grid_patrol"
    again, new_again = services.record_unregistered(**found)
    assert (again.pk, new_again) == (works.pk, False)
    assert Case.objects.count() == 1
    assert Works.objects.count() == 1


def test_registered_works_under_way_are_not_unregistered(hood, people):
    works = register(people["resident"], hood.dwellings[0])
    services.issue_notice(works, actor=people["grid1"], on=TODAY)
    with pytest.raises(ValidationError) as error:
        services.record_unregistered(
            actor=people["grid1"],
            place=at_home(hood.dwellings[0]),
            description="施工",
            found_on=TODAY,
        )
    assert works.number in error.value.message_dict["dwelling"][0]
    assert not Case.objects.exists()


def test_the_public_page_shows_the_registration_and_no_person(hood, people, client):
    works = register(people["resident"], hood.dwellings[0], "facade")
    url = reverse("works:public", kwargs={"token": works.token})
    assert client.get(url).status_code == 404  # no notice yet: nothing posted to scan
    services.issue_notice(works, actor=people["grid1"], on=TODAY)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert works.number in html and works.contractor in html
    assert hood.persons[0].name not in html
    assert not MOBILE.search(html)  # no phone number, whole or masked
    assert client.get(reverse("works:public", kwargs={"token": "guess"})).status_code == 404


def test_a_window_clerk_registers_nothing(hood, people):
    with pytest.raises(PermissionDenied):
        register(people["window"], hood.dwellings[0])
    assert not Works.objects.exists()


def test_the_audit_log_names_the_scopes_and_checklist_in_the_readers_language(hood, people):
    works = register(people["resident"], hood.dwellings[0], "interior", "facade")
    entry = AuditEntry.objects.filter(action="works.works.register").latest("pk")
    with translation.override("zh-hans"):
        text = in_words(entry)
        plan = str(classification.ITEMS["facade_plan"])
    assert "室内装饰装修" in text and plan in text and re.search("[\u4e00-\u9fff]", plan)
    assert works.checklist and all(code not in text for code in works.checklist)
    assert "interior" not in text and "facade" not in text
