"""Sporadic-works verbs: register works, issue the site notice, inspect against the checklist,
book the waste removal, record completion, and record works found without registration (which
opens one case).

Each verb checks who acts (``rules``), validates before writing (field errors, nothing half
written), runs in one transaction and writes an audit row. Rule numbers come from
``linli.core.parameters`` at the date of the act.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from linli.cases.models import Case, Category, Channel
from linli.cases.services import submit_case
from linli.core import audit, clock, limits, parameters
from linli.core.access import Access
from linli.core.calendar import WorkCalendar
from linli.core.models import Subdistrict
from linli.core.roles import Role
from linli.governance.works import classification, rules
from linli.governance.works.models import CheckedItem, SiteInspection, WasteRemoval, Works
from linli.governance.works.parameters import INSPECTION_DAYS, LONGEST_DAYS, WASTE_MAX
from linli.people.models import Dwelling, Person
from linli.people.rules import committees_of, grids_of
from linli.registry.models import Enterprise, Grid

CATEGORY_CODE = "works-unregistered"
DAY_OPENS_AT = dt.time(9, 0)
# The three kinds of place and the one argument that names each.
PLACE_FIELD: dict[str, str] = {
    Works.Place.DWELLING: "dwelling",
    Works.Place.PREMISES: "enterprise",
    Works.Place.ADDRESS: "address",
}


@dataclass(frozen=True)
class Place:
    """Where works are: one of a dwelling, an enterprise's premises or a free address."""

    kind: str
    dwelling: Dwelling | None = None
    enterprise: Enterprise | None = None
    address: str = ""
    grid: Grid | None = None


def address_of_dwelling(dwelling: Dwelling) -> str:
    building = dwelling.unit.building
    return f"{building.quarter.name} {building.number} {dwelling.unit.number} {dwelling.number}"


def address_of_premises(enterprise: Enterprise) -> str:
    parts = [enterprise.name]
    if enterprise.building is not None:
        parts.append(enterprise.building.address or enterprise.building.name)
    if enterprise.unit:
        parts.append(enterprise.unit)
    return " ".join(parts)


def dwellings_for(access: Access) -> QuerySet[Dwelling]:
    """The dwellings a person may register works at: the staff's area, or a resident's home."""
    dwellings = Dwelling.objects.select_related("unit__building__quarter")
    if access.is_system or rules.whole_subdistrict(access):
        return dwellings
    committees, grids = committees_of(access), grids_of(access)
    homes: list[int] = []
    if access.user is not None and rules.is_public(access):
        homes = list(
            Person.objects.filter(user=access.user, dwelling__isnull=False).values_list(
                "dwelling_id", flat=True
            )
        )
    condition = Q(pk__in=homes)
    if committees:
        condition |= Q(unit__building__quarter__committee_id__in=sorted(committees))
    if grids:
        condition |= Q(unit__building__grid_id__in=sorted(grids)) | Q(
            unit__building__grid__isnull=True, unit__building__quarter__grid_id__in=sorted(grids)
        )
    return dwellings.filter(condition)


def enterprises_for(access: Access) -> QuerySet[Enterprise]:
    """The premises a person may register works at: the staff's whole area or grid, or the
    enterprises a shop's people belong to."""
    enterprises = Enterprise.objects.select_related("building")
    if access.is_system or rules.whole_subdistrict(access):
        return enterprises
    grids = grids_of(access)
    condition = Q(pk__in=sorted(access.linked_ids("enterprise")))
    if grids:
        condition |= Q(building__grid_id__in=sorted(grids))
    return enterprises.filter(condition)


def grids_for(access: Access) -> QuerySet[Grid]:
    """The grids a free address may be placed in by staff (a grid worker: their own)."""
    if access.is_system or rules.whole_subdistrict(access) or committees_of(access):
        return Grid.objects.order_by("code")
    return Grid.objects.filter(pk__in=sorted(grids_of(access))).order_by("code")


def _text(errors: dict[str, list[str]], name: str, value: str, *, model: type = Works) -> str:
    value = (value or "").strip()
    if len(value) > (limit := limits.max_length(model, name)):
        errors[name] = [limits.too_long(limit, len(value))]
    return value


