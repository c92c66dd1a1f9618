"""The joint-inspection lists on their surfaces (see ``tests/core/lists.py``): the plans and
the joint visits (the schedule), each with its Excel export.

In the world (``permission_rows.populate``) Department A and a fire brigade plan Enterprise A
in the same window (one joint visit) and the brigade also plans another enterprise (a second
visit): the coordinators see three plans and two visits, Department A's handler one plan and
one visit, everybody else is refused.
"""

from django.urls import reverse

from tests.core.lists import Surfaces

YEAR = {"start": "2026-01-01", "end": "2026-12-31"}

LISTS = [
    Surfaces(
        name="inspections",
        page=lambda w: reverse("inspections:plans"),
        api=lambda w: reverse("api:insp_plans"),
        export=lambda w: reverse("inspections:plans_xlsx"),
        filters=(
            {},
            {"status": "planned"},
            {"q": "sprinkler"},
            lambda w: {"enterprise": w.a.records["enterprise"].pk},
            lambda w: {"department": w.a.records["organisation"].pk},
        ),
    ),
    Surfaces(
        name="visits",
        page=lambda w: reverse("inspections:schedule"),
        api=lambda w: reverse("api:insp_visits"),
        export=lambda w: reverse("inspections:schedule_xlsx"),
        filters=(
            YEAR,
            {**YEAR, "status": "scheduled"},
            lambda w: {**YEAR, "enterprise": w.a.records["enterprise"].pk},
            {"start": "2025-01-01", "end": "2025-03-31"},
        ),
    ),
]
