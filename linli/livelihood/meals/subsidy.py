"""The price and subsidy of one meal for one person on one day.

The subsidy follows the actual residence: only a person living in the sub-district (a dwelling
of this sub-district's registry, status "living here") is subsidised here, whatever their
registered residence (人户分离 residents living here are; a person registered here who lives
elsewhere is not). It is the amount of the person's age band plus the highest supplement of
the hardship statuses in force that day, never more than the price.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from linli.core import parameters
from linli.livelihood.meals.parameters import AGE_BANDS, HARDSHIP, PRICE
from linli.people.models import Person, PersonTag


@dataclass(frozen=True)
class Decision:
    price: Decimal
    subsidy: Decimal
    lives_here: bool
    age_band: int | None = None
    hardship: str = ""
    versions: dict[str, int | None] = field(default_factory=dict)


def lives_here(person: Person) -> bool:
    return person.status == Person.Status.LIVING and person.dwelling_id is not None


def hardship_codes(person: Person, day: dt.date) -> set[str]:
    """The hardship statuses in force on ``day``; read here for the decision only (the tags are
    sensitive, and the order shows them only to those who see sensitive tags)."""
    codes = {code for code, _key in HARDSHIP}
    tags = PersonTag.objects.filter(person=person, kind__code__in=codes).select_related("kind")
    return {t.kind.code for t in tags if t.in_force_on(day)}


def decide(person: Person, day: dt.date) -> Decision:
    price = parameters.value(PRICE, on=day)
    versions: dict[str, int | None] = {PRICE: price.pk}
    if not lives_here(person):
        return Decision(Decimal(price.value), Decimal(0), False, versions=versions)
    age = person.age_on(day)
    band = next(((low, key) for low, key in AGE_BANDS if age is not None and age >= low), None)
    if band is None:
        return Decision(Decimal(price.value), Decimal(0), True, versions=versions)
    amount = parameters.value(band[1], on=day)
    versions[band[1]] = amount.pk
    total = Decimal(amount.value)
    held = hardship_codes(person, day)
    supplements = [
        (parameters.value(key, on=day), code, key) for code, key in HARDSHIP if code in held
    ]
    hardship = ""
    if supplements:
        best, hardship, key = max(supplements, key=lambda s: Decimal(s[0].value))
        versions[key] = best.pk
        total += Decimal(best.value)
    return Decision(
        price=Decimal(price.value),
        subsidy=min(total, Decimal(price.value)),
        lives_here=True,
        age_band=band[0],
        hardship=hardship,
        versions=versions,
    )
