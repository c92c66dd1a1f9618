"""Who may do what in core: the audit log, unmasking personal data, API tokens."""

from typing import Any

from django.db.models import Q
from django_scopes import scopes_disabled

from linli.core import visibility
from linli.core.access import Access
from linli.core.models import ApiToken, Consent, Membership, Notification, RuleParameter
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


def is_own_data(access: Access, person: Any) -> bool:
    """A person asking for their own data, by their account alone."""
    return (
        access.user is not None
        and person.user is not None
        and person.user.pk == access.user.pk
        and not person.phone
        and not person.email
    )


def _belongs_here(access: Access, user: Any) -> bool:
    """The account is of this sub-district: a membership here, or it is the person's home."""
    if access.subdistrict is None:
        return False
    if user.home_subdistrict_id == access.subdistrict.pk:
        return True
    with scopes_disabled():
        return Membership.objects.filter(user=user, subdistrict=access.subdistrict).exists()


def may_export_person(access: Access, person: Any) -> bool:
    """Anyone their own data; a sub-district's administrators anyone's of it, on request."""
    if is_own_data(access, person):
        return True
    return may_correct_person(access, person)


def may_correct_person(access: Access, person: Any) -> bool:
    """Administrators correct what their sub-district holds about a person of it."""
    if access.subdistrict is None or not access.has_any(ADMINS):
        return False
    return person.user is None or access.is_system or _belongs_here(access, person.user)


def may_erase_person(access: Access, person: Any) -> bool:
    """As for correcting; an account used in other sub-districts too, or a platform
    administrator's, only by a platform administrator, and never one's own."""
    if not may_correct_person(access, person):
        return False
    user = person.user
    if user is None:
        return True
    if access.user is not None and access.user.pk == user.pk:
        return False
    if access.has_any({Role.PLATFORM_ADMIN}):
        return True
    if user.is_superuser:
        return False
    assert access.subdistrict is not None  # noqa: S101 - may_correct_person needs one
    with scopes_disabled():
        return (
            not Membership.objects.filter(user=user)
            .exclude(subdistrict=access.subdistrict)
            .exists()
        )


def may_answer_consent(access: Access) -> bool:
    """Each signed-in person gives or withdraws their own consents, per sub-district."""
    return access.user is not None and access.subdistrict is not None


@visibility.policy(Consent)
def consents(access: Access, action: str) -> visibility.Condition:
    """A person sees their own answers; administrators every answer of the sub-district."""
    if access.has_any(ADMINS):
        return True
    return Q(user_id=access.user.pk) if access.user is not None else False


@visibility.policy(ApiToken)
def api_tokens(access: Access, action: str) -> visibility.Condition:
    """A person sees their own tokens; an administrator every token of the sub-district."""
    if access.has_any(ADMINS):
        return True
    return Q(user_id=access.user.pk) if access.user is not None else False


PARAMETER_READERS = ADMINS | {Role.LEADER}


@visibility.policy(RuleParameter)
def rule_parameters(access: Access, action: str) -> visibility.Condition:
    """Rule numbers: administrators set them; leaders read them, since figures they are shown
    depend on them."""
    if action == "view":
        return access.has_any(PARAMETER_READERS)
    return access.has_any(ADMINS)


def may_set_parameters(access: Access) -> bool:
    return access.has_any(ADMINS)


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
