"""Import registry records from CSV or Excel: every row checked, then all written or none.

A file is read into rows of text, each row is turned into the data the record's page form would
receive (codes become primary keys, ``a;b`` lists become lists) and validated by that same form,
so the rules live in one place. Rows whose key (code, or credit code for enterprises) already
exists in the sub-district update that record; the others create one. A dry run stops after
validation; a real import validates and writes inside one transaction and writes nothing unless
every row is valid.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import decimal
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, models, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook

from linli.core import audit
from linli.core.access import Access
from linli.core.models import AuditEntry
from linli.registry import rules
from linli.registry.forms import TenantModelForm, form_class
from linli.registry.kinds import KINDS, RegistryKind
from linli.registry.services import _apply_personal_fields

MAX_BYTES = 10 * 1024 * 1024
# Far above any real sub-district (≈2,600 enterprises) yet low enough that a compressed
# workbook cannot keep a request busy for minutes.
MAX_ROWS = 50_000
EXTENSIONS = (".csv", ".xlsx")
LOOKUP_CHUNK = 500
LIST_SEPARATORS = re.compile(r"[;；,，、]")
ENTRANCE_SEPARATORS = re.compile(r"[;；]")
# Chinese offices type dates as 2024/3/1, 2024.3.1 or 2024年3月1日, whatever the UI language.
LOOSE_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


class ImportFileError(Exception):
    """The file as a whole cannot be imported: wrong type, unreadable, too big, bad header."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    message: str


@dataclass
class ImportReport:
    kind: str
    filename: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    committed: bool = False
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors})

    def summary(self) -> str:
        if not self.ok:
            return ngettext(
                "%(count)s row has errors; nothing was imported.",
                "%(count)s rows have errors; nothing was imported.",
                self.bad_rows,
            ) % {"count": self.bad_rows}
        values = {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
        if self.committed:
            return (
                _(
                    "Imported %(rows)s rows: %(created)s created, %(updated)s updated, "
                    "%(unchanged)s unchanged."
                )
                % values
            )
        return (
            _(
                "All %(rows)s rows are valid: %(created)s would be created, %(updated)s updated, "
                "%(unchanged)s left unchanged."
            )
            % values
        )


@dataclass
class _Row:
    number: int
    values: dict[str, str]
    key: str = ""
    existing: models.Model | None = None
    before: dict[str, Any] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)
    form: TenantModelForm | None = None
    pending_parent: str = ""
    changed: bool = False


# --------------------------------------------------------------------------------------------
# Reading the file


def check_upload(filename: str, size: int) -> None:
    """Refuse a file before reading it, so a huge or foreign upload costs nothing."""
    if PurePath(filename or "").suffix.lower() not in EXTENSIONS:
        raise ImportFileError(_("Upload a .csv or .xlsx file."))
    if size == 0:
        raise ImportFileError(_("The file is empty."))
    if size > MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(size)s MB; split it into smaller files.")
            % {"size": MAX_BYTES // (1024 * 1024)}
        )


def read_upload(upload: Any) -> bytes:
    """The bytes of an uploaded file, checked for type and size before they are read."""
    check_upload(upload.name, upload.size or 0)
    return bytes(upload.read())


