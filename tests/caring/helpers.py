"""A small caring neighbourhood: the people tests' two quarters (a committee for the first),
both residents aged 75+ and living alone, and the people who visit them."""

from __future__ import annotations

import datetime as dt

from linli.core import clock
from linli.core.access import Access
from linli.people import services as people
from linli.people.models import Person, PersonTag, TagKind

SHANGHAI = clock.local_zone
# A Wednesday, a working day, at 10:00 in Shanghai.
NOW = dt.datetime(2026, 3, 11, 2, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 3, 11)


def living_alone(person: Person, *, since: dt.date = dt.date(2026, 3, 1)) -> PersonTag:
    system = Access.system(person.subdistrict)
    return people.set_tag(
        system,
        person,
        kind=TagKind.objects.get(code="living_alone"),
        source=PersonTag.Source.SURVEY,
        valid_from=since,
        reason="Committee survey",
    )


def set_clock(monkeypatch, moment: dt.datetime) -> None:
    monkeypatch.setattr(clock, "now", lambda: moment)
