"""Read-only questions about the catalog: the items a person finds in it, and what a building's
sub-centre serves (the Park Assistant asks)."""

from __future__ import annotations

from django.db.models import QuerySet

from linli.core.access import Access
from linli.core.models import Organisation
from linli.frontoffice.catalog.models import ServiceItem


def catalog_items(access: Access | None = None) -> QuerySet[ServiceItem]:
    """The items the catalog shows ``access`` (inside the sub-district's scope), in catalog
    order; without ``access``, the items it shows everyone."""
    items = ServiceItem.objects.all() if access is None else ServiceItem.objects.visible_to(access)
    return items.filter(active=True).select_related("department", "category")


def items_at_subcentre(
    organisation: Organisation, access: Access | None = None
) -> QuerySet[ServiceItem]:
    """The active items a service sub-centre serves (none for any other organisation)."""
    return catalog_items(access).filter(
        subdistrict_id=organisation.subdistrict_id, subcentres=organisation
    )
