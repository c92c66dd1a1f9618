"""Registry API: list (search, filters, pages), read, create, change and delete for each kind.

The routes are generated from ``kinds.KINDS`` so the pages, the API and import/export share one
description; each kind still gets its own typed schemas in the OpenAPI document.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.orm import create_schema

from linli.core.api import access_of
from linli.registry import rules
from linli.registry.kinds import KINDS, RegistryKind
from linli.registry.services import InvalidRecord, delete_record, save_record
from linli.registry.views import filtered_queryset

router = Router(tags=["registry"])


class ListParams(Schema):
    q: str = ""
    page: int = 1
    page_size: int = 50


def _raise_form_errors(exc: InvalidRecord) -> None:
    from django.core.exceptions import ValidationError

    raise ValidationError(
        {name: [str(m) for m in errors] for name, errors in exc.form.errors.items()}
    ) from exc


def _add_routes(kind: RegistryKind) -> None:
    out_fields = ["id", *kind.editable]
    if kind.key == "enterprise":
        out_fields = [f for f in out_fields if f != "contact_name"]
    read_schema = create_schema(kind.model, name=f"{kind.model.__name__}Out", fields=out_fields)
    write_schema = create_schema(
        kind.model, name=f"{kind.model.__name__}In", fields=list(kind.editable)
    )
    patch_schema = create_schema(
        kind.model,
        name=f"{kind.model.__name__}Patch",
        fields=list(kind.editable),
        optional_fields="__all__",
    )
    page_schema = type(
        f"{kind.model.__name__}Page",
        (Schema,),
        {"__annotations__": {"count": int, "page": int, "items": list[read_schema]}},  # type: ignore[valid-type]
    )
    base = f"/{kind.key}s"

    def visible(request: HttpRequest) -> Any:
        access = access_of(request)
        access.require(rules.can_view(access, kind.key))
        return rules.visible(access, kind.key, kind.model.objects.all())  # type: ignore[attr-defined]

    @router.get(
        base, response=page_schema, operation_id=f"list_{kind.key}s", summary=f"List {kind.key}s"
    )
    def list_records(request: HttpRequest, params: Query[ListParams]) -> Any:  # type: ignore[type-arg]
        access = access_of(request)
        access.require(rules.can_view(access, kind.key))
        qs = filtered_queryset(access, kind, request.GET).order_by("pk")
        size = max(1, min(params.page_size, 200))
        page = max(1, params.page)
        return {
            "count": qs.count(),
            "page": page,
            "items": list(qs[(page - 1) * size : page * size]),
        }

    @router.get(base + "/{pk}", response=read_schema, operation_id=f"get_{kind.key}")
    def get_record(request: HttpRequest, pk: int) -> Any:
        return get_object_or_404(visible(request), pk=pk)

    @router.post(base, response={201: read_schema}, operation_id=f"create_{kind.key}")
    def create_record(request: HttpRequest, payload: write_schema) -> Any:  # type: ignore[valid-type]
        try:
            record = save_record(access_of(request), kind.key, _form_data(payload))
        except InvalidRecord as exc:
            _raise_form_errors(exc)
        return 201, record

    @router.patch(base + "/{pk}", response=read_schema, operation_id=f"update_{kind.key}")
    def update_record(request: HttpRequest, pk: int, payload: patch_schema) -> Any:  # type: ignore[valid-type]
        instance = get_object_or_404(visible(request), pk=pk)
        data = _form_data(payload, exclude_unset=True)
        try:
            return save_record(access_of(request), kind.key, data, instance=instance, partial=True)
        except InvalidRecord as exc:
            _raise_form_errors(exc)

    @router.delete(base + "/{pk}", response={204: None}, operation_id=f"delete_{kind.key}")
    def remove_record(request: HttpRequest, pk: int) -> Any:
        instance = get_object_or_404(visible(request), pk=pk)
        delete_record(access_of(request), kind.key, instance)
        return 204, None


def _form_data(payload: Any, *, exclude_unset: bool = False) -> dict[str, Any]:
    """Schema data in the shape a model form expects (JSON fields as JSON text)."""
    import json

    data = payload.dict(exclude_unset=exclude_unset)
    out: dict[str, Any] = {}
    for name, value in data.items():
        if isinstance(value, list | dict) and name not in ("tags",):
            out[name] = json.dumps(value)
        elif value is None:
            out[name] = ""
        else:
            out[name] = value
    return out


for _kind in KINDS.values():
    _add_routes(_kind)
