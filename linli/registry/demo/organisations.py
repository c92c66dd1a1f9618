"""The organisations of a demo sub-district (``organisations.yaml``): departments (科室), the
dispatch and service centres, grid workstations, neighbourhood and building committees,
sub-centres and the outside agencies that cases get routed to."""

from __future__ import annotations

from pathlib import Path

from linli.core.demo import read_yaml
from linli.core.models import Organisation, Subdistrict
from linli.registry.demo.names import chinese_number
from linli.registry.demo.places import PlacePlan

Kind = Organisation.Kind

# Codes are stable across homes, so later demo parts (routing rules, queues) can name them.
OFFICE = "DZB"
COMMUNITY_MANAGEMENT = "SQGL"
COMMUNITY_SERVICE = "SQFW"
PUBLIC_SAFETY = "PAB"
BUSINESS = "YSB"
SELF_GOVERNANCE = "ZZB"
PARTY_BUILDING = "DJB"
DISPATCH_CENTRE = "CYZX"
AFFAIRS_CENTRE = "SWSL"
ENTERPRISE_CENTRE = "QYFW"
MARKET_REGULATION = "SCJG"
POLICE = "PCS"
TAX = "SWS"
FIRE = "XFZ"
URBAN_MANAGEMENT = "CGZD"
HOUSING = "FGB"

_DATA = read_yaml(Path(__file__).with_name("organisations.yaml"))
DEPARTMENTS: tuple[tuple[str, str, str], ...] = tuple(
    (d["code"], d["kind"], d["name"]) for d in _DATA["departments"]
)
AGENCIES: tuple[tuple[str, str], ...] = tuple((a["code"], a["name"]) for a in _DATA["agencies"])
PROVIDERS: tuple[tuple[str, str], ...] = tuple((p["code"], p["name"]) for p in _DATA["providers"])
HOME_CARE_PROVIDER = "JJYL"
MEALS_PROVIDER = "ZCFW"
NAMES: dict[str, str] = _DATA["names"]


def organisation_rows(plan: PlacePlan, subdistrict: Subdistrict) -> list[Organisation]:
    """Unsaved organisations; a parent always comes before its children."""
    home = plan.home

    def row(
        code: str,
        kind: str,
        name: str,
        parent: Organisation | None = None,
        address: str | None = None,
    ) -> Organisation:
        return Organisation(
            subdistrict=subdistrict,
            code=code,
            kind=kind,
            name=name,
            parent=parent,
            address=plan.office_address if address is None else address,
        )

    rows = [row(code, kind, name) for code, kind, name in DEPARTMENTS]
    by_code = {o.code: o for o in rows}
    dispatch, enterprise_centre = by_code[DISPATCH_CENTRE], by_code[ENTERPRISE_CENTRE]
    rows += [
        row(
            f"WG{n}",
            Kind.GRID_STATION,
            NAMES["grid_station"].format(number=chinese_number(n)),
            dispatch,
        )
        for n in range(1, home.workstations + 1)
    ]
    rows += [
        row(
            q.committee_code,
            Kind.COMMITTEE,
            NAMES["committee"].format(quarter=q.name),
            address=q.address,
        )
        for q in plan.quarters
    ]
    for building in plan.buildings:
        if building.committee_code:
            rows.append(
                row(
                    building.committee_code,
                    Kind.BUILDING_COMMITTEE,
                    NAMES["building_committee"].format(building=building.name),
                    address=building.address,
                )
            )
    for building in sorted(plan.buildings, key=lambda b: b.subcentre_code):
        if building.subcentre_code:
            rows.append(
                row(
                    building.subcentre_code,
                    Kind.SUBCENTRE,
                    NAMES["subcentre"].format(building=building.name),
                    enterprise_centre,
                    address=building.address,
                )
            )
    # Outside agencies have their own premises, which the demo does not place.
    rows += [
        row(code, Kind.AGENCY, name.format(short=home.short_name), address="")
        for code, name in AGENCIES
    ]
    rows += [
        row(code, Kind.PROVIDER, name.format(short=home.short_name)) for code, name in PROVIDERS
    ]
    return rows
