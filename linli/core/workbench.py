"""The home page's workbench: each role's own work and figures, not the menu again.

Core knows no app. Each app registers the panels of the work it holds (``@panel``) in its own
``workbench.py``, found at start-up like ``rules.py`` and ``data_rights.py``: which roles a
panel is for (and, where a role is not enough, who among them), and how it is built from the
app's own read path (its ``visible_to`` querysets, listing and rules), so a panel never holds a
second copy of a concept. A person with several roles sees the panels of each, in ``order``.

A panel is data (figures, lists of items, links), drawn by one template: every panel looks
alike, and on a phone its lists become cards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from linli.core import display
from linli.core.access import Access

# Tones an item or a figure can take: it needs attention now, soon, or it is fine.
ALERT, WARN, OK = "alert", "warn", "ok"


@dataclass(frozen=True)
class Figure:
    """One count or rate, optionally a link to the list behind it."""

    label: str
    value: int | float | Decimal | None  # None: nothing to count yet
    url: str = ""
    is_rate: bool = False  # a share between 0 and 1, shown as a percentage
    tone: str = ""

    @property
    def shown_tone(self) -> str:
        """A count that needs attention is marked only when there is something to count."""
        return self.tone if self.value else ""

    @property
    def text(self) -> str:
        if self.value is None:
            return "–"
        if self.is_rate:
            return display.percent(self.value)
        return display.number(self.value)


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    primary: bool = False


@dataclass(frozen=True)
class Item:
    """One row of a panel's list: a case, a visit, a ticket… already in words."""

    title: str
    url: str = ""
    detail: str = ""  # what it is about, one line
    when: str = ""  # a deadline or a date, in words
    badge: str = ""  # its state or urgency
    tone: str = ""


@dataclass(frozen=True)
class ItemList:
    title: str
    items: Sequence[Item]
    empty: str  # the sentence shown when there is nothing
    more: Link | None = None


@dataclass(frozen=True)
class PanelView:
    title: str
    figures: Sequence[Figure] = ()
    lists: Sequence[ItemList] = ()
    links: Sequence[Link] = ()
    warnings: Sequence[str] = ()
    key: str = ""  # the registered panel's key (set by ``panels``)

    @property
    def anchor(self) -> str:
        """The panel's id on the page: ``wb-cases-triage`` for ``cases.triage``."""
        return "wb-" + self.key.replace(".", "-")


Builder = Callable[[Access], PanelView | None]


@dataclass(frozen=True)
class Panel:
    key: str
    roles: frozenset[str]
    build: Builder
    order: int
    applies: Callable[[Access], bool] | None = None

    def is_for(self, access: Access) -> bool:
        if access.is_system or not access.has_any(self.roles):
            return False
        return self.applies is None or self.applies(access)


PANELS: dict[str, Panel] = {}


def panel(
    key: str,
    *,
    roles: Iterable[str],
    order: int = 100,
    applies: Callable[[Access], bool] | None = None,
) -> Callable[[Builder], Builder]:
    """Register ``build(access) -> PanelView | None`` for people holding one of ``roles`` (and,
    with ``applies``, only those it accepts). ``None`` leaves the panel out for that person.
    ``order`` places it on the page: the work that is most urgent first."""

    def register(build: Builder) -> Builder:
        PANELS[key] = Panel(key, frozenset(roles), build, order, applies)
        return build

    return register


def panels_for(access: Access) -> list[Panel]:
    """The panels of every role the person holds in the current sub-district, in order."""
    if access.user is None or access.subdistrict is None:
        return []
    found = (p for p in PANELS.values() if p.is_for(access))
    return sorted(found, key=lambda p: (p.order, p.key))


def panels(access: Access) -> list[PanelView]:
    """The person's workbench: each of their panels, built."""
    built = []
    for registered in panels_for(access):
        view = registered.build(access)
        if view is not None:
            built.append(replace(view, key=registered.key))
    return built
