"""Timelines gathered from every app that has something to say about one subject (an
enterprise, a person).

A lower layer owns the subject and the timeline; the apps above register a provider (in their
``timeline.py``, which core imports at start-up) that yields the entries the reader may see,
reading its own rows through ``visible_to``. The subject's page asks the timeline and never
imports the apps, so an app can come or go without touching the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from linli.core.access import Access


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime  # aware
    kind: str  # "visit", "case", "booking", "meal", …: a CSS/filter key
    title: str  # already translated
    detail: str = ""
    url: str = ""


Subject = TypeVar("Subject")
Provider = Callable[[Any, "Access"], Iterable[TimelineEntry]]


@dataclass
class Timeline(Generic[Subject]):
    providers: list[Provider] = field(default_factory=list)

    def provider(self, provider: Provider) -> Provider:
        """Register ``provider(subject, access)``: it yields the entries ``access`` may see."""
        if provider not in self.providers:
            self.providers.append(provider)
        return provider

    def gather(
        self, subject: Subject, access: Access, *, kinds: Iterable[str] | None = None
    ) -> list[TimelineEntry]:
        """Every provider's entries, newest first, optionally only some kinds."""
        wanted = set(kinds) if kinds is not None else None
        entries = [
            entry
            for provider in self.providers
            for entry in provider(subject, access)
            if wanted is None or entry.kind in wanted
        ]
        return sorted(entries, key=lambda entry: entry.at, reverse=True)
