"""The main menu: each entry names the roles that see it, and offers a page only to whom the
page itself lets in.

A role is not always enough: joint inspections are for handlers of an inspecting department,
not for the dispatch centre's handlers. Core knows no app, so an app whose page asks more than
a role registers that same question for the page's menu entry (``gate``), in its ``rules.py``;
the menu asks it, and the page asks it, so the menu never leads to a refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.core.access import Access
from linli.core.roles import ADMINS, EVERYONE, PUBLIC, STAFF, WHOLE_AREA, Role


@dataclass(frozen=True)
class MenuItem:
    label: str | Promise
    url_name: str
    roles: frozenset[str]
    kind: str = ""


# url name -> who among the entry's roles may open the page (registered by the page's app).
GATES: dict[str, Callable[[Access], bool]] = {}


def gate(url_name: str, may_open: Callable[[Access], bool]) -> None:
    """Offer the menu entry of ``url_name`` only to whom ``may_open`` lets in: the question the
    page's view asks before it answers."""
    GATES[url_name] = may_open


MENU: list[MenuItem] = [
    MenuItem(_("Home"), "home", EVERYONE),
    MenuItem(_("Workbench"), "cases:workbench", STAFF),
    MenuItem(_("Report a problem"), "cases:report", EVERYONE),
    MenuItem(_("My cases"), "cases:mine", EVERYONE - STAFF),
    MenuItem(_("Case entry"), "cases:intake", ADMINS | {Role.HANDLER, Role.WINDOW_STAFF}),
    MenuItem(_("Patrol report"), "cases:patrol", frozenset({Role.GRID_WORKER})),
    MenuItem(_("Building report"), "cases:building_report", frozenset({Role.BUILDING_MANAGER})),
    MenuItem(_("Case map"), "cases:map", STAFF),
    MenuItem(_("Case metrics"), "cases:metrics", ADMINS | {Role.LEADER, Role.HANDLER}),
    MenuItem(_("Map"), "registry:map", STAFF | {Role.BUILDING_MANAGER}),
    MenuItem(_("Organisations"), "registry:list", STAFF, "organisation"),
    MenuItem(_("Grids"), "registry:list", STAFF, "grid"),
    MenuItem(_("Quarters"), "registry:list", STAFF, "quarter"),
    MenuItem(_("Buildings"), "registry:list", STAFF | {Role.BUILDING_MANAGER}, "building"),
    MenuItem(
        _("Enterprises"),
        "registry:list",
        STAFF | {Role.BUILDING_MANAGER, Role.ENTERPRISE_MEMBER},
        "enterprise",
    ),
    MenuItem(_("Facilities"), "registry:list", EVERYONE, "facility"),
    # Residents: committee staff are handlers of a neighbourhood committee (people.rules).
    MenuItem(_("Residents"), "people:search", ADMINS | {Role.GRID_WORKER, Role.HANDLER}),
    MenuItem(_("Life circle"), "lifecircle:map", STAFF),
    # Caring visits: committee staff are handlers of a neighbourhood committee (caring.rules).
    MenuItem(
        _("People to visit"),
        "caring:mine",
        ADMINS | {Role.VOLUNTEER, Role.GRID_WORKER, Role.HANDLER},
    ),
    MenuItem(_("Caring-visit plans"), "caring:plans", ADMINS | {Role.GRID_WORKER, Role.HANDLER}),
    MenuItem(
        _("老伙伴 groups"),
        "caring:companions",
        ADMINS | {Role.VOLUNTEER, Role.GRID_WORKER, Role.HANDLER},
    ),
    MenuItem(_("Urgent elder alert"), "caring:alert", ADMINS | {Role.CAREGIVER, Role.HANDLER}),
    MenuItem(_("Caring-visit coverage"), "caring:statistics", ADMINS | {Role.LEADER, Role.HANDLER}),
    MenuItem(_("Meal points"), "meals:points", STAFF | {Role.MEAL_OPERATOR}),
    MenuItem(_("Meals today"), "meals:day", frozenset({Role.MEAL_OPERATOR})),
    MenuItem(_("Meal statistics"), "meals:statistics", ADMINS | {Role.LEADER}),
    MenuItem(_("Service catalog"), "catalog:home", EVERYONE),
    MenuItem(_("Book a room"), "bookings:grid", EVERYONE),
    MenuItem(_("My bookings"), "bookings:mine", EVERYONE),
    MenuItem(_("All bookings"), "bookings:list", ADMINS | {Role.WINDOW_STAFF}),
    MenuItem(_("Booking approvals"), "bookings:approvals", ADMINS | {Role.WINDOW_STAFF}),
    MenuItem(_("Bookable resources"), "bookings:manage", ADMINS),
    MenuItem(_("Counter console"), "queue:console", ADMINS | {Role.WINDOW_STAFF}),
    MenuItem(_("Queue statistics"), "queue:stats", ADMINS | {Role.LEADER, Role.WINDOW_STAFF}),
    MenuItem(_("Kiosks and calling screens"), "queue:devices", ADMINS | {Role.WINDOW_STAFF}),
    MenuItem(_("Events"), "events:list", EVERYONE),
    MenuItem(_("My event registrations"), "events:mine", EVERYONE),
    MenuItem(_("Event admin"), "events:manage", ADMINS | {Role.WINDOW_STAFF, Role.LEADER}),
    MenuItem(_("Policies"), "policies:library", EVERYONE),
    MenuItem(_("My policies"), "policies:mine", frozenset({Role.ENTERPRISE_MEMBER})),
    MenuItem(_("Unclaimed benefits"), "policies:unclaimed", ADMINS | {Role.LEADER, Role.BUTLER}),
    MenuItem(
        _("Enterprise service"),
        "retention:portfolio",
        STAFF | {Role.BUILDING_MANAGER, Role.ENTERPRISE_MEMBER},
    ),
    MenuItem(_("Relocation watch list"), "retention:watchlist", ADMINS | {Role.LEADER}),
    MenuItem(_("Investment pipeline"), "investment:board", ADMINS | {Role.LEADER, Role.AMBASSADOR}),
    MenuItem(_("Cockpit"), "cockpit:overview", ADMINS | {Role.LEADER}),
    MenuItem(_("Alerts"), "cockpit:alerts", ADMINS | {Role.LEADER}),
    MenuItem(pgettext_lazy("cockpit", "Reports"), "cockpit:reports", ADMINS | {Role.LEADER}),
    MenuItem(
        _("Building dashboards"),
        "cockpit:index",
        ADMINS | {Role.LEADER, Role.BUTLER, Role.BUILDING_MANAGER},
    ),
    MenuItem(
        _("Park Assistant"),
        "park:home",
        ADMINS | {Role.BUILDING_MANAGER, Role.ENTERPRISE_MEMBER},
    ),
    MenuItem(
        _("Lift installation"), "lifts:list", ADMINS | {Role.LEADER, Role.HANDLER, Role.GRID_WORKER}
    ),
    MenuItem(_("Joint inspections"), "inspections:plans", ADMINS | {Role.LEADER, Role.HANDLER}),
    MenuItem(_("Food safety"), "foodsafety:list", WHOLE_AREA),
    MenuItem(_("People's mediation"), "mediation:list", STAFF),
    # Group rentals: departments' and committees' handlers, grid workers (rentals.rules).
    MenuItem(
        _("Group rentals"), "rentals:list", ADMINS | {Role.LEADER, Role.HANDLER, Role.GRID_WORKER}
    ),
    # Sporadic works: staff of the area; residents and shops see their own (works.rules).
    MenuItem(_("Sporadic works"), "works:list", STAFF | PUBLIC),
    # Elderly care: committee staff are handlers of a neighbourhood committee (eldercare.rules).
    MenuItem(_("Elderly care"), "eldercare:elders", ADMINS | {Role.HANDLER}),
    MenuItem(_("Today's visits"), "eldercare:today", frozenset({Role.CAREGIVER})),
    MenuItem(_("Care hours"), "eldercare:hours", ADMINS | {Role.HANDLER, Role.CAREGIVER}),
    MenuItem(_("Care homes"), "eldercare:care_homes", ADMINS | {Role.HANDLER}),
    MenuItem(_("Care statistics"), "eldercare:statistics", ADMINS | {Role.HANDLER, Role.LEADER}),
    MenuItem(_("Grid patrols"), "patrols:home", ADMINS | {Role.LEADER, Role.GRID_WORKER}),
    MenuItem(_("Patrol coverage"), "patrols:coverage", ADMINS | {Role.LEADER, Role.GRID_WORKER}),
    # Committee staff are handlers of a neighbourhood committee (charging.rules).
    MenuItem(
        _("E-bike charging reports"),
        "charging:repeats",
        ADMINS | {Role.LEADER, Role.GRID_WORKER, Role.HANDLER},
    ),
    MenuItem(
        _("Charging point coverage"),
        "charging:coverage",
        ADMINS | {Role.GRID_WORKER, Role.HANDLER},
    ),
    MenuItem(_("Inbox"), "inbox", EVERYONE),
    MenuItem(_("API tokens"), "api_tokens", EVERYONE),
    MenuItem(_("My data"), "my_data", EVERYONE),
    MenuItem(_("Personal-data requests"), "data_rights", ADMINS),
    MenuItem(_("Audit log"), "audit_log", ADMINS | {Role.LEADER}),
    MenuItem(_("Work calendar"), "work_calendar", ADMINS),
    MenuItem(_("Rule parameters"), "parameter_list", ADMINS | {Role.LEADER}),
]


def menu_for(access: Access) -> list[dict[str, str]]:
    return [
        {
            "label": str(item.label),
            "url": reverse(item.url_name, kwargs={"kind": item.kind} if item.kind else None),
            "name": item.kind or item.url_name,
        }
        for item in MENU
        if access.has_any(item.roles) and GATES.get(item.url_name, _anyone)(access)
    ]


def _anyone(access: Access) -> bool:
    return True
