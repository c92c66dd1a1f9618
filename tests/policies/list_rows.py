"""The policy lists on their surfaces (see ``tests/core/lists.py``).

In the world (``permission_rows.populate``), A's enterprise (the butler's) and a second
high-tech enterprise of A without a butler are eligible for ``test-eligible``: the butler sees
one of them where whole-area staff see both.
"""

from django.urls import reverse

from linli.core.roles import EVERYONE, STAFF
from tests.core.lists import Surfaces

# The policy page is everyone's; only its list of eligible enterprises is staff's.
NOT_STAFF = EVERYONE - STAFF

LISTS = [
    Surfaces(
        name="policy eligible enterprises",
        page=lambda w: reverse("policies:detail", args=["test-eligible"]),
        api=lambda w: reverse("api:list_policy_eligible", args=["test-eligible"]),
        export=lambda w: reverse("policies:export", args=["test-eligible"]),
        key="enterprise_id",
        export_column="enterprise_id",
        filters=({}, {"q": "Eligible"}, lambda w: {"building": w.a.records["building"].pk}),
        skip=NOT_STAFF,
    ),
    Surfaces(
        name="unclaimed benefits",
        page=lambda w: reverse("policies:unclaimed"),
        api=lambda w: reverse("api:list_unclaimed_benefits"),
        export=lambda w: reverse("policies:unclaimed_export"),
        filters=({}, {"policy": "test-eligible"}, {"mode": "apply"}, {"q": "Eligible"}),
    ),
    Surfaces(
        name="policy library",
        page=lambda w: reverse("policies:library"),
        api=lambda w: reverse("api:list_policies"),
        key="policy_id",
        filters=({}, {"mode": "apply"}, {"q": "maybe"}, {"in_force": "1"}),
    ),
]
