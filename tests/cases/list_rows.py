"""The cases lists on their surfaces (see ``tests/core/lists.py``).

- "cases": the staff workbench, ``GET /api/v1/cases`` and the workbench's Excel export, for
  staff (only staff may open the workbench; the rest read their cases in "my cases"). The
  workbench opens on the person's own queue when none is named, so every filter set names one.
- "my cases": the page of one's own cases and the API, for everyone who is not staff: both give
  every case the person may see.

The world's cases are those of ``permission_rows.populate`` (all reported by the resident; three
led by Department A, whose handler finds them in the "organisation" queue) and those other
apps' rows add.
"""

from django.urls import reverse

from linli.core.roles import STAFF
from tests.cases.permission_rows import PARENT_CODE, case_number
from tests.core.lists import Surfaces
from tests.core.world import ANONYMOUS, COLUMNS, OTHER

NOT_STAFF = frozenset(c for c in COLUMNS if c not in STAFF and c not in (ANONYMOUS, OTHER))

LISTS = [
    Surfaces(
        name="cases",
        page=lambda w: reverse("cases:workbench"),
        api=lambda w: reverse("api:list_cases"),
        export=lambda w: reverse("cases:export"),
        key="number",
        export_column="number",
        filters=(
            {"queue": "all"},
            {"queue": "open"},
            {"queue": "organisation"},
            {"queue": "mine"},
            {"queue": "triage"},
            {"queue": "verify"},
            {"queue": "all", "category": PARENT_CODE},
            {"queue": "all", "state": "received,dispatched"},
            {"queue": "all", "channel": "hotline_12345"},
            {"queue": "all", "q": "Kangding"},
            lambda w: {"queue": "all", "q": case_number(w, "awaiting")},
            lambda w: {"queue": "open", "grid": w.a.records["grid"].code},
        ),
        skip=NOT_STAFF,
    ),
    Surfaces(
        name="my cases",
        page=lambda w: reverse("cases:mine"),
        api=lambda w: reverse("api:list_cases"),
        key="number",
        skip=frozenset(c for c in COLUMNS if c in STAFF or c == OTHER),
    ),
]
