"""Small modules named from the domain: no hand-written module grows past about 600 lines
(generated migrations aside). A module that does is holding several concerns; split it."""

from __future__ import annotations

from pathlib import Path

LIMIT = 650
ROOT = Path(__file__).resolve().parent.parent / "linli"


def test_no_module_holds_several_concerns() -> None:
    too_long = {
        str(path.relative_to(ROOT)): length
        for path in ROOT.rglob("*.py")
        if "migrations" not in path.parts
        and (length := len(path.read_text(encoding="utf-8").splitlines())) > LIMIT
    }
    assert too_long == {}
