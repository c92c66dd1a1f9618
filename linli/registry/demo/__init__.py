"""Deterministic, clearly labelled synthetic demo data (DESIGN.md §7): the demo homes, their
places, organisations, accounts, enterprises and facilities.

Nothing here describes real people, companies or buildings: every name, code and number is
generated from a fixed seed, so every load gives the same data. The word lists and tables are
data files next to the modules that read them (``names.yaml``, ``homes.yaml``, ``places.yaml``,
``organisations.yaml``, ``accounts.yaml``, ``industries.csv``); the planning modules are pure
generators that never touch the database, and ``steps.py`` writes their plans as the registry's
demo steps (``STEPS``), which ``linli.demo`` runs with every other app's.
"""

from linli.registry.demo.steps import STEPS

__all__ = ["STEPS"]
