"""The cases step of the demo: categories, routing rules and a year of a working office's cases.

The categories with their fields, limits and replies, the routing and the words people and staff
write are data files next to this package's modules (``categories.yaml``, ``routing.yaml``,
``phrases.yaml``, read by ``catalogue.py``); ``office.py`` configures the office and writes the
year, ``intake.py`` plans what comes in, ``story.py`` plays each case through the state table.
"""

from __future__ import annotations

from linli.cases.demo.intake import DISPATCHER
from linli.cases.demo.office import Office
from linli.cases.models import Category
from linli.core.demo import DemoStep
from linli.registry.demo.context import DemoContext

__all__ = ["STEPS", "Office", "load", "loaded"]


def loaded(ctx: DemoContext) -> bool:
    return Category.objects.filter(subdistrict=ctx.subdistrict).exists()


def load(ctx: DemoContext) -> int:
    office = Office.build(ctx)
    written = office.configure()
    written += office.play_year()
    return written


STEPS = (
    DemoStep(
        "cases",
        load,
        loaded,
        after=(
            "registry.staff accounts",
            "registry.public accounts",
            # Independent of the walking network: loading after it keeps every id of a fresh
            # load what it was when the steps were one list.
            "lifecircle.walking network",
        ),
        accounts=(DISPATCHER,),
    ),
)
