"""Who may see and work the investment pipeline.

An ambassador (招商大使) works their own prospects; leaders and administrators see every
prospect of the sub-district, and administrators may act on any of them (hand one over, fix a
mistake). Vacant space is kept up to date by administrators and ambassadors and read by the
same people as the pipeline. Nobody else sees prospects: they are commercial negotiations.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.access import Access
from linli.core.personal_data import PersonalField, register
from linli.core.roles import ADMINS, Role
from linli.core.rules import can_unmask
from linli.enterprise.investment.models import Prospect

SEES_ALL = ADMINS | {Role.LEADER}
PIPELINE = SEES_ALL | {Role.AMBASSADOR}
WORKERS = ADMINS | {Role.AMBASSADOR}


def can_view_pipeline(access: Access) -> bool:
    return access.has_any(PIPELINE)


def can_create_prospect(access: Access) -> bool:
    return access.has_any(WORKERS)


def sees_all_prospects(access: Access) -> bool:
    return access.is_system or access.has_any(SEES_ALL)


def _own(access: Access, prospect: models.Model) -> bool:
    user = access.user
    return (
        access.has_any({Role.AMBASSADOR})
        and user is not None
        and getattr(prospect, "ambassador_id", None) == user.pk
    )


def prospect_filter(access: Access) -> models.Q:
    """The prospects the person may see, as a filter on prospects."""
    if sees_all_prospects(access):
        return models.Q()
    if access.has_any({Role.AMBASSADOR}) and access.user is not None:
        return models.Q(ambassador_id=access.user.pk)
    return models.Q(pk__in=[])


def may_view_prospect(access: Access, prospect: models.Model) -> bool:
    return sees_all_prospects(access) or _own(access, prospect)


def may_work_prospect(access: Access, prospect: models.Model) -> bool:
    """Move it, plan its actions, edit and register it."""
    return access.is_system or access.has_any(ADMINS) or _own(access, prospect)


def may_reassign(access: Access) -> bool:
    """Only administrators hand a prospect to another ambassador."""
    return access.is_system or access.has_any(ADMINS)


def can_view_space(access: Access) -> bool:
    return access.has_any(PIPELINE)


def can_edit_space(access: Access) -> bool:
    return access.has_any(WORKERS)


def can_view_statistics(access: Access) -> bool:
    """Leaders and administrators see everyone's figures, an ambassador their own."""
    return access.has_any(PIPELINE)


def may_unmask_prospect_contact(access: Access, prospect: models.Model) -> bool:
    return can_unmask(access) or _own(access, prospect)


register(
    PersonalField(
        key="prospect.phone",
        model=Prospect,
        cipher_field="contact_phone_cipher",
        kind="phone",
        purpose=_("Following up a prospective enterprise's move into the sub-district"),
        retention=_("Until the prospect registers (then it is the enterprise's) or is lost"),
        may_unmask=may_unmask_prospect_contact,
    )
)
