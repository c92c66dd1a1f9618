"""Pipeline verbs: record a prospect, move it through the stages, plan its next actions,
register it as an enterprise, and keep the vacant units up to date.

Every verb checks ``rules``, runs in one transaction, appends to the prospect's stage history
where the stage changes and writes the audit log. The ambassador hears (in-app) when someone
else moves, registers or hands over their prospect.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from linli.core import audit, clock, limits
from linli.core.access import Access
from linli.core.messaging import notify
from linli.core.pii import encrypt, lookup_hash
from linli.enterprise.investment import rules
from linli.enterprise.investment.forms import ProspectForm, vacant_unit_form
from linli.enterprise.investment.models import (
    CLOSED_STAGES,
    FORWARD,
    NextAction,
    Prospect,
    Stage,
    StageChange,
    VacantUnit,
)
from linli.registry.models import Building, Enterprise
from linli.registry.services import save_record


class InvalidForm(ValidationError):
    """Carries the bound form, so pages can show every field error at once."""

    def __init__(self, form: Any) -> None:
        super().__init__(form.errors.as_data())
        self.form = form


def stage_label(stage: str) -> str:
    return str(Stage(stage).label) if stage else ""


def prospect_url(prospect: Prospect) -> str:
    from django.urls import reverse

    return reverse("investment:prospect", kwargs={"pk": prospect.pk})


def _require_open(prospect: Prospect) -> None:
    """Refuse to change a prospect whose pipeline is closed (``rules.prospect_actions``)."""
    if not prospect.is_open:
        raise ValidationError(
            _("This prospect is %(stage)s: its pipeline is closed.")
            % {"stage": stage_label(prospect.stage).lower()}
        )


def _tell_ambassador(prospect: Prospect, actor: Access, title: str) -> None:
    ambassador = prospect.ambassador
    if ambassador is None or (actor.user is not None and actor.user.pk == ambassador.pk):
        return
    notify([ambassador], prospect.subdistrict, title=title, url=prospect_url(prospect))


def _lock(prospect: Prospect) -> Prospect:
    return Prospect.objects.select_for_update().get(pk=prospect.pk)


def _append(
    prospect: Prospect, actor: Access, from_stage: str, to_stage: str, note: str, reason: str = ""
) -> StageChange:
    return StageChange.objects.create(
        subdistrict_id=prospect.subdistrict_id,
        prospect=prospect,
        actor=actor.user,
        from_stage=from_stage,
        to_stage=to_stage,
        reason=reason,
        note=note,
    )


def save_prospect(
    actor: Access, data: dict[str, Any], *, instance: Prospect | None = None
) -> Prospect:
    """Record a new prospect (as a lead) or change one's details; the stage is not a detail."""
    creating = instance is None
    if instance is None:
        actor.require(rules.can_create_prospect(actor))
    else:
        actor.require(rules.may_work_prospect(actor, instance))
        _require_open(instance)
    assert actor.subdistrict is not None  # noqa: S101 - the middleware always sets one for staff
    data = dict(data)
    previous_ambassador = instance.ambassador_id if instance is not None else None
    if not rules.may_reassign(actor):
        # An ambassador's prospects are their own: the field is not theirs to change.
        data["ambassador"] = actor.user.pk if creating and actor.user else previous_ambassador
    before = audit.snapshot(instance) if instance is not None else {}
    form = ProspectForm(data=data, instance=instance, subdistrict=actor.subdistrict)
    if not form.is_valid():
        raise InvalidForm(form)
    with transaction.atomic():
        prospect: Prospect = form.save(commit=False)
        phone = form.cleaned_data.get("contact_phone", "")
        # The stored number is never shown in full, so an empty box keeps it.
        if phone or not prospect.contact_phone_cipher:
            prospect.contact_phone_cipher = encrypt(phone)
            prospect.contact_phone_hash = lookup_hash(phone)
        prospect.save()
        after = audit.snapshot(prospect)
        if creating:
            _append(prospect, actor, "", Stage.LEAD, _("Recorded as a lead."))
            audit.record(actor, "investment.prospect.create", prospect, after=after)
        else:
            old, new = audit.changes(before, after)
            audit.record(
                actor, "investment.prospect.update", prospect, before=old or None, after=new
            )
        if prospect.ambassador_id != previous_ambassador:
            _tell_ambassador(
                prospect,
                actor,
                _("Prospect %(name)s is now yours to follow up.") % {"name": prospect.name},
            )
    return prospect


