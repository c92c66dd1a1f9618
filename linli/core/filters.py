"""One filter definition per list, read by its page and by its API endpoint.

A list's filters are a ninja ``FilterSchema``: the API takes it as its query parameters (so
OpenAPI documents them and a bad value is a 422 naming the parameter), and the page validates
the same schema from its query string (``from_query``), showing the same errors on its filter
form. The same parameters therefore give the same rows on both.

ninja's ``FilterSchema`` rather than django-filter: it is already the API's schema layer, it
documents itself in OpenAPI, and pydantic validates types and bounds before any query runs;
django-filter would describe every list a second time for the API.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar, get_args, get_origin

from django.db.models import QuerySet
from django.http import QueryDict
from ninja import FilterSchema, Schema
from pydantic import Field, ValidationError, ValidationInfo, field_validator

from linli.core.api import pydantic_message

# A primary key: SQLite and PostgreSQL keep 64-bit signed integers, and a number beyond that
# must be a "not valid" answer, not an overflow deep in the database driver.
DB_INT_MAX = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=DB_INT_MAX)]
# A page number: far beyond any real list, still well inside the database's integers.
PageNumber = Annotated[int, Field(ge=1, le=1_000_000)]

_F = TypeVar("_F", bound=Schema)
_Q = TypeVar("_Q", bound=QuerySet[Any])


class ListFilter(FilterSchema):
    """Base of every list's filters. A page's filter form sends empty fields as ``""``: they
    mean "no filter", as a missing parameter does."""

    # Per field: ninja's own root validator wraps the input before any model validator of ours
    # sees it, so a model-level "before" validator never saw the empty values.
    @field_validator("*", mode="before")
    @classmethod
    def _empty_means_unset(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, list):
            value = [v for v in value if v != ""]
        if value in ("", []) and info.field_name is not None:
            return cls.model_fields[info.field_name].get_default(call_default_factory=True)
        return value

    def apply(self, queryset: _Q) -> _Q:
        return self.filter(queryset)


class PageParams(Schema):
    page: PageNumber = 1
    page_size: Annotated[int, Field(ge=1, le=200)] = 50


def _is_list(annotation: Any) -> bool:
    """``list[str]``, also inside ``Optional`` or ``Annotated``."""
    return any(get_origin(a) in (list, tuple, set) for a in (annotation, *get_args(annotation)))


def from_query(schema: type[_F], query: QueryDict) -> tuple[_F, dict[str, list[str]]]:
    """The filters of a page's query string, and the errors by field (then no filter is
    applied: an empty, valid instance comes back with them)."""
    data: dict[str, Any] = {}
    for name, field in schema.model_fields.items():
        key = field.alias or name
        if key not in query:
            continue
        data[name] = query.getlist(key) if _is_list(field.annotation) else query.get(key)
    try:
        return schema.model_validate(data), {}
    except ValidationError as exc:
        errors: dict[str, list[str]] = {}
        for error in exc.errors():
            name = str(error["loc"][0]) if error.get("loc") else "__all__"
            errors.setdefault(name, []).append(pydantic_message(error))
        return schema.model_validate({}), errors
