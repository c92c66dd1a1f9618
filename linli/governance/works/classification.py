"""What the scope of a registration decides: its class, its checklist and whether someone must
inspect the site.

Scopes are what the registrant ticks; a registration takes the class of its most demanding
scope (structural before façade before waste before interior). The checklist is every item of
every ticked scope, in a fixed order, so that two registrations of the same scope are checked
alike. Structural and façade works are inspected on site; interior and waste-only works are
not, unless a resident complains (then a case does it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

INTERIOR = "interior"
WASTE = "waste"
FACADE = "facade"
STRUCTURAL = "structural"


@dataclass(frozen=True)
class Scope:
    code: str
    label: str | Promise
    help: str | Promise
    inspection: bool
    items: tuple[str, ...]


# Most demanding last: the class of a registration is the last of its scopes in this order.
SCOPES: tuple[Scope, ...] = (
    Scope(
        INTERIOR,
        _("Interior decoration"),
        _("Floors, walls, ceilings, kitchen and bathroom fittings, wiring and plumbing."),
        False,
        ("hours", "wiring", "waterproofing", "passages"),
    ),
    Scope(
        WASTE,
        _("Waste-generating works"),
        _("Demolition or removal that leaves renovation waste to be taken away."),
        False,
        ("waste_bagged", "waste_booked"),
    ),
    Scope(
        FACADE,
        _("Façade or balcony enclosure"),
        _("Windows, balcony enclosure, air-conditioner brackets, shop fronts and signs."),
        True,
        ("facade_plan", "no_protrusion", "balcony_load"),
    ),
    Scope(
        STRUCTURAL,
        _("Structural or load-bearing change"),
        _(
            "Any change to load-bearing walls, beams, columns or floor slabs: forbidden "
            "without the approval of a qualified design unit."
        ),
        True,
        ("approval_on_site", "load_bearing", "qualified_contractor"),
    ),
)
BY_CODE = {scope.code: scope for scope in SCOPES}
CHOICES = [(scope.code, scope.label) for scope in SCOPES]

ITEMS: dict[str, str | Promise] = {
    "hours": _("Noisy work only in the permitted hours"),
    "wiring": _("Wiring in conduits, no overloaded circuits"),
    "waterproofing": _("Waterproofing of wet rooms tested before tiling"),
    "passages": _("Stairs and fire passages kept clear"),
    "waste_bagged": _("Waste bagged and kept where the property management says"),
    "waste_booked": _("Removal of the waste booked"),
    "facade_plan": _("Façade as the quarter's uniform plan allows"),
    "no_protrusion": _("Nothing built out beyond the outer wall"),
    "balcony_load": _("Balcony not loaded beyond its design"),
    "approval_on_site": _("Structural approval and drawings kept on site"),
    "load_bearing": _("Load-bearing walls, beams and columns kept as approved"),
    "qualified_contractor": _("Contractor qualified for structural work"),
}


@dataclass(frozen=True)
class Decision:
    classification: str
    checklist: list[str]
    needs_inspection: bool


def classify(scopes: Iterable[str]) -> Decision:
    """The class, checklist and inspection of the given scope codes (known codes only)."""
    chosen = [scope for scope in SCOPES if scope.code in set(scopes)]
    if not chosen:
        raise ValueError("no scope")
    checklist = [item for scope in chosen for item in scope.items]
    return Decision(
        classification=chosen[-1].code,
        checklist=checklist,
        needs_inspection=any(scope.inspection for scope in chosen),
    )


def label(code: str) -> str:
    scope = BY_CODE.get(code)
    return str(scope.label) if scope else code


def item_label(code: str) -> str:
    return str(ITEMS.get(code, code))
