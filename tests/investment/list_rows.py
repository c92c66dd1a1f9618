"""The pipeline's lists on their surfaces (see ``tests/core/lists.py``): the prospects (board,
API, Excel) and the vacant units (page, API).

In the world (``permission_rows.populate``) the ambassador owns one prospect and nobody owns
the other: administrators and the leader see both, the ambassador one, everybody else none.
"""

from django.urls import reverse

from linli.core.roles import Role
from tests.core.lists import Surfaces

LISTS = [
    Surfaces(
        name="prospects",
        page=lambda w: reverse("investment:board"),
        api=lambda w: reverse("api:list_prospects"),
        export=lambda w: reverse("investment:export"),
        filters=(
            {},
            {"stage": "signed"},
            {"source": "online"},
            {"q": "unclaimed"},
            lambda w: {"ambassador": w.users[Role.AMBASSADOR].pk},
        ),
    ),
    Surfaces(
        name="vacant units",
        page=lambda w: reverse("investment:space"),
        api=lambda w: reverse("api:list_vacant_units"),
        filters=({}, {"free": "0"}, lambda w: {"building": w.a.records["building"].pk}),
    ),
]
