"""The home page is each role's workbench: the panels of the work the person holds, read through
each app's own read path, never another sub-district's rows, in a handful of queries."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled

from linli.cases.models import Category
from linli.cases.services import dispatch_case, register_case, return_case, submit_case
from linli.cases.tasks import sweep
from linli.core import display
from linli.core.access import Access
from linli.core.models import Organisation
from linli.core.roles import Role
from tests.cases.conftest import now, office, report  # noqa: F401 - fixtures
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

PANEL = re.compile(r'<section class="wb-panel" id="wb-([a-z0-9-]+)"')


def panels_of(html: str) -> list[str]:
    return PANEL.findall(html)


def section(html: str, key: str) -> str:
    start = html.index(f'id="wb-{key}"')
    return html[start : html.index("</section>", start)]


def test_someone_without_a_sub_district_is_told_so(db, client) -> None:
    user = UserFactory()
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    assert "not a member of any sub-district" in html
    assert panels_of(html) == []


# --- the case panels, with cases in them ---------------------------------------------------


def _client(client, user):
    client.force_login(user)
    return client


def test_the_dispatcher_sees_a_new_and_a_returned_case(office, report, now, client) -> None:  # noqa: F811
    now("2026-09-29 09:00")
    returned = report(description="Bikes charged in the hall")
    now("2026-09-29 09:30")
    register_case(returned, actor=office.access(office.dispatcher))
    dispatch_case(returned, office.dept_a, actor=office.access(office.dispatcher))
    return_case(returned, actor=office.access(office.handler_a), reason="Not ours: housing")
    now("2026-09-29 10:00")
    new = report(description="Batteries on the third floor")

    html = _client(client, office.dispatcher).get(reverse("home")).content.decode()
    panel = section(html, "cases-triage")
    assert new.number in panel and returned.number in panel
    # Returned cases come first: a handler sent them back.
    assert panel.index(returned.number) < panel.index(new.number)
    assert reverse("cases:detail", kwargs={"number": new.number}) in panel
    # The dispatcher works in the dispatch centre only: no handler's panel.
    assert panels_of(html) == ["cases-triage"]


def test_the_handlers_overdue_case_comes_first(office, report, now, client) -> None:  # noqa: F811
    dispatcher = office.access(office.dispatcher)
    now("2026-09-29 09:00")
    first = report(description="First report")
    second = report(description="Second report")
    other = report(description="For the housing office")
    for at, case, organisation in (
        ("09:30", second, office.dept_a),
        ("09:05", first, office.dept_a),
        ("09:10", other, office.dept_b),
    ):
        now(f"2026-09-29 {at}")
        register_case(case, actor=dispatcher)
        dispatch_case(case, organisation, actor=dispatcher)
    # Acceptance is due within a working hour of dispatch: at 10:20 the case dispatched at
    # 09:05 is overdue, the one of 09:30 is due today.
    now("2026-09-29 10:20")

    html = _client(client, office.handler_a).get(reverse("home")).content.decode()
    panel = section(html, "cases-deadlines")
    items = re.findall(r'href="/cases/([^/"]+)/"', panel)
    assert items == [first.number, second.number]  # not another department's case
    rows = panel.split('<li class="wb-item')[1:]
    assert "Overdue" in rows[0] and "Due today" in rows[1]
    figures = re.findall(
        r'<strong class="wb-value">([^<]+)</strong> <span class="wb-label">([^<]+)', panel
    )
    assert ("1", "overdue") in figures and ("1", "due today") in figures


def test_the_resident_sees_their_report_and_not_the_neighbours(office, report, client) -> None:  # noqa: F811
    mine = report(description="Mine")
    theirs = report(actor=office.access(office.neighbour), description="Theirs")
    html = _client(client, office.resident).get(reverse("home")).content.decode()
    panel = section(html, "cases-reports")
    assert mine.number in panel
    assert theirs.number not in panel


def test_a_grid_worker_who_also_lives_here_sees_both_panels(office, report, client) -> None:  # noqa: F811
    with scopes_disabled():
        MembershipFactory(user=office.grid_worker, subdistrict=office.subdistrict, role="resident")
    own = report(actor=office.access(office.grid_worker), description="Seen at home")
    html = _client(client, office.grid_worker).get(reverse("home")).content.decode()
    assert panels_of(html) == ["cases-grid", "cases-reports", "rentals-files"]
    assert own.number in section(html, "cases-reports")


def test_no_panel_shows_another_sub_districts_cases(
    office,  # noqa: F811
    report,  # noqa: F811
    other_subdistrict,
    client,
) -> None:
    ours = report()
    with scopes_disabled(), scope(subdistrict=other_subdistrict):
        OrganisationFactory(
            subdistrict=other_subdistrict, kind=Organisation.Kind.DISPATCH_CENTRE, code="DC"
        )
        category = Category.objects.create(
            subdistrict=other_subdistrict, code="INC", name="Incidents", kind="incident"
        )
        stranger = UserFactory()
        MembershipFactory(user=stranger, subdistrict=other_subdistrict, role="resident")
        theirs = submit_case(
            actor=Access.for_user(stranger, other_subdistrict),
            category=category,
            channel="web",
            description="Somewhere else entirely",
        )
    html = _client(client, office.dispatcher).get(reverse("home")).content.decode()
    assert ours.title.strip() in html
    assert theirs.title.strip() not in html
    assert re.findall(r"wb-value.>([^<]*)</strong> <span class=.wb-label.>new", html) == ["1"]
    html = _client(client, office.leader).get(reverse("home")).content.decode()
    assert '<strong class="wb-value">1</strong> <span class="wb-label">open' in html


def test_the_leaders_home_reads_in_few_queries(
    office,  # noqa: F811
    report,  # noqa: F811
    now,  # noqa: F811
    client,
    django_assert_max_num_queries,
) -> None:
    dispatcher = office.access(office.dispatcher)
    now("2026-09-29 09:00")
    for n in range(12):
        case = report(description=f"Report {n}")
        if n % 2:
            register_case(case, actor=dispatcher)
            dispatch_case(case, office.dept_a if n % 4 == 1 else office.dept_b, actor=dispatcher)
    now("2026-10-09 09:00")
    sweep()
    with scopes_disabled():
        MembershipFactory(
            user=office.leader, subdistrict=office.subdistrict, role=Role.SUBDISTRICT_ADMIN
        )
    _client(client, office.leader)
    client.get(reverse("home"))  # the work calendar's years are seeded once
    with django_assert_max_num_queries(24):
        response = client.get(reverse("home"))
    html = response.content.decode()
    assert panels_of(html) == ["cases-supervision", "core-operations"]
    figures = section(html, "cases-supervision")
    # Every case is past its first deadline; the sweep has put each under supervision.
    assert '<strong class="wb-value">12</strong> <span class="wb-label">overdue' in figures
    assert '<strong class="wb-value">12</strong> <span class="wb-label">supervised' in figures
    assert '<span class="wb-badge">Supervised</span>' in figures


def test_figures_are_grouped_as_the_reader_writes_numbers() -> None:
    with translation.override("en"):
        assert display.number(12345) == "12,345"
        assert display.percent(0.96523) == "96.5%"
    with translation.override("zh-hans"):
        assert display.number(1234567) == "1,234,567"