def check_move(prospect: Prospect, to_stage: str, *, note: str, reason: str) -> None:
    """Raise a ValidationError saying why the move is not allowed, or return."""
    current = prospect.stage
    if current in CLOSED_STAGES:
        raise ValidationError(
            {
                "to_stage": _("This prospect is %(stage)s: its pipeline is closed.")
                % {"stage": stage_label(current).lower()}
            }
        )
    if to_stage not in Stage.values:
        raise ValidationError({"to_stage": _("Choose a stage of the pipeline.")})
    if to_stage == current:
        raise ValidationError({"to_stage": _("The prospect is already at this stage.")})
    if to_stage == Stage.REGISTERED:
        raise ValidationError(
            {
                "to_stage": _(
                    "A prospect becomes registered by registering it as an enterprise "
                    "(credit code, building, founding date)."
                )
            }
        )
    if to_stage == Stage.LOST:
        if not reason:
            raise ValidationError({"reason": _("Say why the prospect was lost.")})
        return
    here, there = FORWARD.index(current), FORWARD.index(to_stage)
    if there > here + 1:
        raise ValidationError(
            {
                "to_stage": _(
                    "A prospect moves one stage at a time: after %(current)s comes %(next)s."
                )
                % {
                    "current": stage_label(current).lower(),
                    "next": stage_label(FORWARD[here + 1]).lower(),
                }
            }
        )
    if there < here and not note.strip():
        raise ValidationError(
            {
                "note": _("Say in the note why the prospect goes back to %(stage)s.")
                % {"stage": stage_label(to_stage).lower()}
            }
        )


def move_prospect(
    prospect: Prospect, *, actor: Access, to_stage: str, note: str = "", reason: str = ""
) -> Prospect:
    """Move a prospect one stage on, back (with a note) or to lost (with a reason)."""
    actor.require(rules.may_work_prospect(actor, prospect))
    with transaction.atomic():
        locked = _lock(prospect)
        check_move(locked, to_stage, note=note, reason=reason)
        from_stage = locked.stage
        locked.stage = to_stage
        locked.lost_reason = reason if to_stage == Stage.LOST else ""
        locked.stage_changed_at = clock.now()
        locked.save(update_fields=["stage", "lost_reason", "stage_changed_at"])
        _append(locked, actor, from_stage, to_stage, note.strip(), locked.lost_reason)
        audit.record(
            actor,
            "investment.prospect.move",
            locked,
            before={"stage": from_stage},
            after={"stage": to_stage, "reason": locked.lost_reason},
            note=note,
        )
        _tell_ambassador(
            locked,
            actor,
            _("Prospect %(name)s moved to %(stage)s.")
            % {"name": locked.name, "stage": stage_label(to_stage).lower()},
        )
    return locked


def add_action(prospect: Prospect, *, actor: Access, title: str, due_on: dt.date) -> NextAction:
    actor.require(rules.may_work_prospect(actor, prospect))
    _require_open(prospect)
    if not title.strip():
        raise ValidationError({"title": _("Say what is to be done.")})
    limits.refuse_overlong(NextAction, title=title.strip())
    with transaction.atomic():
        action = NextAction.objects.create(
            subdistrict_id=prospect.subdistrict_id,
            prospect=prospect,
            title=title.strip(),
            due_on=due_on,
            created_by=actor.user,
        )
        audit.record(actor, "investment.next_action.create", action, after=audit.snapshot(action))
    return action


def complete_action(action: NextAction, *, actor: Access) -> NextAction:
    actor.require(rules.may_work_prospect(actor, action.prospect))
    if action.done_at is not None:
        raise ValidationError(_("This action is already done."))
    with transaction.atomic():
        action.done_at = clock.now()
        action.save(update_fields=["done_at"])
        audit.record(
            actor,
            "investment.next_action.complete",
            action,
            after={"done_at": action.done_at.isoformat()},
        )
    return action


def _blank(value: Any) -> Any:
    return "" if value is None else value


