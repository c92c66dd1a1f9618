"""Case verbs: intake, triage, handling, verification, callback, closure, merging, co-handling.

Every verb locks the case row, checks who is acting and whether the state table allows the
action, changes the case in one transaction, appends a ``CaseEvent``, writes the audit log and
tells the people who care (in-app at once; e-mail and SMS once the transaction has committed,
so a refused or rolled-back change never reaches anyone's phone).

Clocks: a case has at most one running clock (``stage``, ``stage_deadline``, ``reminder_at``),
always computed on the sub-district's work calendar. Waiting for the reporter pauses it; on
resume every deadline moves on by the working time spent waiting.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from linli.cases import intake, rules, workflow
from linli.cases.attachments import CheckedImage, check_image
from linli.cases.deadlines import DAYS, limit_for, reminder_point, shift
from linli.cases.extra import clean_extra
from linli.cases.models import (
    Case,
    CaseAttachment,
    CaseCounter,
    CaseEvent,
    CaseReporter,
    Category,
    Channel,
    CoHandler,
    RejectReason,
    Satisfaction,
    Stage,
    State,
)
from linli.cases.routing import Router, dispatchers
from linli.cases.workflow import InvalidTransition
from linli.core import audit, clock
from linli.core.access import Access
from linli.core.calendar import WorkCalendar, local_zone
from linli.core.messaging import Message, email_after_commit, notify_each, sms_after_commit
from linli.core.models import Membership, Organisation, User
from linli.core.pii import encrypt, lookup_hash, validate_mobile
from linli.core.roles import Role
from linli.registry.models import Building, Enterprise, Grid, Quarter

logger = logging.getLogger(__name__)

# Channels where staff type in what a caller or visitor says: the caller is the reporter.
ON_BEHALF_CHANNELS = {Channel.HOTLINE_12345, Channel.PHONE, Channel.WALK_IN}


@dataclass(frozen=True)
class Photo:
    """An uploaded photo and what it shows; ``field_key`` names a photo-type extra field."""

    file: IO[bytes] | Any
    kind: str = CaseAttachment.Kind.PHOTO
    field_key: str = ""


@dataclass(frozen=True)
class Contact:
    """How to reach a reporter who has no account (a hotline caller, a walk-in visitor)."""

    name: str = ""
    phone: str = ""
    email: str = ""


@dataclass
class _Step:
    """One verb in flight: the locked case and what it looked like before."""

    case: Case
    action: str
    actor: Access
    now: dt.datetime
    calendar: WorkCalendar
    from_state: str
    lead_before: int | None
    before: dict[str, Any] = field(default_factory=dict)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- reading -----------------------------------------------------------------------------


def case_for_tracking_token(token: str) -> Case | None:
    """The case a secret tracking link leads to (following merges to the surviving case)."""
    if not token:
        return None
    reporter = (
        CaseReporter.objects.filter(tracking_token_hash=token_hash(token))
        .select_related("case")
        .first()
    )
    case = reporter.case if reporter is not None else None
    while case is not None and case.merged_into_id is not None:
        case = case.merged_into
    return case


# --- the transition machinery ------------------------------------------------------------


def _lock(case: Case) -> Case:
    # ``of=self``: lock the case row only, not the joined category or organisation rows.
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("category", "subdistrict", "lead_organisation", "assignee")
        .get(pk=case.pk)
    )


def _copy_onto(original: Case, fresh: Case) -> None:
    """Callers keep using the instance they passed in; bring it up to date."""
    if original is fresh:
        return
    for f in Case._meta.concrete_fields:
        setattr(original, f.attname, getattr(fresh, f.attname))


def _begin(case: Case, action: str, actor: Access) -> _Step:
    fresh = _lock(case)
    actor.require(rules.may(actor, action, fresh))
    workflow.check(fresh.state, action)
    return _Step(
        case=fresh,
        action=action,
        actor=actor,
        now=clock.now(),
        calendar=WorkCalendar.for_subdistrict(fresh.subdistrict),
        from_state=fresh.state,
        lead_before=fresh.lead_organisation_id,
        before=audit.snapshot(fresh),
    )


def _finish(
    step: _Step,
    *,
    note: str = "",
    reason: str = "",
    late: bool | None = None,
    outcome: str = "",
    data: dict[str, Any] | None = None,
    organisation_id: int | None = None,
    original: Case | None = None,
) -> CaseEvent:
    case = step.case
    case.state = workflow.target_state(step.from_state, step.action)
    case.save()
    event = CaseEvent.objects.create(
        subdistrict_id=case.subdistrict_id,
        case=case,
        at=step.now,
        actor=step.actor.user,
        action=step.action,
        from_state=step.from_state,
        to_state=case.state,
        organisation_id=organisation_id
        if organisation_id is not None
        else case.lead_organisation_id,
        note=note,
        reason=reason,
        late=late,
        outcome=outcome,
        data=data or {},
    )
    old, new = audit.changes(step.before, audit.snapshot(case))
    audit.record(
        step.actor, f"cases.case.{step.action}", case, before=old or None, after=new, note=reason
    )
    if original is not None:
        _copy_onto(original, case)
    return event


def _late(case: Case, now: dt.datetime) -> bool | None:
    return None if case.stage_deadline is None else now > case.stage_deadline


def _start_clock(
    case: Case,
    stage: str,
    calendar: WorkCalendar,
    start: dt.datetime,
    deadline: dt.datetime | None = None,
) -> None:
    if deadline is None:
        deadline = limit_for(case.category, stage).after(calendar, start)
    case.clock += 1
    case.stage = stage
    case.stage_started_at = start
    case.stage_deadline = deadline
    case.reminder_at = reminder_point(calendar, start, deadline)


def _stop_clock(case: Case) -> None:
    case.stage = ""
    case.stage_started_at = None
    case.stage_deadline = None
    case.reminder_at = None


def _required_text(name: str, value: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({name: [message]})
    return text


# --- who hears about it ------------------------------------------------------------------


def _members(organisation_ids: Iterable[int | None]) -> list[User]:
    ids = {i for i in organisation_ids if i is not None}
    if not ids:
        return []
    return [
        m.user
        for m in Membership.objects.filter(organisation_id__in=ids, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    ]


def leaders() -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(role=Role.LEADER, user__is_active=True).select_related(
            "user"
        )
    ]


def handlers_of(case: Case) -> list[User]:
    people = _members([case.lead_organisation_id])
    if case.assignee is not None:
        people.append(case.assignee)
    return people


def _verifiers(case: Case) -> list[User]:
    grid_workers = Membership.objects.filter(role=Role.GRID_WORKER, user__is_active=True)
    if case.grid_id is not None:
        grid_workers = grid_workers.filter(grid_id=case.grid_id)
    return [m.user for m in grid_workers.select_related("user")] + dispatchers()


def case_url(case: Case) -> str:
    """The case page: staff see it whole, reporters in plain words (one link for everyone)."""
    try:
        return reverse("cases:detail", kwargs={"number": case.number})
    except NoReverseMatch:  # a project that does not serve the case pages
        return ""


def tell_staff(case: Case, users: Iterable[User], title: str, body: str = "") -> None:
    """In-app now; e-mail after commit."""
    notify_each(case.subdistrict, _to_staff(case, users, title, body))


def tell_reporters(case: Case, title: str, body: str = "") -> None:
    """Every reporter of the case (merged duplicates' reporters included), by every route."""
    notify_each(case.subdistrict, _to_reporters(case, title, body))


def _to_staff(case: Case, users: Iterable[User], title: str, body: str) -> list[Message]:
    """The in-app message for ``tell_staff``; its e-mails wait for the commit."""
    people = list({u.pk: u for u in users if u is not None}.values())
    if not people:
        return []
    email_after_commit((u.email for u in people), title, body)
    return [Message(people, title, body, case_url(case))]


def _to_reporters(
    case: Case, title: str, body: str, reporters: Sequence[CaseReporter] | None = None
) -> list[Message]:
    """The in-app message for ``tell_reporters`` (to ``reporters`` when the caller has them
    already); its e-mails and SMS wait for the commit."""
    if reporters is None:
        reporters = list(CaseReporter.objects.filter(case=case).select_related("user"))
    users = [r.user for r in reporters if r.user is not None]
    email_after_commit(
        (r.user.email if r.user is not None else r.email for r in reporters), title, body
    )
    sms_after_commit((r.phone for r in reporters if r.phone_cipher), f"{title} {body}".strip())
    return [Message(users, title, body, case_url(case))] if users else []


def case_title(case: Case, what: str) -> str:
    return _("Case %(number)s: %(what)s") % {"number": case.number, "what": what}


# --- intake ------------------------------------------------------------------------------


def _take_number(case: Case, year: int) -> str | None:
    """Add one to the year's counter and write ``<year>-<n>`` on the case; None while the year
    has no counter. PostgreSQL does both in one statement; elsewhere the counter answers with
    ``RETURNING`` (SQLite 3.35+) and the case is written after. The counter row stays locked
    until the commit; SQLite locks the database at BEGIN."""
    quote = connection.ops.quote_name
    counter, last = quote(CaseCounter._meta.db_table), quote("last")
    take = (
        f"UPDATE {counter} SET {last} = {last} + 1"  # noqa: S608 - names from the model
        f" WHERE {quote('subdistrict_id')} = %s AND {quote('year')} = %s RETURNING {last}"
    )
    prefix = f"{year}-"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cases, number = quote(Case._meta.db_table), quote("number")
            digits = f"taken.{last}::text"  # at least six, as the format below
            cursor.execute(
                f"WITH taken AS ({take}) UPDATE {cases}"  # noqa: S608 - names from the models
                f" SET {number} = %s || lpad({digits}, greatest(6, length({digits})), '0')"
                f" FROM taken WHERE {cases}.{quote('id')} = %s RETURNING {cases}.{number}",
                [case.subdistrict_id, year, prefix, case.pk],
            )
            row = cursor.fetchone()
            return None if row is None else str(row[0])
        cursor.execute(take, [case.subdistrict_id, year])
        row = cursor.fetchone()
    if row is None:
        return None
    number = f"{prefix}{int(row[0]):06d}"
    Case.objects.filter(pk=case.pk).update(number=number)
    return number


def _number(case: Case, moment: dt.datetime) -> str:
    """The case's number, gapless per sub-district and Shanghai year: ``2026-000123``."""
    year = moment.astimezone(local_zone()).year
    number = _take_number(case, year)
    while number is None:  # the year's first case: make its counter, or another intake did
        with contextlib.suppress(IntegrityError), transaction.atomic():
            CaseCounter.objects.create(subdistrict_id=case.subdistrict_id, year=year, last=0)
        number = _take_number(case, year)
    return number


def _check_photos(
    photos: Sequence[Photo], keep_location: bool, errors: dict[str, list[str]], name: str
) -> list[tuple[Photo, CheckedImage]]:
    checked = []
    for photo in photos:
        try:
            checked.append((photo, check_image(photo.file, keep_location=keep_location)))
        except ValidationError as exc:
            errors.setdefault(name, []).extend(exc.messages)
    return checked


def _save_photos(
    case: Case,
    checked: Sequence[tuple[Photo, CheckedImage]],
    actor: Access,
    event: CaseEvent | None,
    now: dt.datetime,
) -> list[CaseAttachment]:
    saved = []
    for photo, image in checked:
        saved.append(
            CaseAttachment.objects.create(
                subdistrict_id=case.subdistrict_id,
                case=case,
                event=event,
                kind=photo.kind,
                field_key=photo.field_key,
                file=image.content,
                content_type=image.content_type,
                size=image.content.size,
                width=image.width,
                height=image.height,
                uploaded_by=actor.user,
                uploaded_at=now,
            )
        )
    return saved


def submit_case(
    *,
    actor: Access,
    category: Category,
    channel: str,
    description: str,
    title: str = "",
    lon: float | None = None,
    lat: float | None = None,
    address: str = "",
    grid: Grid | None = None,
    quarter: Quarter | None = None,
    building: Building | None = None,
    enterprise: Enterprise | None = None,
    extra: dict[str, Any] | None = None,
    photos: Sequence[Photo] = (),
    contact: Contact | None = None,
    anonymous: bool = False,
    keep_location: bool = False,
    setup: intake.Setup | None = None,
) -> Case:
    """Take in a case from any channel: check it, number it, route it, start its clock.

    The reporter is the signed-in person, except on the hotline, phone and walk-in channels,
    where staff enter what a caller says (``contact``), and for anonymous reports. Whoever has
    no account gets a secret tracking token, returned once on ``case.tracking_token``.
    ``setup``: the sub-district's kept setup when the caller read it already (the API finds
    the category in it), so the stamp is read once per intake.
    """
    subdistrict = actor.subdistrict
    if subdistrict is None or category.subdistrict_id != subdistrict.pk:
        raise PermissionDenied(_("Choose a sub-district first."))
    actor.require(rules.may_submit(actor, channel))
    contact = contact or Contact()
    errors: dict[str, list[str]] = {}

    if channel not in Channel.values:
        errors["channel"] = [_("Unknown channel.")]
    if not category.active:
        errors["category"] = [_("This category no longer takes new cases.")]
    description = (description or "").strip()
    if not description:
        errors["description"] = [_("Please describe the problem.")]
    title = (title or "").strip() or description[:40] or category.name
    if (lon is None) != (lat is None):
        errors["lon"] = [_("Give both longitude and latitude, or neither.")]
    elif lon is not None and lat is not None and not (-180 <= lon <= 180 and -90 <= lat <= 90):
        errors["lon"] = [_("This is not a position on Earth.")]

    phone = ""
    if contact.phone:
        try:
            phone = validate_mobile(contact.phone)
        except ValidationError as exc:
            errors["contact.phone"] = list(exc.messages)
    if contact.email:
        try:
            validate_email(contact.email)
        except ValidationError:
            errors["contact.email"] = [_("Enter a valid e-mail address.")]

    reporter_user = None
    if not anonymous and channel not in ON_BEHALF_CHANNELS:
        reporter_user = actor.user
    identified = reporter_user is not None or bool(contact.phone or contact.email)
    if not identified and not category.allows_anonymous:
        errors.setdefault("category", []).append(
            _("This category does not take anonymous reports; please sign in or leave a phone.")
        )

    setup = setup or intake.current(subdistrict)
    photo_keys = {p.field_key for p in photos if p.field_key}
    try:
        extra_values = clean_extra(category, extra, photo_keys=photo_keys, available=setup.fields)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        extra_values = {}
    checked = _check_photos(photos, keep_location, errors, "photos")
    if errors:
        raise ValidationError(errors)

    if enterprise is not None and building is None:
        building = enterprise.building
    if grid is None and building is not None:
        grid = building.grid
    if grid is None and quarter is not None:
        grid = quarter.grid
    if grid is None and lon is not None and lat is not None:
        grid = setup.grid_at(lon, lat)

    now = clock.now()
    calendar = setup.calendar(subdistrict)
    deadline = limit_for(category, Stage.REGISTER, setup.limits).after(calendar, now)
    token = "" if reporter_user is not None else secrets.token_urlsafe(24)
    with transaction.atomic():
        case = Case(
            subdistrict=subdistrict,
            category=category,
            channel=channel,
            title=title[:200],
            description=description,
            lon=lon,
            lat=lat,
            address=address,
            keep_location=keep_location,
            grid=grid,
            quarter=quarter,
            building=building,
            enterprise=enterprise,
            reporter=reporter_user,
            extra=extra_values,
            received_at=now,
        )
        decision = Router(setup.rules, setup.centre).route(case)
        case.routed_organisation = decision.organisation
        case.routed_assignee = decision.assignee
        case.routing_rule = decision.rule
        case.routing_reason = decision.reason
        _start_clock(case, Stage.REGISTER, calendar, now, deadline)
        triage = setup.dispatchers
        # The number comes last: taking it locks the sub-district's counter until the commit
        # and every other intake waits, so only what shows the number is written after it.
        # Until then the case holds a stand-in that no other transaction ever sees.
        case.number = f"~{secrets.token_hex(9)}"
        case.save()
        reporter = CaseReporter.objects.create(
            subdistrict=subdistrict,
            case=case,
            user=reporter_user,
            name=contact.name[:50],
            phone_cipher=encrypt(phone),
            phone_hash=lookup_hash(phone),
            email=contact.email,
            tracking_token_hash=token_hash(token) if token else "",
            added_at=now,
        )
        event = CaseEvent.objects.create(
            subdistrict=subdistrict,
            case=case,
            at=now,
            actor=actor.user,
            action="submit",
            to_state=case.state,
            data={
                "channel": channel,
                "routing": {
                    "organisation": decision.organisation.pk if decision.organisation else None,
                    "assignee": decision.assignee.pk if decision.assignee else None,
                    "rule": decision.rule.pk if decision.rule else None,
                    "reason": decision.reason,
                },
            },
        )
        attachments = _save_photos(case, checked, actor, event, now)
        for key in photo_keys:
            case.extra[key] = [a.pk for a in attachments if a.field_key == key]
        if photo_keys:
            case.save(update_fields=["extra"])
        case.number = _number(case, now)
        audit.record(actor, "cases.case.submit", case, after=audit.snapshot(case))
        received = _to_reporters(
            case,
            case_title(case, _("received")),
            _("We have received your report and will register it shortly."),
            reporters=[reporter],
        )
        to_register = _to_staff(
            case, triage, case_title(case, _("new case to register")), case.title
        )
        notify_each(subdistrict, received + to_register)
    case.tracking_token = token
    return case


# --- triage ------------------------------------------------------------------------------


def register_case(case: Case, *, actor: Access, note: str = "") -> Case:
    """立案: the case is within scope and has enough to act on; it waits for dispatch."""
    with transaction.atomic():
        step = _begin(case, "register", actor)
        late = _late(step.case, step.now)
        _start_clock(step.case, Stage.DISPATCH, step.calendar, step.now)
        _finish(step, note=note, late=late, original=case)
        tell_reporters(step.case, case_title(step.case, _("registered")))
    return step.case


def reject_case(case: Case, *, actor: Access, reason: str, note: str = "") -> Case:
    """不予立案, with one of the reasons the reporter is told."""
    if reason not in RejectReason.values:
        raise ValidationError({"reason": [_("Choose why the case is not registered.")]})
    with transaction.atomic():
        step = _begin(case, "reject", actor)
        late = _late(step.case, step.now)
        _stop_clock(step.case)
        _finish(step, note=note, reason=reason, late=late, original=case)
        tell_reporters(
            step.case,
            case_title(step.case, _("not registered")),
            " ".join(filter(None, [str(RejectReason(reason).label), note])),
        )
    return step.case


def dispatch_case(
    case: Case,
    organisation: Organisation,
    *,
    actor: Access,
    assignee: User | None = None,
    note: str = "",
) -> Case:
    """派遣: make an organisation (and optionally one person) answerable for the case."""
    if organisation.subdistrict_id != case.subdistrict_id:
        raise ValidationError({"organisation": [_("Choose an organisation of this sub-district.")]})
    with transaction.atomic():
        step = _begin(case, "dispatch", actor)
        fresh = step.case
        if (
            assignee is None
            and fresh.routed_assignee_id is not None
            and fresh.routed_organisation_id == organisation.pk
        ):
            assignee = fresh.routed_assignee
        late = _late(fresh, step.now)
        fresh.lead_organisation = organisation
        fresh.assignee = assignee
        fresh.dispatched_at = step.now
        _start_clock(fresh, Stage.ACCEPT, step.calendar, step.now)
        _finish(
            step,
            note=note,
            late=late,
            data={"assignee": assignee.pk if assignee else None},
            original=case,
        )
        tell_staff(
            fresh,
            handlers_of(fresh),
            case_title(fresh, _("dispatched to %(organisation)s") % {"organisation": organisation}),
            _("Please accept it by %(deadline)s.") % {"deadline": local_time(fresh.stage_deadline)},
        )
    return fresh


def local_time(moment: dt.datetime | None) -> str:
    return "" if moment is None else moment.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M")


def accept_case(case: Case, *, actor: Access, note: str = "") -> Case:
    """签收: the organisation takes the case; the resolution clock starts now."""
    with transaction.atomic():
        step = _begin(case, "accept", actor)
        fresh = step.case
        late = _late(fresh, step.now)
        fresh.accepted_at = step.now
        fresh.resolve_deadline = limit_for(fresh.category, Stage.RESOLVE).after(
            step.calendar, step.now
        )
        if fresh.assignee is None and step.actor.user is not None:
            fresh.assignee = step.actor.user
        _start_clock(fresh, Stage.FIRST_CONTACT, step.calendar, step.now)
        _finish(step, note=note, late=late, original=case)
        tell_reporters(
            fresh,
            case_title(fresh, _("accepted by %(organisation)s") % {"organisation": _org(fresh)}),
            _("It is due to be resolved by %(deadline)s.")
            % {"deadline": local_time(fresh.resolve_deadline)},
        )
    return fresh


def _org(case: Case) -> str:
    return str(case.lead_organisation) if case.lead_organisation is not None else ""


def return_case(case: Case, *, actor: Access, reason: str, note: str = "") -> Case:
    """退单: not ours. The case goes back to the dispatcher, with the reason."""
    reason = _required_text("reason", reason, _("Say why the case is returned."))
    with transaction.atomic():
        step = _begin(case, "return", actor)
        fresh = step.case
        late = _late(fresh, step.now)
        returned_by = fresh.lead_organisation
        fresh.lead_organisation = None
        fresh.assignee = None
        fresh.accepted_at = None
        fresh.resolve_deadline = None
        _start_clock(fresh, Stage.DISPATCH, step.calendar, step.now)
        _finish(
            step,
            note=note,
            reason=reason[:200],
            late=late,
            organisation_id=step.lead_before,
            original=case,
        )
        tell_staff(
            fresh,
            dispatchers(),
            case_title(fresh, _("returned by %(organisation)s") % {"organisation": returned_by}),
            reason,
        )
    return fresh


# --- handling ----------------------------------------------------------------------------


def start_handling(case: Case, *, actor: Access, note: str = "") -> Case:
    """处置: work starts (after first contact with the reporter, rework, reopening or 挂账)."""
    with transaction.atomic():
        step = _begin(case, "start_handling", actor)
        fresh = step.case
        late = _late(fresh, step.now)
        if step.from_state == State.ACCEPTED:
            assert fresh.accepted_at is not None  # noqa: S101 - set by accept_case
            _start_clock(
                fresh, Stage.RESOLVE, step.calendar, fresh.accepted_at, fresh.resolve_deadline
            )
        elif step.from_state == State.LONG_TERM:
            fresh.resolve_deadline = limit_for(fresh.category, Stage.RESOLVE).after(
                step.calendar, step.now
            )
            _start_clock(fresh, Stage.RESOLVE, step.calendar, step.now, fresh.resolve_deadline)
            late = None
        # From rework or reopened the rework/re-handling clock already runs.
        _finish(step, note=note, late=late, original=case)
    return fresh


def wait_for_reporter(case: Case, *, actor: Access, note: str) -> Case:
    """Ask the reporter for something; the clock stops until the case is resumed."""
    note = _required_text("note", note, _("Say what is needed from the reporter."))
    with transaction.atomic():
        step = _begin(case, "wait_for_reporter", actor)
        fresh = step.case
        fresh.paused_since = step.now
        _finish(step, note=note, original=case)
        tell_reporters(fresh, case_title(fresh, _("we need something from you")), note)
    return fresh


def resume_case(case: Case, *, actor: Access, note: str = "") -> Case:
    """The reporter answered: the clock runs again and every deadline moves on by the wait."""
    with transaction.atomic():
        step = _begin(case, "resume", actor)
        fresh = step.case
        assert fresh.paused_since is not None  # noqa: S101 - set by wait_for_reporter
        paused = step.calendar.working_seconds_between(fresh.paused_since, step.now)
        fresh.paused_seconds += round(paused)
        fresh.paused_since = None
        fresh.stage_deadline = shift(step.calendar, fresh.stage_deadline, paused)
        fresh.reminder_at = shift(step.calendar, fresh.reminder_at, paused)
        fresh.resolve_deadline = shift(step.calendar, fresh.resolve_deadline, paused)
        _finish(step, note=note, data={"paused_seconds": round(paused)}, original=case)
    return fresh


def request_extension(case: Case, *, actor: Access, reason: str, days: int | None = None) -> Case:
    """Ask for more time (complex cases: 15 working days in all, with approval)."""
    reason = _required_text("reason", reason, _("Say why more time is needed."))
    with transaction.atomic():
        step = _begin(case, "request_extension", actor)
        fresh = step.case
        limit = limit_for(fresh.category, Stage.EXTENSION)
        wanted = limit.amount if days is None else days
        if not 1 <= wanted <= limit.amount:
            raise ValidationError(
                {
                    "days": [
                        _("An extension is between 1 and %(max)s %(unit)s.")
                        % {"max": limit.amount, "unit": _unit_label(limit.unit)}
                    ]
                }
            )
        _finish(
            step,
            reason=reason[:200],
            note=reason,
            data={"amount": wanted, "unit": limit.unit},
            original=case,
        )
        tell_staff(
            fresh,
            _approvers(),
            case_title(fresh, _("extension requested")),
            reason,
        )
    return fresh


def _unit_label(unit: str) -> str:
    from linli.cases.models import TimeLimit

    return str(TimeLimit.Unit(unit).label)


def _approvers() -> list[User]:
    return leaders() + dispatchers()


def approve_extension(
    case: Case, *, actor: Access, note: str = "", days: int | None = None
) -> Case:
    """The resolution deadline moves on by the extension; a new clock (and reminder) starts."""
    with transaction.atomic():
        step = _begin(case, "approve_extension", actor)
        fresh = step.case
        request = (
            CaseEvent.objects.filter(case=fresh, action="request_extension").order_by("-at", "-id")
        ).first()
        limit = limit_for(fresh.category, Stage.EXTENSION)
        amount = days or (request.data.get("amount") if request else None) or limit.amount
        unit = (request.data.get("unit") if request else None) or limit.unit
        base = fresh.resolve_deadline or step.now
        if unit == DAYS:
            deadline = step.calendar.add_working_days(base, amount)
        else:
            deadline = step.calendar.add_working_hours(base, amount)
        fresh.resolve_deadline = deadline
        _start_clock(fresh, Stage.EXTENSION, step.calendar, step.now, deadline)
        _finish(step, note=note, data={"amount": amount, "unit": unit}, original=case)
        tell_staff(
            fresh,
            handlers_of(fresh),
            case_title(fresh, _("extension granted")),
            _("The new deadline is %(deadline)s.") % {"deadline": local_time(deadline)},
        )
    return fresh


def deny_extension(case: Case, *, actor: Access, reason: str) -> Case:
    reason = _required_text("reason", reason, _("Say why the extension is refused."))
    with transaction.atomic():
        step = _begin(case, "deny_extension", actor)
        _finish(step, reason=reason[:200], note=reason, original=case)
        tell_staff(
            step.case, handlers_of(step.case), case_title(step.case, _("extension refused")), reason
        )
    return step.case


def submit_for_verification(
    case: Case,
    *,
    actor: Access,
    note: str,
    before: Sequence[Any] = (),
    after: Sequence[Any] = (),
) -> Case:
    """The work is done: show it with before/after photos, for someone to check on site."""
    note = _required_text("note", note, _("Say what was done."))
    errors: dict[str, list[str]] = {}
    photos = [Photo(f, CaseAttachment.Kind.BEFORE) for f in before] + [
        Photo(f, CaseAttachment.Kind.AFTER) for f in after
    ]
    keep_location = bool(case.keep_location)
    checked = _check_photos(photos, keep_location, errors, "photos")
    if case.category.kind == Category.Kind.INCIDENT and not after:
        errors.setdefault("after", []).append(_("Add a photo of the result."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        step = _begin(case, "submit_for_verification", actor)
        fresh = step.case
        pending = list(
            CoHandler.objects.filter(case=fresh, state=CoHandler.Progress.PENDING).select_related(
                "organisation"
            )
        )
        if pending:
            raise InvalidTransition(
                _("These organisations have not finished their part yet: %(organisations)s.")
                % {"organisations": _("; ").join(str(c.organisation) for c in pending)},
                code="co_handling_pending",
            )
        late = _late(fresh, step.now)
        fresh.handled_late = fresh.handled_late or bool(late)
        _start_clock(fresh, Stage.VERIFY, step.calendar, step.now)
        event = _finish(step, note=note, late=late, original=case)
        _save_photos(fresh, checked, actor, event, step.now)
        tell_staff(fresh, _verifiers(fresh), case_title(fresh, _("ready for verification")), note)
    return fresh


def rework_case(case: Case, *, actor: Access, reason: str) -> Case:
    """返工: verification found the work not done; a rework clock starts."""
    reason = _required_text("reason", reason, _("Say what still needs doing."))
    with transaction.atomic():
        step = _begin(case, "rework", actor)
        fresh = step.case
        late = _late(fresh, step.now)
        fresh.resolve_deadline = limit_for(fresh.category, Stage.REWORK).after(
            step.calendar, step.now
        )
        _start_clock(fresh, Stage.REWORK, step.calendar, step.now, fresh.resolve_deadline)
        _finish(step, reason=reason[:200], note=reason, late=late, original=case)
        tell_staff(fresh, handlers_of(fresh), case_title(fresh, _("sent back for rework")), reason)
    return fresh


def verify_case(case: Case, *, actor: Access, note: str = "", photos: Sequence[Any] = ()) -> Case:
    """核查: someone saw on site that the problem is dealt with; the callback is next."""
    errors: dict[str, list[str]] = {}
    checked = _check_photos(
        [Photo(f, CaseAttachment.Kind.PHOTO) for f in photos], case.keep_location, errors, "photos"
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        step = _begin(case, "verify", actor)
        fresh = step.case
        late = _late(fresh, step.now)
        _start_clock(fresh, Stage.CALLBACK, step.calendar, step.now)
        event = _finish(step, note=note, late=late, original=case)
        _save_photos(fresh, checked, actor, event, step.now)
        tell_staff(fresh, dispatchers(), case_title(fresh, _("verified, call the reporter back")))
    return fresh


def record_callback(
    case: Case,
    *,
    actor: Access,
    satisfaction: str,
    resolved: bool | None = None,
    note: str = "",
) -> Case:
    """回访: the reporter says how satisfied they are, and whether the problem is solved."""
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": [_("Choose how satisfied the reporter is.")]})
    with transaction.atomic():
        step = _begin(case, "record_callback", actor)
        fresh = step.case
        late = _late(fresh, step.now)
        fresh.satisfaction = satisfaction
        fresh.resolved = resolved
        _stop_clock(fresh)
        _finish(
            step,
            note=note,
            late=late,
            outcome=satisfaction,
            data={"resolved": resolved},
            original=case,
        )
        if satisfaction == Satisfaction.DISSATISFIED:
            tell_staff(
                fresh,
                handlers_of(fresh) + dispatchers(),
                case_title(fresh, _("the reporter is dissatisfied")),
                note,
            )
    return fresh


def close_case(case: Case, *, actor: Access, note: str = "") -> Case:
    """结案. The close event says whether the handling met its deadline (on-time closure)."""
    with transaction.atomic():
        step = _begin(case, "close", actor)
        fresh = step.case
        fresh.closed_at = step.now
        _stop_clock(fresh)
        _finish(step, note=note, late=fresh.handled_late, original=case)
        tell_reporters(
            fresh,
            case_title(fresh, _("closed")),
            note or _("Thank you for your report. You can rate how it was handled."),
        )
    return fresh


def reopen_case(case: Case, *, actor: Access, reason: str) -> Case:
    """Reopen after a dissatisfied callback: the same organisation re-handles it in 3 days."""
    reason = _required_text("reason", reason, _("Say why the case is reopened."))
    with transaction.atomic():
        step = _begin(case, "reopen", actor)
        fresh = step.case
        if fresh.satisfaction != Satisfaction.DISSATISFIED:
            raise InvalidTransition(
                _("Only a case whose reporter was dissatisfied at the callback can be reopened."),
                code="not_dissatisfied",
            )
        fresh.closed_at = None
        fresh.satisfaction = ""
        fresh.resolved = None
        fresh.resolve_deadline = limit_for(fresh.category, Stage.REOPEN).after(
            step.calendar, step.now
        )
        _start_clock(fresh, Stage.REOPEN, step.calendar, step.now, fresh.resolve_deadline)
        _finish(step, reason=reason[:200], note=reason, original=case)
        tell_staff(fresh, handlers_of(fresh), case_title(fresh, _("reopened")), reason)
        tell_reporters(fresh, case_title(fresh, _("reopened")), reason)
    return fresh


def register_long_term(case: Case, *, actor: Access, reason: str) -> Case:
    """挂账: cannot be solved within the period (funding, planning); kept on the books."""
    reason = _required_text("reason", reason, _("Say why this cannot be solved for now."))
    with transaction.atomic():
        step = _begin(case, "register_long_term", actor)
        fresh = step.case
        late = _late(fresh, step.now)
        _stop_clock(fresh)
        _finish(step, reason=reason[:200], note=reason, late=late, original=case)
        tell_reporters(fresh, case_title(fresh, _("registered as long-term")), reason)
        tell_staff(fresh, leaders(), case_title(fresh, _("registered as long-term")), reason)
    return fresh


# --- merging and co-handling -------------------------------------------------------------


def merge_cases(duplicate: Case, into: Case, *, actor: Access, note: str = "") -> Case:
    """Merge a duplicate under another case, which keeps every reporter and tells them all."""
    if duplicate.pk == into.pk:
        raise ValidationError({"into": [_("A case cannot be merged into itself.")]})
    with transaction.atomic():
        # Lock both rows in id order, so two merges of the same pair cannot deadlock.
        first, second = sorted([duplicate, into], key=lambda c: c.pk)
        _lock(first)
        _lock(second)
        step = _begin(duplicate, "merge", actor)
        target = _lock(into)
        if not target.is_open or target.merged_into_id is not None:
            raise InvalidTransition(
                _("Case %(number)s is “%(state)s”; choose an open case to merge into.")
                % {"number": target.number, "state": target.get_state_display()},
                code="target_closed",
            )
        if target.category_id != step.case.category_id:
            logger.info("merging %s into a case of another category", step.case.number)
        fresh = step.case
        late = _late(fresh, step.now)
        fresh.merged_into = target
        _stop_clock(fresh)
        _finish(
            step,
            note=note,
            reason=RejectReason.DUPLICATE,
            late=late,
            data={"into": target.number},
            original=duplicate,
        )
        known_users = set(
            CaseReporter.objects.filter(case=target, user__isnull=False).values_list(
                "user_id", flat=True
            )
        )
        moved = 0
        for reporter in CaseReporter.objects.filter(case=fresh):
            if reporter.user_id is not None and reporter.user_id in known_users:
                continue
            CaseReporter.objects.create(
                subdistrict_id=target.subdistrict_id,
                case=target,
                user_id=reporter.user_id,
                name=reporter.name,
                phone_cipher=reporter.phone_cipher,
                phone_hash=reporter.phone_hash,
                email=reporter.email,
                tracking_token_hash=reporter.tracking_token_hash,
                from_case=fresh,
                added_at=step.now,
            )
            moved += 1
        CaseEvent.objects.create(
            subdistrict_id=target.subdistrict_id,
            case=target,
            at=step.now,
            actor=actor.user,
            action="absorb",
            from_state=target.state,
            to_state=target.state,
            organisation_id=target.lead_organisation_id,
            note=note,
            data={"duplicate": fresh.number, "reporters_added": moved},
        )
        tell_reporters(
            target,
            case_title(target, _("reports merged")),
            _(
                "Case %(duplicate)s reports the same problem and was merged into this case; "
                "you will get its updates."
            )
            % {"duplicate": fresh.number},
        )
        _copy_onto(into, target)
    return target


def add_co_handler(
    case: Case, organisation: Organisation, *, actor: Access, part: str
) -> CoHandler:
    """协办: another organisation answers for one part; the lead organisation keeps the case."""
    part = _required_text("part", part, _("Say which part this organisation handles."))
    if organisation.subdistrict_id != case.subdistrict_id:
        raise ValidationError({"organisation": [_("Choose an organisation of this sub-district.")]})
    with transaction.atomic():
        step = _begin(case, "add_co_handler", actor)
        fresh = step.case
        if organisation.pk == fresh.lead_organisation_id:
            raise ValidationError(
                {"organisation": [_("The lead organisation cannot also be a co-handler.")]}
            )
        if CoHandler.objects.filter(case=fresh, organisation=organisation).exists():
            raise ValidationError(
                {"organisation": [_("This organisation already co-handles the case.")]}
            )
        co_handler = CoHandler.objects.create(
            subdistrict_id=fresh.subdistrict_id,
            case=fresh,
            organisation=organisation,
            part=part,
            added_at=step.now,
        )
        _finish(
            step,
            note=part,
            data={"co_handler": co_handler.pk, "organisation": organisation.pk},
            original=case,
        )
        tell_staff(
            fresh,
            _members([organisation.pk]),
            case_title(fresh, _("your organisation co-handles a part")),
            part,
        )
    return co_handler


def complete_co_handling(co_handler: CoHandler, *, actor: Access, note: str) -> CoHandler:
    note = _required_text("note", note, _("Say what your organisation did."))
    with transaction.atomic():
        step = _begin(co_handler.case, "complete_co_handling", actor)
        fresh = step.case
        row = CoHandler.objects.select_for_update().get(pk=co_handler.pk)
        actor.require(rules.may_complete_co_handling(actor, row))
        if row.state == CoHandler.Progress.DONE:
            raise InvalidTransition(
                _("%(organisation)s has already finished its part.")
                % {"organisation": row.organisation},
                code="already_done",
            )
        row.state = CoHandler.Progress.DONE
        row.note = note
        row.done_at = step.now
        row.save()
        _finish(
            step,
            note=note,
            data={"co_handler": row.pk, "organisation": row.organisation_id},
            organisation_id=row.organisation_id,
            original=co_handler.case,
        )
        tell_staff(
            fresh,
            handlers_of(fresh),
            case_title(
                fresh, _("%(organisation)s finished its part") % {"organisation": row.organisation}
            ),
            note,
        )
    return row


# --- the reporter's own word ---------------------------------------------------------


def reporter_of(case: Case, actor: Access, token: str = "") -> CaseReporter | None:
    """The actor's row among the case's reporters: by account, or by secret tracking link."""
    if token:
        return CaseReporter.objects.filter(case=case, tracking_token_hash=token_hash(token)).first()
    if actor.user is None:
        return None
    return CaseReporter.objects.filter(case=case, user=actor.user).first()


def rating_of(case: Case, reporter: CaseReporter) -> CaseEvent | None:
    return (
        CaseEvent.objects.filter(case=case, action="rate", data__reporter=reporter.pk)
        .order_by("at", "id")
        .first()
    )


def rate_case(
    case: Case, *, actor: Access, satisfaction: str, comment: str = "", token: str = ""
) -> CaseEvent:
    """评价: a reporter's own rating of a closed case, once per reporter.

    Apart from the callback (staff asking on the phone), every reporter of the case, merged
    duplicates' reporters included, may say in their own words how it was handled. A
    dissatisfied rating goes to the handlers and the dispatch centre, who may reopen the case.
    """
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": [_("Choose how satisfied you are.")]})
    comment = (comment or "").strip()
    if len(comment) > 1000:
        raise ValidationError(
            {"comment": [_("Please keep it under %(max)s characters.") % {"max": 1000}]}
        )
    with transaction.atomic():
        fresh = _lock(case)
        reporter = reporter_of(fresh, actor, token)
        if reporter is None:
            raise PermissionDenied(_("Only someone who reported this case can rate it."))
        if fresh.state != State.CLOSED:
            raise InvalidTransition(
                _("You can rate the case once it is closed."), code="not_closed"
            )
        if rating_of(fresh, reporter) is not None:
            raise InvalidTransition(_("You have already rated this case."), code="already_rated")
        event = CaseEvent.objects.create(
            subdistrict_id=fresh.subdistrict_id,
            case=fresh,
            at=clock.now(),
            actor=actor.user,
            action="rate",
            from_state=fresh.state,
            to_state=fresh.state,
            organisation_id=fresh.lead_organisation_id,
            outcome=satisfaction,
            note=comment,
            data={"reporter": reporter.pk},
        )
        audit.record(actor, "cases.case.rate", fresh, note=satisfaction)
        if satisfaction == Satisfaction.DISSATISFIED:
            tell_staff(
                fresh,
                handlers_of(fresh) + dispatchers(),
                case_title(fresh, _("the reporter rated it dissatisfied")),
                comment,
            )
        _copy_onto(case, fresh)
    return event


# Every verb by the action name of the state table, for the API and bulk actions.
VERBS = {
    "register": register_case,
    "reject": reject_case,
    "dispatch": dispatch_case,
    "accept": accept_case,
    "return": return_case,
    "start_handling": start_handling,
    "wait_for_reporter": wait_for_reporter,
    "resume": resume_case,
    "request_extension": request_extension,
    "approve_extension": approve_extension,
    "deny_extension": deny_extension,
    "submit_for_verification": submit_for_verification,
    "rework": rework_case,
    "verify": verify_case,
    "record_callback": record_callback,
    "close": close_case,
    "reopen": reopen_case,
    "register_long_term": register_long_term,
    "merge": merge_cases,
    "add_co_handler": add_co_handler,
    "complete_co_handling": complete_co_handling,
}
