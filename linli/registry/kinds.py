"""The registry's record kinds, described once for the pages, the API, import and export."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from linli.core.models import Organisation, TenantModel
from linli.registry.models import Building, Enterprise, Facility, Grid, Quarter


@dataclass(frozen=True)
class RegistryKind:
    key: str
    model: type[TenantModel]
    title: str | Promise
    columns: tuple[str, ...]
    search: tuple[str, ...]
    filters: tuple[str, ...] = ()
    editable: tuple[str, ...] = ()
    related: tuple[str, ...] = field(default=())

    @property
    def natural_key(self) -> str:
        """The field that names a record in files and imports (unique in its sub-district)."""
        return "credit_code" if self.key == "enterprise" else "code"

    @property
    def plural(self) -> str:
        return f"{self.key[:-1]}ies" if self.key.endswith("y") else f"{self.key}s"


KINDS: dict[str, RegistryKind] = {
    k.key: k
    for k in [
        RegistryKind(
            "organisation",
            Organisation,
            _("Organisations"),
            columns=("code", "name", "kind", "parent"),
            search=("code", "name"),
            filters=("kind",),
            editable=("kind", "code", "name", "parent", "phone", "address"),
            related=("parent",),
        ),
        RegistryKind(
            "grid",
            Grid,
            _("Grids"),
            columns=("code", "name", "organisation"),
            search=("code", "name"),
            filters=("organisation",),
            editable=("code", "name", "polygon", "organisation"),
            related=("organisation",),
        ),
        RegistryKind(
            "quarter",
            Quarter,
            _("Residential quarters"),
            columns=("code", "name", "households", "population", "over_60", "committee"),
            search=("code", "name", "address"),
            filters=("committee", "grid"),
            editable=(
                "code",
                "name",
                "address",
                "polygon",
                "entrances",
                "households",
                "population",
                "over_60",
                "built_year",
                "committee",
                "grid",
            ),
            related=("committee", "grid"),
        ),
        RegistryKind(
            "building",
            Building,
            _("Buildings and parks"),
            columns=("code", "name", "kind", "floors", "floor_area_m2", "vacant_area_m2"),
            search=("code", "name", "address"),
            filters=("kind", "grid"),
            editable=(
                "code",
                "name",
                "kind",
                "address",
                "lon",
                "lat",
                "floors",
                "floor_area_m2",
                "vacant_area_m2",
                "rent_per_m2_day",
                "subcentre",
                "grid",
            ),
            related=("subcentre", "grid"),
        ),
        RegistryKind(
            "enterprise",
            Enterprise,
            _("Enterprises"),
            columns=("name", "credit_code", "industry_code", "headcount", "building", "butler"),
            search=("name", "credit_code"),
            filters=("building", "status", "industry_code"),
            editable=(
                "credit_code",
                "name",
                "industry_code",
                "registered_capital",
                "founded_on",
                "headcount",
                "building",
                "unit",
                "floor_area_m2",
                "lease_end",
                "tags",
                "butler",
                "status",
                "legal_rep_name",
                "contact_name",
            ),
            related=("building", "butler"),
        ),
        RegistryKind(
            "facility",
            Facility,
            _("Facilities"),
            columns=("code", "name", "category", "capacity", "opening_hours"),
            search=("code", "name", "address"),
            filters=("category", "quarter"),
            editable=(
                "code",
                "name",
                "category",
                "address",
                "entrances",
                "capacity",
                "capacity_unit",
                "opening_hours",
                "quarter",
            ),
            related=("quarter",),
        ),
    ]
}