def register_prospect(
    prospect: Prospect,
    *,
    actor: Access,
    founded_on: dt.date | None,
    credit_code: str | None = None,
    building: Building | None = None,
    unit: VacantUnit | None = None,
    registered_capital: Decimal | None = None,
    note: str = "",
) -> Enterprise:
    """Turn a signed prospect into a registry enterprise without retyping its data.

    The enterprise goes through the registry's own form and verb (``save_record``), so the same
    checks apply (credit code check character, unique in the sub-district, industry code…);
    any error is a field error and nothing is written. The prospect is linked to the
    enterprise, the unit it took is marked taken, and its history is on the enterprise's
    timeline from then on.
    """
    actor.require(rules.may_work_prospect(actor, prospect))
    with transaction.atomic():
        locked = _lock(prospect)
        if locked.stage != Stage.SIGNED:
            raise ValidationError(
                {
                    "stage": _(
                        "Only a signed prospect can be registered; this one is at %(stage)s."
                    )
                    % {"stage": stage_label(locked.stage).lower()}
                }
            )
        if unit is not None:
            unit = VacantUnit.objects.select_for_update().get(pk=unit.pk)
            if building is None:
                building = unit.building
            if unit.building_id != building.pk:
                raise ValidationError({"unit": _("This unit is in another building.")})
            if not unit.is_free:
                raise ValidationError({"unit": _("This unit is already taken.")})
        capital = (
            registered_capital if registered_capital is not None else locked.registered_capital
        )
        data = {
            "credit_code": credit_code if credit_code is not None else locked.credit_code,
            "name": locked.name,
            "industry_code": locked.industry_code,
            "registered_capital": _blank(capital),
            "founded_on": _blank(founded_on),
            "headcount": locked.headcount,
            "building": building.pk if building is not None else "",
            "unit": unit.label if unit is not None else "",
            "floor_area_m2": _blank(unit.area_m2 if unit is not None else locked.area_m2),
            "lease_end": "",
            "tags": [],
            "butler": "",
            "status": Enterprise.Status.ACTIVE,
            "legal_rep_name": locked.legal_rep_name,
            "contact_name": locked.contact_name,
            "contact_phone": locked.contact_phone,
        }
        enterprise = save_record(actor, "enterprise", data)
        assert isinstance(enterprise, Enterprise)  # noqa: S101 - save_record of "enterprise"
        from_stage = locked.stage
        locked.enterprise = enterprise
        locked.credit_code = enterprise.credit_code
        locked.stage = Stage.REGISTERED
        locked.stage_changed_at = clock.now()
        locked.unit = unit
        locked.save(
            update_fields=["enterprise", "credit_code", "stage", "stage_changed_at", "unit"]
        )
        if unit is not None:
            unit.taken_at = locked.stage_changed_at
            unit.save(update_fields=["taken_at"])
        _append(
            locked,
            actor,
            from_stage,
            Stage.REGISTERED,
            note.strip()
            or _("Registered with credit code %(code)s.") % {"code": enterprise.credit_code},
        )
        audit.record(
            actor,
            "investment.prospect.register",
            locked,
            before={"stage": from_stage},
            after={
                "stage": Stage.REGISTERED,
                "enterprise": enterprise.pk,
                "unit": unit.pk if unit is not None else None,
            },
        )
        _tell_ambassador(
            locked,
            actor,
            _("Prospect %(name)s is registered as an enterprise.") % {"name": locked.name},
        )
    return enterprise


def save_unit(
    actor: Access, data: dict[str, Any], *, instance: VacantUnit | None = None
) -> VacantUnit:
    actor.require(rules.can_edit_space(actor))
    assert actor.subdistrict is not None  # noqa: S101 - the middleware always sets one for staff
    before = audit.snapshot(instance) if instance is not None else {}
    form = vacant_unit_form()(data=data, instance=instance, subdistrict=actor.subdistrict)
    if not form.is_valid():
        raise InvalidForm(form)
    with transaction.atomic():
        unit: VacantUnit = form.save()
        after = audit.snapshot(unit)
        if before:
            old, new = audit.changes(before, after)
            audit.record(
                actor, "investment.vacant_unit.update", unit, before=old or None, after=new
            )
        else:
            audit.record(actor, "investment.vacant_unit.create", unit, after=after)
    return unit
