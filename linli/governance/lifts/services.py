"""The verbs of lift installation: open a project, record votes, log mediation, add documents,
record the cost, advance a stage. Each checks permission, runs in one transaction and writes
an audit row; decisions store the parameter versions they used."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from linli.core import audit, clock, limits, parameters
from linli.core.access import Access
from linli.governance.lifts import consent, money, rules
from linli.governance.lifts.models import (
    Choice,
    Document,
    Mediation,
    Project,
    Stage,
    StageRecord,
    Vote,
    Voter,
)
from linli.governance.lifts.parameters import MAX_FLOOR
from linli.people.models import Dwelling, Ownership, Unit

RATIO_KEYS = {
    "participation": ("lifts.participation_numerator", "lifts.participation_denominator"),
    "agreement": ("lifts.agreement_numerator", "lifts.agreement_denominator"),
}
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
DOCUMENT_TYPES = {b"%PDF-": ("application/pdf", "pdf"), b"\x89PNG": ("image/png", "png")}
JPEG = b"\xff\xd8\xff"


def _not_future(on: dt.date, field: str) -> None:
    if on > clock.today():
        raise ValidationError({field: [_("The date cannot be in the future.")]})


# Owners ---------------------------------------------------------------------------------------


@dataclass
class VoterDraft:
    name: str
    person_ids: tuple[int, ...]
    organisation_name: str
    dwellings: list[Dwelling]
    area: Decimal
    in_registry: bool


def owners_of(unit: Unit, on: dt.date) -> list[VoterDraft]:
    """The heads of the vote in ``unit`` on ``on``, from the homes registry.

    Co-owners of a dwelling are one head; the same owners (or owner) of several dwellings are
    one head holding all their areas. A dwelling's exclusive area is the one its ownership
    rows record (the property register gives each co-owner the part's whole area, so the part
    counts once); a dwelling with no owner in the registry counts as one head holding its
    floor area, who cannot be counted as taking part until the owner is found.
    """
    dwellings = list(Dwelling.objects.filter(unit=unit).order_by("floor", "number"))
    current = (
        Ownership.objects.filter(dwelling__unit=unit)
        .exclude(since__gt=on)
        .exclude(until__lt=on)
        .select_related("person")
        .order_by("pk")
    )
    by_dwelling: dict[int, list[Ownership]] = {}
    for ownership in current:
        by_dwelling.setdefault(ownership.dwelling_id, []).append(ownership)
    groups: dict[tuple[Any, ...], VoterDraft] = {}
    drafts: list[VoterDraft] = []
    for dwelling in dwellings:
        rows = by_dwelling.get(dwelling.pk, [])
        if not rows:
            drafts.append(
                VoterDraft(
                    _("Owner of %(dwelling)s (not in the registry)")
                    % {"dwelling": dwelling.number},
                    (),
                    "",
                    [dwelling],
                    dwelling.floor_area_m2,
                    False,
                )
            )
            continue
        key = tuple(sorted((r.person_id or 0, r.organisation_name) for r in rows))
        area = max(r.exclusive_area_m2 for r in rows)
        if key in groups:
            groups[key].dwellings.append(dwelling)
            groups[key].area += area
            continue
        organisations = " · ".join(r.organisation_name for r in rows if r.organisation_name)
        draft = VoterDraft(
            organisations,
            tuple(r.person_id for r in rows if r.person_id),
            organisations,
            [dwelling],
            area,
            True,
        )
        groups[key] = draft
        drafts.append(draft)
    return drafts


# Projects -------------------------------------------------------------------------------------


def open_project(actor: Access, unit: Unit, *, opened_on: dt.date, lifts: int = 1) -> Project:
    """Open the project of a unit: its owners are taken from the registry as of ``opened_on``."""
    actor.require(rules.may_open_in(actor, unit))
    _not_future(opened_on, "opened_on")
    if Project.objects.filter(unit=unit).exists():
        raise ValidationError({"unit": [_("This unit already has a lift project.")]})
    if unit.building.has_lift:
        raise ValidationError({"unit": [_("This building already has a lift.")]})
    drafts = owners_of(unit, opened_on)
    if not drafts:
        raise ValidationError({"unit": [_("This unit has no dwellings in the registry.")]})
    with transaction.atomic():
        project = Project.objects.create(
            subdistrict=unit.subdistrict,
            unit=unit,
            opened_on=opened_on,
            lifts=lifts,
            created_by=actor.user,
        )
        for draft in drafts:
            voter = Voter.objects.create(
                subdistrict=unit.subdistrict,
                project=project,
                name=draft.name[:200],
                organisation_name=draft.organisation_name[:200],
                area_m2=draft.area,
                in_registry=draft.in_registry,
            )
            voter.dwellings.set(draft.dwellings)
            if draft.person_ids:
                voter.persons.set(draft.person_ids)
        StageRecord.objects.create(
            subdistrict=unit.subdistrict,
            project=project,
            stage=Stage.SURVEY,
            reached_on=opened_on,
            recorded_by=actor.user,
        )
        audit.record(actor, "lifts.project.open", project, after=audit.snapshot(project))
    return project


# Consent --------------------------------------------------------------------------------------


def ratios_on(day: dt.date) -> tuple[consent.Ratios, dict[str, Any]]:
    """The consent ratios in force on ``day`` and the record a decision keeps of them."""
    found: dict[str, Fraction] = {}
    record: dict[str, Any] = {}
    for name, (top, bottom) in RATIO_KEYS.items():
        numerator, denominator = parameters.value(top, on=day), parameters.value(bottom, on=day)
        found[name] = Fraction(int(numerator.value), int(denominator.value))
        record[name] = {
            "ratio": str(found[name]),
            "versions": [numerator.pk, denominator.pk],
        }
    return consent.Ratios(found["participation"], found["agreement"]), record


def stored_ratios(project: Project) -> consent.Ratios:
    saved = project.consent_versions
    return consent.Ratios(
        Fraction(saved["participation"]["ratio"]), Fraction(saved["agreement"]["ratio"])
    )


def latest_votes(project: Project, on: dt.date) -> dict[int, Vote]:
    latest: dict[int, Vote] = {}
    for vote in project.votes.filter(on__lte=on).order_by("on", "pk"):
        latest[vote.voter_id] = vote
    return latest


def tally(project: Project, on: dt.date | None = None) -> consent.Tally:
    """The four figures: as decided, once consent was reached; else as of ``on`` (today)."""
    if project.consent_decided_on is not None:
        day, ratios = project.consent_decided_on, stored_ratios(project)
    else:
        day = on or clock.today()
        ratios, _record = ratios_on(day)
    votes = latest_votes(project, day)
    owners = [
        consent.Owner(v.pk, v.area_m2, votes[v.pk].choice if v.pk in votes else None)
        for v in project.voters.all()
    ]
    return consent.count(owners, ratios)


def record_vote(
    actor: Access,
    voter: Voter,
    *,
    choice: str,
    on: dt.date,
    channel: str,
    reason: str = "",
) -> Vote:
    project = voter.project
    actor.require(rules.may_record(actor, project))
    limits.refuse_overlong(Vote, reason=reason)
    reason = reason.strip()
    if project.stage != Stage.SURVEY:
        raise ValidationError(_("Votes are recorded during the intention survey only."))
    if not voter.in_registry and choice != Choice.ABSENT:
        raise ValidationError(
            {"voter": [_("Record the owner in the homes registry before counting their vote.")]}
        )
    if choice == Choice.OBJECT and not reason:
        raise ValidationError({"reason": [_("Record the owner's reason for objecting.")]})
    _not_future(on, "on")
    if on < project.opened_on:
        raise ValidationError({"on": [_("The survey had not started on that date.")]})
    vote = Vote(
        subdistrict=project.subdistrict,
        project=project,
        voter=voter,
        choice=choice,
        on=on,
        channel=channel,
        reason=reason,
        recorded_by=actor.user,
    )
    vote.full_clean()
    with transaction.atomic():
        vote.save()
        audit.record(actor, "lifts.vote.record", vote, after=audit.snapshot(vote))
    return vote


def log_mediation(
    actor: Access,
    project: Project,
    *,
    on: dt.date,
    mediator: str,
    participants: str,
    outcome: str,
) -> Mediation:
    actor.require(rules.may_record(actor, project))
    limits.refuse_overlong(Mediation, mediator=mediator, participants=participants, outcome=outcome)
    _not_future(on, "on")
    session = Mediation(
        subdistrict=project.subdistrict,
        project=project,
        on=on,
        mediator=mediator.strip(),
        participants=participants.strip(),
        outcome=outcome.strip(),
        recorded_by=actor.user,
    )
    session.full_clean()
    with transaction.atomic():
        session.save()
        audit.record(actor, "lifts.mediation.log", session, after=audit.snapshot(session))
    return session


# Documents ------------------------------------------------------------------------------------


def check_document(upload: IO[bytes] | Any) -> tuple[bytes, str, str]:
    """A PDF, PNG or JPEG by its content (not its name), at most 20 MB."""
    upload.seek(0)
    data = upload.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            {"file": [_("The file is larger than %(limit)s MB.") % {"limit": 20}]}
        )
    if data.startswith(JPEG):
        return data, "image/jpeg", "jpg"
    for magic, (content_type, suffix) in DOCUMENT_TYPES.items():
        if data.startswith(magic):
            return data, content_type, suffix
    raise ValidationError({"file": [_("Upload a PDF, PNG or JPEG file.")]})


def add_document(
    actor: Access, project: Project, *, kind: str, title: str, upload: IO[bytes] | Any
) -> Document:
    actor.require(rules.may_record(actor, project))
    limits.refuse_overlong(Document, title=title)
    if not title.strip():
        raise ValidationError({"title": [_("Give the document a title.")]})
    if kind not in Document.Kind.values:
        raise ValidationError({"kind": [_("Choose a kind of document.")]})
    data, content_type, suffix = check_document(upload)
    document = Document(
        subdistrict=project.subdistrict,
        project=project,
        kind=kind,
        title=title.strip(),
        content_type=content_type,
        suffix=suffix,
        uploaded_by=actor.user,
    )
    with transaction.atomic():
        document.file.save(f"document.{suffix}", ContentFile(data), save=False)
        document.save()
        audit.record(
            actor,
            "lifts.document.add",
            document,
            after={"kind": kind, "title": document.title, "file": document.file.name},
        )
    return document


# Money ----------------------------------------------------------------------------------------


def record_cost(
    actor: Access, project: Project, *, estimated_cost: Decimal | str, lifts: int, on: dt.date
) -> Project:
    """Record the estimated cost; the subsidy per lift in force on ``on`` is kept with it."""
    actor.require(rules.may_record(actor, project))
    try:
        cost = Decimal(str(estimated_cost))
    except InvalidOperation:
        raise ValidationError({"estimated_cost": [_("Enter an amount in yuan.")]}) from None
    if not cost.is_finite() or cost <= 0 or cost >= Decimal("1e10"):
        raise ValidationError({"estimated_cost": [_("Enter an amount in yuan.")]})
    if not 1 <= lifts <= 4:
        raise ValidationError({"lifts": [_("A unit gets between one and four lifts.")]})
    if project.stage >= Stage.CONSTRUCTION_PERMIT:
        raise ValidationError(_("The cost is fixed once the construction permit stage began."))
    _not_future(on, "on")
    subsidy = parameters.value("lifts.subsidy_per_lift", on=on)
    before = audit.snapshot(project)
    with transaction.atomic():
        project.estimated_cost = cost.quantize(money.FEN)
        project.lifts = lifts
        project.subsidy_per_lift = Decimal(subsidy.value)
        project.subsidy_version = subsidy.pk
        project.save()
        audit.record(
            actor, "lifts.project.cost", project, before=before, after=audit.snapshot(project)
        )
    return project


@dataclass(frozen=True)
class Share:
    dwelling: Dwelling
    coefficient: Decimal
    amount: Decimal


def cost_shares(project: Project, on: dt.date | None = None) -> list[Share]:
    """Each dwelling's share of the cost after the subsidy, by the floor coefficients in force
    on the day the cost was recorded (``on``, today by default)."""
    if project.estimated_cost is None:
        return []
    day = on or clock.today()
    coefficients = {
        floor: Decimal(parameters.value(f"lifts.share_floor_{floor}", on=day).value)
        for floor in range(1, MAX_FLOOR + 1)
    }
    dwellings = list(Dwelling.objects.filter(unit=project.unit).order_by("floor", "number"))
    subsidy = (project.subsidy_per_lift or Decimal(0)) * project.lifts
    amounts = money.shares(
        money.owners_part(project.estimated_cost, subsidy),
        [(d.pk, d.floor) for d in dwellings],
        coefficients,
    )
    return [Share(d, money.coefficient(coefficients, d.floor), amounts[d.pk]) for d in dwellings]


# Stages ---------------------------------------------------------------------------------------


def stage_dates(project: Project) -> dict[int, dt.date]:
    return dict(project.stages.values_list("stage", "reached_on"))


def days_per_stage(project: Project, today: dt.date | None = None) -> dict[int, int]:
    """Days spent in each stage reached: to the next stage, or to today for the current one
    (the last stage, in service, has no end)."""
    dates = stage_dates(project)
    days = {}
    for stage, start in sorted(dates.items()):
        end = dates.get(stage + 1)
        if end is None and stage == Stage.IN_SERVICE:
            continue
        days[stage] = ((end or today or clock.today()) - start).days
    return days


def advance(
    actor: Access,
    project: Project,
    *,
    on: dt.date,
    note: str = "",
    entered_service_on: dt.date | None = None,
) -> StageRecord:
    """Move the project to its next stage, reached on ``on``, if the previous one holds:
    consent before the design, the cost before the permit (which decides permit or filing),
    the day the lift entered service before its use registration."""
    actor.require(rules.may_record(actor, project))
    limits.refuse_overlong(StageRecord, note=note)
    if project.stage >= Stage.IN_SERVICE:
        raise ValidationError(_("The lift is in service: there is no further stage."))
    target = Stage(project.stage + 1)
    _not_future(on, "on")
    last = project.stages.order_by("-stage").values_list("reached_on", flat=True).first()
    if last is not None and on < last:
        raise ValidationError(
            {"on": [_("The date cannot be before the previous stage (%(day)s).") % {"day": last}]}
        )
    before = audit.snapshot(project)
    if target == Stage.DESIGN:
        ratios, record = ratios_on(on)
        votes = latest_votes(project, on)
        result = consent.count(
            [
                consent.Owner(v.pk, v.area_m2, votes[v.pk].choice if v.pk in votes else None)
                for v in project.voters.all()
            ],
            ratios,
        )
        if not result.passed:
            raise ValidationError(
                _("The owners' consent does not reach the thresholds of Civil Code art. 278.")
            )
        project.consent_decided_on = on
        project.consent_versions = record
    elif target == Stage.CONSTRUCTION_PERMIT:
        if project.estimated_cost is None:
            raise ValidationError(_("Record the estimated cost first."))
        threshold = parameters.value("lifts.filing_cost_threshold", on=on)
        project.route_threshold = Decimal(threshold.value)
        project.route_version = threshold.pk
        project.route = (
            Project.Route.FILING
            if project.estimated_cost < Decimal(threshold.value)
            else Project.Route.PERMIT
        )
    elif target == Stage.USE_REGISTRATION:
        if entered_service_on is None:
            raise ValidationError(
                {"entered_service_on": [_("Give the day the lift entered service.")]}
            )
        _not_future(entered_service_on, "entered_service_on")
        if last is not None and entered_service_on < last:
            raise ValidationError(
                {"entered_service_on": [_("The lift cannot enter service before installation.")]}
            )
        allowed = parameters.value("lifts.registration_days", on=entered_service_on)
        project.entered_service_on = entered_service_on
        project.registration_days = int(allowed.value)
        project.registration_version = allowed.pk
        # Calendar days, as TSG 08 counts them (not working days).
        project.registration_late = (on - entered_service_on).days > int(allowed.value)
    with transaction.atomic():
        project.stage = target
        project.save()
        record_row = StageRecord.objects.create(
            subdistrict=project.subdistrict,
            project=project,
            stage=target,
            reached_on=on,
            note=note.strip(),
            recorded_by=actor.user,
        )
        audit.record(
            actor,
            "lifts.project.advance",
            project,
            before=before,
            after=audit.snapshot(project),
            note=str(target.label),
        )
    return record_row


def projects_for(actor: Access) -> QuerySet[Project]:
    return Project.objects.visible_to(actor).select_related("unit__building__quarter")
