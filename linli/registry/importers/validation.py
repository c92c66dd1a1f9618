"""Checking every row of a file as the page form would, without writing anything."""

from __future__ import annotations

import copy

from django.db import models
from django.utils.translation import gettext as _

from linli.core import audit
from linli.core.access import Access
from linli.registry.importers.columns import key_field, normalise_key
from linli.registry.importers.report import ImportReport, RowError
from linli.registry.importers.rows import Converter, ImportRow, chunks, record_state
from linli.registry.kinds import RegistryKind
from linli.registry.services import _apply_personal_fields


def validate_rows(
    actor: Access,
    kind: RegistryKind,
    header: list[str],
    columns: dict[str, int],
    table: list[tuple[int, list[str]]],
    report: ImportReport,
) -> list[ImportRow]:
    key_name = key_field(kind)
    converter = Converter(kind, actor, columns)
    rows = [
        ImportRow(number, {name: cells[index] for name, index in columns.items()})
        for number, cells in table
    ]
    errors: list[RowError] = []
    first_seen: dict[str, int] = {}
    for row in rows:
        row.key = normalise_key(kind, row.values.get(key_name, ""))
        if not row.key:
            continue
        if row.key in first_seen:
            errors.append(
                RowError(
                    row.number,
                    key_name,
                    _("%(value)s also appears in row %(row)s.")
                    % {"value": row.key, "row": first_seen[row.key]},
                )
            )
        else:
            first_seen[row.key] = row.number

    existing: dict[str, models.Model] = {}
    manager = kind.model.objects  # type: ignore[attr-defined]
    for chunk in chunks(sorted(first_seen)):
        existing.update(
            (getattr(o, key_name), o) for o in manager.filter(**{f"{key_name}__in": chunk})
        )
    converter.load_related(rows)

    in_file = set(first_seen)
    for row in rows:
        instance = existing.get(row.key)
        if instance is not None and first_seen[row.key] != row.number:
            # A repeated key is checked as a change of the same record, on a copy, so it
            # reports its own problems without disturbing the first row's form.
            instance = copy.copy(instance)
        data, row_errors = converter.convert(row, in_file, instance)
        parent = row.values.get("parent", "")
        if parent and normalise_key(kind, parent) == row.key:
            row_errors.append(
                RowError(row.number, "parent", _("A record cannot be its own parent."))
            )
        if instance is not None:
            row.existing = instance
            row.before = audit.snapshot(instance)
            row.state = record_state(instance)
            data = {**converter.current_values(instance), **data}
        form = converter.form_cls(data=data, instance=instance, subdistrict=converter.subdistrict)
        row.form = form
        converted = {e.field for e in row_errors}
        for name, messages in form.errors.items():
            if name not in converted:
                row_errors.extend(RowError(row.number, name, str(m)) for m in messages)
        errors.extend(row_errors)
        if row_errors:
            continue
        _apply_personal_fields(form.instance, form.cleaned_data)
        if instance is None:
            row.changed = True
            report.created += 1
        elif row.pending_parent or record_state(form.instance) != row.state:
            row.changed = True
            report.updated += 1
        else:
            report.unchanged += 1

    # Errors in reading order, each under the column title as the person wrote it.
    order = {name: index for name, index in columns.items()}
    errors.sort(key=lambda e: (e.row, order.get(e.field, len(header))))
    report.errors = [
        RowError(
            e.row,
            header[columns[e.field]] if e.field in columns else e.field.replace("__all__", ""),
            e.message,
        )
        for e in errors
    ]
    return rows
