"""Intake: a report from any channel becomes a numbered, routed case with a running clock.

A ``Report`` is what someone reports (the category, the words, the place, the photos, how to
reach them); ``submit(report, actor=…)`` checks all of it at once, routes it, starts the
registration clock, numbers it and tells the reporter and the dispatch centre.
``submit_case(actor=…, category=…, …)`` is the same verb with the report's fields as keywords.

The reporter is the signed-in person, except on the hotline, phone and walk-in channels, where
staff enter what a caller says (``contact``), and for anonymous reports. Whoever has no account
gets a secret tracking token, returned once on ``case.tracking_token``.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from linli.cases import intake_setup, notices, rules
from linli.cases.attachments import CheckedImage, Photo, check_photos, save_photos
from linli.cases.deadlines import limit_for
from linli.cases.extra import clean_extra
from linli.cases.models import Case, CaseEvent, CaseReporter, Category, Channel, Stage
from linli.cases.numbering import give_number
from linli.cases.reporters import token_hash
from linli.cases.routing import Router
from linli.cases.steps import start_clock
from linli.core import audit, clock
from linli.core.access import Access
from linli.core.limits import refuse_overlong
from linli.core.messaging import notify_each
from linli.core.pii import encrypt, lookup_hash, validate_mobile
from linli.registry.models import Building, Enterprise, Grid, Quarter

# Channels where staff type in what a caller or visitor says: the caller is the reporter.
ON_BEHALF_CHANNELS = {Channel.HOTLINE_12345, Channel.PHONE, Channel.WALK_IN}
# A title made from the description, when the reporter gave none: its first words.
TITLE_FROM_DESCRIPTION = 40


@dataclass(frozen=True)
class Contact:
    """How to reach a reporter who has no account (a hotline caller, a walk-in visitor)."""

    name: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class Report:
    """What someone reports, from any channel."""

    category: Category
    channel: str
    description: str
    title: str = ""
    lon: float | None = None
    lat: float | None = None
    address: str = ""
    grid: Grid | None = None
    quarter: Quarter | None = None
    building: Building | None = None
    enterprise: Enterprise | None = None
    extra: Mapping[str, Any] | None = None
    photos: Sequence[Photo] = ()
    contact: Contact | None = None
    anonymous: bool = False
    keep_location: bool = False


@dataclass
class _Checked:
    """A report as intake takes it in: cleaned, with its reporter and checked photos."""

    description: str
    title: str
    phone: str
    reporter: Any  # the reporting User, or None
    extra: dict[str, Any]
    photos: list[tuple[Photo, CheckedImage]]
    photo_keys: set[str]


def submit_case(*, actor: Access, setup: intake_setup.Setup | None = None, **report: Any) -> Case:
    """``submit(Report(**report), actor=actor, setup=setup)``: the report's fields as keywords
    (``category``, ``channel``, ``description``, ``title``, ``lon``, ``lat``, …)."""
    return submit(Report(**report), actor=actor, setup=setup)


def submit(report: Report, *, actor: Access, setup: intake_setup.Setup | None = None) -> Case:
    """Take in a case: check it, number it, route it, start its clock.

    ``setup``: the sub-district's kept setup when the caller read it already (the API finds the
    category in it), so the stamp is read once per intake.
    """
    subdistrict = actor.subdistrict
    if subdistrict is None or report.category.subdistrict_id != subdistrict.pk:
        raise PermissionDenied(_("Choose a sub-district first."))
    actor.require(rules.may_submit(actor, report.channel))
    setup = setup or intake_setup.current(subdistrict)
    checked = _check(report, actor, setup)
    grid, building = _place(report, setup)
    now = clock.now()
    calendar = setup.calendar(subdistrict)
    deadline = limit_for(report.category, Stage.REGISTER, setup.limits).after(calendar, now)
    token = "" if checked.reporter is not None else secrets.token_urlsafe(24)
    with transaction.atomic():
        case = Case(
            subdistrict=subdistrict,
            category=report.category,
            channel=report.channel,
            title=checked.title,
            description=checked.description,
            lon=report.lon,
            lat=report.lat,
            address=report.address,
            keep_location=report.keep_location,
            grid=grid,
            quarter=report.quarter,
            building=building,
            enterprise=report.enterprise,
            reporter=checked.reporter,
            extra=checked.extra,
            received_at=now,
        )
        decision = Router(setup.rules, setup.centre).route(case)
        case.routed_organisation = decision.organisation
        case.routed_assignee = decision.assignee
        case.routing_rule = decision.rule
        case.routing_reason = decision.reason
        start_clock(case, Stage.REGISTER, calendar, now, deadline)
        # The number comes last: taking it locks the sub-district's counter until the commit
        # and every other intake waits, so only what shows the number is written after it.
        # Until then the case holds a stand-in that no other transaction ever sees.
        case.number = f"~{secrets.token_hex(9)}"
        case.save()
        contact = report.contact or Contact()
        reporter = CaseReporter.objects.create(
            subdistrict=subdistrict,
            case=case,
            user=checked.reporter,
            name=contact.name,
            phone_cipher=encrypt(checked.phone),
            phone_hash=lookup_hash(checked.phone),
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
                "channel": report.channel,
                "routing": {
                    "organisation": decision.organisation.pk if decision.organisation else None,
                    "assignee": decision.assignee.pk if decision.assignee else None,
                    "rule": decision.rule.pk if decision.rule else None,
                    "reason": decision.reason,
                },
            },
        )
        attachments = save_photos(case, checked.photos, actor, event, now)
        for key in checked.photo_keys:
            case.extra[key] = [a.pk for a in attachments if a.field_key == key]
        if checked.photo_keys:
            case.save(update_fields=["extra"])
        case.number = give_number(case, now)
        audit.record(actor, "cases.case.submit", case, after=audit.snapshot(case))
        _tell(case, reporter, setup)
    case.tracking_token = token
    return case


def _check(report: Report, actor: Access, setup: intake_setup.Setup) -> _Checked:
    """Everything wrong with the report, at once, or what intake keeps of it."""
    category, contact = report.category, report.contact or Contact()
    errors: dict[str, list[str]] = {}
    if report.channel not in Channel.values:
        errors["channel"] = [_("Unknown channel.")]
    if not category.active:
        errors["category"] = [_("This category no longer takes new cases.")]
    description = (report.description or "").strip()
    if not description:
        errors["description"] = [_("Please describe the problem.")]
    title = (report.title or "").strip()
    _refuse_overlong(errors, Case, description=description, title=title, address=report.address)
    _refuse_overlong(errors, CaseReporter, "contact.", name=contact.name, email=contact.email)
    title = title or description[:TITLE_FROM_DESCRIPTION] or category.name
    lon, lat = report.lon, report.lat
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
    if contact.email and "contact.email" not in errors:
        try:
            validate_email(contact.email)
        except ValidationError:
            errors["contact.email"] = [_("Enter a valid e-mail address.")]

    reporter = None
    if not report.anonymous and report.channel not in ON_BEHALF_CHANNELS:
        reporter = actor.user
    identified = reporter is not None or bool(contact.phone or contact.email)
    if not identified and not category.allows_anonymous:
        errors.setdefault("category", []).append(
            _("This category does not take anonymous reports; please sign in or leave a phone.")
        )

    photo_keys = {p.field_key for p in report.photos if p.field_key}
    try:
        extra = clean_extra(category, report.extra, photo_keys=photo_keys, available=setup.fields)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        extra = {}
    photos = check_photos(report.photos, report.keep_location, errors, "photos")
    if errors:
        raise ValidationError(errors)
    return _Checked(description, title, phone, reporter, extra, photos, photo_keys)


def _refuse_overlong(
    errors: dict[str, list[str]], model: Any, prefix: str = "", **values: str
) -> None:
    try:
        refuse_overlong(model, prefix=prefix, **values)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)


def _place(report: Report, setup: intake_setup.Setup) -> tuple[Grid | None, Building | None]:
    """The grid and building: named, or found from the enterprise, quarter or position."""
    building, grid = report.building, report.grid
    if report.enterprise is not None and building is None:
        building = report.enterprise.building
    if grid is None and building is not None:
        grid = building.grid
    if grid is None and report.quarter is not None:
        grid = report.quarter.grid
    if grid is None and report.lon is not None and report.lat is not None:
        grid = setup.grid_at(report.lon, report.lat)
    return grid, building


def _tell(case: Case, reporter: CaseReporter, setup: intake_setup.Setup) -> None:
    """The reporter hears it was received; the dispatch centre that it is to register."""
    received = notices.to_reporters(
        case,
        notices.case_title(case, _("received")),
        _("We have received your report and will register it shortly."),
        reporters=[reporter],
    )
    to_register = notices.to_staff(
        case, setup.dispatchers, notices.case_title(case, _("new case to register")), case.title
    )
    notify_each(case.subdistrict, received + to_register)
