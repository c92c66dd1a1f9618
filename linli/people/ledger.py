"""Import the ledger of residents and homes (实有人口 · 实有房屋) from Excel or CSV.

One row is one person with the dwelling they live in (quarter, building, unit, room, floor,
floor area); a row with no name and no ID records a dwelling only. Every row is checked first;
then, unless it is a dry run, everything is written in one transaction, or nothing when any row
has an error. Errors name the row and the column, in the reader's language.

A person is matched by their ID number's keyed hash: a row whose person is not yet known is
*new*; one that says what the register already says is *unchanged*; one that moves the person
or gives another mobile, household or registered residence is *updated*; one whose ID is
registered under another name is *conflicting* (an error: two records of one person are merged
by hand, with ``services.merge_persons``). The file is read by the registry's reader, with its
limits on size, rows and what a workbook may unpack to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from linli.core import audit, clock, statistics
from linli.core.access import Access
from linli.people import rules, services
from linli.people.models import (
    Dwelling,
    Household,
    LifeEvent,
    Person,
    ResidentialBuilding,
    Unit,
)
from linli.registry.importers.files import ImportFileError, read_table
from linli.registry.models import Quarter

# Column → the names a ledger may give it (Chinese as sub-districts keep them, or English).
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "name"),
    "resident_id": ("身份证号", "公民身份号码", "resident_id"),
    "mobile": ("手机号", "联系电话", "mobile"),
    "quarter": ("小区", "居住小区", "quarter"),
    "building": ("楼号", "building"),
    "unit": ("单元", "unit"),
    "dwelling": ("室号", "房号", "dwelling"),
    "floor": ("楼层", "floor"),
    "floor_area_m2": ("建筑面积", "面积", "floor_area_m2"),
    "tenure": ("居住状况", "tenure"),
    "household": ("户号", "household"),
    "relation": ("与户主关系", "relation"),
    "registered_address": ("户籍地址", "registered_address"),
    "living_away": ("人户分离", "living_away"),
}
REQUIRED = ("quarter", "building", "dwelling", "floor", "floor_area_m2")
TENURES = {"自住": "owner_occupied", "出租": "rented", "空置": "vacant"}
RELATIONS = {
    "户主": "head",
    "本人": "head",
    "配偶": "spouse",
    "妻": "spouse",
    "夫": "spouse",
    "子": "child",
    "女": "child",
    "子女": "child",
    "父亲": "parent",
    "母亲": "parent",
    "父母": "parent",
    "孙子女": "grandchild",
    "孙子": "grandchild",
    "孙女": "grandchild",
    "祖父母": "grandparent",
    "兄弟姐妹": "sibling",
    "儿媳": "child_in_law",
    "女婿": "child_in_law",
    "其他": "other",
}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class LedgerRow:
    number: int
    values: dict[str, str]
    quarter: Quarter | None = None
    floor: int = 0
    area: Decimal = Decimal(0)
    identity: dict[str, Any] = field(default_factory=dict)
    person: Person | None = None
    outcome: str = ""  # new / updated / unchanged / conflicting / dwelling

    @property
    def address(self) -> tuple[int, str, str, str]:
        assert self.quarter is not None  # noqa: S101 - only rows without errors are placed
        v = self.values
        return (self.quarter.pk, v["building"], v["unit"] or "1", v["dwelling"])


@dataclass
class LedgerReport:
    filename: str
    dry_run: bool
    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicting: int = 0
    dwellings: int = 0  # new dwellings
    committed: bool = False
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        for key, names in COLUMNS.items():
            if title.strip() in names:
                found[key] = index
    missing = [COLUMNS[k][0] for k in REQUIRED if k not in found]
    if missing:
        raise ImportFileError(
            _("The ledger lacks the columns %(columns)s.") % {"columns": "、".join(missing)}
        )
    return found


def _check(row: LedgerRow, quarters: dict[str, Quarter], report: LedgerReport) -> None:
    v = row.values

    def error(column: str, message: str) -> None:
        report.errors.append(RowError(row.number, COLUMNS[column][0], message))

    row.quarter = quarters.get(v["quarter"])
    if row.quarter is None:
        error(
            "quarter",
            _("No quarter of this sub-district is called “%(name)s”.") % {"name": v["quarter"]},
        )
    for key in ("building", "dwelling"):
        if not v[key]:
            error(key, _("This column may not be empty."))
    try:
        row.floor = int(v["floor"])
    except ValueError:
        error("floor", _("Enter the floor as a whole number."))
    try:
        row.area = Decimal(v["floor_area_m2"])
        if not row.area.is_finite() or row.area <= 0:
            raise InvalidOperation
    except InvalidOperation:
        error("floor_area_m2", _("Enter the area in square metres as a number, such as 56.4."))
    if v["tenure"] and v["tenure"] not in TENURES and v["tenure"] not in Dwelling.Tenure.values:
        error("tenure", _("Write 自住, 出租 or 空置."))
    if (
        v["relation"]
        and v["relation"] not in RELATIONS
        and v["relation"] not in Person.Relation.values
    ):
        error("relation", _("This relation to the head is not known."))
    if not v["name"] and not v["resident_id"]:
        row.outcome = "dwelling"
        return
    if not v["name"]:
        error("name", _("Enter the person's name."))
    try:
        row.identity = services.clean_identity(v["resident_id"], v["mobile"])
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            for message in messages:
                error(key, message)


def _classify(rows: list[LedgerRow], report: LedgerReport) -> None:
    """Duplicates in the file, then each person against the register."""
    first: dict[str, int] = {}
    for row in rows:
        digest = row.identity.get("resident_id_hash")
        if not digest:
            continue
        if digest in first:
            report.errors.append(
                RowError(
                    row.number,
                    COLUMNS["resident_id"][0],
                    _("This person is already in row %(row)s of the ledger.")
                    % {"row": first[digest]},
                )
            )
        else:
            first[digest] = row.number
    known = {
        p.resident_id_hash: p
        for p in Person.objects.filter(resident_id_hash__in=list(first)).select_related(
            "dwelling__unit__building", "household"
        )
    }
    for row in rows:
        if row.outcome == "dwelling":
            continue
        person = known.get(row.identity.get("resident_id_hash", ""))
        row.person = person
        if person is None:
            row.outcome = "new"
        elif person.name != row.values["name"]:
            row.outcome = "conflicting"
            report.errors.append(
                RowError(
                    row.number,
                    COLUMNS["resident_id"][0],
                    _("This ID number is registered under another name (%(name)s).")
                    % {"name": person.name},
                )
            )
        else:
            row.outcome = "unchanged" if _same(row, person) else "updated"


def _same(row: LedgerRow, person: Person) -> bool:
    dwelling = person.dwelling
    place = (
        (
            dwelling.unit.building.quarter_id,
            dwelling.unit.building.number,
            dwelling.unit.number,
            dwelling.number,
        )
        if dwelling is not None
        else None
    )
    v = row.values
    return (
        place == row.address
        and person.status == Person.Status.LIVING
        and (not v["mobile"] or person.mobile_hash == row.identity.get("mobile_hash"))
        and (not v["household"] or (person.household and person.household.number) == v["household"])
        and (not v["registered_address"] or person.registered_address == v["registered_address"])
    )


def import_ledger(actor: Access, filename: str, content: bytes, *, dry_run: bool) -> LedgerReport:
    """Check every row of a ledger, then (unless a dry run) write them all or none."""
    actor.require(rules.may_import_ledger(actor))
    header, table = read_table(filename, content)
    columns = _columns(header)
    if not table:
        raise ImportFileError(_("The file has column names but no rows to import."))
    report = LedgerReport(filename=PurePath(filename).name, dry_run=dry_run, rows=len(table))
    quarters = {}
    for quarter in Quarter.objects.all():
        quarters[quarter.name] = quarter
        quarters[quarter.code] = quarter
    rows = [
        LedgerRow(number, {k: (cells[columns[k]].strip() if k in columns else "") for k in COLUMNS})
        for number, cells in table
    ]
    with transaction.atomic():
        for row in rows:
            _check(row, quarters, report)
        wrong = {e.row for e in report.errors}
        _classify([r for r in rows if r.number not in wrong], report)
        for row in rows:
            if row.outcome in ("new", "updated", "unchanged", "conflicting"):
                setattr(report, row.outcome, getattr(report, row.outcome) + 1)
        if report.ok and not dry_run:
            _write(actor, rows, report)
            report.committed = True
    if dry_run and report.ok:
        report.dwellings = len({r.address for r in rows} - set(_dwellings_by_address()))
    return report


def _dwellings_by_address() -> dict[tuple[int, str, str, str], Dwelling]:
    return {
        (d.unit.building.quarter_id, d.unit.building.number, d.unit.number, d.number): d
        for d in Dwelling.objects.select_related("unit__building")
    }


def _write(actor: Access, rows: list[LedgerRow], report: LedgerReport) -> None:
    assert actor.subdistrict is not None  # noqa: S101 - the rule needs one
    sd = actor.subdistrict
    today = clock.today()
    dwellings = _dwellings_by_address()
    buildings = {(b.quarter_id, b.number): b for b in ResidentialBuilding.objects.all()}
    units = {(u.building_id, u.number): u for u in Unit.objects.all()}
    highest: dict[tuple[int, str], int] = {}
    quarter_of: dict[tuple[int, str], Quarter] = {}
    for row in rows:
        key = row.address[:2]
        highest[key] = max(highest.get(key, 1), row.floor)
        assert row.quarter is not None  # noqa: S101 - checked
        quarter_of[key] = row.quarter
    for key, floors in highest.items():
        if key not in buildings:
            quarter = quarter_of[key]
            buildings[key] = ResidentialBuilding.objects.create(
                subdistrict=sd,
                quarter=quarter,
                grid_id=quarter.grid_id,
                code=f"{quarter.code}-{key[1]}",
                number=key[1],
                floors=floors,
            )
    new_dwellings: list[Dwelling] = []
    for row in rows:
        address = row.address
        if address in dwellings:
            continue
        building = buildings[address[:2]]
        unit = units.get((building.pk, address[2]))
        if unit is None:
            unit = units[(building.pk, address[2])] = Unit.objects.create(
                subdistrict=sd, building=building, number=address[2]
            )
        tenure = TENURES.get(row.values["tenure"], row.values["tenure"])
        dwellings[address] = Dwelling(
            subdistrict=sd,
            unit=unit,
            number=address[3],
            floor=row.floor,
            floor_area_m2=row.area,
            tenure=tenure or Dwelling.Tenure.OWNER_OCCUPIED,
        )
        new_dwellings.append(dwellings[address])
    Dwelling.objects.bulk_create(new_dwellings, batch_size=2000)
    LifeEvent.objects.bulk_create(
        [
            LifeEvent(
                subdistrict=sd,
                dwelling=d,
                kind=LifeEvent.Kind.DWELLING_RECORDED,
                on=today,
                actor=actor.user,
                note=_("Imported ledger"),
            )
            for d in new_dwellings
        ],
        batch_size=5000,
    )
    created = len(new_dwellings)
    report.dwellings = created
    households = {h.number: h for h in Household.objects.all()}
    new_persons, events = [], []
    for row in rows:
        if row.outcome not in ("new", "updated"):
            continue
        v, dwelling = row.values, dwellings[row.address]
        household = None
        if v["household"]:
            household = households.get(v["household"])
            if household is None:
                household = households[v["household"]] = Household.objects.create(
                    subdistrict=sd, number=v["household"], dwelling=dwelling
                )
        relation = RELATIONS.get(v["relation"], v["relation"])
        if row.outcome == "new":
            person = Person(
                subdistrict=sd,
                name=v["name"],
                dwelling=dwelling,
                household=household,
                relation=relation,
                registered_address=v["registered_address"],
                registered_here=v["living_away"] not in ("是", "yes", "true", "1"),
                status_since=today,
                **row.identity,
            )
            new_persons.append(person)
            continue
        known = row.person
        assert known is not None  # noqa: S101 - an update names its person
        if known.dwelling_id != dwelling.pk or known.status != Person.Status.LIVING:
            services.move_in(
                actor, known, dwelling, on=today, household=household, relation=relation
            )
        for name in ("mobile_cipher", "mobile_hash"):
            if name in row.identity:
                setattr(known, name, row.identity[name])
        if v["registered_address"]:
            known.registered_address = v["registered_address"]
        known.household = household or known.household
        known.save(
            update_fields=["mobile_cipher", "mobile_hash", "registered_address", "household"]
        )
    Person.objects.bulk_create(new_persons, batch_size=2000)
    for person in new_persons:
        for kind in (LifeEvent.Kind.REGISTERED, LifeEvent.Kind.MOVED_IN):
            events.append(
                LifeEvent(
                    subdistrict=sd,
                    person=person,
                    dwelling=person.dwelling,
                    kind=kind,
                    on=today,
                    actor=actor.user,
                    note=_("Imported ledger"),
                )
            )
    LifeEvent.objects.bulk_create(events, batch_size=5000)
    audit.record(
        actor,
        "people.ledger.import",
        object_type="people.person",
        after={
            "file": report.filename,
            "new": report.new,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "dwellings": report.dwellings,
        },
    )
    statistics.refresh(Person, Dwelling, Household, LifeEvent)
