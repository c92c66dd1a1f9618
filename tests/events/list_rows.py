"""The events list on its three surfaces (see ``tests/core/lists.py``): residents see the
public events, everyone else signed in every event of their sub-district; cancelled events stay
in the list."""

from __future__ import annotations

from django.urls import reverse

from tests.core.lists import Surfaces

LISTS = [
    Surfaces(
        name="events",
        page=lambda w: reverse("events:list"),
        api=lambda w: reverse("api:list_events"),
        export=lambda w: reverse("events:export"),
        filters=(
            {},
            {"upcoming": "false"},
            {"kind": "training"},
            {"audience": "enterprises"},
            {"q": "Training A"},
            lambda w: {"place": w.extra["events"]["place"]},
        ),
    )
]
