"""Static files as linli collects them: the Chinese web font ships two weights, not nine.

``@fontsource/noto-sans-sc`` holds every weight as a hundred unicode-range slices (76 MB);
the kiosk and the calling screen use the regular and the bold, so only those are collected.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.staticfiles.finders import FileSystemFinder

UNUSED_WEIGHTS = ("100", "200", "300", "500", "600", "800", "900")
SCRIPTS = ("chinese-simplified", "cyrillic", "latin", "latin-ext", "vietnamese")
NOT_COLLECTED = [
    *(f"noto-sans-sc-*-{weight}-*" for weight in UNUSED_WEIGHTS),
    *(f"*{weight}.css" for weight in UNUSED_WEIGHTS),
    # Per-script sheets of every weight at once; 400.css and 700.css carry what is used.
    *(f"{script}.css" for script in SCRIPTS),
    "CHANGELOG.md",
    "README.md",
]


class StaticDirsFinder(FileSystemFinder):
    """``STATICFILES_DIRS``, less the font files no page asks for."""

    def list(self, ignore_patterns: Iterable[str] | None) -> Iterable[Any]:
        return super().list([*(ignore_patterns or []), *NOT_COLLECTED])
