"""Export a registry list (as filtered on the page) to CSV or Excel."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from linli.core.spreadsheets import rows_to_csv, rows_to_xlsx
from linli.registry.kinds import RegistryKind


def export_columns(kind: RegistryKind) -> list[str]:
    return [name for name in kind.editable if name not in ("polygon",)]


def cell_value(obj: models.Model, name: str) -> Any:
    field = obj._meta.get_field(name)
    if field.is_relation:
        related = getattr(obj, name)
        if related is None:
            return ""
        return getattr(related, "code", None) or getattr(related, "username", None) or related.pk
    value = getattr(obj, name)
    if isinstance(value, list):
        if value and isinstance(value[0], list):
            return ";".join(f"{p[0]},{p[1]}" for p in value)
        return ";".join(str(v) for v in value)
    return "" if value is None else value


def rows(kind: RegistryKind, queryset: Iterable[models.Model]) -> Iterable[list[Any]]:
    columns = export_columns(kind)
    yield columns
    for obj in queryset:
        yield [cell_value(obj, name) for name in columns]


def to_csv(kind: RegistryKind, queryset: Iterable[models.Model]) -> bytes:
    return rows_to_csv(rows(kind, queryset))


def to_xlsx(kind: RegistryKind, queryset: Iterable[models.Model]) -> bytes:
    return rows_to_xlsx(kind.key, rows(kind, queryset))
