"""The person search on its two surfaces, page and API (see ``tests/core/lists.py``); it has no
export. In the world (``permission_rows.populate``) administrators find three persons in A, the
grid worker the two of their grid, the resident none (the search is for staff), other staff
none."""

from django.urls import reverse

from tests.core.lists import Surfaces

LISTS = [
    Surfaces(
        name="residents",
        page=lambda w: reverse("people:search"),
        api=lambda w: reverse("api:people_persons"),
        filters=({}, {"name": "person"}, {"address": "5号楼 402"}, {"status": "moved_out"}),
    ),
]
