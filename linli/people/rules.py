"""Who sees and changes residents and homes.

- Sub-district administrators: every record of the sub-district.
- Residents' committee staff (a staff member whose organisation is a neighbourhood committee,
  居委会): the quarters of that committee.
- Grid workers: the residential buildings of their grid.
- Everyone else on the staff (handlers, window staff, butlers, leaders…) sees no person: no case
  or service they hold is linked to a person yet.
- Enterprises and building managers see nothing; a resident sees the persons of their own
  household (the person records linked to their account) and its dwelling.

Sensitive tags (health, disability, assistance: PIPL art. 28) are shown only to administrators
and committee staff, whose purpose (assistance, care) needs them; unmasking an ID number too.
"""

from __future__ import annotations

from django.db.models import Q

from linli.core import navigation, visibility
from linli.core.access import Access
from linli.core.models import Organisation
from linli.core.roles import ADMINS, STAFF, Role
from linli.core.visibility import Condition
from linli.people.models import (
    ConsentRecord,
    Dwelling,
    Household,
    LifeEvent,
    Ownership,
    Person,
    PersonTag,
    Rental,
    ResidentialBuilding,
    Unit,
)


def committees_of(access: Access) -> set[int]:
    """The neighbourhood committees the person works at as staff."""
    return {
        m.organisation.pk
        for m in access.memberships
        if m.role in STAFF
        and m.organisation is not None
        and m.organisation.kind == Organisation.Kind.COMMITTEE
    }


def grids_of(access: Access) -> set[int]:
    if not access.has_any({Role.GRID_WORKER}):
        return set()
    return {m.grid_id for m in access.memberships if m.role == Role.GRID_WORKER and m.grid_id}


def may_search_residents(access: Access) -> bool:
    """The search page and list: administrators, grid workers and committee staff (staff of a
    neighbourhood committee). Each finds only the residents of their own area; a department's
    handler has none, so is not offered a search that could only come back empty."""
    return access.has_any(ADMINS | {Role.GRID_WORKER}) or bool(committees_of(access))


navigation.gate("people:search", may_search_residents)


def _own_household(access: Access, path: str) -> Condition:
    """Rows of the household of the resident's own person record, through ``path`` to a
    person-like relation (``""`` for persons themselves)."""
    if access.user is None or not access.has_any({Role.RESIDENT}):
        return False
    households = Person.objects.filter(user_id=access.user.pk, household__isnull=False).values(
        "household_id"
    )
    own = Q(user_id=access.user.pk) | Q(household_id__in=households)
    return visibility.through(own, path) if path else own


@visibility.policy(ResidentialBuilding)
def buildings(access: Access, action: str) -> Condition:
    """The residential buildings a person works on: the sub-district for administrators, the
    committee's quarters, the grid worker's grid."""
    if access.has_any(ADMINS):
        return True
    committees, grids = committees_of(access), grids_of(access)
    return visibility.either(
        Q(quarter__committee_id__in=sorted(committees)) if committees else False,
        Q(grid_id__in=sorted(grids)) if grids else False,
    )


@visibility.policy(Unit)
def units(access: Access, action: str) -> Condition:
    return visibility.through(buildings(access, action), "building")


@visibility.policy(Dwelling)
def dwellings(access: Access, action: str) -> Condition:
    """Staff as for the building; a resident the dwelling of their own household."""
    own: Condition = False
    if action == "view" and access.user is not None and access.has_any({Role.RESIDENT}):
        own = Q(pk__in=Person.objects.filter(_own_household(access, "")).values("dwelling_id"))
    return visibility.either(visibility.through(buildings(access, action), "unit__building"), own)


@visibility.policy(Person)
def persons(access: Access, action: str) -> Condition:
    """Staff: the persons whose actual residence is in a building they work on (a person with
    no dwelling here: administrators only). A resident: their own household, to read.

    An archived record (``retention.archive_expired``) is out of daily work: administrators
    still read it, nobody changes it."""
    condition = visibility.either(
        visibility.through(buildings(access, action), "dwelling__unit__building"),
        _own_household(access, "") if action == "view" else False,
    )
    if action == "view" and access.has_any(ADMINS):
        return condition
    return _and(Q(archived_on__isnull=True), condition)


@visibility.policy(Household)
def households(access: Access, action: str) -> Condition:
    own: Condition = False
    if action == "view" and access.user is not None and access.has_any({Role.RESIDENT}):
        own = Q(pk__in=Person.objects.filter(user_id=access.user.pk).values("household_id"))
    return visibility.either(
        visibility.through(buildings(access, action), "dwelling__unit__building"), own
    )


