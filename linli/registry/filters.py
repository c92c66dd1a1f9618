"""The filters of each registry list, for its page and its API endpoint alike.

A kind names its searchable fields and its filters (``kinds.KINDS``); ``list_filter(kind)``
turns that into one ``ListFilter`` class per kind: a relation is filtered by the related
record's id, a field with choices by one of its values, an industry code by its prefix (a
section letter or a longer code), and ``q`` searches the kind's search fields.
"""

from __future__ import annotations

from functools import cache
from typing import Any, ClassVar, cast

from django.db import models
from django.db.models import Q
from pydantic import create_model

from linli.core.access import Access
from linli.core.filters import Id, ListFilter
from linli.registry.kinds import RegistryKind


class RegistryFilter(ListFilter):
    registry_kind: ClassVar[RegistryKind]

    def custom_expression(self) -> Q:
        condition = Q()
        if q := (getattr(self, "q", None) or "").strip():
            search = Q()
            for name in self.registry_kind.search:
                search |= Q(**{f"{name}__icontains": q})
            condition &= search
        for name in self.registry_kind.filters:
            value = getattr(self, name, None)
            if value is None or value == "":
                continue
            field = self.registry_kind.model._meta.get_field(name)
            if field.is_relation:
                condition &= Q(**{f"{name}_id": value})
            elif name == "industry_code":
                condition &= Q(industry_code__startswith=str(value).strip().upper())
            else:
                condition &= Q(**{name: value})
        return condition


@cache
def list_filter(kind: RegistryKind) -> type[RegistryFilter]:
    fields: dict[str, Any] = {"q": (str | None, None)}
    for name in kind.filters:
        field = cast("models.Field[Any, Any]", kind.model._meta.get_field(name))
        fields[name] = ((Id if field.is_relation else str) | None, None)
    schema = create_model(  # type: ignore[call-overload]
        f"Registry{kind.model.__name__}Filter", __base__=RegistryFilter, **fields
    )
    schema.registry_kind = kind
    return cast(type[RegistryFilter], schema)


def listed(access: Access, kind: RegistryKind, filters: RegistryFilter) -> models.QuerySet[Any]:
    """The list of a kind as the person may see it, narrowed by the search box and filters:
    what its page, its API endpoint and its export show."""
    qs = kind.model.objects.visible_to(access)
    if kind.related:
        qs = qs.select_related(*kind.related)
    return filters.apply(qs)
