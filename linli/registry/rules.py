"""Who may see and change the registry.

Staff see their sub-district's registry. Building managers see their own building and its
enterprises. Residents and enterprise members see facilities only (and their own enterprise).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.access import Access
from linli.core.personal_data import PersonalField, register
from linli.core.roles import ADMINS, EVERYONE, STAFF, Role
from linli.core.rules import can_unmask
from linli.registry.models import Building, Enterprise

EDITORS = ADMINS
ENTERPRISE_EDITORS = ADMINS | {Role.BUTLER, Role.AMBASSADOR}
READERS = {
    "organisation": STAFF,
    "grid": STAFF,
    "quarter": STAFF,
    "building": STAFF | {Role.BUILDING_MANAGER},
    "enterprise": STAFF | {Role.BUILDING_MANAGER, Role.ENTERPRISE_MEMBER},
    "facility": EVERYONE,
}


def can_view(access: Access, kind: str) -> bool:
    return access.has_any(READERS[kind])


def can_edit(access: Access, kind: str) -> bool:
    if kind == "enterprise":
        return access.has_any(ENTERPRISE_EDITORS)
    return access.has_any(EDITORS)


def can_import(access: Access) -> bool:
    return access.has_any(ADMINS)


def visible(access: Access, kind: str, queryset: models.QuerySet) -> models.QuerySet:
    """Narrow a list to what the role may see: staff everything, others their own things."""
    if access.has_any(STAFF):
        return queryset
    if kind == "building":
        return queryset.filter(pk__in=access.linked_ids("building"))
    if kind == "enterprise":
        own = access.linked_ids("enterprise")
        buildings = (
            access.linked_ids("building") if access.has_any({Role.BUILDING_MANAGER}) else set()
        )
        return queryset.filter(models.Q(pk__in=own) | models.Q(building_id__in=buildings))
    if kind == "facility":
        return queryset
    return queryset.none()


def may_unmask_enterprise_contact(access: Access, enterprise: models.Model) -> bool:
    """Admins, handlers and window staff; a butler for the enterprises of their own portfolio;
    an enterprise's own members for their enterprise."""
    if not isinstance(enterprise, Enterprise):
        return False
    if can_unmask(access):
        return True
    if access.has_any({Role.BUTLER}) and access.user is not None:
        return enterprise.butler_id == access.user.pk
    return enterprise.pk in access.linked_ids("enterprise")


def may_see_building(access: Access, building: Building) -> bool:
    return access.has_any(STAFF) or building.pk in access.linked_ids("building")


register(
    PersonalField(
        key="enterprise.phone",
        model=Enterprise,
        cipher_field="contact_phone_cipher",
        kind="phone",
        purpose=_("Calling the enterprise's contact person back about its requests"),
        retention=_("While the enterprise is in the registry"),
        may_unmask=may_unmask_enterprise_contact,
    )
)
