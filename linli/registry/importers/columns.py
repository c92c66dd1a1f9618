"""A kind's columns: which a file may have, and how its header names them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from linli.registry.forms import form_class
from linli.registry.importers.files import ImportFileError
from linli.registry.kinds import RegistryKind


def key_field(kind: RegistryKind) -> str:
    return "credit_code" if kind.key == "enterprise" else "code"


def normalise_key(kind: RegistryKind, value: str) -> str:
    value = value.strip()
    return value.upper() if kind.key == "enterprise" else value


def normal_label(text: str) -> str:
    return " ".join(str(text).split()).rstrip("*").strip().casefold()


def importable_columns(kind: RegistryKind) -> list[dict[str, Any]]:
    """The columns a file may have, in export order, each with its label and whether required."""
    form_cls = form_class(kind.key)
    return [
        {"name": name, "label": f.label or name, "required": f.required}
        for name, f in form_cls.base_fields.items()
    ]


def model_field_named(model: type[models.Model], name: str) -> models.Field | None:
    try:
        return model._meta.get_field(name)  # type: ignore[return-value]
    except FieldDoesNotExist:
        return None


def _header_aliases(kind: RegistryKind) -> dict[str, str]:
    """Every accepted spelling of a column: the field name and its label in each language."""
    form_cls = form_class(kind.key)
    aliases: dict[str, str] = {}
    for name, form_field in form_cls.base_fields.items():
        aliases[normal_label(name)] = name
        model_field = model_field_named(kind.model, name)
        for language in ("en", "zh-hans"):
            with translation.override(language):
                labels = [str(form_field.label or "")]
                if model_field is not None:
                    labels.append(str(model_field.verbose_name))
            for label in labels:
                if normal_label(label):
                    aliases.setdefault(normal_label(label), name)
    return aliases


def excerpt(titles: list[str], most: int = 5, length: int = 40) -> str:
    """Column titles as the file wrote them, but never more than a short excerpt of them: an
    error message must not echo a file back."""
    shown = [t if len(t) <= length else t[: length - 1] + "…" for t in titles[:most]]
    more = len(titles) - most
    return ", ".join(shown) + (_(" and %(n)s more") % {"n": more} if more > 0 else "")


def map_header(kind: RegistryKind, header: list[str]) -> dict[str, int]:
    """Field name → column index; unknown, repeated or missing columns refuse the whole file."""
    aliases = _header_aliases(kind)
    columns: dict[str, int] = {}
    unknown: list[str] = []
    repeated: list[str] = []
    for index, title in enumerate(header):
        if not title:
            continue
        name = aliases.get(normal_label(title))
        if name is None:
            unknown.append(title)
        elif name in columns:
            repeated.append(title)
        else:
            columns[name] = index
    problems = []
    if unknown:
        problems.append(_("Unknown columns: %(columns)s.") % {"columns": excerpt(unknown)})
    if repeated:
        problems.append(
            _("Columns given more than once: %(columns)s.") % {"columns": excerpt(repeated)}
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
