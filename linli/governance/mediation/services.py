"""Mediation verbs: open a case with its parties, record sessions, close it (agreement, no
agreement, withdrawn), record the signed agreement (which schedules the follow-up visit),
record the follow-up, record judicial confirmation, and remind mediators of due visits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core import audit, clock, limits, parameters
from linli.core.access import Access
from linli.core.messaging import Message, notify_each
from linli.core.models import Subdistrict, User
from linli.core.pii import encrypt, lookup_hash, validate_mobile
from linli.governance.mediation import rules
from linli.governance.mediation.models import MediationCase, Party, Session, SignedScan
from linli.governance.mediation.parameters import FOLLOW_UP_DAYS
from linli.people.models import Person
from linli.registry.models import Quarter

Errors = dict[str, list[str]]
OUTCOMES = (
    MediationCase.Status.AGREED,
    MediationCase.Status.NO_AGREEMENT,
    MediationCase.Status.WITHDRAWN,
)


@dataclass(frozen=True)
class PartyInput:
    side: str
    name: str = ""
    phone: str = ""
    person: Person | None = None


def _overlong(errors: Errors, model: type[Any], **values: str) -> None:
    try:
        limits.refuse_overlong(model, **values)
    except ValidationError as exc:
        errors.update(exc.message_dict)


def _not_future(errors: Errors, field: str, day: dt.date | None) -> None:
    if day is None:
        errors[field] = [_("Give the date.")]
    elif day > clock.today():
        errors[field] = [_("This date is in the future.")]


def _next_number(subdistrict: Subdistrict, year: int) -> str:
    prefix = f"TJ{year}-"
    taken = MediationCase.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{taken + 1:04d}"


def open_case(
    actor: Access,
    *,
    quarter: Quarter | None,
    kind: str,
    summary: str,
    mediator: User | None,
    parties: list[PartyInput],
    opened_on: dt.date | None = None,
) -> MediationCase:
    """A dispute of a quarter comes to mediation, with at least one party on each side."""
    actor.require(rules.may_open(actor))
    errors: Errors = {}
    summary = (summary or "").strip()
    opened_on = opened_on or clock.today()
    if quarter is None or not rules.quarters(actor).filter(pk=quarter.pk).exists():
        errors["quarter"] = [_("Choose a quarter of your area.")]
    if kind not in MediationCase.Kind.values:
        errors["kind"] = [_("Choose the kind of dispute.")]
    if not summary:
        errors["summary"] = [_("Say what the dispute is about.")]
    if mediator is None or not rules.mediators(actor).filter(user=mediator).exists():
        errors["mediator"] = [_("Choose a member of staff as mediator.")]
    _not_future(errors, "opened_on", opened_on)
    _overlong(errors, MediationCase, summary=summary)
    cleaned: list[tuple[PartyInput, str, str]] = []
    for i, party in enumerate(parties):
        name = (party.person.name if party.person else party.name or "").strip()
        phone = (party.phone or "").strip()
        if not name and not phone:
            continue
        if not name:
            errors[f"party_{i}_name"] = [_("Give the party's name.")]
        if phone:
            try:
                phone = validate_mobile(phone)
            except ValidationError as exc:
                errors[f"party_{i}_phone"] = exc.messages
        _overlong(errors, Party, name=name)
        cleaned.append((party, name, phone))
    sides = {p.side for p, _name, _phone in cleaned}
    if not {Party.Side.APPLICANT, Party.Side.RESPONDENT} <= sides:
        errors.setdefault("parties", []).append(_("Name at least one party on each side."))
    if errors:
        raise ValidationError(errors)
    assert quarter is not None and mediator is not None  # noqa: S101 - checked above
    with transaction.atomic():
        case = MediationCase.objects.create(
            subdistrict=quarter.subdistrict,
            number=_next_number(quarter.subdistrict, opened_on.year),
            quarter=quarter,
            kind=kind,
            summary=summary,
            mediator=mediator,
            opened_on=opened_on,
            created_by=actor.user,
        )
        Party.objects.bulk_create(
            Party(
                subdistrict=case.subdistrict,
                case=case,
                side=party.side,
                person=party.person,
                name=name,
                phone_cipher=encrypt(phone) if phone else "",
                phone_hash=lookup_hash(phone) if phone else "",
            )
            for party, name, phone in cleaned
        )
        audit.record(actor, "mediation.case.open", case, after=audit.snapshot(case))
    return case


def record_session(
    case: MediationCase,
    *,
    actor: Access,
    held_on: dt.date | None,
    place: str,
    attendees: str,
    notes: str = "",
) -> Session:
    actor.require(rules.may_act(actor, case))
    if refused := rules.session_refused(case):
        raise ValidationError(refused)
    place, attendees, notes = (
        (place or "").strip(),
        (attendees or "").strip(),
        (notes or "").strip(),
    )
    errors: Errors = {}
    _not_future(errors, "held_on", held_on)
    if not place:
        errors["place"] = [_("Say where the session was held.")]
    if not attendees:
        errors["attendees"] = [_("Say who attended.")]
    _overlong(errors, Session, place=place, attendees=attendees, notes=notes)
    if errors:
        raise ValidationError(errors)
    assert held_on is not None  # noqa: S101 - checked above
    with transaction.atomic():
        session = Session.objects.create(
            subdistrict=case.subdistrict,
            case=case,
            held_on=held_on,
            place=place,
            attendees=attendees,
            notes=notes,
            recorded_by=actor.user,
        )
        audit.record(actor, "mediation.session.record", session, after=audit.snapshot(session))
    return session


def close_case(
    case: MediationCase,
    *,
    actor: Access,
    outcome: str,
    on: dt.date | None,
    terms: str = "",
    notes: str = "",
) -> MediationCase:
    """The mediation ends: an agreement (its terms), no agreement, or withdrawn."""
    actor.require(rules.may_act(actor, case))
    if refused := rules.close_refused(case):
        raise ValidationError(refused)
    terms, notes = (terms or "").strip(), (notes or "").strip()
    errors: Errors = {}
    if outcome not in OUTCOMES:
        errors["outcome"] = [_("Choose the outcome.")]
    elif outcome == MediationCase.Status.AGREED and not terms:
        errors["terms"] = [_("Write the terms the parties agreed.")]
    _not_future(errors, "on", on)
    if on is not None and on < case.opened_on:
        errors["on"] = [_("The case cannot close before it was opened.")]
    _overlong(errors, MediationCase, terms=terms, outcome_notes=notes)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = audit.snapshot(case)
        case.status, case.closed_on = outcome, on
        case.terms = terms if outcome == MediationCase.Status.AGREED else ""
        case.outcome_notes = notes
        case.save(update_fields=["status", "closed_on", "terms", "outcome_notes"])
        audit.record(actor, "mediation.case.close", case, before=before, after=audit.snapshot(case))
    return case


def sign_agreement(
    case: MediationCase,
    *,
    actor: Access,
    signed_on: dt.date | None,
    scan: Any = None,
) -> MediationCase:
    """The parties signed the agreement (a scan is optional). The follow-up visit is due the
    parameter's number of days later, by the version in force on the day of signing."""
    from linli.cases.attachments import check_image

    actor.require(rules.may_act(actor, case))
    if refused := rules.sign_refused(case):
        raise ValidationError(refused)
    errors: Errors = {}
    _not_future(errors, "signed_on", signed_on)
    if signed_on is not None and case.closed_on is not None and signed_on < case.closed_on:
        errors["signed_on"] = [_("The agreement cannot be signed before it was reached.")]
    checked = None
    if scan is not None:
        try:
            checked = check_image(scan)
        except ValidationError as exc:
            errors["scan"] = exc.messages
    if errors:
        raise ValidationError(errors)
    assert signed_on is not None  # noqa: S101 - checked above
    version = parameters.value(FOLLOW_UP_DAYS, on=signed_on)
    with transaction.atomic():
        before = audit.snapshot(case)
        case.signed_on = signed_on
        case.follow_up_due = signed_on + dt.timedelta(days=int(version.value))
        case.follow_up_version = version.pk
        case.save(update_fields=["signed_on", "follow_up_due", "follow_up_version"])
        if checked is not None:
            scan_row = SignedScan(
                subdistrict=case.subdistrict, case=case, content_type=checked.content_type
            )
            scan_row.file.save(f"agreement-{case.number}", checked.content, save=False)
            scan_row.save()
        audit.record(
            actor, "mediation.agreement.sign", case, before=before, after=audit.snapshot(case)
        )
    return case


