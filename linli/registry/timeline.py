"""One enterprise's timeline, gathered from every app that has something to say about it
(``linli.core.timelines``): apps register with ``@timeline_provider``; the enterprise profile
asks ``enterprise_timeline``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from linli.core.timelines import Timeline, TimelineEntry

if TYPE_CHECKING:
    from linli.core.access import Access
    from linli.registry.models import Enterprise

__all__ = ["TimelineEntry", "enterprise_timeline", "timeline_provider"]

ENTERPRISE: Timeline[Enterprise] = Timeline()
timeline_provider = ENTERPRISE.provider


def enterprise_timeline(
    enterprise: Enterprise, access: Access, *, kinds: Iterable[str] | None = None
) -> list[TimelineEntry]:
    return ENTERPRISE.gather(enterprise, access, kinds=kinds)
