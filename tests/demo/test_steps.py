"""The demo's steps: every app declares its own, the orchestration finds them and orders them by
what each names in ``after``, and the layers below the demo never import it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from linli.core.demo import DemoStep
from linli.demo.steps import declared_steps, discover, in_load_order

LINLI = Path(__file__).resolve().parents[2] / "linli"
# The load order of the steps when they were one list: a fresh load must keep it, so that it
# writes the same rows with the same ids.
LOAD_ORDER = [
    "registry.organisations",
    "registry.grids and quarters",
    "registry.buildings",
    "registry.staff accounts",
    "registry.enterprises",
    "registry.facilities",
    "registry.public accounts",
    "people.homes and residents",
    "lifecircle.walking network",
    "cases.cases",
    "policies.policy screening",
    "retention.butler visits",
    "catalog.service catalog",
    "investment.investment pipeline",
    "bookings.bookings",
    "park.park assistant",
    "inspections.joint inspections",
    "queue.queue",
    "events.events",
    "eldercare.elderly care",
    "caring.caring visits",
    "meals.meal points and orders",
    "lifts.lift projects",
    "rentals.group rentals",
    "patrols.patrols",
    "charging.charging points",
    "foodsafety.catering establishments",
    "mediation.disputes",
    "works.sporadic works",
    "cockpit.district",
]


def step(name: str, *after: str) -> DemoStep:
    return DemoStep(name, lambda ctx: 0, lambda ctx: False, after=after)


def test_every_app_step_is_found_and_loads_in_the_order_it_always_did():
    declared = declared_steps()
    assert sorted(declared) == sorted(LOAD_ORDER)
    key = {id(s): k for k, s in declared.items()}
    ordered = [key[id(s)] for s in discover()]
    assert ordered == LOAD_ORDER
    for position, name in enumerate(ordered):
        assert set(declared[name].after) <= set(ordered[:position]), name


def test_steps_wait_for_what_they_name_and_otherwise_keep_their_order():
    steps = {
        "a.late": step("late", "b.first"),
        "a.free": step("free"),
        "b.first": step("first"),
        "b.second": step("second", "a.late"),
    }
    assert [s.name for s in in_load_order(steps)] == ["free", "first", "late", "second"]


def test_an_unknown_or_circular_dependency_is_refused():
    with pytest.raises(ImproperlyConfigured, match="no installed app declares"):
        in_load_order({"a.one": step("one", "b.missing")})
    with pytest.raises(ImproperlyConfigured, match="wait for each other"):
        in_load_order({"a.one": step("one", "a.two"), "a.two": step("two", "a.one")})


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def offending(paths: list[Path], forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    out = {}
    for path in paths:
        bad = sorted(
            name
            for name in imports(path)
            if any(name == f or name.startswith(f + ".") for f in forbidden)
        )
        if bad:
            out[str(path.relative_to(LINLI.parent))] = bad
    return out


def test_the_layers_below_the_demo_do_not_import_it():
    below = [p for p in LINLI.rglob("*.py") if LINLI / "demo" not in p.parents]
    assert offending(below, ("linli.demo",)) == {}


def test_the_common_demo_base_imports_no_app():
    apps = ("linli.registry", "linli.cases", "linli.frontoffice", "linli.enterprise")
    apps += ("linli.policies", "linli.lifecircle", "linli.cockpit", "linli.demo")
    assert offending([LINLI / "core" / "demo.py"], apps) == {}
    registry_demo = list((LINLI / "registry" / "demo").rglob("*.py"))
    assert offending(registry_demo, apps[1:]) == {}