def _located(access: Access, place: Place, errors: dict[str, list[str]]) -> dict[str, object]:
    """The place's fields on ``Works``: its address text, grid and quarter; or errors."""
    if place.kind == Works.Place.DWELLING:
        dwelling = place.dwelling
        if dwelling is None or not dwellings_for(access).filter(pk=dwelling.pk).exists():
            errors["dwelling"] = [_("Choose a dwelling you may register works at.")]
            return {}
        building = dwelling.unit.building
        return {
            "dwelling": dwelling,
            "address": address_of_dwelling(dwelling),
            "grid": building.grid or building.quarter.grid,
            "quarter": building.quarter,
        }
    if place.kind == Works.Place.PREMISES:
        enterprise = place.enterprise
        if enterprise is None or not enterprises_for(access).filter(pk=enterprise.pk).exists():
            errors["enterprise"] = [_("Choose premises you may register works at.")]
            return {}
        premises = enterprise.building
        return {
            "enterprise": enterprise,
            "address": address_of_premises(enterprise),
            "grid": premises.grid if premises is not None else None,
        }
    if place.kind == Works.Place.ADDRESS:
        address = _text(errors, "address", place.address)
        if not address and "address" not in errors:
            errors["address"] = [_("Give the address of the works.")]
        grid = place.grid
        if grid is not None and not grids_for(access).filter(pk=grid.pk).exists():
            errors["grid"] = [_("Choose a grid of your area.")]
        return {"address": address, "grid": grid}
    errors["place"] = [_("Choose where the works are.")]
    return {}


def _scopes(errors: dict[str, list[str]], scopes: Iterable[str], *, required: bool) -> list[str]:
    chosen = list(dict.fromkeys(scopes))
    if any(code not in classification.BY_CODE for code in chosen):
        errors["scopes"] = [_("Choose the scope among those offered.")]
    elif required and not chosen:
        errors["scopes"] = [_("Tick at least one kind of work.")]
    return chosen


def _home(actor: Access) -> Subdistrict:
    """The sub-district the act is in (a person with none has nothing to register in)."""
    if actor.subdistrict is None:
        raise PermissionDenied(_("Choose a sub-district first."))
    return actor.subdistrict


def _number(on: dt.date) -> str:
    count = Works.objects.filter(number__startswith=f"ZX{on:%Y}-").count()
    return f"ZX{on:%Y}-{count + 1:04d}"


def register_works(
    *,
    actor: Access,
    place: Place,
    scopes: Iterable[str],
    description: str,
    starts_on: dt.date,
    ends_on: dt.date,
    contractor: str = "",
    approval: str = "",
    registered_on: dt.date | None = None,
) -> Works:
    """Works registered before they start. The scope decides the class, the checklist and
    whether a site inspection is needed; a structural change is refused without the number of
    its approval (《住宅室内装饰装修管理办法》 art. 5)."""
    actor.require(rules.may_register(actor))
    errors: dict[str, list[str]] = {}
    located = _located(actor, place, errors)
    chosen = _scopes(errors, scopes, required=True)
    description = _text(errors, "description", description)
    contractor = _text(errors, "contractor", contractor)
    approval = _text(errors, "approval", approval)
    today = clock.today()
    registered_on = registered_on or today
    if not description and "description" not in errors:
        errors["description"] = [_("Say what will be done.")]
    if classification.STRUCTURAL in chosen and not approval and "approval" not in errors:
        errors["approval"] = [
            _(
                "A structural or load-bearing change is forbidden without the approval of a "
                "qualified design unit: give its number."
            )
        ]
    if registered_on > today:
        errors["registered_on"] = [_("The date cannot be in the future.")]
    if starts_on < registered_on:
        errors["starts_on"] = [_("Register the works before they start.")]
    longest = parameters.value(LONGEST_DAYS, on=registered_on)
    if ends_on < starts_on:
        errors["ends_on"] = [_("The works cannot end before they start.")]
    elif (ends_on - starts_on).days > int(longest.value):
        errors["ends_on"] = [
            _("One registration covers at most %(days)s days.") % {"days": int(longest.value)}
        ]
    if errors:
        raise ValidationError(errors)
    decision = classification.classify(chosen)
    with transaction.atomic():
        works = Works.objects.create(
            subdistrict=_home(actor),
            number=_number(registered_on),
            place=place.kind,
            scopes=chosen,
            description=description,
            approval=approval,
            classification=decision.classification,
            checklist=decision.checklist,
            needs_inspection=decision.needs_inspection,
            starts_on=starts_on,
            ends_on=ends_on,
            contractor=contractor,
            registered_by=actor.user,
            registered_on=registered_on,
            registered_at=clock.now(),
            **located,
        )
        audit.record(actor, "works.works.register", works, after=audit.snapshot(works))
    return works


def working_days_after(day: dt.date, days: int, calendar: WorkCalendar) -> dt.date:
    zone = clock.local_zone()
    start = dt.datetime.combine(day, DAY_OPENS_AT, zone)
    return calendar.add_working_days(start, days).astimezone(zone).date()


def _move(actor: Access, works: Works, stage: str, **more: object) -> None:
    before = audit.snapshot(works)
    works.stage = stage
    for name, value in more.items():
        setattr(works, name, value)
    works.save(update_fields=["stage", *more])
    audit.record(actor, "works.works.stage", works, before=before, after=audit.snapshot(works))