def record_follow_up(
    case: MediationCase, *, actor: Access, on: dt.date | None, notes: str
) -> MediationCase:
    """The mediator visited the parties: how the agreement is being kept."""
    actor.require(rules.may_act(actor, case))
    if refused := rules.follow_up_refused(case):
        raise ValidationError(refused)
    notes = (notes or "").strip()
    errors: Errors = {}
    _not_future(errors, "on", on)
    if on is not None and case.signed_on is not None and on < case.signed_on:
        errors["on"] = [_("The visit cannot be before the agreement was signed.")]
    if not notes:
        errors["notes"] = [_("Say how the agreement is being kept.")]
    _overlong(errors, MediationCase, follow_up_notes=notes)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = audit.snapshot(case)
        case.followed_up_on, case.follow_up_notes = on, notes
        case.save(update_fields=["followed_up_on", "follow_up_notes"])
        audit.record(
            actor, "mediation.follow_up.record", case, before=before, after=audit.snapshot(case)
        )
    return case


def confirm_judicially(
    case: MediationCase, *, actor: Access, on: dt.date | None, court: str
) -> MediationCase:
    """A court confirmed the agreement (司法确认), which makes it enforceable."""
    actor.require(rules.may_act(actor, case))
    if refused := rules.confirm_refused(case):
        raise ValidationError(refused)
    court = (court or "").strip()
    errors: Errors = {}
    _not_future(errors, "on", on)
    if on is not None and case.signed_on is not None and on < case.signed_on:
        errors["on"] = [_("A court confirms an agreement after it is signed.")]
    if not court:
        errors["court"] = [_("Name the court.")]
    _overlong(errors, MediationCase, confirming_court=court)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = audit.snapshot(case)
        case.confirmed_on, case.confirming_court = on, court
        case.save(update_fields=["confirmed_on", "confirming_court"])
        audit.record(
            actor, "mediation.case.confirm", case, before=before, after=audit.snapshot(case)
        )
    return case


def remind_follow_ups(actor: Access, *, today: dt.date) -> int:
    """Tell each mediator of the follow-up visits now due. A case is reminded once: running
    it again (a second worker, a restart) sends nothing more."""
    due = MediationCase.objects.filter(
        follow_up_due__lte=today, followed_up_on__isnull=True, follow_up_reminded_on__isnull=True
    ).select_related("mediator", "subdistrict")
    with transaction.atomic():
        # Locked, so a second worker waits and then finds them reminded.
        found = list(due.select_for_update(of=("self",)))
        if not found:
            return 0
        notify_each(
            found[0].subdistrict,
            [
                Message(
                    [case.mediator],
                    _("Follow-up visit due for mediation %(number)s") % {"number": case.number},
                    "",
                    reverse("mediation:case", kwargs={"pk": case.pk}),
                )
                for case in found
            ],
        )
        MediationCase.objects.filter(pk__in=[c.pk for c in found]).update(
            follow_up_reminded_on=today
        )
        audit.record(
            actor,
            "mediation.follow_up.remind",
            object_type="mediation.mediationcase",
            note=f"{len(found)} reminders",
        )
    return len(found)
