"""Read-only questions other apps ask the catalog (the Park Assistant lists what a building's
sub-centre serves)."""

from __future__ import annotations

from django.db.models import QuerySet

from linli.core.models import Organisation
from linli.frontoffice.catalog.models import ServiceItem


def catalog_items() -> QuerySet[ServiceItem]:
    """The items the catalog shows, in catalog order (inside the sub-district's scope)."""
    return ServiceItem.objects.filter(active=True).select_related("department", "category")


def items_at_subcentre(organisation: Organisation) -> QuerySet[ServiceItem]:
    """The active items a service sub-centre serves (none for any other organisation)."""
    return catalog_items().filter(
        subdistrict_id=organisation.subdistrict_id, subcentres=organisation
    )
