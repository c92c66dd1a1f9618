"""The verbs of meals: order a meal, mark it served, cancel it.

Each checks its rule, runs in one transaction and writes an audit row. An order is refused when
the point is full that day (its capacity is meals a day, lunch and dinner together), never
squeezed in; the point's row is locked while it is counted, so two orders at once cannot both
take the last meal.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from linli.core import audit, clock, visibility
from linli.core.access import Access
from linli.livelihood.meals import rules, subsidy
from linli.livelihood.meals.models import MEAL_POINT, MealOrder
from linli.people.models import Person
from linli.registry.models import Facility


def _facts(order: MealOrder) -> dict[str, Any]:
    """What an audit row says about an order: no name, no status tag."""
    return {
        "point": order.point_id,
        "person": order.person_id,
        "day": order.day.isoformat(),
        "meal": order.meal,
        "mode": order.mode,
        "status": order.status,
        "subsidy": str(order.subsidy),
    }


def place_order(
    actor: Access,
    *,
    point: Facility,
    person: Person,
    day: dt.date,
    meal: str,
    mode: str,
) -> MealOrder:
    """One meal for ``person`` at ``point`` on ``day``, priced and subsidised by the rules in
    force that day."""
    actor.require(rules.may_order(actor))
    if not rules.points_for(actor).filter(pk=point.pk).exists():
        raise Http404
    if not rules.orderable_persons(actor).filter(pk=person.pk).exists():
        raise Http404
    errors: dict[str, list[str]] = {}
    if meal not in MealOrder.Meal.values:
        errors["meal"] = [_("Choose lunch or dinner.")]
    if mode not in MealOrder.Mode.values:
        errors["mode"] = [_("Choose dine in or delivery.")]
    if day < clock.today():
        errors["day"] = [_("Meals are ordered for today or a later day.")]
    if mode == MealOrder.Mode.DELIVERY and not subsidy.lives_here(person):
        errors["mode"] = [
            _("Meals are delivered only to a home in this sub-district; this person has none.")
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Facility.objects.select_for_update().get(pk=point.pk, category=MEAL_POINT)
        _refuse_when_full(locked, day)
        if MealOrder.objects.filter(
            person=person, day=day, meal=meal, status__in=_open_or_served()
        ).exists():
            raise ValidationError(
                {"meal": [_("This person already has this meal ordered for that day.")]}
            )
        decision = subsidy.decide(person, day)
        order = MealOrder.objects.create(
            subdistrict=locked.subdistrict,
            point=locked,
            person=person,
            day=day,
            meal=meal,
            mode=mode,
            deliver_to_id=person.dwelling_id if mode == MealOrder.Mode.DELIVERY else None,
            price=decision.price,
            subsidy=decision.subsidy,
            lives_here=decision.lives_here,
            age_band=decision.age_band,
            hardship=decision.hardship,
            rule_versions=decision.versions,
            ordered_by=actor.user,
        )
        audit.record(actor, "meals.order.place", order, after=_facts(order))
    return order


def _open_or_served() -> list[str]:
    return [MealOrder.Status.ORDERED, MealOrder.Status.SERVED]


def _refuse_when_full(point: Facility, day: dt.date) -> None:
    if not point.capacity:
        raise ValidationError(
            {
                "point": [
                    _(
                        "%(point)s has no daily capacity recorded; the administrator records "
                        "it on the facility first."
                    )
                    % {"point": point.name}
                ]
            }
        )
    taken = MealOrder.objects.filter(point=point, day=day, status__in=_open_or_served()).count()
    if taken >= point.capacity:
        raise ValidationError(
            {
                "point": [
                    _(
                        "%(point)s is full on %(day)s: %(taken)s of %(capacity)s meals are "
                        "ordered. Choose another point or day."
                    )
                    % {
                        "point": point.name,
                        "day": date_format(day, "SHORT_DATE_FORMAT"),
                        "taken": taken,
                        "capacity": point.capacity,
                    }
                ]
            }
        )


def serve_order(actor: Access, order: MealOrder) -> MealOrder:
    """The meal was eaten at the point or handed over at the door."""
    actor.require(visibility.allows(actor, order, "serve"))
    with transaction.atomic():
        order = MealOrder.objects.select_for_update().get(pk=order.pk)
        if order.status != MealOrder.Status.ORDERED:
            raise ValidationError({"status": [_("Only an ordered meal can be marked served.")]})
        before = _facts(order)
        order.status = MealOrder.Status.SERVED
        order.served_at = clock.now()
        order.served_by = actor.user
        order.save(update_fields=["status", "served_at", "served_by"])
        audit.record(actor, "meals.order.serve", order, before=before, after=_facts(order))
    return order


def cancel_order(actor: Access, order: MealOrder) -> MealOrder:
    actor.require(rules.may_order(actor) and visibility.allows(actor, order, "cancel"))
    with transaction.atomic():
        order = MealOrder.objects.select_for_update().get(pk=order.pk)
        if order.status != MealOrder.Status.ORDERED:
            raise ValidationError({"status": [_("Only an ordered meal can be cancelled.")]})
        before = _facts(order)
        order.status = MealOrder.Status.CANCELLED
        order.cancelled_at = clock.now()
        order.cancelled_by = actor.user
        order.save(update_fields=["status", "cancelled_at", "cancelled_by"])
        audit.record(actor, "meals.order.cancel", order, before=before, after=_facts(order))
    return order
