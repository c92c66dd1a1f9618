"""The dispatcher's triage: register and dispatch a new case in one submit (both verbs in one
transaction, or nothing), quick replies that fit each step, the triage queue's order and who
sees it, the grouped organisation picker, and the case page's map and photos."""

from __future__ import annotations

import io
import re

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from linli.cases import services as s
from linli.cases.actions import COMBINED, allowed_actions, combined_actions
from linli.cases.models import CaseEvent, State
from linli.cases.replies import STEP_PHRASES
from linli.core.models import AuditEntry, Notification
from tests.cases.conftest import local, png_bytes
from tests.core.lists import table_rows
from tests.factories import OrganisationFactory, SubdistrictFactory

REPLY = "Wire removed, residents shown the charging shed."


def detail(case) -> str:
    return reverse("cases:detail", kwargs={"number": case.number})


def one_step(client, case, data, **extra):
    url = reverse("cases:act", kwargs={"number": case.number, "action": "register_dispatch"})
    return client.post(url, data, **extra)


def written(case) -> dict:
    """What the verbs write about a case: its events, audit rows and notices."""
    return {
        "events": list(
            CaseEvent.objects.filter(case=case).order_by("id").values_list("action", flat=True)
        ),
        "audit": list(
            AuditEntry.objects.filter(object_type="cases.case", object_id=str(case.pk))
            .order_by("id")
            .values_list("action", flat=True)
        ),
        "notices": Notification.objects.filter(url__contains=case.number).count(),
    }


def test_one_submit_registers_and_dispatches_as_the_two_steps_would(
    office, report, client_for, now
):
    now("2026-11-10 10:00")  # a Tuesday
    case, twin = report(), report(description="The same in the next stairwell")
    response = one_step(
        client_for(office.dispatcher),
        case,
        {
            "category": office.battery.code,
            "organisation": office.dept_a.pk,
            "deadline": "2026-11-16T17:00",
            "note": "Please check on site today.",
        },
    )
    assert response.status_code == 302 and response["Location"] == detail(case)

    case.refresh_from_db()
    assert case.state == State.DISPATCHED and case.lead_organisation == office.dept_a
    assert case.stage == "accept" and case.stage_deadline == local("2026-11-10 11:00")
    assert case.resolve_deadline == local("2026-11-16 17:00")
    events = list(CaseEvent.objects.filter(case=case).order_by("id"))
    assert [e.action for e in events] == ["submit", "register", "dispatch"]
    assert events[2].note == "Please check on site today." and events[1].note == ""
    assert [e.to_state for e in events[1:]] == [State.REGISTERED, State.DISPATCHED]
    assert Notification.objects.filter(user=office.handler_a, url__contains=case.number).exists()
    assert Notification.objects.filter(user=office.resident, url__contains=case.number).exists()

    # The same two verbs one after the other write the same rows.
    a = office.access(office.dispatcher)
    s.register_case(twin, actor=a)
    s.dispatch_case(twin, office.dept_a, actor=a, resolve_by=local("2026-11-16 17:00"))
    twin.refresh_from_db()
    assert written(case) == written(twin)
    assert written(case)["audit"][-2:] == ["cases.case.register", "cases.case.dispatch"]
    assert (twin.stage_deadline, twin.resolve_deadline) == (
        case.stage_deadline,
        case.resolve_deadline,
    )

    # The handler's acceptance keeps the deadline the dispatcher set.
    s.accept_case(case, actor=office.access(office.handler_a))
    case.refresh_from_db()
    assert case.resolve_deadline == local("2026-11-16 17:00")


def test_without_a_deadline_the_category_limit_runs_from_acceptance(office, report, now):
    now("2026-11-10 10:00")
    case = report()
    s.register_and_dispatch(case, office.dept_a, actor=office.access(office.dispatcher))
    now("2026-11-10 10:30")
    s.accept_case(case, actor=office.access(office.handler_a))
    assert case.resolve_deadline == local("2026-11-17 10:30")  # 5 working days


