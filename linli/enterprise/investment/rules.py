"""Who may see and work the investment pipeline.

An ambassador (招商大使) works their own prospects; leaders and administrators see every
prospect of the sub-district, and administrators may act on any of them (hand one over, fix a
mistake). Vacant space is kept up to date by administrators and ambassadors and read by the
same people as the pipeline. Nobody else sees prospects: they are commercial negotiations.

What a person may read is one visibility policy per model (``@visibility.policy``), read by
pages, API, exports and the enterprise timeline through ``Model.objects.visible_to``:

- ``Prospect`` ``view``: the pipeline (leaders and administrators all of it, an ambassador
  their own); ``history``: how a registered enterprise was attracted, on its timeline: the
  pipeline's readers, and staff who see that enterprise in full (the registry's ``view_full``
  audience: the whole area, the enterprise's butler);
- its stage history and next actions: those of the prospects the person may read;
- ``VacantUnit``: the pipeline's readers.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core import visibility
from linli.core.access import Access
from linli.core.personal_data import PersonalField, register
from linli.core.roles import ADMINS, STAFF, Role
from linli.core.rules import can_unmask
from linli.core.visibility import Condition
from linli.enterprise.investment.models import (
    NextAction,
    Prospect,
    Stage,
    StageChange,
    VacantUnit,
)
from linli.registry.models import Enterprise

# Who sees every prospect of the sub-district (not only their own).
WHOLE_PIPELINE = ADMINS | {Role.LEADER}
PIPELINE = WHOLE_PIPELINE | {Role.AMBASSADOR}
WORKERS = ADMINS | {Role.AMBASSADOR}


def can_view_pipeline(access: Access) -> bool:
    return access.has_any(PIPELINE)


def can_create_prospect(access: Access) -> bool:
    return access.has_any(WORKERS)


def sees_whole_pipeline(access: Access) -> bool:
    return access.is_system or access.has_any(WHOLE_PIPELINE)


def _own(access: Access, prospect: models.Model) -> bool:
    user = access.user
    return (
        access.has_any({Role.AMBASSADOR})
        and user is not None
        and getattr(prospect, "ambassador_id", None) == user.pk
    )


def _both(first: Condition, second: Condition) -> Condition:
    if first is False or second is False:
        return False
    if first is True:
        return second
    if second is True:
        return first
    return first & second


@visibility.policy(Prospect)
def prospects(access: Access, action: str) -> Condition:
    """``view``: the pipeline; ``history``: also the registered prospects of the enterprises a
    member of staff sees in full (their story on the enterprise's timeline)."""
    if sees_whole_pipeline(access):
        pipeline: Condition = True
    elif access.has_any({Role.AMBASSADOR}) and access.user is not None:
        pipeline = models.Q(ambassador_id=access.user.pk)
    else:
        pipeline = False
    if action != "history" or not access.has_any(STAFF):
        return pipeline
    enterprises = visibility.condition_for(access, Enterprise, "view_full")
    registered = _both(
        models.Q(enterprise__isnull=False), visibility.through(enterprises, "enterprise")
    )
    return visibility.either(pipeline, registered)


@visibility.policy(StageChange)
@visibility.policy(NextAction)
def prospect_rows(access: Access, action: str) -> Condition:
    """A prospect's stage history and next actions: those of the prospects one may read."""
    return visibility.through(prospects(access, action), "prospect")


@visibility.policy(VacantUnit)
def vacant_units(access: Access, action: str) -> Condition:
    return can_view_space(access)


def may_work_prospect(access: Access, prospect: models.Model) -> bool:
    """Move it, plan its actions, edit and register it."""
    return access.is_system or access.has_any(ADMINS) or _own(access, prospect)


def may_reassign(access: Access) -> bool:
    """Only administrators hand a prospect to another ambassador."""
    return access.is_system or access.has_any(ADMINS)


def prospect_actions(access: Access, prospect: Prospect) -> frozenset[str]:
    """What the person may do with the prospect now, from the rule and the states the verbs
    check (``services``): the page shows these buttons, the API lists them."""
    if not may_work_prospect(access, prospect):
        return frozenset()
    if not prospect.is_open:
        return frozenset()
    actions = {"edit", "move", "add_action"}
    if prospect.stage == Stage.SIGNED:
        actions.add("register")
    return frozenset(actions)


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
