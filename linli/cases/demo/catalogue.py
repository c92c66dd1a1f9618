"""What the demo office deals with, read from the data files next to this module: its case
categories with their fields, limits and canned replies and what a year of their cases looks
like (``categories.yaml``), where each goes (``routing.yaml``), and what staff and reporters
write (``phrases.yaml``). Plain data, no database: ``office.py`` turns it into rows and a year
of cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linli.core.demo import read_yaml

HERE = Path(__file__).parent


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    type: str = "text"  # cases.CategoryField.Type
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (key, name)
    help_text: str = ""


@dataclass(frozen=True)
class BusyMonths:
    months: tuple[int, ...]
    factor: float  # cases a day, compared with other months


@dataclass(frozen=True)
class CategorySpec:
    code: str
    name: str
    name_en: str
    kind: str  # cases.Category.Kind
    parent: str = ""
    description: str = ""
    anonymous: bool = False
    public: bool = False
    synonyms: str = ""
    audience: str = "everyone"  # cases.Category.Audience
    fields: tuple[FieldSpec, ...] = ()
    limits: dict[str, tuple[int, str]] = field(default_factory=dict)  # stage → (amount, unit)
    replies: tuple[str, ...] = ()
    duplicate: tuple[int, int] | None = None  # radius m, days
    yearly: int = 0  # cases a year in the first home
    where: str = "quarter"  # quarter, street, building, enterprise
    channels: dict[str, float] = field(default_factory=dict)  # channel → share
    texts: tuple[str, ...] = ()
    co_handler: tuple[str, str] = ("", "")  # organisation code, its part
    busy_months: BusyMonths | None = None
    old_quarters: float = 1.0  # weight of quarters built before 1995
    slow: bool = False  # takes long to fix: extended and left long-term more often


@dataclass(frozen=True)
class RuleSpec:
    category: str
    organisation: str  # organisation code
    priority: int = 50
    name: str = ""


@dataclass(frozen=True)
class OwnCases:
    """The reports of one demo account (by its name in the first home)."""

    username: str
    count: int
    categories: tuple[str, ...]


def _field(data: dict[str, Any]) -> FieldSpec:
    choices = tuple(data.pop("choices", {}).items())
    return FieldSpec(**data, choices=choices)


def _category(data: dict[str, Any]) -> CategorySpec:
    data = dict(data)
    fields = tuple(_field(dict(f)) for f in data.pop("fields", ()))
    limits = {stage: (amount, unit) for stage, (amount, unit) in data.pop("limits", {}).items()}
    duplicate, co_handler = data.pop("duplicate", None), data.pop("co_handler", None)
    busy = data.pop("busy_months", None)
    return CategorySpec(
        fields=fields,
        limits=limits,
        replies=tuple(data.pop("replies", ())),
        duplicate=(duplicate["radius_m"], duplicate["days"]) if duplicate else None,
        channels=dict(data.pop("channels", {})),
        texts=tuple(data.pop("texts", ())),
        co_handler=(co_handler["organisation"], co_handler["part"]) if co_handler else ("", ""),
        busy_months=BusyMonths(tuple(busy["months"]), busy["factor"]) if busy else None,
        **data,
    )


_CATEGORIES = read_yaml(HERE / "categories.yaml")
PARENTS: tuple[CategorySpec, ...] = tuple(_category(p) for p in _CATEGORIES["parents"])
CATEGORIES: tuple[CategorySpec, ...] = tuple(_category(c) for c in _CATEGORIES["categories"])
OWN_CASES: tuple[OwnCases, ...] = tuple(
    OwnCases(username, entry["count"], tuple(entry["categories"]))
    for username, entry in _CATEGORIES["own_cases"].items()
)

_ROUTING = read_yaml(HERE / "routing.yaml")
# Line departments and agencies, after the locality rules built per place in office.py.
RULES: tuple[RuleSpec, ...] = tuple(RuleSpec(**rule) for rule in _ROUTING["rules"])
# Categories handled where they happen (先属地后属主): the quarter's neighbourhood committee,
# the grid's workstation, the building's management committee.
BY_QUARTER: tuple[str, ...] = tuple(_ROUTING["by_quarter"])
BY_GRID: tuple[str, ...] = tuple(_ROUTING["by_grid"])
BY_BUILDING: tuple[str, ...] = tuple(_ROUTING["by_building"])
LOCAL_RULE_NAMES: dict[str, str] = _ROUTING["local_rule_names"]


@dataclass(frozen=True)
class Phrases:
    """What staff and reporters write (``phrases.yaml``)."""

    return_reasons: tuple[str, ...]
    reject_notes: dict[str, str]
    wait_notes: tuple[str, ...]
    resume_note: str
    extension_reasons: tuple[str, ...]
    extension_denied: str
    co_handling_done: str
    default_reply: str
    rework_reasons: tuple[str, ...]
    verified_note: str
    reopen_reasons: tuple[str, ...]
    long_term_reasons: tuple[str, ...]
    long_term_closed: str
    callback_notes: dict[str, tuple[str, ...]]
    rating_comments: tuple[str, ...]
    grid_worker: str
    shops: tuple[str, ...]
    licences: tuple[str, ...]
    policies: tuple[str, ...]

    @classmethod
    def read(cls, path: Path) -> Phrases:
        data = read_yaml(path)
        return cls(
            **{
                name: tuple(value) if isinstance(value, list) else value
                for name, value in data.items()
            }
            | {"callback_notes": {k: tuple(v) for k, v in data["callback_notes"].items()}}
        )


PHRASES = Phrases.read(HERE / "phrases.yaml")
