"""Registry API: list (search, filters, pages), read, create, change and delete for each kind.

The routes are generated from ``kinds.KINDS`` so the pages, the API and import/export share one
description; each kind still gets its own typed schemas in the OpenAPI document.
"""

from typing import Any, NoReturn

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.orm import create_schema
from pydantic import AliasChoices, Field, create_model
from pydantic.fields import FieldInfo

from linli.core.filters import PageParams
from linli.core.http import access_of
from linli.core.pii import mask_mobile
from linli.registry import rules
from linli.registry.filters import list_filter, listed
from linli.registry.kinds import KINDS, RegistryKind
from linli.registry.services import InvalidRecord, delete_record, save_record

router = Router(tags=["registry"])


# JSON columns hold lists or objects; ninja would describe every one of them as "object".
JSON_TYPES: dict[str, Any] = {
    "tags": list[str],
    "entrances": list[list[float]],
    "polygon": dict[str, Any],
}


def _input_schema(kind: RegistryKind, name: str, *, optional: bool) -> type[Schema]:
    """The write schema of a kind, with foreign keys named as in the read schema.

    ninja reads a foreign key as ``building_id`` but writes it as ``building``; clients send
    ``building: 7`` here and get ``building: 7`` back (``building_id`` is accepted as well).
    """
    generated = create_schema(
        kind.model,
        name=f"{name}Generated",
        fields=list(kind.editable),
        # ninja reads "__all__" as every field but annotates the argument as a list only.
        optional_fields="__all__" if optional else None,  # type: ignore[arg-type]
    )
    fields: dict[str, Any] = {}
    for field_name, info in generated.model_fields.items():
        annotation = info.annotation
        if field_name in JSON_TYPES:
            annotation = JSON_TYPES[field_name] | None
        if info.alias and info.alias != field_name:
            info = FieldInfo.merge_field_infos(
                info,
                alias=None,
                serialization_alias=None,
                validation_alias=AliasChoices(field_name, info.alias),
            )
        fields[field_name] = (annotation, info)
    if kind.key == "enterprise":
        fields["contact_phone"] = (str | None, Field(None, title="Contact mobile"))
    return create_model(name, __base__=Schema, **fields)  # type: ignore[call-overload,no-any-return]


def _output_schema(kind: RegistryKind) -> type[Schema]:
    name = f"{kind.model.__name__}Out"
    out_fields = ["id", *kind.editable]
    if kind.key != "enterprise":
        schema = create_schema(kind.model, name=name, fields=out_fields)
    else:
        # The contact mobile is shown masked, as on the pages; the full number comes only from
        # the audited unmask view, for the roles that may see it.
        out_fields = [f for f in out_fields if f != "contact_name"]
        base = create_schema(kind.model, name=f"{name}Generated", fields=out_fields)

        class EnterpriseOut(base):  # type: ignore[valid-type,misc]
            contact_phone: str = ""

            @staticmethod
            def resolve_contact_phone(obj: Any) -> str:
                return mask_mobile(obj.contact_phone) if obj.contact_phone_cipher else ""

        schema = EnterpriseOut
    for field_name, annotation in JSON_TYPES.items():
        if field_name in schema.model_fields:
            schema.model_fields[field_name].annotation = annotation | None
    schema.model_rebuild(force=True)
    return schema


def _raise_form_errors(exc: InvalidRecord) -> NoReturn:
    from django.core.exceptions import ValidationError

    raise ValidationError(
        {name: [str(m) for m in errors] for name, errors in exc.form.errors.items()}
    ) from exc


def _add_routes(kind: RegistryKind) -> None:
    read_schema = _output_schema(kind)
    write_schema = _input_schema(kind, f"{kind.model.__name__}In", optional=False)
    patch_schema = _input_schema(kind, f"{kind.model.__name__}Patch", optional=True)
    page_schema = type(
        f"{kind.model.__name__}Page",
        (Schema,),
        {"__annotations__": {"count": int, "page": int, "items": list[read_schema]}},  # type: ignore[valid-type]
    )
    base = f"/{kind.plural}"
    filter_schema = list_filter(kind)

    def visible(request: HttpRequest) -> Any:
        access = access_of(request)
        access.require(rules.can_view(access, kind.key))
        return kind.model.objects.visible_to(access)

    def editable(request: HttpRequest, pk: int) -> Any:
        # Refuse a role that may not edit before looking the record up, as the pages do.
        access = access_of(request)
        access.require(rules.can_edit(access, kind.key))
        return get_object_or_404(visible(request), pk=pk)

    @router.get(
        base,
        response=page_schema,
        operation_id=f"list_{kind.plural}",
        url_name=f"list_{kind.plural}",
        summary=f"List {kind.plural}",
    )
    def list_records(
        request: HttpRequest,
        filters: Query[filter_schema],  # type: ignore[valid-type]
        params: Query[PageParams],
    ) -> Any:
        access = access_of(request)
        access.require(rules.can_view(access, kind.key))
        qs = listed(access, kind, filters).order_by("pk")
        size, page = params.page_size, params.page
        return {
            "count": qs.count(),
            "page": page,
            "items": list(qs[(page - 1) * size : page * size]),
        }

    @router.get(
        base + "/{pk}",
        response=read_schema,
        operation_id=f"get_{kind.key}",
        url_name=f"get_{kind.key}",
    )
    def get_record(request: HttpRequest, pk: int) -> Any:
        return get_object_or_404(visible(request), pk=pk)

    @router.post(
        base,
        response={201: read_schema},
        operation_id=f"create_{kind.key}",
        url_name=f"create_{kind.key}",
    )
    def create_record(request: HttpRequest, payload: write_schema) -> Any:  # type: ignore[valid-type]
        try:
            record = save_record(access_of(request), kind.key, _form_data(payload))
        except InvalidRecord as exc:
            _raise_form_errors(exc)
        record.refresh_from_db()
        return Status(201, record)

    @router.patch(
        base + "/{pk}",
        response=read_schema,
        operation_id=f"update_{kind.key}",
        url_name=f"update_{kind.key}",
    )
    def update_record(request: HttpRequest, pk: int, payload: patch_schema) -> Any:  # type: ignore[valid-type]
        instance = editable(request, pk)
        data = _form_data(payload, exclude_unset=True)
        try:
            record = save_record(
                access_of(request), kind.key, data, instance=instance, partial=True
            )
        except InvalidRecord as exc:
            _raise_form_errors(exc)
        record.refresh_from_db()
        return record

    @router.delete(
        base + "/{pk}",
        response={204: None},
        operation_id=f"delete_{kind.key}",
        url_name=f"delete_{kind.key}",
    )
    def remove_record(request: HttpRequest, pk: int) -> Any:
        delete_record(access_of(request), kind.key, editable(request, pk))
        return Status(204, None)


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


