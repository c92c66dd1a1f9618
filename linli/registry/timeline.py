"""One enterprise's timeline, gathered from every app that has something to say about it.

Apps register a provider (``@timeline_provider``) from their ``AppConfig.ready``; the
enterprise profile asks ``enterprise_timeline`` and never imports the apps themselves, so an app
can come or go without touching the profile.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from linli.core.access import Access
    from linli.registry.models import Enterprise


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime  # aware
    kind: str  # "visit", "case", "booking", "event", "policy", "grant", …: a CSS/filter key
    title: str  # already translated
    detail: str = ""
    url: str = ""


Provider = Callable[["Enterprise", "Access"], Iterable[TimelineEntry]]

PROVIDERS: list[Provider] = []


def timeline_provider(provider: Provider) -> Provider:
    """Register ``provider(enterprise, access)``: it yields the entries ``access`` may see."""
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)
    return provider


def enterprise_timeline(
    enterprise: Enterprise, access: Access, *, kinds: Iterable[str] | None = None
) -> list[TimelineEntry]:
    """Every provider's entries, newest first, optionally only some kinds."""
    wanted = set(kinds) if kinds is not None else None
    entries = [
        entry
        for provider in PROVIDERS
        for entry in provider(enterprise, access)
        if wanted is None or entry.kind in wanted
    ]
    return sorted(entries, key=lambda entry: entry.at, reverse=True)
