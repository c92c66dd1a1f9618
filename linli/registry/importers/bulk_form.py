"""The page's form of a kind, made for checking thousands of rows: the same rules, with the
file's related records looked up once and the form fields shared between rows."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db import models

from linli.registry.forms import TenantModelForm
from linli.registry.importers.columns import key_field
from linli.registry.kinds import RegistryKind


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


def bulk_import_form(
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
