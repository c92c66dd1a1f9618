"""Deterministic, clearly labelled synthetic demo data (DESIGN.md §7).

Nothing here describes real people, companies or buildings: every name, code and number is
generated from a fixed seed, so every load gives the same data. ``load.load_demo`` is the entry
point; the other modules are pure generators that never touch the database.
"""
