"""The cockpit's ranking of the buildings on its three surfaces (see ``tests/core/lists.py``):
leaders, administrators and butlers rank the buildings they see; everyone else is refused on
every surface (a building manager is sent to their own building's dashboard)."""

from django.urls import reverse

from tests.core.lists import Surfaces

LISTS = [
    Surfaces(
        name="cockpit buildings",
        page=lambda w: reverse("cockpit:index"),
        api=lambda w: reverse("api:list_cockpit_buildings"),
        export=lambda w: reverse("cockpit:export"),
        filters=({}, {"sort": "name", "order": "asc"}),
    ),
]
