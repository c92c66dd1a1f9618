"""Who may do what in core: the audit log, unmasking personal data, API tokens."""

from typing import Any

from django.db.models import Q

from linli.core import visibility
from linli.core.access import Access
from linli.core.models import ApiToken, Membership, Notification
from linli.core.roles import ADMINS, Role

UNMASK_ROLES = ADMINS | {Role.WINDOW_STAFF, Role.HANDLER}


def can_read_audit_log(access: Access) -> bool:
    return access.has_any(ADMINS | {Role.LEADER})


def may_edit_calendar(access: Access) -> bool:
    """The work calendar is national; administrators enter the State Council's notice."""
    return access.has_any(ADMINS)


def can_unmask(access: Access) -> bool:
    """Window staff and handlers call people back; admins fix records. Nobody else unmasks."""
    return access.has_any(UNMASK_ROLES)


def may_manage_tokens_of(access: Access, user: Any) -> bool:
    """Everyone with a membership manages their own API tokens; an administrator those of any
    member of the sub-district (service accounts for integrations)."""
    if access.subdistrict is None or access.user is None:
        return False
    if access.user.pk == user.pk:
        return True
    return (
        access.has_any(ADMINS) and user.memberships.filter(subdistrict=access.subdistrict).exists()
    )


@visibility.policy(ApiToken)
def api_tokens(access: Access, action: str) -> visibility.Condition:
    """A person sees their own tokens; an administrator every token of the sub-district."""
    if access.has_any(ADMINS):
        return True
    return Q(user_id=access.user.pk) if access.user is not None else False


@visibility.policy(Notification)
def notifications(access: Access, action: str) -> visibility.Condition:
    """An inbox is its owner's alone."""
    return Q(user_id=access.user.pk) if access.user is not None else False


@visibility.policy(Membership)
def memberships(access: Access, action: str) -> visibility.Condition:
    """Who holds which role: a person their own memberships, administrators every one."""
    if access.has_any(ADMINS):
        return True
    return Q(user_id=access.user.pk) if access.user is not None else False
