"""Finding the demo steps: every installed app may have a ``demo`` module (or package) that
declares ``STEPS``, a tuple of ``linli.core.demo.DemoStep``.

A step is known as ``"<app label>.<step name>"``; its ``after`` names the steps that must load
first. The steps load in an order that keeps every ``after``; where that leaves a choice, steps
of apps listed earlier in INSTALLED_APPS load first, and an app's steps in the order it
declares them.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import module_has_submodule

from linli.core.demo import DemoStep

MODULE = "demo"


def declared_steps() -> dict[str, DemoStep[Any]]:
    """Every installed app's steps by key, in the order of INSTALLED_APPS."""
    found: dict[str, DemoStep[Any]] = {}
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, MODULE):
            continue
        module = import_module(f"{config.name}.{MODULE}")
        for step in getattr(module, "STEPS", ()):
            key = f"{config.label}.{step.name}"
            if key in found:
                raise ImproperlyConfigured(f"demo step {key!r} is declared twice")
            found[key] = step
    return found


def in_load_order(steps: dict[str, DemoStep[Any]]) -> list[DemoStep[Any]]:
    """The steps with each one after those it names in ``after``; otherwise in the given order."""
    for key, step in steps.items():
        unknown = [name for name in step.after if name not in steps]
        if unknown:
            raise ImproperlyConfigured(
                f"demo step {key!r} loads after {', '.join(map(repr, unknown))}, "
                "which no installed app declares"
            )
    ordered: list[DemoStep[Any]] = []
    done: set[str] = set()
    waiting = list(steps)
    while waiting:
        ready = next((key for key in waiting if done.issuperset(steps[key].after)), None)
        if ready is None:
            raise ImproperlyConfigured(
                f"demo steps {', '.join(map(repr, waiting))} wait for each other"
            )
        waiting.remove(ready)
        done.add(ready)
        ordered.append(steps[ready])
    return ordered


def discover() -> list[DemoStep[Any]]:
    """The installed apps' demo steps, in load order."""
    return in_load_order(declared_steps())
