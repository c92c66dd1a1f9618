"""Cases about an elder, opened through the cases engine's own verbs.

The case is taken in (``submit``), then registered and dispatched at once (by the system, as
the dispatch centre would) to the residents' committee of the quarter the elder actually lives
in, so its acceptance clock (1 working hour for urgent ones) runs from now and the SLA sweep
reminds and escalates it like any other case. An elder whose quarter has no committee stays
with the dispatch centre, routed by the engine's rules.
"""

from __future__ import annotations

from django.db import transaction

from linli.cases.models import Case, Channel
from linli.cases.services import register_and_dispatch, submit_case
from linli.core.access import Access
from linli.core.models import Organisation
from linli.livelihood.caring import categories
from linli.people.models import Person
from linli.people.presenting import address_of
from linli.registry.models import Quarter


def quarter_of(person: Person) -> Quarter | None:
    if person.dwelling_id is None:
        return None
    return person.dwelling.unit.building.quarter  # type: ignore[union-attr]


def committee_of(person: Person) -> Organisation | None:
    quarter = quarter_of(person)
    return quarter.committee if quarter is not None else None


def open_case(*, actor: Access, code: str, person: Person, title: str, description: str) -> Case:
    """A case about ``person`` under the caring category ``code``, reported by ``actor`` (the
    system: no reporter), dispatched to the elder's residents' committee."""
    subdistrict = person.subdistrict
    system = Access.system(subdistrict)
    reporter = actor if actor.user is not None else system
    quarter = quarter_of(person)
    with transaction.atomic():
        case = submit_case(
            actor=reporter,
            category=categories.category(subdistrict, code),
            channel=Channel.WEB,
            title=title,
            description=description,
            address=address_of(person.dwelling),
            quarter=quarter,
            anonymous=actor.user is None,
        )
        committee = quarter.committee if quarter is not None else None
        if committee is not None:
            register_and_dispatch(case, committee, actor=system)
    return case
