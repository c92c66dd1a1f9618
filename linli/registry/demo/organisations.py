"""The organisations of a demo sub-district: departments (科室), the dispatch and service
centres, grid workstations, neighbourhood and building committees, sub-centres and the outside
agencies that cases get routed to."""

from __future__ import annotations

from linli.core.models import Organisation, Subdistrict
from linli.registry.demo.geography import PlacePlan
from linli.registry.demo.names import chinese_number

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

DEPARTMENTS = (
    (OFFICE, Kind.DEPARTMENT, "党政办公室"),
    (PARTY_BUILDING, Kind.DEPARTMENT, "党建办公室"),
    (COMMUNITY_MANAGEMENT, Kind.DEPARTMENT, "社区管理办公室"),
    (COMMUNITY_SERVICE, Kind.DEPARTMENT, "社区服务办公室"),
    (PUBLIC_SAFETY, Kind.DEPARTMENT, "社区平安办公室"),
    (BUSINESS, Kind.DEPARTMENT, "营商办公室（经济发展办）"),
    (SELF_GOVERNANCE, Kind.DEPARTMENT, "社区自治办公室"),
    (DISPATCH_CENTRE, Kind.DISPATCH_CENTRE, "城市运行管理中心"),
    (AFFAIRS_CENTRE, Kind.SERVICE_CENTRE, "社区事务受理服务中心"),
    (ENTERPRISE_CENTRE, Kind.SERVICE_CENTRE, "企业服务中心"),
)
AGENCIES = (
    (MARKET_REGULATION, "{short}市场监管所"),
    (POLICE, "{short}派出所"),
    (TAX, "{short}税务所"),
    (FIRE, "{short}消防救援站"),
    (URBAN_MANAGEMENT, "{short}城管执法中队"),
    (HOUSING, "{short}房管办事处"),
)


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
        row(f"WG{n}", Kind.GRID_STATION, f"第{chinese_number(n)}网格工作站", dispatch)
        for n in range(1, home.workstations + 1)
    ]
    rows += [
        row(q.committee_code, Kind.COMMITTEE, f"{q.name}居民区居委会", address=q.address)
        for q in plan.quarters
    ]
    for building in plan.buildings:
        if building.committee_code:
            rows.append(
                row(
                    building.committee_code,
                    Kind.BUILDING_COMMITTEE,
                    f"{building.name}楼宇管理委员会",
                    address=building.address,
                )
            )
    for building in sorted(plan.buildings, key=lambda b: b.subcentre_code):
        if building.subcentre_code:
            rows.append(
                row(
                    building.subcentre_code,
                    Kind.SUBCENTRE,
                    f"企业服务中心{building.name}分中心",
                    enterprise_centre,
                    address=building.address,
                )
            )
    # Outside agencies have their own premises, which the demo does not place.
    rows += [
        row(code, Kind.AGENCY, name.format(short=home.short_name), address="")
        for code, name in AGENCIES
    ]
    return rows
