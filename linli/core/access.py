"""Who is acting, in which sub-district, with which roles.

Every request carries an ``Access`` (built by the tenant middleware); every service verb takes
one as ``actor``. Background tasks act as ``Access.system(subdistrict)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from linli.core.models import Membership, Subdistrict, User
from linli.core.roles import Role

# What a membership can be about: read with it wherever an Access is built.
LINKS = ("organisation", "building", "enterprise", "grid")


@dataclass(frozen=True)
class Access:
    user: User | None
    subdistrict: Subdistrict | None
    roles: frozenset[str] = frozenset()
    memberships: tuple[Membership, ...] = field(default=(), compare=False)
    is_system: bool = False

    @classmethod
    def system(cls, subdistrict: Subdistrict | None) -> Access:
        return cls(user=None, subdistrict=subdistrict, roles=frozenset(Role), is_system=True)

    @classmethod
    def anonymous(cls, subdistrict: Subdistrict | None = None) -> Access:
        return cls(user=None, subdistrict=subdistrict)

    @classmethod
    def for_user(
        cls,
        user: User,
        subdistrict: Subdistrict | None,
        everywhere: Iterable[Membership] | None = None,
    ) -> Access:
        """``everywhere``: the person's memberships in every sub-district, when the caller has
        read them already (``memberships_of``); read afresh otherwise."""
        if subdistrict is None:
            return cls(user=user, subdistrict=None)
        if everywhere is None:
            with scopes_disabled():
                memberships = tuple(
                    Membership.objects.filter(user=user, subdistrict=subdistrict).select_related(
                        *LINKS
                    )
                )
        else:
            memberships = tuple(m for m in everywhere if m.subdistrict_id == subdistrict.pk)
        roles = {m.role for m in memberships}
        if user.is_superuser:
            roles.add(Role.PLATFORM_ADMIN)
        return cls(
            user=user, subdistrict=subdistrict, roles=frozenset(roles), memberships=memberships
        )

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None or self.is_system

    def has_any(self, roles: Iterable[str]) -> bool:
        return self.is_system or not self.roles.isdisjoint(roles)

    def require(self, allowed: bool) -> None:
        if not allowed:
            raise PermissionDenied(_("You are not allowed to do this."))

    def linked_ids(self, attribute: str) -> set[int]:
        """Ids of the buildings / enterprises / organisations / grids the memberships name."""
        return {
            value for m in self.memberships if (value := getattr(m, f"{attribute}_id")) is not None
        }


def memberships_of(user: User) -> list[Membership]:
    """All of a person's memberships, with their sub-districts and what each is about, in one
    query: what every request needs to know who is acting, and where they may act."""
    with scopes_disabled():
        return list(Membership.objects.filter(user=user).select_related("subdistrict", *LINKS))


def allowed_subdistricts(user: User, memberships: Iterable[Membership]) -> list[Subdistrict]:
    """The sub-districts a person may switch between (``memberships``: ``memberships_of``),
    by code: all for platform admins."""
    if user.is_superuser:
        return list(Subdistrict.objects.all())
    unique = {m.subdistrict_id: m.subdistrict for m in memberships}
    return sorted(unique.values(), key=lambda s: s.code)