class MapSubdistrictOut(Schema):
    id: int
    name: str
    center: list[float]


class MapLayerOut(Schema):
    id: str
    title: str
    geometry: str
    data: dict[str, Any]


class MapLayersOut(Schema):
    subdistrict: MapSubdistrictOut | None
    crs: str
    layers: list[MapLayerOut]


@router.get(
    "/map-layers",
    response=MapLayersOut,
    operation_id="registry_map_layers",
    url_name="registry_map_layers",
    summary="Map layers of the current sub-district",
)
def get_map_layers(request: HttpRequest) -> Any:
    """GeoJSON FeatureCollections in WGS84 (boundary, grids, quarters, buildings, facilities),
    only those layers and features the caller's role may see, titles in the caller's language."""
    from linli.registry.map_layers import map_layers

    return map_layers(access_of(request))


class ImportRowErrorOut(Schema):
    """One problem in an imported file: the row as a spreadsheet numbers it (the header is row
    1), the column as the file's header names it ("" for the row as a whole) and the reason in
    the caller's language."""

    row: int
    field: str
    message: str


class ImportResultOut(Schema):
    """What an import did (``committed``) or, for a dry run, would do."""

    kind: str
    file: str
    rows: int
    created: int
    updated: int
    unchanged: int
    dry_run: bool
    committed: bool
    message: str


class ImportErrorOut(Schema):
    """The API's error shape with the rows added: ``code`` is ``invalid_rows`` when rows are
    wrong (every problem listed in ``rows``) or ``invalid_file`` when the file cannot be read
    at all (wrong type, empty, too big, unknown or missing columns; ``rows`` is empty)."""

    code: str
    message: str
    fields: dict[str, list[str]]
    rows: list[ImportRowErrorOut]


def _add_import_route(kind: RegistryKind) -> None:
    from ninja import File, Status
    from ninja.files import UploadedFile

    from linli.core.api import error_body
    from linli.registry.importers import ImportFileError, import_records, read_upload

    @router.post(
        f"/{kind.plural}/import",
        response={200: ImportResultOut, 400: ImportErrorOut},
        operation_id=f"import_{kind.plural}",
        summary=f"Import {kind.plural} from CSV or Excel",
        description=(
            "Multipart upload of one .csv (UTF-8 or GB18030) or .xlsx file whose first row names "
            "the columns as an export does. Rows whose key exists in the sub-district update "
            "that record, the others create one. With `dry_run=true` nothing is written; "
            "otherwise every row is written in one transaction, or none if any row is invalid."
        ),
    )
    def import_file(request: HttpRequest, file: File[UploadedFile], dry_run: bool = False) -> Any:
        try:
            content = read_upload(file)
            report = import_records(
                access_of(request), kind.key, file.name or "", content, dry_run=dry_run
            )
        except ImportFileError as exc:
            body = error_body("invalid_file", exc.message, {"file": [exc.message]})
            return Status(400, {**body, "rows": []})
        if not report.ok:
            rows = [{"row": e.row, "field": e.field, "message": e.message} for e in report.errors]
            return Status(400, {**error_body("invalid_rows", report.summary()), "rows": rows})
        return {
            "kind": kind.key,
            "file": report.filename,
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "dry_run": report.dry_run,
            "committed": report.committed,
            "message": report.summary(),
        }


for _import_kind in KINDS.values():
    _add_import_route(_import_kind)

# Django tries URL patterns in order, and "/enterprises/{pk}" (registered above, pk untyped in
# the URL) would otherwise swallow "/enterprises/import" and answer 405.
router.path_operations = dict(
    sorted(router.path_operations.items(), key=lambda item: not item[0].endswith("/import"))
)
