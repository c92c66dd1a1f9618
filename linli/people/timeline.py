"""What the services above the registry did for a person (meals, care visits, assessments),
on the person's page (``linli.core.timelines``). The registry knows none of those apps: each
registers with ``@person_provider`` in its own ``timeline.py`` and yields only what the reader
may see through its own ``visible_to``, so the person's page never shows more than the app's
pages would."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from linli.core.timelines import Timeline, TimelineEntry

if TYPE_CHECKING:
    from linli.core.access import Access
    from linli.people.models import Person

__all__ = ["TimelineEntry", "person_provider", "person_timeline"]

PERSON: Timeline[Person] = Timeline()
person_provider = PERSON.provider


def person_timeline(
    person: Person, access: Access, *, kinds: Iterable[str] | None = None
) -> list[TimelineEntry]:
    return PERSON.gather(person, access, kinds=kinds)
