"""An audit entry's before and after in words: field names as the model calls them, values by
their labels, times in the reader's zone, instead of the stored JSON."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from linli.core.models import AuditEntry

ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, key: str) -> models.Field | None:
    if model is None:
        return None
    for name in (key, key.removesuffix("_id")):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        return field if isinstance(field, models.Field) else None
    return None


def _key_names() -> dict[str, str]:
    """Names of what verbs record besides model fields."""
    return {
        "reason": _("Reason"),
        "created_at": _("created at"),
        "recipients": _("notice recipients"),
    }


def _name(field: models.Field | None, key: str) -> str | None:
    """The reader's word for what a key records. A key nobody named (a public token, the
    parameter versions a decision read) reads as itself in English; in another language the
    summary leaves it out rather than show a program's English name (the entry keeps it)."""
    if field is not None and isinstance(field.verbose_name, Promise):
        return str(field.verbose_name)
    named = _key_names().get(key)
    if named is not None:
        return named
    if not (get_language() or "en").startswith("en"):
        return None
    return str(field.verbose_name) if field else key.replace("_", " ")


#: The labels of the codes a list field holds (a works' scopes, its checklist), declared by the
#: app that owns the field (``label_items``), so that the log names them in the reader's
#: language instead of showing the codes.
_ITEM_LABELS: dict[tuple[str, str], Callable[[Any], Any]] = {}


def label_items(model: type[models.Model], field: str, label: Callable[[Any], Any]) -> None:
    _ITEM_LABELS[(model._meta.label_lower, field)] = label


def _value(field: models.Field | None, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list) and field is not None:
        label = _ITEM_LABELS.get((field.model._meta.label_lower, field.name))
        if label is not None:
            return pgettext("list separator", ", ").join(str(label(v)) for v in value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, float):
        # Coordinates and shares: four decimals are metres and hundredths of a percent.
        return formats.number_format(round(value, 4))
    if isinstance(value, list):
        return pgettext("list separator", ", ").join(_value(None, v) for v in value)
    if isinstance(value, dict):
        return "…"
    if isinstance(value, str) and ISO_MOMENT.match(value):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
    if isinstance(value, str) and ISO_DAY.match(value):
        try:
            return formats.date_format(dt.date.fromisoformat(value), "DATE_FORMAT")
        except ValueError:
            return value
    return str(value)


# The row's own id and its sub-district are what the log already shows (object, page).
# A case's ``clock`` is the number of its workflow steps, kept for concurrent edits.
UNSAID = {"id", "subdistrict", "subdistrict_id", "clock"}


def in_words(entry: AuditEntry) -> str:
    """What the entry changed: "Status: Received → Registered; Capacity: 10 → 12". A link to
    another row is left out: its id says nothing to a reader, and the object column names the
    row the entry is about."""
    model = _model(entry.object_type)
    before = entry.before if isinstance(entry.before, dict) else {}
    after = entry.after if isinstance(entry.after, dict) else {}
    parts = []
    for key in [*after, *(k for k in before if k not in after)]:
        field = _field(model, key)
        name = _name(field, key)
        if key in UNSAID or name is None or (field is not None and field.is_relation):
            continue
        if key in before and key in after:
            text = f"{_value(field, before[key])} → {_value(field, after[key])}"
        elif key in after:
            text = _value(field, after[key])
        else:
            text = f"{_value(field, before[key])} → —"
        parts.append(f"{name}: {text}")
    return pgettext("rule separator", "; ").join(parts)
