"""Caring-visit verbs: plan visits, assign a visitor, log a visit (a concern opens a case; a
second "not reached" in a row raises an alert), record an alert, switch extreme weather on and
off. Each checks who acts, runs in one transaction, writes the audit log and tells the people
concerned. The overdue sweep is in ``overdue``, the 老伙伴 groups in ``groups``.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core import audit, clock, limits, parameters, visibility
from linli.core.access import Access
from linli.core.messaging import notify
from linli.core.models import Membership, User
from linli.core.roles import ADMINS, STAFF, Role
from linli.livelihood.caring import casework, categories, rules
from linli.livelihood.caring.models import (
    Alert,
    CaringPlan,
    CaringVisit,
    CompanionMember,
    ExtremeWeather,
)
from linli.people.models import Person

# A visit is logged the day it happens or soon after; older than this is not a log but a guess.
LATEST_LOG_DAYS = 31
# Extreme weather is set for days, not seasons.
LONGEST_WEATHER_DAYS = 31


def _days(key: str, on: dt.date) -> tuple[int, int | None]:
    version = parameters.value(key, on=on)
    return int(version.value), version.pk


def may_be_visitor(user: User, subdistrict_id: int) -> bool:
    """A volunteer, a grid worker or a staff member of a residents' committee (or an
    administrator) of the sub-district."""
    memberships = Membership.objects.filter(user=user, subdistrict_id=subdistrict_id)
    for m in memberships.select_related("organisation"):
        if m.role in ADMINS | {Role.VOLUNTEER, Role.GRID_WORKER}:
            return True
        if m.role in STAFF and m.organisation is not None and m.organisation.kind == "committee":
            return True
    return False


def _check_visitor(visitor: User | None, subdistrict_id: int) -> None:
    if visitor is not None and not may_be_visitor(visitor, subdistrict_id):
        raise ValidationError(
            {"visitor": [_("Choose a volunteer, a grid worker or residents' committee staff.")]}
        )


def create_plan(
    actor: Access,
    *,
    person: Person,
    reason: str,
    visitor: User | None = None,
    starts_on: dt.date | None = None,
) -> CaringPlan:
    """Visit ``person`` from ``starts_on`` (today): the first visit is due within the
    frequency in force that day."""
    actor.require(rules.may_manage_plans(actor) and visibility.allows(actor, person, "change"))
    starts_on = starts_on or clock.today()
    errors: dict[str, list[str]] = {}
    if reason not in CaringPlan.Reason.values:
        errors["reason"] = [_("Choose why the person is visited.")]
    if person.status != Person.Status.LIVING:
        errors["person"] = [_("Only a person living here is visited.")]
    if CaringPlan.objects.filter(person=person, ended_on__isnull=True).exists():
        errors["person"] = [_("This person already has a visit plan.")]
    if errors:
        raise ValidationError(errors)
    _check_visitor(visitor, person.subdistrict_id)
    every, version = _days("caring.visit_every_days", starts_on)
    with transaction.atomic():
        plan = CaringPlan.objects.create(
            subdistrict=person.subdistrict,
            person=person,
            reason=reason,
            visitor=visitor,
            starts_on=starts_on,
            next_due_on=starts_on + dt.timedelta(days=every),
            due_version=version,
            created_by=actor.user,
        )
        audit.record(actor, "caring.plan.create", plan, after=audit.snapshot(plan))
        if visitor is not None:
            _tell_visitor(plan, visitor)
    return plan


def _tell_visitor(plan: CaringPlan, visitor: User) -> None:
    notify(
        [visitor],
        plan.subdistrict,
        title=_("You are to visit %(person)s") % {"person": plan.person},
        body=_("The first visit is due by %(day)s.") % {"day": plan.next_due_on.isoformat()},
        url=reverse("caring:plan", kwargs={"pk": plan.pk}),
    )


def assign_visitor(actor: Access, plan: CaringPlan, visitor: User | None) -> CaringPlan:
    actor.require(rules.may_manage_plans(actor) and visibility.allows(actor, plan, "change"))
    if plan.ended_on is not None:
        raise ValidationError({"visitor": [_("This plan has ended.")]})
    _check_visitor(visitor, plan.subdistrict_id)
    with transaction.atomic():
        before = audit.snapshot(plan)
        plan.visitor = visitor
        plan.save(update_fields=["visitor"])
        audit.record(actor, "caring.plan.assign", plan, before=before, after=audit.snapshot(plan))
        if visitor is not None:
            _tell_visitor(plan, visitor)
    return plan


def end_plan(actor: Access, plan: CaringPlan, *, reason: str) -> CaringPlan:
    actor.require(rules.may_manage_plans(actor) and visibility.allows(actor, plan, "change"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"end_reason": [_("Say why the visits end.")]})
    limits.refuse_overlong(CaringPlan, end_reason=reason)
    if plan.ended_on is not None:
        raise ValidationError({"end_reason": [_("This plan has ended.")]})
    with transaction.atomic():
        before = audit.snapshot(plan)
        plan.ended_on = clock.today()
        plan.end_reason = reason
        plan.save(update_fields=["ended_on", "end_reason"])
        audit.record(actor, "caring.plan.end", plan, before=before, after=audit.snapshot(plan))
    return plan


def _check_day(on: dt.date, today: dt.date) -> None:
    if on > today:
        raise ValidationError({"on": [_("The visit cannot be in the future.")]})
    if on < today - dt.timedelta(days=LATEST_LOG_DAYS):
        raise ValidationError(
            {"on": [_("Log a visit within %(days)s days.") % {"days": LATEST_LOG_DAYS}]}
        )


def log_visit(
    actor: Access,
    plan: CaringPlan,
    *,
    outcome: str,
    note: str = "",
    kind: str = CaringVisit.Kind.HOME,
    on: dt.date | None = None,
) -> CaringVisit:
    """Log a visit to the person of ``plan``. Seen (well or with concerns) moves the next due
    date on; a concern opens a case for the residents' committee in the same step; a second
    "not reached" in a row raises an urgent alert."""
    actor.require(rules.may_log_visit(actor, plan))
    on = _checked(outcome=outcome, kind=kind, note=note, on=on)
    note = (note or "").strip()
    with transaction.atomic():
        plan = CaringPlan.objects.select_for_update().get(pk=plan.pk)
        visit = _record(actor, plan.person_id, plan, outcome=outcome, kind=kind, note=note, on=on)
        if outcome != CaringVisit.Outcome.NOT_REACHED and (
            plan.last_visited_on is None or on >= plan.last_visited_on
        ):
            every, version = _days("caring.visit_every_days", on)
            plan.last_visited_on = on
            plan.next_due_on = on + dt.timedelta(days=every)
            plan.due_version = version
            plan.save(update_fields=["last_visited_on", "next_due_on", "due_version"])
    return visit


def _checked(*, outcome: str, kind: str, note: str, on: dt.date | None) -> dt.date:
    """The day of a visit to log, once its outcome, kind, note and day are right."""
    today = clock.today()
    on = on or today
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if outcome not in CaringVisit.Outcome.values:
        errors["outcome"] = [_("Choose how the visit went.")]
    if kind not in CaringVisit.Kind.values:
        errors["kind"] = [_("Choose a visit or a phone call.")]
    if outcome == CaringVisit.Outcome.CONCERN and not note:
        errors["note"] = [_("Describe the concern, so the committee knows what to do.")]
    if errors:
        raise ValidationError(errors)
    _check_day(on, today)
    limits.refuse_overlong(CaringVisit, note=note)
    return on


def _record(
    actor: Access,
    person_id: int,
    plan: CaringPlan | None,
    *,
    outcome: str,
    kind: str,
    note: str,
    on: dt.date,
) -> CaringVisit:
    """The visit or call, within the caller's transaction: a concern opens a case for the
    residents' committee; a second "not reached" in a row raises an urgent alert."""
    person = Person.objects.select_related("dwelling__unit__building__quarter").get(pk=person_id)
    previous = CaringVisit.objects.filter(person=person).order_by("-on", "-pk").first()
    case = None
    if outcome == CaringVisit.Outcome.CONCERN:
        case = casework.open_case(
            actor=actor,
            code=categories.CONCERN,
            person=person,
            title=_("Caring visit: concern about %(person)s") % {"person": person.name},
            description=note,
        )
    visit = CaringVisit.objects.create(
        subdistrict=person.subdistrict,
        plan=plan,
        person=person,
        visitor=actor.user,
        kind=kind,
        outcome=outcome,
        on=on,
        note=note,
        case=case,
    )
    audit.record(actor, "caring.visit.log", visit, after=audit.snapshot(visit))
    if (
        outcome == CaringVisit.Outcome.NOT_REACHED
        and previous is not None
        and previous.outcome == CaringVisit.Outcome.NOT_REACHED
        and not Alert.objects.filter(visit=previous).exists()
    ):
        _raise_alert(
            actor,
            person=person,
            kind=Alert.Kind.NOT_REACHED_TWICE,
            note=note or _("Not reached on two visits in a row."),
            visit=visit,
        )
    return visit


