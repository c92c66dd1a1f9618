"""What a sub-district shows anyone who has not signed in, beyond its public pages themselves.

The public map of reports (``linli.cases.public_map``) is for anyone, and a map needs its base
map and its place search: the sub-district's streets and buildings, and the public places by
name (quarters, buildings, facilities). Core knows no app, so the app that owns a public map
registers whether a sub-district has it on (``register``); the visibility policies of the base
map and of the places ask ``is_visitor``. A sub-district that turned its map off shows nothing
to the public, and a visitor of one sub-district reads nothing of another (each read runs in the
visited sub-district's scope).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.http import Http404
from django_scopes import scope

from linli.core.access import Access
from linli.core.models import Subdistrict

_CHECKS: list[Callable[[Subdistrict], bool]] = []


def register(map_is_on: Callable[[Subdistrict], bool]) -> None:
    """Add a public map's question: is it on in this sub-district?"""
    if map_is_on not in _CHECKS:
        _CHECKS.append(map_is_on)


def map_is_public(subdistrict: Subdistrict) -> bool:
    return any(check(subdistrict) for check in _CHECKS)


def visitor(subdistrict: Subdistrict) -> Access | None:
    """A signed-out visitor of ``subdistrict``'s public map, None when it shows none."""
    return Access.anonymous(subdistrict) if map_is_public(subdistrict) else None


def is_visitor(access: Access) -> bool:
    """``access`` is a signed-out visitor of a sub-district whose map is public."""
    return (
        access.user is None
        and not access.is_system
        and access.subdistrict is not None
        and map_is_public(access.subdistrict)
    )


@contextmanager
def visit(code: str) -> Iterator[Access]:
    """Inside the sub-district of division code ``code`` as a visitor of its public map; 404
    when there is no such sub-district or its map is off."""
    subdistrict = Subdistrict.objects.filter(code=code).first()
    if subdistrict is None:
        raise Http404
    with scope(subdistrict=subdistrict):
        access = visitor(subdistrict)
        if access is None:
            raise Http404
        yield access