def read_table(filename: str, content: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-empty data rows (maybe none), numbered as a spreadsheet shows them."""
    check_upload(filename, len(content))
    suffix = PurePath(filename).suffix.lower()
    raw = _csv_rows(content) if suffix == ".csv" else _xlsx_rows(content)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for number, values in raw:
        cells = [cell_text(v) for v in values]
        if header is None:
            if number != 1 or not any(cells):
                raise ImportFileError(_("The first row must hold the column names."))
            header = _trim(cells)
            continue
        cells = cells[: len(header)]
        if not any(cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(count)s rows; split it into smaller files.")
                % {"count": MAX_ROWS}
            )
        rows.append((number, cells + [""] * (len(header) - len(cells))))
    if header is None:
        raise ImportFileError(_("The file is empty."))
    return header, rows


def _trim(cells: list[str]) -> list[str]:
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _csv_rows(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    text = None
    # utf-8-sig reads files with and without a BOM; GB18030 is what Excel on Chinese Windows writes.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None or "\x00" in text:
        raise ImportFileError(
            _("This file is not readable as CSV text; save it as CSV (UTF-8 or GB18030).")
        )
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        # Numbered by record, not by physical line: a quoted cell may span lines, and a
        # spreadsheet shows it as one row.
        yield from enumerate(reader, start=1)
    except csv.Error as exc:
        raise ImportFileError(
            _("This file is not readable as CSV text; save it as CSV (UTF-8 or GB18030).")
        ) from exc


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    unreadable = _("This file cannot be read as an Excel workbook (.xlsx).")
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:
        # openpyxl raises anything from BadZipFile to KeyError on a damaged or foreign file;
        # all of them mean the same to the person uploading it.
        raise ImportFileError(unreadable) from exc
    try:
        if not workbook.worksheets:
            raise ImportFileError(unreadable)
        sheet = workbook.worksheets[0]
        # A stated dimension of thousands of columns would make every row that wide.
        sheet.reset_dimensions()
        # From row 1 whatever the sheet claims, so the numbering is the spreadsheet's.
        yield from enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1)
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(unreadable) from exc
    finally:
        workbook.close()


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        # Excel stores every number as a float; 40.0 is the headcount 40.
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    return str(value).strip()


# --------------------------------------------------------------------------------------------
# Columns


def key_field(kind: RegistryKind) -> str:
    return "credit_code" if kind.key == "enterprise" else "code"


def normalise_key(kind: RegistryKind, value: str) -> str:
    value = value.strip()
    return value.upper() if kind.key == "enterprise" else value


def _normal(text: str) -> str:
    return " ".join(str(text).split()).rstrip("*").strip().casefold()


def importable_columns(kind: RegistryKind) -> list[dict[str, Any]]:
    """The columns a file may have, in export order, each with its label and whether required."""
    form_cls = form_class(kind.key)
    return [
        {"name": name, "label": f.label or name, "required": f.required}
        for name, f in form_cls.base_fields.items()
    ]


def _model_field(model: type[models.Model], name: str) -> models.Field | None:
    try:
        return model._meta.get_field(name)  # type: ignore[return-value]
    except FieldDoesNotExist:
        return None


def _header_aliases(kind: RegistryKind) -> dict[str, str]:
    """Every accepted spelling of a column: the field name and its label in each language."""
    form_cls = form_class(kind.key)
    aliases: dict[str, str] = {}
    for name, form_field in form_cls.base_fields.items():
        aliases[_normal(name)] = name
        model_field = _model_field(kind.model, name)
        for language in ("en", "zh-hans"):
            with translation.override(language):
                labels = [str(form_field.label or "")]
                if model_field is not None:
                    labels.append(str(model_field.verbose_name))
            for label in labels:
                if _normal(label):
                    aliases.setdefault(_normal(label), name)
    return aliases


def map_header(kind: RegistryKind, header: list[str]) -> dict[str, int]:
    """Field name → column index; unknown, repeated or missing columns refuse the whole file."""
    aliases = _header_aliases(kind)
    columns: dict[str, int] = {}
    unknown: list[str] = []
    repeated: list[str] = []
    for index, title in enumerate(header):
        if not title:
            continue
        name = aliases.get(_normal(title))
        if name is None:
            unknown.append(title)
        elif name in columns:
            repeated.append(title)
        else:
            columns[name] = index
    problems = []
    if unknown:
        problems.append(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
    if repeated:
        problems.append(
            _("Columns given more than once: %(columns)s.") % {"columns": ", ".join(repeated)}
        )
    required = [c for c in importable_columns(kind) if c["required"] and c["name"] not in columns]
    if required:
        problems.append(
            _("Missing required columns: %(columns)s.")
            % {"columns": ", ".join(f"{c['name']} ({c['label']})" for c in required)}
        )
    if problems:
        problems.append(
            _("The first row must name the columns as in an export: %(columns)s.")
            % {"columns": ", ".join(c["name"] for c in importable_columns(kind))}
        )
        raise ImportFileError(" ".join(problems))
    return columns


# --------------------------------------------------------------------------------------------
# Turning cells into form data


def _choice_aliases(form_field: forms.Field) -> dict[str, str]:
    aliases: dict[str, str] = {}
    for value, label in getattr(form_field, "choices", ()):
        if value in ("", None):
            continue
        aliases[_normal(str(value))] = str(value)
        for language in ("en", "zh-hans"):
            with translation.override(language):
                aliases.setdefault(_normal(str(label)), str(value))
    return aliases


def _loose_date(text: str) -> str:
    match = LOOSE_DATE.match(text)
    if match is None:
        return text
    try:
        return dt.date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        return text


def _entrances(text: str) -> str | None:
    """``lon,lat;lon,lat`` (as exported) or JSON text → JSON text; None if unreadable."""
    if not text:
        return "[]"
    if text.startswith("["):
        return text
    points = []
    for part in ENTRANCE_SEPARATORS.split(text):
        if not part.strip():
            continue
        pieces = re.split(r"[,，\s]+", part.strip())
        if len(pieces) != 2:
            return None
        try:
            points.append([float(pieces[0]), float(pieces[1])])
        except ValueError:
            return None
    return json.dumps(points)


class _KnownChoiceField(forms.ModelChoiceField):
    """A related field whose records were looked up once for the whole file, not once a row."""

    def __init__(self, original: forms.ModelChoiceField, known: dict[str, models.Model]) -> None:
        super().__init__(
            queryset=original.queryset,
            required=original.required,
            label=original.label,
            help_text=original.help_text,
            limit_choices_to=original.limit_choices_to,
        )
        # Shared, not copied, by the shallow copy each form instance makes of its fields.
        self.known = {record.pk: record for record in known.values()}

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        record = self.known.get(value) if isinstance(value, int) else None
        return record if record is not None else super().to_python(value)


def _key_is_the_only_unique_check(kind: RegistryKind) -> bool:
    """Whether (sub-district, key) is the model's only unique rule involving the sub-district."""
    key = key_field(kind)
    meta = kind.model._meta
    if meta.unique_together:
        return False
    return all(
        set(c.fields) == {"subdistrict", key}
        for c in meta.constraints
        if isinstance(c, models.UniqueConstraint) and "subdistrict" in c.fields
    )


def _import_form(
    kind: RegistryKind,
    page_form: type[TenantModelForm],
    related: dict[str, dict[str, models.Model]],
) -> type[TenantModelForm]:
    """The page's form with the file's look-ups done in bulk: the same rules, far fewer queries.

    Related records were found in the active sub-district already, so checking them again per
    row adds nothing. Rows are matched to existing records by key and repeated keys are
    reported, so the (sub-district, key) unique check cannot fail either; the database
    constraint still guards the write, and a violation there rolls the whole import back.
    """
    declared: dict[str, Any] = {
        name: _KnownChoiceField(page_form.base_fields[name], known)  # type: ignore[arg-type]
        for name, known in related.items()
    }
    trusted = set(related)
    if _key_is_the_only_unique_check(kind):
        trusted.add("subdistrict")

    def _get_validation_exclusions(self: TenantModelForm) -> set[str]:
        return page_form._get_validation_exclusions(self) | trusted

    declared["_get_validation_exclusions"] = _get_validation_exclusions
    import_form = cast(
        type[TenantModelForm], type(f"{page_form.__name__}Import", (page_form,), declared)
    )
    import_form.base_fields = _SharedFields(import_form.base_fields)
    return import_form


class _SharedFields(dict):
    """Form fields shared by the forms of every row instead of deep-copied for each one.

    Copying sixteen fields with their widgets is most of the cost of a form, and an import
    builds thousands. Sharing is safe here because each row's form is validated before the
    next one is built, and nothing renders them.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, forms.Field]:
        return dict(self)


class _Converter:
    """Cell text → form data for one kind, with related codes looked up in bulk beforehand."""

    def __init__(self, kind: RegistryKind, actor: Access, columns: dict[str, int]) -> None:
        assert actor.subdistrict is not None  # noqa: S101 - checked by import_records
        self.kind = kind
        self.subdistrict = actor.subdistrict
        self.form_cls = form_class(kind.key)
        self.columns = columns
        self.fields = self.form_cls.base_fields
        self.choices = {
            name: _choice_aliases(f)
            for name, f in self.fields.items()
            if isinstance(f, forms.ChoiceField) and not isinstance(f, forms.ModelChoiceField)
        }
        self.related: dict[str, dict[str, models.Model]] = {}

    def related_model(self, name: str) -> type[models.Model] | None:
        form_field = self.fields.get(name)
        if isinstance(form_field, forms.ModelChoiceField) and form_field.queryset is not None:
            return form_field.queryset.model  # type: ignore[no-any-return]
        return None

    def lookup_field(self, model: type[models.Model]) -> str:
        # People are named by their username, every registry record by its code.
        return str(getattr(model, "USERNAME_FIELD", "")) or "code"

    def load_related(self, rows: list[_Row]) -> None:
        """Look up every related code of the file at once, then build the form that uses them.

        The look-up goes through the choices of the page's own form, so an import accepts
        exactly the records the page offers (this sub-district's, its staff as butlers).
        """
        page_form = self.form_cls(subdistrict=self.subdistrict)
        for name in self.columns:
            model = self.related_model(name)
            if model is None:
                continue
            choices = page_form.fields[name].queryset  # type: ignore[attr-defined]
            lookup = self.lookup_field(model)
            wanted = sorted({row.values[name] for row in rows if row.values.get(name)})
            found: dict[str, models.Model] = {}
            for chunk in _chunks(wanted):
                found.update(
                    (getattr(r, lookup), r) for r in choices.filter(**{f"{lookup}__in": chunk})
                )
            self.related[name] = found
        self.form_cls = _import_form(self.kind, self.form_cls, self.related)

    def convert(
        self, row: _Row, in_file: set[str], instance: models.Model | None
    ) -> tuple[dict[str, Any], list[RowError]]:
        data: dict[str, Any] = {}
        errors: list[RowError] = []
        for name in self.columns:
            text = row.values[name]
            form_field = self.fields[name]
            model = self.related_model(name)
            if model is not None:
                current = getattr(instance, name, None) if instance is not None else None
                if not text:
                    data[name] = ""
                elif text in self.related[name]:
                    data[name] = self.related[name][text].pk
                elif current is not None and getattr(current, self.lookup_field(model)) == text:
                    # Kept as it is, even if the page would no longer offer it for a new record
                    # (a butler who has left): the page form allows keeping it too.
                    data[name] = current.pk
                elif model is self.kind.model and normalise_key(self.kind, text) in in_file:
                    # A parent defined elsewhere in the same file: linked once both are saved.
                    row.pending_parent = normalise_key(self.kind, text)
                    data[name] = ""
                else:
                    data[name] = ""
                    errors.append(RowError(row.number, name, self._unknown(model, text)))
            elif isinstance(form_field, forms.MultipleChoiceField):
                aliases = self.choices[name]
                parts = [p.strip() for p in LIST_SEPARATORS.split(text) if p.strip()]
                data[name] = [aliases.get(_normal(p), p) for p in parts]
            elif isinstance(form_field, forms.ChoiceField):
                data[name] = self.choices[name].get(_normal(text), text) if text else ""
            elif isinstance(form_field, forms.JSONField) and name == "entrances":
                converted = _entrances(text)
                if converted is None:
                    errors.append(
                        RowError(
                            row.number,
                            name,
                            _("Write entrances as lon,lat;lon,lat, for example 121.459,31.237."),
                        )
                    )
                    converted = ""
                data[name] = converted
            elif isinstance(form_field, forms.DateField):
                data[name] = _loose_date(text)
            else:
                data[name] = text
        return data, errors

    def _unknown(self, model: type[models.Model], code: str) -> str:
        if model is get_user_model():
            return _("No staff member with username %(username)s in this sub-district.") % {
                "username": code
            }
        return _("No %(model)s with code %(code)s.") % {
            "model": model._meta.verbose_name,
            "code": code,
        }

    def current_values(self, instance: models.Model) -> dict[str, Any]:
        """What the page form would show for the fields a file leaves out, so they are kept."""
        values: dict[str, Any] = {}
        for name, form_field in self.fields.items():
            if name in self.columns:
                continue
            model_field = _model_field(type(instance), name)
            if model_field is None:
                # A form-only field (the contact phone) is left alone when its cell is absent.
                continue
            values[name] = form_field.prepare_value(getattr(instance, model_field.attname))
        return values


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), LOOKUP_CHUNK):
        yield values[start : start + LOOKUP_CHUNK]


def _state(instance: models.Model) -> dict[str, Any]:
    # Ciphertext changes on every encryption even for the same value; its look-up hash does not.
    return {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if not f.name.endswith("_cipher")
    }


# --------------------------------------------------------------------------------------------
# The verb


def import_records(
    actor: Access, kind_key: str, filename: str, content: bytes, *, dry_run: bool
) -> ImportReport:
    """Check every row of a file, then (unless a dry run) write them all in one transaction.

    Raises ``ImportFileError`` when the file cannot be read at all and ``PermissionDenied``
    when the actor may not import; row problems come back in the report.
    """
    actor.require(kind_key in KINDS and rules.can_import(actor) and rules.can_edit(actor, kind_key))
    assert actor.subdistrict is not None  # noqa: S101 - importers are sub-district staff
    kind = KINDS[kind_key]
    header, table = read_table(filename, content)
    columns = map_header(kind, header)
    if not table:
        raise ImportFileError(_("The file has column names but no rows to import."))
    report = ImportReport(kind=kind.key, filename=PurePath(filename).name, dry_run=dry_run)
    report.rows = len(table)
    if dry_run:
        _validate(actor, kind, header, columns, table, report)
        return report
    try:
        with transaction.atomic():
            # Validation runs inside the transaction, so what was checked is what gets written.
            rows = _validate(actor, kind, header, columns, table, report)
            if report.ok:
                _write(actor, kind, rows, report)
                report.committed = True
    except IntegrityError as exc:
        # Someone else saved a clashing record between our check and our write.
        raise ImportFileError(
            _("The registry changed while importing; nothing was written. Please try again.")
        ) from exc
    return report


def _validate(
    actor: Access,
    kind: RegistryKind,
    header: list[str],
    columns: dict[str, int],
    table: list[tuple[int, list[str]]],
    report: ImportReport,
) -> list[_Row]:
    key_name = key_field(kind)
    converter = _Converter(kind, actor, columns)
    rows = [
        _Row(number, {name: cells[index] for name, index in columns.items()})
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
    for chunk in _chunks(sorted(first_seen)):
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
            row.state = _state(instance)
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
        elif row.pending_parent or _state(form.instance) != row.state:
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


def _write(actor: Access, kind: RegistryKind, rows: list[_Row], report: ImportReport) -> None:
    saved: dict[str, models.Model] = {}
    written = [row for row in rows if row.changed]
    created: list[models.Model] = []
    for row in written:
        assert row.form is not None  # noqa: S101 - every changed row has a valid form
        record = row.form.save(commit=False)
        saved[row.key] = record
        if row.existing is None:
            created.append(record)
        else:
            record.save()
    # Registry records have no save() logic of their own (their verbs live in services), so
    # a batched INSERT writes the same rows as save() would, in a fraction of the time.
    kind.model.objects.bulk_create(created, batch_size=500)  # type: ignore[arg-type]
    for row in written:
        row.form.save_m2m()  # type: ignore[union-attr]
        if row.pending_parent:
            record = saved[row.key]
            record.parent = saved[row.pending_parent]  # type: ignore[attr-defined]
            record.save(update_fields=["parent"])

    # Language-neutral, like the other audit notes: the log is read in either language.
    note = f"import {report.filename}"[:200]
    entries = []
    for row in written:
        record = saved[row.key]
        after = audit.snapshot(record)
        old: dict[str, Any] | None = None
        new = after
        # A created record is logged in full, as on the page (services.save_record).
        if row.existing is not None:
            # Compared as values, not as text, so that 500 and 500.00 are no change.
            state = _state(record)
            changed = [k for k in after if state.get(k) != row.state.get(k)]
            old = {k: row.before.get(k) for k in changed}
            new = {k: after[k] for k in changed}
        entries.append(
            AuditEntry(
                subdistrict_id=record.subdistrict_id,  # type: ignore[attr-defined]
                actor=actor.user,
                action=f"registry.{kind.key}.{'update' if row.existing is not None else 'create'}",
                object_type=record._meta.label_lower,
                object_id=str(record.pk),
                object_repr=str(record)[:200],
                before=old or None,
                after=new,
                note=note,
            )
        )
    # One INSERT per batch instead of one per record keeps a 2,600-row import within seconds.
    AuditEntry.objects.bulk_create(entries, batch_size=500)
    audit.record(
        actor,
        f"registry.{kind.key}.import",
        object_type=kind.model._meta.label_lower,
        after={
            "file": report.filename,
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
        },
        note=note,
    )