def test_the_category_can_be_corrected_in_the_same_submit(office, report, client_for, now):
    now("2026-11-10 10:00")
    case = report()
    response = one_step(
        client_for(office.dispatcher),
        case,
        {
            "category": office.enquiry.code,
            "organisation": office.dept_b.pk,
            "deadline": "2026-11-11T10:00",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.category == office.enquiry and case.state == State.DISPATCHED
    register = CaseEvent.objects.get(case=case, action="register")
    assert register.data["category"] == {"from": "INC-EBIKE", "to": "ENQ"}


def _nothing_written(case, before) -> None:
    case.refresh_from_db()
    assert case.state == State.RECEIVED and case.lead_organisation is None
    assert written(case) == before


def test_an_organisation_that_is_not_offered_writes_nothing_and_says_so(
    office, report, client_for, now
):
    now("2026-11-10 10:00")
    case = report()
    before = written(case)
    elsewhere = OrganisationFactory(subdistrict=SubdistrictFactory(), code="FAR")
    response = one_step(
        client_for(office.dispatcher),
        case,
        {"category": office.battery.code, "organisation": elsewhere.pk, "deadline": ""},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    with translation.override("zh-hans"):
        message = str(forms.ModelChoiceField.default_error_messages["invalid_choice"])
    assert message != "Select a valid choice. That choice is not one of the available choices."
    page = response.content.decode()
    field = re.search(
        r'<div class="field has-error" id="field-organisation">.*?</div>\s*</div>', page, re.S
    )
    assert field is not None and message in field.group(0)
    assert 'id="action-register_dispatch" open' in page
    _nothing_written(case, before)


def test_a_deadline_the_rules_refuse_writes_nothing_not_even_the_registration(
    office, report, client_for, now
):
    now("2026-11-10 10:00")
    case = report()
    before = written(case)
    dispatcher = client_for(office.dispatcher)
    for deadline, says in (
        ("2026-11-14T10:00", "The deadline must fall on a working day."),  # a Saturday
        ("2026-11-10T10:30", "The deadline must be after the acceptance deadline"),
        ("2026-12-31T10:00", "more time needs an approved extension"),
        ("next week", "Enter a valid date/time."),
    ):
        response = one_step(
            dispatcher,
            case,
            {
                "category": office.battery.code,
                "organisation": office.dept_a.pk,
                "deadline": deadline,
            },
        )
        assert response.status_code == 200, deadline
        page = response.content.decode()
        field = page.split('id="field-deadline"', 1)[1].split('id="field-note"', 1)[0]
        assert "has-error" in page.split('id="field-deadline"', 1)[0][-40:]
        assert says in field, (deadline, field)
        _nothing_written(case, before)


def test_a_case_past_triage_or_a_handler_is_refused(office, report, client_for, now):
    now("2026-11-10 10:00")
    case = report()
    s.register_case(case, actor=office.access(office.dispatcher))
    before = written(case)
    data = {"category": office.battery.code, "organisation": office.dept_a.pk}
    refused = one_step(client_for(office.dispatcher), case, data)
    assert refused.status_code == 409
    messages = [str(m) for m in refused.context["messages"]]
    assert messages and "Registered" in messages[0]
    case.refresh_from_db()
    assert case.state == State.REGISTERED and written(case) == before

    fresh = report()
    before = written(fresh)
    assert one_step(client_for(office.handler_a), fresh, data).status_code == 403
    _nothing_written(fresh, before)


def test_the_one_step_form_is_offered_with_the_proposal_preselected(
    office, report, client_for, now
):
    now("2026-11-10 10:00")
    case = report()
    page = client_for(office.dispatcher).get(detail(case))
    assert [a["name"] for a in page.context["actions"]][:2] == ["register_dispatch", "register"]
    html = page.content.decode()
    form = html.split('id="action-register_dispatch" open', 1)[1].split("</details>", 1)[0]
    picker = form.split('name="organisation"', 1)[1].split("</select>", 1)[0]
    assert "---------" not in picker and '<option value=""' not in picker
    assert re.search(
        rf'<optgroup label="Dispatch centre">\s*<option value="{office.centre.pk}" selected>',
        picker,
    )
    assert '<optgroup label="Department">' in picker and "data-filter" in picker
    assert 'value="2026-11-17T10:00"' in form  # 5 working days, on the work calendar
    assert 'type="datetime-local"' in form
    assert f'<option value="{office.battery.code}" selected>' in form
    # A handler of the case's organisation is not offered it; nor is it offered once registered.
    assert combined_actions(office.access(office.handler_a), case, []) == []
    s.register_case(case, actor=office.access(office.dispatcher))
    a = office.access(office.dispatcher)
    assert combined_actions(a, case, allowed_actions(a, case)) == []
    assert set(COMBINED) == {"register_dispatch"}


def test_quick_replies_fit_the_step(office, report, client_for, now):
    office.battery.canned_replies = [REPLY]
    office.battery.save()
    case = report()
    html = client_for(office.dispatcher).get(detail(case)).content.decode()
    panel = html.split('id="action-register_dispatch"', 1)[1].split("</details>", 1)[0]
    assert str(STEP_PHRASES["dispatch"][0]) in panel
    assert REPLY not in html  # what was done, before anyone did anything

    a = office.access
    s.register_and_dispatch(case, office.dept_a, actor=a(office.dispatcher))
    handler = client_for(office.handler_a)
    html = handler.get(detail(case)).content.decode()
    returning = html.split('id="action-return"', 1)[1].split("</details>", 1)[0]
    assert (
        str(STEP_PHRASES["return"][0]) in returning and 'data-fill="#id_return_reason"' in returning
    )
    assert REPLY not in html
    s.accept_case(case, actor=a(office.handler_a))
    s.start_handling(case, actor=a(office.handler_a))
    html = handler.get(detail(case)).content.decode()
    submitting = html.split('id="action-submit_for_verification"', 1)[1].split("</details>", 1)[0]
    assert REPLY in submitting


def test_the_triage_queue_puts_returned_cases_on_top_then_the_newest(
    office, report, client_for, now
):
    a = office.access
    now("2026-11-09 09:00")
    oldest = report(description="oldest")
    now("2026-11-09 10:00")
    returned = report(description="returned later")
    s.register_and_dispatch(returned, office.dept_a, actor=a(office.dispatcher))
    now("2026-11-10 09:00")
    middle = report(description="middle")
    now("2026-11-10 11:00")
    newest = report(description="newest")
    s.return_case(returned, actor=a(office.handler_a), reason="Not ours")
    expected = [returned.number, newest.number, middle.number, oldest.number]

    client = client_for(office.dispatcher)
    page = client.get(reverse("cases:workbench"), {"queue": "triage"})
    assert [c.number for c in page.context["page"]] == expected
    assert f'<tr data-key="{returned.number}" class="returned">' in page.content.decode()
    api = client.get(reverse("api:list_cases"), {"queue": "triage"})
    assert [row["number"] for row in api.json()["items"]] == expected
    export = client.get(reverse("cases:export"), {"queue": "triage"})
    sheet = load_workbook(filename=io.BytesIO(export.content)).active
    header, *rows = table_rows(list(sheet.iter_rows(values_only=True)))
    assert [row[0] for row in rows] == expected


def test_only_those_who_dispatch_are_offered_the_triage_queue(office, report, client_for):
    report()
    for user, offered in (
        (office.dispatcher, True),
        (office.leader, True),
        (office.handler_a, False),
        (office.grid_worker, False),
    ):
        page = client_for(user).get(reverse("cases:workbench"))
        keys = [q["key"] for q in page.context["queues"]]
        assert ("triage" in keys) is offered, user
        assert page.context["queue"] != "triage" or offered


def test_the_case_page_shows_its_place_on_a_map_and_its_photos(office, client_for, report, now):
    case = report(photos=[s.Photo(png_bytes("red"))])
    page = client_for(office.dispatcher).get(detail(case))
    html = page.content.decode()
    assert 'data-point-map data-geojson="case-point-layers"' in html
    layers = page.context["point_layers"]
    assert [layer["id"] for layer in layers] == ["grids", "case"]
    assert layers[1]["data"]["geometry"]["coordinates"] == [121.459, 31.237]
    assert 'id="case-point-layers" type="application/json"' in html
    assert re.search(r'<script type="module" src="[^"]*cases/case_detail\.js" nonce="', html)
    photo = case.attachments.get()
    url = f"{detail(case)}files/{photo.pk}/"
    assert f'<a href="{url}" target="_blank"' in html and f'<img src="{url}"' in html
    full = client_for(office.dispatcher).get(url)
    assert full.status_code == 200 and full["Content-Type"] == "image/png"
    assert full["Content-Security-Policy"].startswith("sandbox")

    without = report(lon=None, lat=None, address="Kangding Road 1")
    html = client_for(office.dispatcher).get(detail(without)).content.decode()
    assert "data-point-map" not in html and "No photos yet." in html


def test_photos_of_the_whole_case_are_shown(office, client_for, report):
    case = report()
    a = office.access
    s.register_and_dispatch(case, office.dept_a, actor=a(office.dispatcher))
    s.accept_case(case, actor=a(office.handler_a))
    s.start_handling(case, actor=a(office.handler_a))
    s.submit_for_verification(
        case,
        actor=a(office.handler_a),
        note="Done",
        after=[SimpleUploadedFile("after.png", png_bytes("green").read(), "image/png")],
    )
    page = client_for(office.grid_worker).get(detail(case))
    assert [p.kind for p in page.context["photos"]] == ["after"]
    after = page.context["photos"][0]
    url = f"{detail(case)}files/{after.pk}/"
    html = page.content.decode()
    # One thumbnail, in the gallery; the timeline's line links to it.
    assert html.count(f'<img src="{url}"') == 1 and html.count(f'<a href="{url}"') == 2


def test_grid_workers_open_on_the_work_waiting_for_their_check(office, report, client_for):
    a = office.access
    waiting, elsewhere = report(), report(lon=121.40, lat=31.20)  # the second outside the grid
    for case in (waiting, elsewhere):
        s.register_and_dispatch(case, office.dept_a, actor=a(office.dispatcher))
        s.accept_case(case, actor=a(office.handler_a))
        s.start_handling(case, actor=a(office.handler_a))
        s.submit_for_verification(
            case,
            actor=a(office.handler_a),
            note="Done",
            after=[SimpleUploadedFile("after.png", png_bytes("green").read(), "image/png")],
        )
    assert (waiting.grid, elsewhere.grid) == (office.grid, None)

    page = client_for(office.grid_worker).get(reverse("cases:workbench"))
    assert page.context["queue"] == "verify"
    assert [c.number for c in page.context["page"]] == [waiting.number]
    case_page = client_for(office.grid_worker).get(detail(waiting))
    assert "verify" in [x["name"] for x in case_page.context["actions"]]

    everything = client_for(office.dispatcher).get(reverse("cases:workbench"), {"queue": "verify"})
    assert {c.number for c in everything.context["page"]} == {waiting.number, elsewhere.number}
    handler = client_for(office.handler_a).get(reverse("cases:workbench"))
    assert "verify" not in [q["key"] for q in handler.context["queues"]]
