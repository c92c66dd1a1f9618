"""The case pages: intake from every channel, the workbench, the case page and its actions, the
reporter's view and secret link, the map layers and the metrics."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from linli.cases import services as s
from linli.cases.models import Case, CaseEvent, Satisfaction, State
from linli.core.models import AuditEntry
from tests.cases.conftest import png_bytes


def photo(name: str = "stairwell.png", colour: str = "red") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(colour).read(), content_type="image/png")


def report_data(**values):
    data = {
        "category": "INC-EBIKE",
        "description": "Batteries charged in the stairwell every night",
        "extra_floor": "3",
        "lon": "121.459",
        "lat": "31.237",
        "address": "12 Kangding Road",
    }
    data.update(values)
    return data


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def walked(office, report, now):
    """A case that went all the way to closure, reported by the resident."""
    a = office.access
    case = report()
    s.register_case(case, actor=a(office.dispatcher))
    s.dispatch_case(case, office.dept_a, actor=a(office.dispatcher))
    s.accept_case(case, actor=a(office.handler_a))
    s.start_handling(case, actor=a(office.handler_a))
    s.submit_for_verification(
        case, actor=a(office.handler_a), note="Wire removed", after=[png_bytes("green")]
    )
    s.verify_case(case, actor=a(office.grid_worker))
    s.record_callback(case, actor=a(office.dispatcher), satisfaction=Satisfaction.SATISFIED)
    s.close_case(case, actor=a(office.dispatcher), note="Fixed for good")
    return case


# --- intake ------------------------------------------------------------------------------


def test_a_resident_reports_with_a_photo_and_the_category_fields(office, client_for, now):
    client = client_for(office.resident)
    page = client.get(reverse("cases:report"))
    assert page.status_code == 200
    assert "E-bike batteries charged indoors" in text(page)

    response = client.post(reverse("cases:report"), report_data(photos=[photo()]))
    assert response.status_code == 302, text(response)
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:submitted", kwargs={"number": case.number})
    assert case.channel == "web" and case.reporter == office.resident
    assert case.extra == {"floor": 3}
    assert case.grid == office.grid
    attachment = case.attachments.get()
    assert attachment.content_type == "image/png"
    served = client.get(reverse("cases:file", kwargs={"number": case.number, "pk": attachment.pk}))
    assert served["Content-Type"] == "image/png"
    assert served["Content-Security-Policy"].startswith("sandbox;")  # never run as a page
    done = client.get(response["Location"])
    assert case.number in text(done)
    assert reverse("cases:detail", kwargs={"number": case.number}) in text(done)


def test_a_resident_sending_report_after_report_is_asked_to_wait(office, client_for, settings, now):
    settings.INTAKE_PER_PERSON_HOUR = 2
    client = client_for(office.resident)
    for _ in range(2):
        assert client.post(reverse("cases:report"), report_data()).status_code == 302
    refused = client.post(reverse("cases:report"), report_data(address="Near the gate"))
    assert refused.status_code == 429
    assert "call 12345" in text(refused)
    assert 'value="Near the gate"' in text(refused)  # what was typed is kept
    assert Case.objects.count() == 2
    # Staff entering calls are not limited.
    staff = client_for(office.dispatcher)
    for _ in range(3):
        response = staff.post(
            reverse("cases:intake"),
            report_data(channel="phone", contact_name="Wang", contact_phone="13800138000"),
        )
        assert response.status_code == 302, text(response)
    now("2026-09-29 11:30")
    assert client.post(reverse("cases:report"), report_data()).status_code == 302


def test_the_form_names_every_problem_and_keeps_what_was_typed(office, client_for, now):
    client = client_for(office.resident)
    response = client.post(
        reverse("cases:report"),
        report_data(description="", extra_floor="three", address="Near the gate"),
    )
    assert response.status_code == 200
    body = text(response)
    assert "This field is required." in body  # the description
    assert "“Floor” must be a number." in body
    assert 'value="Near the gate"' in body
    assert Case.objects.count() == 0

    response = client.post(
        reverse("cases:report"), report_data(photos=[photo("virus.png.exe")], extra_floor="2")
    )
    assert Case.objects.count() == 1  # a PNG under any name is a PNG
    response = client.post(
        reverse("cases:report"),
        report_data(photos=[SimpleUploadedFile("x.png", b"not a picture", "image/png")]),
    )
    assert response.status_code == 200
    assert "is not a photo we can read" in text(response)


def test_choosing_a_category_brings_its_fields(office, client_for, now):
    client = client_for(office.resident)
    response = client.get(reverse("cases:fields"), {"category": "INC-EBIKE", "variant": "web"})
    assert 'name="extra_floor"' in text(response)
    assert 'name="anonymous"' in text(response)  # this category takes anonymous reports
    enquiry = client.get(reverse("cases:fields"), {"category": "ENQ", "variant": "web"})
    assert 'name="anonymous"' not in text(enquiry)
    # Without JavaScript the form is posted to show them.
    page = client.post(reverse("cases:report"), {"category": "INC-EBIKE", "show_fields": "1"})
    assert page.status_code == 200 and 'name="extra_floor"' in text(page)
    assert "This field is required." not in text(page)


def test_an_anonymous_reporter_gets_a_secret_link_once(office, client_for, client, now):
    reporter = client_for(office.resident)
    response = reporter.post(reverse("cases:report"), report_data(anonymous="on"))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.reporter is None
    page = reporter.get(response["Location"])
    link = page.context["tracking_link"]
    assert "/cases/track/" in link and link in text(page)
    assert reporter.get(response["Location"]).status_code == 404  # shown once

    tracked = client.get(link)  # no account needed
    assert tracked.status_code == 200
    assert case.number in text(tracked)
    assert "The problem was reported" in text(tracked)
    assert client.get(reverse("cases:track", kwargs={"token": "guess"})).status_code == 404


def test_open_cases_nearby_are_shown_while_reporting(office, report, client_for, now):
    known = report()
    other_kind = report(category=office.enquiry, extra={})
    far = report(lon=121.47, lat=31.24)
    url = reverse("cases:duplicates")
    where = {"category": "INC-EBIKE", "lon": "121.4591", "lat": "31.2371"}
    staff = text(client_for(office.dispatcher).get(url, where))
    assert known.number in staff and far.number not in staff
    assert other_kind.number not in staff
    # A neighbour sees someone else's case only where the category is shown publicly.
    assert known.number not in text(client_for(office.neighbour).get(url, where))
    office.battery.public_display = True
    office.battery.save()
    assert known.number in text(client_for(office.neighbour).get(url, where))


def test_staff_enter_a_hotline_call(office, client_for, now):
    client = client_for(office.dispatcher)
    assert client.get(reverse("cases:intake")).status_code == 200
    response = client.post(
        reverse("cases:intake"),
        report_data(channel="hotline_12345", contact_name="Mr Wang", contact_phone="138 0013 8000"),
    )
    assert response.status_code == 302, text(response)
    case = Case.objects.get()
    assert case.channel == "hotline_12345" and case.reporter is None
    assert case.reporters.get().name == "Mr Wang"
    bad = client.post(
        reverse("cases:intake"), report_data(channel="hotline_12345", contact_phone="12345")
    )
    assert bad.status_code == 200 and "has-error" in text(bad)
    assert client_for(office.resident).get(reverse("cases:intake")).status_code == 403


def test_a_grid_worker_reports_on_patrol(office, client_for, now):
    assert client_for(office.resident).get(reverse("cases:patrol")).status_code == 403
    client = client_for(office.grid_worker)
    page = client.get(reverse("cases:patrol"))
    assert 'capture="environment"' in text(page)
    response = client.post(reverse("cases:patrol"), report_data(photos=[photo()]))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.channel == "grid_patrol" and case.reporter == office.grid_worker


# --- the workbench -----------------------------------------------------------------------


def test_the_workbench_queues_and_filters(office, report, client_for, now):
    a = office.access
    now("2026-09-29 10:00")
    fresh, dispatched = report(), report(category=office.enquiry, extra={})
    s.register_case(dispatched, actor=a(office.dispatcher))
    s.dispatch_case(dispatched, office.dept_a, actor=a(office.dispatcher))
    now("2026-09-29 16:00")  # dispatched's hour to accept is long gone
    dispatcher = client_for(office.dispatcher)
    page = dispatcher.get(reverse("cases:workbench"))
    assert page.context["queue"] == "triage"
    assert [c.number for c in page.context["page"]] == [fresh.number]
    overdue = dispatcher.get(reverse("cases:workbench"), {"queue": "overdue"})
    assert {c.number for c in overdue.context["page"]} == {fresh.number, dispatched.number}
    filtered = dispatcher.get(reverse("cases:workbench"), {"queue": "all", "category": "ENQ"})
    assert [c.number for c in filtered.context["page"]] == [dispatched.number]
    partial = dispatcher.get(
        reverse("cases:workbench"), {"queue": "all", "q": fresh.number}, HTTP_HX_REQUEST="true"
    )
    assert "<html" not in text(partial) and fresh.number in text(partial)

    handler = client_for(office.handler_a).get(reverse("cases:workbench"))
    assert handler.context["queue"] == "organisation"
    assert [c.number for c in handler.context["page"]] == [dispatched.number]
    assert client_for(office.resident).get(reverse("cases:workbench")).status_code == 403


def test_bulk_dispatch(office, report, client_for, now):
    a = office.access
    first, second, handled = report(), report(), report()
    s.register_case(second, actor=a(office.dispatcher))
    s.register_case(handled, actor=a(office.dispatcher))
    s.dispatch_case(handled, office.dept_b, actor=a(office.dispatcher))
    s.accept_case(handled, actor=a(office.handler_b))
    response = client_for(office.dispatcher).post(
        reverse("cases:bulk_dispatch"),
        {"cases": [first.number, second.number, handled.number], "organisation": office.dept_a.pk},
        follow=True,
    )
    for case in (first, second, handled):
        case.refresh_from_db()
    assert first.state == second.state == State.DISPATCHED
    assert first.lead_organisation == office.dept_a
    assert handled.state == State.ACCEPTED
    shown = [str(m) for m in response.context["messages"]]
    assert any(handled.number in m and "Accepted" in m for m in shown)
    assert any(m.startswith("2 cases dispatched") for m in shown)
    assert (
        client_for(office.handler_a)
        .post(reverse("cases:bulk_dispatch"), {"cases": [first.number]})
        .status_code
        == 403
    )


# --- one case ----------------------------------------------------------------------------


def act(client, case, action, data=None, **extra):
    url = reverse("cases:act", kwargs={"number": case.number, "action": action})
    return client.post(url, data or {}, **extra)


def test_a_case_is_worked_from_its_page(office, report, client_for, now):
    case = report()
    dispatcher = client_for(office.dispatcher)
    page = dispatcher.get(reverse("cases:detail", kwargs={"number": case.number}))
    assert [a["name"] for a in page.context["actions"]] == [
        "register_dispatch",
        "register",
        "reject",
        "merge",
    ]
    assert act(dispatcher, case, "register").status_code == 302
    response = act(dispatcher, case, "dispatch", {"organisation": office.dept_a.pk})
    assert response.status_code == 302

    # A refusal is a message on the page, not an error page.
    refused = act(dispatcher, case, "close", follow=True)
    assert "cannot be closed now" in text(refused)

    handler = client_for(office.handler_a)
    missing = act(handler, case, "return", {"reason": ""})
    assert missing.status_code == 200 and "This field is required." in text(missing)
    assert act(handler, case, "accept").status_code == 302
    assert act(handler, case, "start_handling").status_code == 302
    no_photo = act(handler, case, "submit_for_verification", {"note": "Done"})
    assert "Add a photo of the result." in text(no_photo)
    done = act(
        handler,
        case,
        "submit_for_verification",
        {"note": "Wire removed", "before": [photo()], "after": [photo("after.png", "green")]},
    )
    assert done.status_code == 302
    assert act(client_for(office.grid_worker), case, "verify").status_code == 302
    callback = act(dispatcher, case, "record_callback", {"satisfaction": "satisfied"})
    assert callback.status_code == 302
    assert act(dispatcher, case, "close", {"note": "Thanks"}).status_code == 302
    case.refresh_from_db()
    assert case.state == State.CLOSED

    page = dispatcher.get(reverse("cases:detail", kwargs={"number": case.number}))
    timeline = [line.label for line in page.context["lines"]]
    assert timeline[:3] == ["Reported", "Registered", "Dispatched"]
    assert timeline[-1] == "Closed"
    after = CaseEvent.objects.get(case=case, action="submit_for_verification").attachments
    assert after.filter(kind="after").exists()
    picture = dispatcher.get(
        reverse("cases:file", kwargs={"number": case.number, "pk": after.first().pk})
    )
    assert picture.status_code == 200 and picture["Content-Type"] == "image/png"


def test_canned_replies_co_handling_and_merging(office, report, client_for, now):
    office.battery.canned_replies = ["Wire removed, residents told to use the charging shed."]
    office.battery.save()
    a = office.access
    case, duplicate = report(), report(lon=121.45905)
    s.register_case(case, actor=a(office.dispatcher))
    s.dispatch_case(case, office.dept_a, actor=a(office.dispatcher))
    s.accept_case(case, actor=a(office.handler_a))
    handler = client_for(office.handler_a)
    page = text(handler.get(reverse("cases:detail", kwargs={"number": case.number})))
    # A category's replies say what was done: not offered before the work is done.
    assert "Wire removed, residents told to use the charging shed." not in page
    s.start_handling(case, actor=a(office.handler_a))
    page = text(handler.get(reverse("cases:detail", kwargs={"number": case.number})))
    assert "Wire removed, residents told to use the charging shed." in page
    added = act(handler, case, "add_co_handler", {"organisation": office.dept_b.pk, "part": "Fire"})
    assert added.status_code == 302
    b_page = client_for(office.handler_b).get(
        reverse("cases:detail", kwargs={"number": case.number})
    )
    assert "complete_co_handling" in [x["name"] for x in b_page.context["actions"]]

    dispatcher = client_for(office.dispatcher)
    dup_page = dispatcher.get(reverse("cases:detail", kwargs={"number": duplicate.number}))
    assert case.number in [d.case.number for d in dup_page.context["duplicates"]]
    merged = act(dispatcher, duplicate, "merge", {"into": case.number})
    assert merged.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.state == State.MERGED and duplicate.merged_into == case


def test_the_reporter_follows_in_plain_words_and_rates_once(walked, office, client_for):
    client = client_for(office.resident)
    url = reverse("cases:detail", kwargs={"number": walked.number})
    page = client.get(url)
    body = text(page)
    assert "The case was closed." in body and "Fixed for good" in body
    assert str(office.handler_a) not in body  # no civil servant's name
    assert "Reminder" not in body and "What you can do now" not in body
    assert page.context["rating_form"] is not None

    rated = client.post(
        reverse("cases:rate", kwargs={"number": walked.number}),
        {"satisfaction": "satisfied", "comment": "Quick and kind"},
        follow=True,
    )
    assert "Thank you for rating" in text(rated)
    event = CaseEvent.objects.get(case=walked, action="rate")
    assert event.outcome == "satisfied" and event.note == "Quick and kind"
    again = client.post(
        reverse("cases:rate", kwargs={"number": walked.number}),
        {"satisfaction": "dissatisfied"},
        follow=True,
    )
    assert "already rated" in text(again)
    assert CaseEvent.objects.filter(case=walked, action="rate").count() == 1
    # Not a reporter: not theirs to rate.
    staff = client_for(office.dispatcher).post(
        reverse("cases:rate", kwargs={"number": walked.number}), {"satisfaction": "satisfied"}
    )
    assert staff.status_code == 403
    mine = client.get(reverse("cases:mine"))
    assert [c.number for c in mine.context["page"]] == [walked.number]
    assert client_for(office.neighbour).get(url).status_code == 404


def test_a_reporter_phone_is_shown_in_full_only_to_who_calls_back(office, client_for, now):
    case = s.submit_case(
        actor=office.access(office.dispatcher),
        category=office.battery,
        channel="hotline_12345",
        description="Caller reports charging",
        extra={"floor": 2},
        contact=s.Contact(name="Ms Li", phone="13800138000"),
    )
    reporter = case.reporters.get()
    url = reverse("cases:reporter_phone", kwargs={"number": case.number, "pk": reporter.pk})
    page = text(client_for(office.dispatcher).get(reverse("cases:detail", args=[case.number])))
    assert "138****8000" in page and "13800138000" not in page
    shown = client_for(office.dispatcher).post(url, HTTP_HX_REQUEST="true")
    assert text(shown) == "13800138000"
    assert AuditEntry.objects.filter(
        action="core.personal_data.unmask", object_id=str(reporter.pk)
    ).exists()
    for who in (office.leader, office.grid_worker):  # they do not call reporters back
        assert client_for(who).post(url).status_code == 403


# --- map and metrics ---------------------------------------------------------------------


def test_the_map_layers(office, report, client_for, now):
    a = office.access
    now("2026-09-29 10:00")
    report()
    late = report()
    s.register_case(late, actor=a(office.dispatcher))
    now("2026-10-09 10:00")  # far past its limits
    body = json.loads(client_for(office.dispatcher).get(reverse("cases:map_layers")).content)
    layers = {layer["id"]: layer for layer in body["layers"]}
    grid = layers["hotspots"]["data"]["features"][0]["properties"]
    assert grid["count"] == 2 and grid["level"] == 4
    overdue = layers["overdue_cases"]["data"]["features"]
    assert {f["properties"]["name"].split()[0] for f in overdue} == {
        c.number for c in Case.objects.all()
    }
    assert overdue[0]["properties"]["url"].startswith("/cases/")
    assert client_for(office.resident).get(reverse("cases:map_layers")).status_code == 403


def test_metrics_page_and_excel(walked, office, client_for):
    client = client_for(office.leader)
    page = client.get(reverse("cases:metrics"), {"start": "2026-09-01", "end": "2026-10-31"})
    rows = page.context["rows"]
    assert [r.organisation for r in rows] == ["Urban management"]
    assert rows[0].on_time_closure_rate == 1.0
    assert "100.0%" in text(page)
    sheet = client.get(reverse("cases:metrics_xlsx"), {"start": "2026-09-01", "end": "2026-10-31"})
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats")
    own = client_for(office.handler_b).get(
        reverse("cases:metrics"), {"start": "2026-09-01", "end": "2026-10-31"}
    )
    assert own.context["rows"] == []  # handler B sees only their own department
    assert client_for(office.resident).get(reverse("cases:metrics")).status_code == 403


def test_notifications_link_to_the_case_page(office, report, client_for, now):
    from linli.core.models import Notification

    case = report()
    s.register_case(case, actor=office.access(office.dispatcher))
    s.dispatch_case(case, office.dept_a, actor=office.access(office.dispatcher))
    url = reverse("cases:detail", kwargs={"number": case.number})
    for user in (office.dispatcher, office.resident, office.handler_a):
        notes = Notification.objects.filter(user=user)
        assert notes.exists() and all(n.url == url for n in notes), user
    inbox = client_for(office.handler_a).get(reverse("inbox"))
    assert f'href="{url}"' in text(inbox)
    assert client_for(office.handler_a).get(url).status_code == 200


def test_a_building_manager_reports_for_their_own_building(office, client_for, make_user, now):
    from tests.factories import BuildingFactory

    theirs = BuildingFactory(subdistrict=office.subdistrict, name="Jade Tower", grid=office.grid)
    other = BuildingFactory(subdistrict=office.subdistrict, name="Harbour Centre")
    manager = make_user("building_manager", office.subdistrict, building=theirs)
    client = client_for(manager)
    page = client.get(reverse("cases:building_report"))
    assert "Jade Tower" in text(page) and "Harbour Centre" not in text(page)
    refused = client.post(reverse("cases:building_report"), report_data(building=other.pk))
    assert refused.status_code == 200 and "has-error" in text(refused)
    done = client.post(reverse("cases:building_report"), report_data(building=theirs.pk))
    assert done.status_code == 302
    case = Case.objects.get()
    assert (case.channel, case.building, case.reporter) == ("building_manager", theirs, manager)
    assert client.get(reverse("cases:mine")).context["page"][0] == case


def test_the_working_queues_hold_what_is_still_to_do(walked, office, report, client_for):
    a = office.access
    open_case = report()
    s.register_case(open_case, actor=a(office.dispatcher))
    s.dispatch_case(open_case, office.dept_a, actor=a(office.dispatcher))
    client = client_for(office.handler_a)
    working = client.get(reverse("cases:workbench"), {"queue": "organisation"})
    assert [c.number for c in working.context["page"]] == [open_case.number]
    everything = client.get(reverse("cases:workbench"), {"queue": "all"})
    assert {c.number for c in everything.context["page"]} == {walked.number, open_case.number}
