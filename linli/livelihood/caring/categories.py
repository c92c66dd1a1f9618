"""The case categories caring visits open cases under, created as data of the cases engine
(its own ``Category`` and ``TimeLimit`` rows) the first time a sub-district needs them; an
administrator may rename them or change their limits afterwards like any other category.

- A concern found on a visit, and a visit overdue past the second limit: a resident-service
  case, resolved in the engine's default time.
- An alert (not reached twice, a caregiver's call, a fall): an urgent incident whose
  acceptance and first contact each have 1 working hour.
"""

from __future__ import annotations

from django.db import transaction

from linli.cases.models import Category, Stage, TimeLimit
from linli.core.models import Subdistrict

CONCERN = "caring-concern"
OVERDUE = "caring-overdue"
URGENT = "caring-urgent"

# code: (name, English name, kind, {stage: (amount, unit)})
STARTING: dict[str, tuple[str, str, str, dict[str, tuple[int, str]]]] = {
    CONCERN: (
        "关爱探访发现问题",
        "Concern found on a caring visit",
        Category.Kind.RESIDENT_SERVICE,
        {},
    ),
    OVERDUE: ("关爱探访逾期", "Caring visit overdue", Category.Kind.RESIDENT_SERVICE, {}),
    URGENT: (
        "老人紧急情况",
        "Elder in urgent need",
        Category.Kind.INCIDENT,
        {
            Stage.ACCEPT: (1, TimeLimit.Unit.WORKING_HOURS),
            Stage.FIRST_CONTACT: (1, TimeLimit.Unit.WORKING_HOURS),
        },
    ),
}


def category(subdistrict: Subdistrict, code: str) -> Category:
    """The category ``code`` of the sub-district, created with its limits when missing."""
    found = Category.objects.filter(subdistrict=subdistrict, code=code).first()
    if found is not None:
        return found
    name, name_en, kind, limits = STARTING[code]
    with transaction.atomic():
        created, _ = Category.objects.get_or_create(
            subdistrict=subdistrict,
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "kind": kind,
                # The overdue sweep and alerts are opened by the system, with no reporter.
                "allows_anonymous": True,
                "synonyms": "独居老人,空巢老人,关爱",
            },
        )
        for stage, (amount, unit) in limits.items():
            TimeLimit.objects.get_or_create(
                subdistrict=subdistrict,
                category=created,
                stage=stage,
                defaults={"amount": amount, "unit": unit},
            )
    return created
