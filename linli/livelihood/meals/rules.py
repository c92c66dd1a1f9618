"""Who sees and handles meal orders.

- Sub-district administrators: every point and order.
- Residents' committee staff and grid workers: the orders of the residents they see in the
  registry (``linli.people.rules``); committee staff order meals for them at any point.
- Meal-point operators (a membership whose organisation is the provider running the point):
  the orders at their own provider's points only, with the person's name and the meal: no tags,
  no ID or mobile number, no subsidy (which would tell a hardship status). They take orders at
  the point for the people who already eat there, and mark meals served.
- Leaders: the statistics (figures, no names).
- A resident: the orders of their own household, on their person page.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from linli.core import navigation, visibility
from linli.core.access import Access
from linli.core.roles import ADMINS, Role
from linli.core.visibility import Condition
from linli.livelihood.meals.models import MEAL_POINT, MealOrder
from linli.people.models import Person
from linli.people.rules import committees_of, persons, sees_sensitive
from linli.registry.models import Facility


def providers_of(access: Access) -> set[int]:
    """The provider organisations the person runs meal points for."""
    if not access.has_any({Role.MEAL_OPERATOR}):
        return set()
    return {
        m.organisation_id
        for m in access.memberships
        if m.role == Role.MEAL_OPERATOR and m.organisation_id is not None
    }


def is_operator(access: Access) -> bool:
    return not access.has_any(ADMINS) and bool(providers_of(access))


def points_for(access: Access) -> QuerySet[Facility]:
    """The meal points a person works with: an operator their provider's, staff who order or
    read the statistics every point of the sub-district."""
    points = Facility.objects.filter(category=MEAL_POINT).order_by("name")
    if access.has_any(ADMINS | {Role.LEADER}) or committees_of(access):
        return points
    providers = providers_of(access)
    return points.filter(operator_id__in=sorted(providers)) if providers else points.none()


def may_open_points(access: Access) -> bool:
    return (
        access.has_any(ADMINS | {Role.LEADER}) or bool(committees_of(access)) or is_operator(access)
    )


def may_order(access: Access) -> bool:
    """Taking orders: administrators, committee staff (for their residents), operators (at
    their points, for the people who eat there)."""
    return access.has_any(ADMINS) or bool(committees_of(access)) or is_operator(access)


def may_serve_any(access: Access) -> bool:
    """The day's list with the served button: operators, and administrators standing in."""
    return access.has_any(ADMINS) or is_operator(access)


def may_read_statistics(access: Access) -> bool:
    return access.has_any(ADMINS | {Role.LEADER})


def sees_subsidy(access: Access) -> bool:
    """A subsidy and its hardship status tell an assistance status (sensitive): those who see
    sensitive tags."""
    return sees_sensitive(access)


navigation.gate("meals:points", may_open_points)
navigation.gate("meals:day", may_open_points)
navigation.gate("meals:statistics", may_read_statistics)


@visibility.policy(MealOrder)
def orders(access: Access, action: str) -> Condition:
    """``view`` and ``cancel``: the orders of the persons one sees (staff; a resident their own
    household, to view), or at one's own points (operators). ``serve``: operators at their own
    points and administrators."""
    if access.has_any(ADMINS):
        return True
    providers = providers_of(access)
    at_points: Condition = Q(point__operator_id__in=sorted(providers)) if providers else False
    if action == "serve":
        return at_points
    of_persons = visibility.through(
        persons(access, "view" if action == "view" else "change"), "person"
    )
    return visibility.either(of_persons, at_points)


def orderable_persons(access: Access) -> QuerySet[Person]:
    """Whom a person may order for: staff the living residents they may change; an operator
    the people who already ate at one of their points (first orders come from the committee)."""
    living = Person.objects.filter(status=Person.Status.LIVING)
    if access.has_any(ADMINS) or committees_of(access):
        return living.filter(pk__in=Person.objects.visible_to(access, "change").values("pk"))
    providers = providers_of(access)
    if not providers:
        return living.none()
    diners = MealOrder.objects.filter(point__operator_id__in=sorted(providers)).values("person_id")
    return living.filter(pk__in=diners)