def log_companion_contact(
    actor: Access,
    member: CompanionMember,
    *,
    outcome: str,
    kind: str = CaringVisit.Kind.PHONE,
    note: str = "",
    on: dt.date | None = None,
) -> CaringVisit:
    """A 老伙伴 volunteer elder's call or visit to a member of their group: logged on the
    member's visit plan when there is one, else as a visit of its own; either way a concern
    opens a case for the residents' committee in the same step."""
    group = member.group
    leader_user = group.leader.user_id
    if not (
        actor.has_any(ADMINS)
        or (actor.user is not None and actor.user.pk == leader_user)
        or visibility.allows(actor, group, "change")
    ):
        raise PermissionDenied(_("You are not allowed to do this."))
    if member.left_on is not None or group.ended_on is not None:
        raise ValidationError({"outcome": [_("This person is no longer in the group.")]})
    plan = CaringPlan.objects.filter(person_id=member.person_id, ended_on__isnull=True).first()
    if plan is not None:
        return log_visit(actor, plan, outcome=outcome, note=note, kind=kind, on=on)
    on = _checked(outcome=outcome, kind=kind, note=note, on=on)
    with transaction.atomic():
        return _record(
            actor,
            member.person_id,
            None,
            outcome=outcome,
            kind=kind,
            note=(note or "").strip(),
            on=on,
        )


