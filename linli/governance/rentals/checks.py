"""The group-rental rules applied to an inspection's rooms (plain Python, no database).

- At most ``max_per_room`` people sleep in one room, unless they are one family.
- Rooms not designed for living (kitchen, bathroom, balcony, storeroom) are never let: anyone
  sleeping there is a breach.
- The original living area (bedrooms, living rooms and other rooms designed for living) divided
  by everyone sleeping in the dwelling is at least ``min_area`` m² (art. 10: the area is that of
  the rooms originally designed for living, whoever sleeps where).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from linli.core.parameters import Version
from linli.governance.rentals.parameters import MAX_PER_ROOM, MIN_AREA

LIVING = frozenset({"bedroom", "living_room", "other"})
NOT_FOR_LIVING = frozenset({"kitchen", "bathroom", "balcony", "storeroom"})

OCCUPANCY = "occupancy"
NON_LIVING_ROOM = "non_living_room"
AREA = "area_per_person"
RULE_LABELS = {
    OCCUPANCY: gettext_lazy("Too many people in one room"),
    NON_LIVING_ROOM: gettext_lazy("A room not designed for living is let"),
    AREA: gettext_lazy("Too little living area per person"),
}


@dataclass(frozen=True)
class RoomFacts:
    position: int
    kind: str
    area_m2: Decimal
    sleepers: int
    one_family: bool = False


@dataclass(frozen=True)
class Breach:
    rule: str
    room: int | None  # the room's position; None: the whole dwelling
    figures: dict[str, str]  # what ``describe`` words, in the reader's language
    parameter: str
    limit: str
    version: int | None

    def as_json(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "room": self.room,
            "figures": self.figures,
            "parameter": self.parameter,
            "limit": self.limit,
            "version": self.version,
        }


def check(rooms: Sequence[RoomFacts], *, max_per_room: Version, min_area: Version) -> list[Breach]:
    """Every breach of the rooms, room by room, then the dwelling's area per person."""
    breaches: list[Breach] = []
    most = int(max_per_room.value)
    for room in rooms:
        if room.kind in NOT_FOR_LIVING and room.sleepers > 0:
            breaches.append(
                Breach(
                    NON_LIVING_ROOM,
                    room.position,
                    {"people": str(room.sleepers)},
                    "",
                    "0",
                    None,
                )
            )
        elif room.sleepers > most and not room.one_family:
            breaches.append(
                Breach(
                    OCCUPANCY,
                    room.position,
                    {"people": str(room.sleepers)},
                    MAX_PER_ROOM,
                    str(most),
                    max_per_room.pk,
                )
            )
    people = sum(room.sleepers for room in rooms)
    living = sum((room.area_m2 for room in rooms if room.kind in LIVING), Decimal(0))
    least = Decimal(str(min_area.value))
    if people and living < least * people:
        breaches.append(
            Breach(
                AREA,
                None,
                {
                    "area": _plain(living),
                    "people": str(people),
                    "each": _plain((living / people).quantize(Decimal("0.01"))),
                    "least": _plain(least),
                },
                MIN_AREA,
                _plain(least),
                min_area.pk,
            )
        )
    return breaches


def describe(breach: dict[str, object]) -> str:
    """A stored breach in the reader's language."""
    figures = breach.get("figures") or {}
    assert isinstance(figures, dict)  # noqa: S101 - written by Breach.as_json
    people = int(figures.get("people") or 0)
    if breach.get("rule") == NON_LIVING_ROOM:
        return (
            ngettext(
                "%(people)s person sleeps in a room not designed for living.",
                "%(people)s people sleep in a room not designed for living.",
                people,
            )
            % figures
        )
    if breach.get("rule") == OCCUPANCY:
        return (
            ngettext(
                "%(people)s person who is not one family sleeps in this room.",
                "%(people)s people who are not one family sleep in this room.",
                people,
            )
            % figures
        )
    return (
        _(
            "%(area)s m² of original living area for %(people)s people: "
            "%(each)s m² each, less than %(least)s m²."
        )
        % figures
    )


def _plain(number: Decimal) -> str:
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