def issue_notice(works: Works, *, actor: Access, on: dt.date | None = None) -> Works:
    """The site notice (装修公示) for the door: from now the works may go ahead. Works that
    need a site inspection get its due date, a number of working days after the start."""
    actor.require(rules.may_issue_notice(actor, works))
    on = on or clock.today()
    if on > clock.today() or on < works.registered_on:
        raise ValidationError({"on": [_("Issue the notice between the registration and today.")]})
    due = None
    if works.needs_inspection:
        days = parameters.value(INSPECTION_DAYS, on=on)
        calendar = WorkCalendar.for_subdistrict(actor.subdistrict)
        due = working_days_after(max(on, works.starts_on), int(days.value), calendar)
    with transaction.atomic():
        _move(actor, works, Works.Stage.NOTICE, notice_issued_on=on, inspection_due=due)
        audit.record(actor, "works.notice.issue", works)
    return works


def record_inspection(
    works: Works,
    *,
    actor: Access,
    results: Mapping[str, tuple[bool, str]],
    inspected_on: dt.date | None = None,
    note: str = "",
) -> SiteInspection:
    """Each item of the works' checklist found in order or not (with a note saying what is
    wrong). All in order: the works are inspected and may be completed; else they wait to be
    put right and inspected again."""
    actor.require(rules.may_inspect(actor, works))
    errors: dict[str, list[str]] = {}
    note = _text(errors, "note", note, model=SiteInspection)
    inspected_on = inspected_on or clock.today()
    if inspected_on > clock.today():
        errors["inspected_on"] = [_("The date cannot be in the future.")]
    elif works.notice_issued_on and inspected_on < works.notice_issued_on:
        errors["inspected_on"] = [_("The inspection cannot come before the site notice.")]
    unknown = set(results) - set(works.checklist)
    if unknown:
        errors["items"] = [_("Check only the items of this works' checklist.")]
    limit = limits.max_length(CheckedItem, "note")
    for code in works.checklist:
        if code not in results:
            errors[f"items.{code}"] = [_("Say whether this is in order.")]
            continue
        passed, item_note = results[code]
        item_note = (item_note or "").strip()
        if len(item_note) > limit:
            errors[f"items.{code}"] = [limits.too_long(limit, len(item_note))]
        elif not passed and not item_note:
            errors[f"items.{code}"] = [_("Say what is not in order.")]
    if errors:
        raise ValidationError(errors)
    passed = all(results[code][0] for code in works.checklist)
    with transaction.atomic():
        inspection = SiteInspection.objects.create(
            subdistrict_id=works.subdistrict_id,
            works=works,
            inspected_on=inspected_on,
            inspector=actor.user,
            passed=passed,
            note=note,
        )
        CheckedItem.objects.bulk_create(
            CheckedItem(
                subdistrict_id=works.subdistrict_id,
                inspection=inspection,
                code=code,
                passed=results[code][0],
                note=(results[code][1] or "").strip(),
            )
            for code in works.checklist
        )
        audit.record(actor, "works.inspection.record", inspection)
        _move(actor, works, Works.Stage.INSPECTED if passed else Works.Stage.RECTIFY)
    return inspection


