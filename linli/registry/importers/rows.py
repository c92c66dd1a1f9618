"""A file's rows as the import tracks them, and their cell text turned into form data."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from linli.core.access import Access
from linli.registry.forms import TenantModelForm, form_class
from linli.registry.importers.bulk_form import bulk_import_form
from linli.registry.importers.columns import model_field_named, normal_label, normalise_key
from linli.registry.importers.report import RowError
from linli.registry.kinds import RegistryKind

LOOKUP_CHUNK = 500
LIST_SEPARATORS = re.compile(r"[;；,，、]")
ENTRANCE_SEPARATORS = re.compile(r"[;；]")
# Chinese offices type dates as 2024/3/1, 2024.3.1 or 2024年3月1日, whatever the UI language.
LOOSE_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


@dataclass
class ImportRow:
    """One data row of the file, with what checking it found and what writing it needs."""

    number: int
    values: dict[str, str]
    key: str = ""
    existing: models.Model | None = None
    before: dict[str, Any] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)
    form: TenantModelForm | None = None
    pending_parent: str = ""
    changed: bool = False


def _choice_aliases(form_field: forms.Field) -> dict[str, str]:
    aliases: dict[str, str] = {}
    for value, label in getattr(form_field, "choices", ()):
        if value in ("", None):
            continue
        aliases[normal_label(str(value))] = str(value)
        for language in ("en", "zh-hans"):
            with translation.override(language):
                aliases.setdefault(normal_label(str(label)), str(value))
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


class Converter:
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

    def load_related(self, rows: list[ImportRow]) -> None:
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
            for chunk in chunks(wanted):
                found.update(
                    (getattr(r, lookup), r) for r in choices.filter(**{f"{lookup}__in": chunk})
                )
            self.related[name] = found
        self.form_cls = bulk_import_form(self.kind, self.form_cls, self.related)

    def convert(
        self, row: ImportRow, in_file: set[str], instance: models.Model | None
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
                data[name] = [aliases.get(normal_label(p), p) for p in parts]
            elif isinstance(form_field, forms.ChoiceField):
                data[name] = self.choices[name].get(normal_label(text), text) if text else ""
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
            model_field = model_field_named(type(instance), name)
            if model_field is None:
                # A form-only field (the contact phone) is left alone when its cell is absent.
                continue
            values[name] = form_field.prepare_value(getattr(instance, model_field.attname))
        return values


def chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), LOOKUP_CHUNK):
        yield values[start : start + LOOKUP_CHUNK]


def record_state(instance: models.Model) -> dict[str, Any]:
    # Ciphertext changes on every encryption even for the same value; its look-up hash does not.
    return {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if not f.name.endswith("_cipher")
    }
