"""The demo Enterprise Service Center's catalog (``items.yaml``): what a central-Shanghai
sub-district's centre serves for enterprises, written the way its printed guides are.

Every item goes through ``services.create_item``, so each is as complete as staff would have to
make it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from linli.cases.models import Category
from linli.core.access import Access
from linli.core.demo import DemoStep, read_yaml
from linli.core.models import Organisation
from linli.frontoffice.catalog.models import ServiceItem
from linli.frontoffice.catalog.services import create_item
from linli.registry.demo.context import DemoContext


@dataclass(frozen=True)
class ItemSpec:
    code: str
    affairs: str  # catalog.Affairs
    topic: str
    name: str
    name_en: str
    keywords: str
    department: str  # organisation code (registry/demo/organisations.yaml)
    days: tuple[int, int]  # legal, promised (working days)
    conditions: str
    materials: tuple[str, ...]
    steps: tuple[str, ...]
    place: str
    fee: str
    channels: str  # T terminal, W window, O online
    terminal: str = ""
    category: str = ""  # case category code for applying online
    online_url: str = ""
    subcentres: bool = False
    summary: str = ""

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> ItemSpec:
        legal, promised = data["days"]
        sequences = {
            "days": (legal, promised),
            "materials": tuple(data["materials"]),
            "steps": tuple(data["steps"]),
        }
        return cls(**{**data, **sequences})


def _items() -> tuple[ItemSpec, ...]:
    data = read_yaml(Path(__file__).with_name("items.yaml"))
    return tuple(ItemSpec.from_data({**data["defaults"], **item}) for item in data["items"])


ITEMS = _items()


def loaded(ctx: DemoContext) -> bool:
    return ServiceItem.objects.filter(subdistrict=ctx.subdistrict).exists()


def load(ctx: DemoContext) -> int:
    sd = ctx.subdistrict
    organisations = {o.code: o for o in Organisation.objects.filter(subdistrict=sd)}
    categories = {c.code: c for c in Category.objects.filter(subdistrict=sd, active=True)}
    subcentres = sorted(
        (o for o in organisations.values() if o.kind == Organisation.Kind.SUBCENTRE),
        key=lambda o: o.code,
    )
    rng = ctx.rng("catalog")
    actor = Access.system(sd)
    for position, spec in enumerate(ITEMS):
        category = categories.get(spec.category) if spec.category else None
        served: list[Organisation] = []
        if spec.subcentres and subcentres:
            # Every listed item is served at the larger sub-centres; some not at the others.
            served = [s for i, s in enumerate(subcentres) if i < 2 or rng.random() < 0.7]
        online = "O" in spec.channels and (category is not None or bool(spec.online_url))
        create_item(
            actor=actor,
            subcentres=served,
            code=spec.code,
            name=spec.name,
            name_en=spec.name_en,
            affairs=spec.affairs,
            topic=spec.topic,
            summary=spec.summary,
            keywords=spec.keywords,
            conditions=spec.conditions,
            materials=list(spec.materials),
            steps=list(spec.steps),
            legal_days=spec.days[0],
            promised_days=spec.days[1],
            fee=spec.fee,
            by_terminal="T" in spec.channels,
            terminal_place=spec.terminal,
            by_window="W" in spec.channels,
            by_online=online,
            online_url=spec.online_url,
            department=organisations[spec.department],
            centre_place=spec.place,
            category=category,
            position=position,
        )
    return len(ITEMS)


STEPS = (
    DemoStep(
        "service catalog",
        load,
        loaded,
        after=(
            "registry.organisations",
            # Items link to the case categories for applying online.
            "cases.cases",
            # Independent of the butler visits: loading after them keeps every id of a fresh
            # load what it was when the steps were one list.
            "retention.butler visits",
        ),
    ),
)
