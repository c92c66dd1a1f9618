"""The elderly-care rows of the permission matrix (tests/registry/test_permissions.py).

Who may do what comes from ``linli/livelihood/eldercare/rules.py``. In A, an elder of 60+
with a file, an assessment and a scheduled home-care order of a provider; the world's caregiver
works for that provider. Administrators manage everything; the caregiver reads the order and
its visits and checks in and out, never the file; the world's handler works for a department,
not a residents' committee, so is no care staff; B's administrator gets 404 for every record
of A.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from linli.core import clock
from linli.core.access import Access
from linli.core.models import Membership, Organisation
from linli.core.roles import ADMINS, Role
from linli.livelihood.eldercare import services
from linli.livelihood.eldercare.models import CareOrder, ElderFile
from linli.people import services as people
from tests.core.matrix import Endpoint, fixed, statuses
from tests.core.world import World
from tests.factories import OrganisationFactory
from tests.people.helpers import resident_id

CAREGIVER = Role.CAREGIVER
# The elder's and the contact's mobiles: no page or export may show them in full.
ELDER_MOBILE = "13655556666"
CONTACT_MOBILE = "13577778888"


def populate(world: World) -> None:
    a = world.a.subdistrict
    system = Access.system(a)
    provider = OrganisationFactory(subdistrict=a, kind=Organisation.Kind.PROVIDER, name="Care A")
    Membership.objects.filter(user=world.users[CAREGIVER], role=CAREGIVER).update(
        organisation=provider
    )
    building = people.record_building(
        system, quarter=world.a.records["quarter"], code="ECB-1", number="9号楼", floors=6
    )
    dwelling = people.record_dwelling(
        system, building=building, unit="1单元", number="101", floor=1, floor_area_m2="50"
    )
    elder = people.register_person(
        system,
        name="Elder A",
        on=dt.date(2024, 5, 1),
        resident_id=resident_id(dt.date(1940, 2, 3), 21),
        mobile=ELDER_MOBILE,
        dwelling=dwelling,
    )
    file = services.open_file(system, elder, living=ElderFile.Living.ALONE)
    services.add_contact(system, file, name="Daughter A", relation="daughter", phone=CONTACT_MOBILE)
    services.record_assessment(
        system,
        elder,
        grade="4",
        assessed_on=clock.today().replace(day=1),
        assessor="Assessment agency A",
        cognitive_impairment=True,
        legal_basis="Long-term care insurance application",
    )
    order = services.request_order(system, elder, kind=CareOrder.Kind.HOME_CARE, provider=provider)
    services.approve_order(system, order, on=clock.today().replace(day=1))
    services.schedule_order(system, order)
    visit = order.visits.order_by("starts_at").first()
    world.extra["eldercare"] = {"elder": elder, "order": order, "visit": visit}


def extra(key: str, name: str, **more: str):
    def url(world: World, who: str) -> str:
        return reverse(name, kwargs={"pk": world.extra["eldercare"][key].pk, **more})

    return url


def seen(roles, *, ok: int = 200) -> dict[str, int]:
    return statuses(roles, ok, denied=404, other=404)


STAFF_PAGES = ("eldercare:elders", "eldercare:care_homes")

ENDPOINTS: list[Endpoint] = [
    *(Endpoint(name, "GET", fixed(name), statuses(ADMINS)) for name in STAFF_PAGES),
    # Leaders read the figures (no elder's name on them).
    Endpoint(
        "eldercare:statistics",
        "GET",
        fixed("eldercare:statistics"),
        statuses(ADMINS | {Role.LEADER}),
    ),
    Endpoint("eldercare:hours", "GET", fixed("eldercare:hours"), statuses(ADMINS | {CAREGIVER})),
    Endpoint("eldercare:today", "GET", fixed("eldercare:today"), statuses({CAREGIVER}, other=403)),
    Endpoint("eldercare:elder", "GET", extra("elder", "eldercare:elder"), seen(ADMINS)),
    Endpoint(
        "eldercare:elder",
        "POST",
        extra("elder", "eldercare:elder"),
        seen(ADMINS, ok=302),
        data=lambda w, who: {"action": "living", "living": "family"},
    ),
    Endpoint(
        "eldercare:order", "GET", extra("order", "eldercare:order"), seen(ADMINS | {CAREGIVER})
    ),
    Endpoint(
        "eldercare:order",
        "POST",
        extra("order", "eldercare:order"),
        {**seen(ADMINS | {CAREGIVER}, ok=302), CAREGIVER: 403},
        data=lambda w, who: {"step": "schedule"},
    ),
    Endpoint(
        "eldercare:visit",
        "POST",
        extra("visit", "eldercare:visit", step="check-in"),
        {**seen(ADMINS | {CAREGIVER}, ok=302), **{role: 403 for role in ADMINS}},
    ),
]
