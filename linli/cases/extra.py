"""The typed extra fields of a category: which apply, and checking submitted values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from linli.cases.models import Category, CategoryField
from linli.core.limits import too_long

Type = CategoryField.Type
# The extra answers are kept in the case's JSON: their limits are set here.
EXTRA_TEXT_MAX = 1000
PHOTO_LINK_MAX = 500


def fields_of(
    category: Category, available: Iterable[CategoryField] | None = None
) -> list[CategoryField]:
    """The category's own fields and those it inherits from its ancestors (picked from
    ``available`` when the caller has every category's fields at hand)."""
    lineage = category.lineage()
    depth = {c.pk: i for i, c in enumerate(lineage)}
    if available is None:
        rows = list(CategoryField.objects.filter(category_id__in=list(depth)))
    else:
        rows = [row for row in available if row.category_id in depth]
    chosen: dict[str, CategoryField] = {}
    # A field redefined on a subcategory overrides the ancestor's field of the same key.
    for row in sorted(rows, key=lambda r: (-depth[r.category_id], r.order, r.key)):
        chosen[row.key] = row
    return sorted(chosen.values(), key=lambda r: (r.order, r.key))


def _choice_values(field: CategoryField) -> list[str]:
    values = []
    for choice in field.choices or []:
        values.append(str(choice.get("key", "")) if isinstance(choice, dict) else str(choice))
    return values


def clean_extra(
    category: Category,
    data: Mapping[str, Any] | None,
    *,
    photo_keys: Collection[str] = (),
    available: Iterable[CategoryField] | None = None,
) -> dict[str, Any]:
    """Checked, JSON-ready values; every problem is reported at once as ``extra.<key>``."""
    data = dict(data or {})
    fields = fields_of(category, available)
    known = {f.key for f in fields}
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for key in sorted(set(data) - known):
        errors[f"extra.{key}"] = [_("This category has no field “%(key)s”.") % {"key": key}]
    for field in fields:
        name = f"extra.{field.key}"
        if field.type == Type.PHOTO:
            # A photo comes as an upload, or (Open311 ``media_url``) as a link to one.
            link = data.get(field.key)
            if isinstance(link, str) and link.startswith(("https://", "http://")):
                if len(link) > PHOTO_LINK_MAX:
                    errors[name] = [too_long(PHOTO_LINK_MAX, len(link))]
                else:
                    cleaned[field.key] = link
            elif field.required and field.key not in photo_keys:
                errors[name] = [_("Please add a photo: %(label)s.") % {"label": field.label}]
            continue
        value = data.get(field.key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if field.required:
                errors[name] = [_("“%(label)s” is required.") % {"label": field.label}]
            continue
        try:
            cleaned[field.key] = _clean_value(field, value)
        except ValidationError as exc:
            errors[name] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_value(field: CategoryField, value: Any) -> Any:
    if field.type == Type.TEXT:
        text = str(value).strip()
        if len(text) > EXTRA_TEXT_MAX:
            raise ValidationError(
                _("“%(label)s” is too long (at most %(max)s characters).")
                % {"label": field.label, "max": EXTRA_TEXT_MAX}
            )
        return text
    if field.type == Type.NUMBER:
        if isinstance(value, bool):
            raise ValidationError(_("“%(label)s” must be a number.") % {"label": field.label})
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise ValidationError(
                _("“%(label)s” must be a number.") % {"label": field.label}
            ) from None
        if not number.is_finite():
            raise ValidationError(_("“%(label)s” must be a number.") % {"label": field.label})
        return int(number) if number == number.to_integral_value() else float(number)
    if field.type == Type.CHOICE:
        allowed = _choice_values(field)
        if str(value) not in allowed:
            raise ValidationError(
                _("“%(value)s” is not one of the choices for “%(label)s”.")
                % {"value": value, "label": field.label}
            )
        return str(value)
    if field.type == Type.DATE:
        if isinstance(value, dt.date):
            return value.isoformat()
        try:
            return dt.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise ValidationError(
                _("“%(label)s” must be a date like 2026-10-08.") % {"label": field.label}
            ) from None
    return value
