"""The registry's lists on their three surfaces (see ``tests/core/lists.py``)."""

from django.urls import reverse

from linli.registry.kinds import KINDS
from tests.core.lists import Surfaces


def _registry(kind: str, *filters: dict) -> Surfaces:
    spec = KINDS[kind]
    return Surfaces(
        name=spec.plural,
        page=lambda w: reverse("registry:list", kwargs={"kind": kind}),
        api=lambda w: reverse(f"api:list_{spec.plural}"),
        export=lambda w: reverse("registry:export", kwargs={"kind": kind}),
        key=spec.natural_key,
        export_column=spec.natural_key,
        filters=({}, *filters),
    )


LISTS = [
    _registry(
        "enterprise",
        {"q": "A"},
        lambda w: {"building": w.a.records["building"].pk},
        {"status": "active"},
    ),
    _registry("building", {"q": "Tower"}, lambda w: {"grid": w.a.records["grid"].pk}),
    _registry("facility", {"category": "park"}),
    _registry("quarter"),
    _registry("grid"),
    _registry("organisation", {"kind": "department"}),
]
