"""The person search, for its page and its API endpoint alike.

A name matches in part; an ID or mobile number only exactly, through its keyed look-up hash (the
numbers are encrypted, so nothing else could match them); an address matches the quarter, the
building's number or address, or the dwelling's number. Archived records are left out unless
asked for (and only administrators can see them at all: ``rules.persons``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from pydantic import Field

from linli.core import clock
from linli.core.access import Access
from linli.core.filters import ListFilter
from linli.core.pii import lookup_hash, normalise_mobile, normalise_resident_id
from linli.people.models import Dwelling, Person, PersonTag
from linli.people.retention import years_before


class PersonFilter(ListFilter):
    name: str | None = Field(None, max_length=50, description="Part of the name")
    resident_id: str | None = Field(None, max_length=30, description="The whole ID number")
    mobile: str | None = Field(None, max_length=20, description="The whole mobile number")
    address: str | None = Field(
        None, max_length=100, description="Quarter, building or dwelling number, in part"
    )
    status: Person.Status | None = Field(None, description="living, moved_out or deceased")
    tag: str | None = Field(
        None, max_length=30, description="A tag in force today, by its code (living_alone…)"
    )
    aged_from: int | None = Field(None, ge=0, le=130, description="Aged at least, today")
    archived: bool = Field(
        False, description="Include archived records (only administrators read them)"
    )

    def custom_expression(self) -> Q:
        condition = Q()
        if name := (self.name or "").strip():
            condition &= Q(name__icontains=name)
        if self.resident_id and self.resident_id.strip():
            condition &= Q(resident_id_hash=lookup_hash(normalise_resident_id(self.resident_id)))
        if self.mobile and self.mobile.strip():
            condition &= Q(mobile_hash=lookup_hash(normalise_mobile(self.mobile)))
        if address := (self.address or "").strip():
            words = address.split()
            for word in words:
                condition &= (
                    Q(dwelling__unit__building__quarter__name__icontains=word)
                    | Q(dwelling__unit__building__number__icontains=word)
                    | Q(dwelling__unit__building__address__icontains=word)
                    | Q(dwelling__unit__number__icontains=word)
                    | Q(dwelling__number__icontains=word)
                )
        if self.status:
            condition &= Q(status=self.status)
        if self.aged_from is not None:
            condition &= Q(birth_date__lte=years_before(clock.today(), self.aged_from))
        if not self.archived:
            condition &= Q(archived_on__isnull=True)
        return condition

    @property
    def is_empty(self) -> bool:
        return (
            not any(
                (getattr(self, f) or "").strip()
                for f in ("name", "resident_id", "mobile", "address")
            )
            and not self.status
        )


def found(access: Access, filters: PersonFilter) -> QuerySet[Any]:
    """The persons the filters find among those the person may see; merged records are
    reached through the record they were merged into."""
    qs = filters.apply(Person.objects.visible_to(access))
    if filters.tag:
        # Through the tags the reader may see: a sensitive tag filters nothing for a grid
        # worker, whose search must not tell who carries it.
        qs = qs.filter(pk__in=tagged(access, filters.tag, clock.today()).values("person_id"))
    return (
        qs.exclude(status=Person.Status.MERGED)
        .select_related("dwelling__unit__building__quarter")
        .order_by("name", "pk")
    )


def tagged(access: Access, code: str, day: dt.date) -> QuerySet[PersonTag]:
    """The tags of kind ``code`` the reader may see, in force on ``day``."""
    return PersonTag.objects.visible_to(access).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=day),
        Q(ended_on__isnull=True) | Q(ended_on__gt=day),
        kind__code=code,
        valid_from__lte=day,
    )


def dwellings_matching(access: Access, text: str) -> QuerySet[Dwelling]:
    """The dwellings a person may move residents into whose address has every word of
    ``text`` (quarter, building, unit or dwelling number); all of them for an empty text."""
    words = text.split()
    qs = Dwelling.objects.visible_to(access, "change")
    for word in words:
        qs = qs.filter(
            Q(unit__building__quarter__name__icontains=word)
            | Q(unit__building__number__icontains=word)
            | Q(unit__building__address__icontains=word)
            | Q(unit__number__icontains=word)
            | Q(number__icontains=word)
        )
    return qs.select_related("unit__building__quarter").order_by(
        "unit__building__quarter__name", "unit__building__number", "unit__number", "number", "pk"
    )


def persons_matching(access: Access, name: str, resident_id: str) -> QuerySet[Any]:
    """The person search, for a form that picks a person: by name (in part) or whole ID;
    none when both are empty. The terms come checked by the form's fields, whose limits are
    the filter's."""
    if not (name or resident_id):
        return Person.objects.none()
    filters = PersonFilter.model_validate(
        {"name": name or None, "resident_id": resident_id or None}
    )
    return found(access, filters)
