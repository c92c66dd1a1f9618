"""The Park Assistant's lists on their surfaces (see ``tests/core/lists.py``).

In the world (``permission_rows.populate``) Tower A's manager sent one notice to every
enterprise of the building and one to its neighbour only; Enterprise A and the neighbour each
have a request. Administrators and the manager see both of each, Enterprise A's member the
first notice and their own request, everybody else nothing.
"""

from django.urls import reverse

from tests.core.lists import Surfaces

LISTS = [
    Surfaces(
        name="notices",
        page=lambda w: reverse("park:notices"),
        api=lambda w: reverse("api:park_notices"),
        export=lambda w: reverse("park:notices_xlsx"),
        filters=(
            {},
            {"q": "meter"},
            lambda w: {"building": w.a.records["building"].pk},
            lambda w: {"building": w.a.spare["building"].pk},
        ),
    ),
    Surfaces(
        name="building requests",
        page=lambda w: reverse("park:request_list"),
        api=lambda w: reverse("api:park_requests"),
        filters=(
            {},
            {"status": "open"},
            {"status": "declined"},
            lambda w: {"enterprise": w.a.records["enterprise"].pk},
        ),
    ),
]
