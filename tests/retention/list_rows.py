"""The retention lists on their three surfaces (see ``tests/core/lists.py``).

In the world, A's enterprise is the butler's and in the building manager's building; a second
enterprise of A has no butler and no building, and a visit was logged at each (see
``permission_rows.populate``): the butler sees one row where whole-area staff see two, the
building manager sees their building's enterprise, the enterprise member is sent to their own
profile (no list), residents see none.
"""

from django.urls import reverse

from tests.core.lists import Surfaces

LISTS = [
    Surfaces(
        name="retention enterprises",
        page=lambda w: reverse("retention:portfolio"),
        api=lambda w: reverse("api:retention_list_enterprises"),
        export=lambda w: reverse("retention:portfolio_xlsx"),
        filters=(
            {},
            {"q": "Second"},
            lambda w: {"building": w.a.records["building"].pk},
            {"industry": "i65"},
        ),
    ),
    Surfaces(
        name="relocation watch list",
        page=lambda w: reverse("retention:watchlist"),
        api=lambda w: reverse("api:retention_watchlist"),
        export=lambda w: reverse("retention:watchlist_xlsx"),
        key="enterprise_id",
        export_column="enterprise_id",
        filters=({}, {"q": "Second"}),
    ),
    Surfaces(
        name="visits",
        page=lambda w: reverse("retention:visits"),
        api=lambda w: reverse("api:retention_list_visits"),
        export=lambda w: reverse("retention:visits_xlsx"),
        filters=({}, lambda w: {"enterprise": w.a.records["enterprise"].pk}, {"q": "Second"}),
    ),
]
