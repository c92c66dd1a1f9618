"""Routing: ordered rules over category × place × channel, butler first, dispatch-centre fallback,
each decision explained on the case."""

from __future__ import annotations

from django_scopes import scopes_disabled

from linli.cases.models import Case, RoutingRule
from linli.cases.routing import route
from linli.cases.services import dispatch_case, register_case
from tests.factories import (
    BuildingFactory,
    EnterpriseFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)


def rule(office, **values) -> RoutingRule:
    values.setdefault("name", "rule")
    return RoutingRule.objects.create(subdistrict=office.subdistrict, **values)


def test_nothing_matches_so_the_dispatch_centre_triages_it(office, report, now):
    case = report()
    assert case.routed_organisation == office.centre
    assert case.routing_rule is None
    assert "No routing rule matched" in case.routing_reason
    assert "Centre" in case.routing_reason


def test_a_rule_on_a_parent_category_covers_its_subcategories(office, report, now):
    matched = rule(
        office,
        name="Incidents to urban management",
        category=office.incident,
        organisation=office.dept_a,
    )
    case = report()
    assert case.routed_organisation == office.dept_a
    assert case.routing_rule == matched
    assert case.routing_reason.startswith(f"Rule #{matched.pk} “Incidents to urban management”")
    assert "category “Incidents”" in case.routing_reason


def test_a_rule_without_subcategories_only_matches_its_own_category(office, report, now):
    rule(office, category=office.incident, include_subcategories=False, organisation=office.dept_a)
    assert report().routed_organisation == office.centre


def test_rules_are_tried_in_priority_order(office, report, now):
    rule(office, priority=20, category=office.battery, organisation=office.dept_a)
    first = rule(office, priority=10, category=office.incident, organisation=office.dept_b)
    case = report()
    assert case.routing_rule == first


def test_locality_first_at_equal_priority(office, report, now):
    """先属地后属主: the grid's rule beats the department's rule of the same priority."""
    rule(office, priority=10, category=office.battery, organisation=office.dept_a)
    local = rule(office, priority=10, grid=office.grid, organisation=office.dept_b)
    case = report()
    assert case.grid == office.grid  # found from the map pin
    assert case.routing_rule == local
    assert "place “G01 Grid 1”" in case.routing_reason


def test_channel_and_place_conditions_must_all_hold(office, report, now):
    rule(office, channel="hotline_12345", organisation=office.dept_a)
    other_grid_building = BuildingFactory(subdistrict=office.subdistrict)
    rule(office, building=other_grid_building, organisation=office.dept_b)
    rule(office, active=False, organisation=office.dept_b)
    assert report().routed_organisation == office.centre


def test_an_enterprise_appeal_goes_to_its_butler_first(office, now):
    butler = UserFactory(display_name="Butler Wang")
    desk = OrganisationFactory(subdistrict=office.subdistrict, code="BIZ", name="Business desk")
    with scopes_disabled():
        MembershipFactory(
            user=butler, subdistrict=office.subdistrict, role="butler", organisation=desk
        )
    building = BuildingFactory(subdistrict=office.subdistrict, grid=office.grid)
    enterprise = EnterpriseFactory(
        subdistrict=office.subdistrict, butler=butler, building=building, name="Acme Ltd"
    )
    member = UserFactory()
    with scopes_disabled():
        MembershipFactory(
            user=member,
            subdistrict=office.subdistrict,
            role="enterprise_member",
            enterprise=enterprise,
        )
    rule(office, priority=1, category=office.appeal, organisation=office.dept_a)
    from linli.cases.services import submit_case

    case = submit_case(
        actor=office.access(member),
        category=office.appeal,
        channel="web",
        description="How do we renew our food licence?",
        enterprise=enterprise,
    )
    assert case.routed_organisation == desk
    assert case.routed_assignee == butler
    assert case.building == building and case.grid == office.grid
    assert case.routing_reason == "An appeal of Acme Ltd goes to its butler Butler Wang first."

    # The dispatcher takes the suggestion: the butler becomes the assignee.
    register_case(case, actor=office.access(office.dispatcher))
    dispatch_case(case, desk, actor=office.access(office.dispatcher))
    assert case.assignee == butler


def test_a_butler_without_an_organisation_still_gets_the_appeal(office, now):
    butler = UserFactory()
    enterprise = EnterpriseFactory(subdistrict=office.subdistrict, butler=butler)
    unsaved = Case(
        subdistrict=office.subdistrict, category=office.appeal, channel="web", enterprise=enterprise
    )
    decision = route(unsaved)
    assert decision.assignee == butler
    assert decision.organisation == office.centre
