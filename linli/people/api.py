"""Residents and homes API: the person search, a person, a dwelling and their histories.

Read only, through the same filter and visibility policy as the pages. ID and mobile numbers
are always masked here; the full value comes only from the audited unmask endpoint, for the
roles the personal-data register allows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from linli.core.filters import PageParams
from linli.core.http import access_of
from linli.people import rules, services
from linli.people.filters import PersonFilter, found
from linli.people.models import Dwelling, LifeEvent, Person
from linli.people.presenting import address_of, person_row, tags_in_force

router = Router(tags=["people"])


class PersonOut(Schema):
    id: int
    name: str
    sex: str
    age: int | None  # the date of birth is not shown: with the masked ID it would tell too much
    resident_id: str  # masked
    mobile: str  # masked
    status: str
    status_since: dt.date | None
    dwelling: int | None
    address: str
    registered_here: bool


class PersonPage(Schema):
    count: int
    page: int
    items: list[PersonOut]


class PersonDetailOut(PersonOut):
    registered_address: str
    household: str | None
    relation: str
    tags: list[str]


class LifeEventOut(Schema):
    on: dt.date
    kind: str
    person: int | None
    dwelling: int | None
    note: str


class DwellingOut(Schema):
    id: int
    address: str
    building: int
    floor: int
    floor_area_m2: Decimal
    use: str
    tenure: str
    built_year: int | None
    floors: int
    has_lift: bool
    residents: list[PersonOut]


def _person(request: HttpRequest, pk: int) -> Person:
    access = access_of(request)
    return get_object_or_404(
        Person.objects.visible_to(access).select_related(
            "dwelling__unit__building__quarter", "household"
        ),
        pk=pk,
    )


def _dwelling(request: HttpRequest, pk: int) -> Dwelling:
    access = access_of(request)
    return get_object_or_404(
        Dwelling.objects.visible_to(access).select_related("unit__building__quarter"), pk=pk
    )


def _events(request: HttpRequest, events: Any) -> list[dict[str, Any]]:
    visible = events.filter(pk__in=LifeEvent.objects.visible_to(access_of(request)).values("pk"))
    return [
        {
            "on": e.on,
            "kind": e.kind,
            "person": e.person_id,
            "dwelling": e.dwelling_id,
            "note": e.note,
        }
        for e in visible
    ]


@router.get("/persons", response=PersonPage, url_name="people_persons")
def list_persons(
    request: HttpRequest, filters: Query[PersonFilter], params: Query[PageParams]
) -> dict[str, Any]:
    """Search residents: by name in part, by the whole ID or mobile number, by address."""
    access = access_of(request)
    access.require(rules.may_search_residents(access))
    qs = found(access, filters)
    start = (params.page - 1) * params.page_size
    return {
        "count": qs.count(),
        "page": params.page,
        "items": [person_row(p) for p in qs[start : start + params.page_size]],
    }


@router.get("/persons/{pk}", response=PersonDetailOut, url_name="people_person")
def get_person(request: HttpRequest, pk: int) -> dict[str, Any]:
    person = _person(request, pk)
    return {
        **person_row(person),
        "registered_address": person.registered_address,
        "household": person.household.number if person.household else None,
        "relation": person.relation,
        "tags": tags_in_force(access_of(request), person),
    }


@router.get("/persons/{pk}/history", response=list[LifeEventOut], url_name="people_person_history")
def person_history(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    return _events(request, services.person_history(_person(request, pk)))


@router.get("/dwellings/{pk}", response=DwellingOut, url_name="people_dwelling")
def get_dwelling(request: HttpRequest, pk: int) -> dict[str, Any]:
    dwelling = _dwelling(request, pk)
    building = dwelling.unit.building
    residents = (
        Person.objects.visible_to(access_of(request))
        .filter(dwelling=dwelling, status=Person.Status.LIVING)
        .select_related("dwelling__unit__building__quarter")
    )
    return {
        "id": dwelling.pk,
        "address": address_of(dwelling),
        "building": building.pk,
        "floor": dwelling.floor,
        "floor_area_m2": dwelling.floor_area_m2,
        "use": dwelling.use,
        "tenure": dwelling.tenure,
        "built_year": building.built_year,
        "floors": building.floors,
        "has_lift": building.has_lift,
        "residents": [person_row(p) for p in residents],
    }


@router.get(
    "/dwellings/{pk}/history", response=list[LifeEventOut], url_name="people_dwelling_history"
)
def dwelling_history(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    return _events(request, services.dwelling_history(_dwelling(request, pk)))