def sees_sensitive(access: Access) -> bool:
    """Health, disability and assistance: administrators and committee staff (assistance and
    care are their work); grid workers and residents see the ordinary tags only."""
    return access.has_any(ADMINS) or bool(committees_of(access))


@visibility.policy(PersonTag)
def tags(access: Access, action: str) -> Condition:
    of_persons = visibility.through(persons(access, action), "person")
    if sees_sensitive(access) or of_persons is False:
        return of_persons
    ordinary = Q(kind__sensitive=False)
    return ordinary if of_persons is True else ordinary & of_persons


@visibility.policy(ConsentRecord)
def consents(access: Access, action: str) -> Condition:
    return visibility.through(persons(access, action), "person")


@visibility.policy(Ownership)
@visibility.policy(Rental)
def dwelling_records(access: Access, action: str) -> Condition:
    return visibility.through(dwellings(access, action), "dwelling")


@visibility.policy(LifeEvent)
def events(access: Access, action: str) -> Condition:
    """A person's events where the person is visible; a dwelling's own events (owners,
    rentals) where the dwelling is."""
    of_person = visibility.through(persons(access, action), "person")
    of_dwelling = visibility.through(dwellings(access, action), "dwelling")
    return visibility.either(
        _and(Q(person__isnull=False), of_person), _and(Q(person__isnull=True), of_dwelling)
    )


def _and(q: Q, condition: Condition) -> Condition:
    if condition is False:
        return False
    return q if condition is True else q & condition


def may_change(access: Access, obj: ResidentialBuilding | Dwelling | Person) -> bool:
    """Record and change residents and homes: where the person works on them."""
    return visibility.allows(access, obj, "change")


def may_record_homes(access: Access) -> bool:
    """New buildings, units and dwellings: administrators (the register of homes)."""
    return access.has_any(ADMINS)


def may_import_ledger(access: Access) -> bool:
    """The ledger of residents and homes: administrators (it may touch every quarter)."""
    return access.has_any(ADMINS)


def may_purge(access: Access) -> bool:
    """The retention archive and purge: the scheduled job (the system), or an administrator."""
    return access.has_any(ADMINS)


def may_set_tag(access: Access, person: Person, *, sensitive: bool) -> bool:
    if sensitive and not sees_sensitive(access):
        return False
    return may_change(access, person)


def may_merge(access: Access) -> bool:
    """Merging two records of one person: administrators."""
    return access.has_any(ADMINS)


def may_see_archived(access: Access) -> bool:
    """The search's filter that brings archived records back: administrators (the only ones
    who read them)."""
    return access.has_any(ADMINS)


def may_unmask_person(access: Access, person: object, kind: str) -> bool:
    """Mobiles: those who visit and call (committee staff, grid workers) for the persons they
    see, administrators. ID numbers: administrators and committee staff."""
    if not isinstance(person, Person):
        return False
    if kind == "resident_id" and not sees_sensitive(access):
        return False
    return visibility.allows(access, person, "change")


# --- which actions a page offers: the verbs' own checks, asked before the form is shown ------

CHANGEABLE = (Person.Status.LIVING, Person.Status.MOVED_OUT)


def may_move_out(access: Access, person: Person) -> bool:
    return person.status == Person.Status.LIVING and may_change(access, person)


def may_record_death(access: Access, person: Person) -> bool:
    return person.status in CHANGEABLE and may_change(access, person)


def may_move_in(access: Access, person: Person) -> bool:
    """Into a dwelling the person works on (``move_in`` checks the dwelling chosen)."""
    return person.status in CHANGEABLE and may_change(access, person)


def may_tag(access: Access, person: Person) -> bool:
    """Some tag: the ordinary ones; the sensitive ones only for those who see them."""
    return person.status in CHANGEABLE and may_set_tag(access, person, sensitive=False)


def may_end_tag(access: Access, tag: PersonTag) -> bool:
    return tag.ended_on is None and may_set_tag(access, tag.person, sensitive=tag.kind.sensitive)


def may_record_consent(access: Access, person: Person) -> bool:
    return person.status != Person.Status.MERGED and may_change(access, person)


def may_withdraw_consent(access: Access, consent: ConsentRecord) -> bool:
    return consent.withdrawn_on is None and may_change(access, consent.person)


def may_merge_person(access: Access, person: Person) -> bool:
    if not may_merge(access) or person.status == Person.Status.MERGED:
        return False
    return may_change(access, person)
