"""What the pages and the API show of residents: masked numbers, age, tags in force, where a
person lives. One place, so no surface shows more than another."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from linli.core import clock
from linli.core.access import Access
from linli.people.models import Dwelling, Person, PersonTag, TagKind


def address_of(dwelling: Dwelling | None) -> str:
    if dwelling is None:
        return ""
    building = dwelling.unit.building
    return f"{building.quarter.name} {building.number} {dwelling.unit.number} {dwelling.number}"


def tags_in_force(access: Access, person: Person) -> list[str]:
    """The tags the reader may see that hold today, the age tags from the date of birth."""
    today = clock.today()
    age = person.age_on(today)
    labels = [
        str(kind)
        for kind in TagKind.objects.filter(from_age__isnull=False).order_by("-from_age")
        if age is not None and age >= (kind.from_age or 0)
    ][:1]
    for tag in visible_tags(access, person):
        if tag.in_force_on(today):
            labels.append(f"{tag.kind} {tag.grade}".strip())
    return labels


def visible_tags(access: Access, person: Person) -> QuerySet[PersonTag]:
    return PersonTag.objects.visible_to(access).filter(person=person).select_related("kind")


def person_row(person: Person) -> dict[str, Any]:
    """A person as a list shows them: numbers masked."""
    return {
        "id": person.pk,
        "name": person.name,
        "sex": person.sex,
        "age": person.age_on(clock.today()),
        "resident_id": person.resident_id_masked,
        "mobile": person.mobile_masked,
        "status": person.status,
        "status_since": person.status_since,
        "dwelling": person.dwelling_id,
        "address": address_of(person.dwelling),
        "registered_here": person.registered_here,
    }
