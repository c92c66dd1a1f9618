"""Refuse, never cut: a text field's limit is its model field's ``max_length``, and input
longer than that is a field error, in forms, in the API and in the verbs alike.

``Text(Model, "field")`` is the type of that field in an API schema (pydantic refuses more, and
the API answers 422 naming the field); ``refuse_overlong(Model, field=value, …)`` is the check a
verb makes for input that came by another way.
"""

from __future__ import annotations

from typing import Annotated, Any, cast

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from pydantic import Field


def max_length(model: type[models.Model], field: str) -> int:
    limit = cast(Any, model._meta.get_field(field)).max_length
    if limit is None:
        raise ValueError(f"{model._meta.label}.{field} has no max_length")
    return int(limit)


def Text(model: type[models.Model], field: str) -> Any:  # noqa: N802 - used as a type
    """``str`` no longer than the model field allows."""
    return Annotated[str, Field(max_length=max_length(model, field))]


def too_long(limit: int, length: int) -> str:
    return _("At most %(limit)s characters (this has %(length)s).") % {
        "limit": limit,
        "length": length,
    }


def refuse_overlong(model: type[models.Model], *, prefix: str = "", **values: str | None) -> None:
    """Raise a ``ValidationError`` naming every field whose value is over its model limit
    (``prefix`` names the fields as the caller's form does, ``contact.`` for instance)."""
    errors = {
        f"{prefix}{name}": [too_long(limit, len(value))]
        for name, value in values.items()
        if value and len(value) > (limit := max_length(model, name))
    }
    if errors:
        raise ValidationError(errors)