def book_waste_removal(
    works: Works, *, actor: Access, on: dt.date, volume_m3: Decimal
) -> WasteRemoval:
    """A removal of renovation waste on a day of the works, of at most one truck's volume
    (parameter, read on the day of the removal)."""
    actor.require(rules.may_book_waste(actor, works))
    errors: dict[str, list[str]] = {}
    if on < works.starts_on or on > works.ends_on:
        errors["on"] = [
            _("Book the removal between %(start)s and %(end)s, while the works go on.")
            % {"start": works.starts_on.isoformat(), "end": works.ends_on.isoformat()}
        ]
    most = parameters.value(WASTE_MAX, on=on)
    if volume_m3 <= 0:
        errors["volume_m3"] = [_("Give the volume of the waste in m³.")]
    elif volume_m3 > Decimal(str(most.value)):
        errors["volume_m3"] = [
            _("One removal takes at most %(most)s m³: book another for the rest.")
            % {"most": most.value}
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        removal = WasteRemoval.objects.create(
            subdistrict_id=works.subdistrict_id,
            works=works,
            on=on,
            volume_m3=volume_m3,
            booked_by=actor.user,
            booked_at=clock.now(),
        )
        audit.record(actor, "works.waste.book", removal, after=audit.snapshot(removal))
    return removal


def record_completion(
    works: Works, *, actor: Access, on: dt.date | None = None, note: str = ""
) -> Works:
    """The works are finished. Works that need an inspection must have passed one; works that
    make waste must have had its removal booked."""
    actor.require(rules.may_complete(actor, works))
    errors: dict[str, list[str]] = {}
    note = _text(errors, "completion_note", note)
    on = on or clock.today()
    if on > clock.today():
        errors["on"] = [_("The date cannot be in the future.")]
    elif on < works.starts_on:
        errors["on"] = [_("The works cannot be completed before they start.")]
    if (
        works.stage != Works.Stage.UNREGISTERED
        and classification.WASTE in works.scopes
        and not works.removals.exists()
    ):
        errors["__all__"] = [_("Book the removal of the renovation waste first.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _move(actor, works, Works.Stage.COMPLETED, completed_on=on, completion_note=note)
        audit.record(actor, "works.works.complete", works)
    return works


def works_category(subdistrict_id: int) -> Category:
    """The case category of works found without registration (ours, made when first needed)."""
    found = Category.objects.filter(subdistrict_id=subdistrict_id, code=CATEGORY_CODE).first()
    if found is not None:
        return found
    with translation.override(settings.LANGUAGE_CODE):
        return Category.objects.create(
            subdistrict_id=subdistrict_id,
            code=CATEGORY_CODE,
            name=_("Unregistered renovation works"),
            name_en="Unregistered renovation works",
            kind=Category.Kind.INCIDENT,
            allows_anonymous=True,
            description=_("Renovation works found going on without registration."),
        )


def _same_place(located: Mapping[str, object]) -> Q:
    if located.get("dwelling") is not None:
        return Q(dwelling=located["dwelling"])
    if located.get("enterprise") is not None:
        return Q(enterprise=located["enterprise"])
    return Q(dwelling__isnull=True, enterprise__isnull=True, address=located["address"])


def record_unregistered(
    *,
    actor: Access,
    place: Place,
    description: str,
    scopes: Iterable[str] = (),
    found_on: dt.date | None = None,
) -> tuple[Works, bool]:
    """Works found going on without registration: recorded, and one case opened for them
    through the case engine. The same finding again (an open finding at the same place) opens
    nothing more and returns the first; works registered there and under way are refused, since
    they are not unregistered. Returns the works and whether they are new."""
    actor.require(rules.may_record_unregistered(actor))
    errors: dict[str, list[str]] = {}
    located = _located(actor, place, errors)
    chosen = _scopes(errors, scopes, required=False)
    description = _text(errors, "description", description)
    found_on = found_on or clock.today()
    if not description and "description" not in errors:
        errors["description"] = [_("Say what was found.")]
    if found_on > clock.today():
        errors["found_on"] = [_("The date cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        here = Works.objects.select_for_update().filter(_same_place(located))
        earlier = here.filter(stage=Works.Stage.UNREGISTERED).order_by("pk").first()
        if earlier is not None:
            return earlier, False
        registered = (
            here.exclude(stage__in=(Works.Stage.COMPLETED, Works.Stage.UNREGISTERED))
            .filter(starts_on__lte=found_on, ends_on__gte=found_on)
            .first()
        )
        if registered is not None:
            raise ValidationError(
                {
                    PLACE_FIELD[place.kind]: [
                        _("Works registered as %(number)s are under way here.")
                        % {"number": registered.number}
                    ]
                }
            )
        decision = classification.classify(chosen) if chosen else None
        works = Works.objects.create(
            subdistrict=_home(actor),
            number=_number(found_on),
            stage=Works.Stage.UNREGISTERED,
            place=place.kind,
            scopes=chosen,
            description=description,
            classification=decision.classification if decision else "",
            checklist=decision.checklist if decision else [],
            needs_inspection=False,
            starts_on=found_on,
            ends_on=found_on,
            registered_by=actor.user,
            registered_on=found_on,
            registered_at=clock.now(),
            **located,
        )
        works.case = _open_case(actor, works)
        works.save(update_fields=["case"])
        audit.record(actor, "works.works.unregistered", works, after=audit.snapshot(works))
    return works, True


def _open_case(actor: Access, works: Works) -> Case:
    building = works.dwelling.unit.building if works.dwelling is not None else None
    premises = works.enterprise.building if works.enterprise is not None else None
    where = building or premises
    channel = (
        Channel.GRID_PATROL
        if actor.has_any({Role.GRID_WORKER}) and not actor.is_system
        else Channel.INSPECTION
    )
    with translation.override(settings.LANGUAGE_CODE):
        return submit_case(
            actor=actor,
            category=works_category(works.subdistrict_id),
            channel=channel,
            title=_("Renovation works without registration: %(address)s")
            % {"address": works.address},
            description=works.description,
            address=works.address,
            lon=getattr(where, "lon", None),
            lat=getattr(where, "lat", None),
            quarter=works.quarter,
            grid=works.grid,
            building=premises,
        )