def _raise_alert(
    actor: Access,
    *,
    person: Person,
    kind: str,
    note: str,
    caller_name: str = "",
    visit: CaringVisit | None = None,
) -> Alert:
    case = casework.open_case(
        actor=actor,
        code=categories.URGENT,
        person=person,
        title=_("Urgent: %(kind)s – %(person)s")
        % {"kind": Alert.Kind(kind).label, "person": person.name},
        description=note,
    )
    alert = Alert.objects.create(
        subdistrict=person.subdistrict,
        person=person,
        kind=kind,
        note=note,
        caller_name=caller_name,
        visit=visit,
        case=case,
        reported_by=actor.user,
    )
    audit.record(actor, "caring.alert.raise", alert, after=audit.snapshot(alert))
    return alert


def report_alert(
    actor: Access, *, person: Person, kind: str, note: str, caller_name: str = ""
) -> Alert:
    """A caregiver's call or a fall a family member reports: an urgent case for the elder's
    residents' committee, with 1 working hour to make contact."""
    actor.require(rules.may_report_alert(actor))
    note = (note or "").strip()
    caller_name = (caller_name or "").strip()
    errors: dict[str, list[str]] = {}
    if kind not in (Alert.Kind.CAREGIVER_CALL, Alert.Kind.FALL):
        errors["kind"] = [_("Choose what happened.")]
    if not note:
        errors["note"] = [_("Say what happened.")]
    if person.subdistrict_id != getattr(actor.subdistrict, "pk", None):
        errors["person"] = [_("No such person.")]
    if errors:
        raise ValidationError(errors)
    limits.refuse_overlong(Alert, note=note, caller_name=caller_name)
    with transaction.atomic():
        return _raise_alert(actor, person=person, kind=kind, note=note, caller_name=caller_name)


def set_weather(
    actor: Access,
    *,
    starts_on: dt.date,
    ends_on: dt.date,
    reason: str,
    note: str = "",
) -> ExtremeWeather:
    """Extreme weather from ``starts_on`` to ``ends_on``: elders are visited at the weather
    frequency in force on its first day; the visitors of those not visited within it are told."""
    actor.require(rules.may_set_weather(actor))
    errors: dict[str, list[str]] = {}
    if reason not in ExtremeWeather.Reason.values:
        errors["reason"] = [_("Choose the kind of weather.")]
    if ends_on < starts_on:
        errors["ends_on"] = [_("The end must not be before the start.")]
    elif (ends_on - starts_on).days >= LONGEST_WEATHER_DAYS:
        errors["ends_on"] = [
            _("Set at most %(days)s days at a time.") % {"days": LONGEST_WEATHER_DAYS}
        ]
    if ends_on < clock.today():
        errors.setdefault("ends_on", []).append(_("The end must not be in the past."))
    if errors:
        raise ValidationError(errors)
    note = (note or "").strip()
    limits.refuse_overlong(ExtremeWeather, note=note)
    every, version = _days("caring.weather_visit_every_days", starts_on)
    subdistrict = actor.subdistrict
    assert subdistrict is not None  # noqa: S101 - the actor acts in a sub-district
    with transaction.atomic():
        weather = ExtremeWeather.objects.create(
            subdistrict=subdistrict,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=reason,
            note=note,
            every_days=every,
            every_version=version,
            set_by=actor.user,
        )
        audit.record(actor, "caring.weather.set", weather, after=audit.snapshot(weather))
        from linli.livelihood.caring.weather import to_visit_now

        day = max(starts_on, clock.today())
        visitors = (
            to_visit_now(CaringPlan.objects.all(), weather, day)
            .exclude(visitor__isnull=True)
            .values_list("visitor_id", flat=True)
            .distinct()
        )
        users = list(get_user_model().objects.filter(pk__in=list(visitors)))
        if users:
            notify(
                users,
                weather.subdistrict,
                title=_("Extreme weather: %(reason)s, %(start)s to %(end)s")
                % {
                    "reason": weather.get_reason_display(),
                    "start": starts_on.isoformat(),
                    "end": ends_on.isoformat(),
                },
                body=_("Please visit the people on your list at least every %(days)s days.")
                % {"days": every},
                url=reverse("caring:mine"),
            )
    return weather


def cancel_weather(actor: Access, weather: ExtremeWeather) -> ExtremeWeather:
    actor.require(rules.may_set_weather(actor))
    if weather.cancelled_at is not None:
        raise ValidationError({"weather": [_("Already cancelled.")]})
    with transaction.atomic():
        before = audit.snapshot(weather)
        weather.cancelled_at = clock.now()
        weather.save(update_fields=["cancelled_at"])
        audit.record(
            actor, "caring.weather.cancel", weather, before=before, after=audit.snapshot(weather)
        )
    return weather
