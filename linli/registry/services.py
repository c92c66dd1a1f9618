"""Registry verbs: create, change and delete records, each checked, atomic and audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from linli.core import audit
from linli.core.access import Access
from linli.core.pii import encrypt, lookup_hash
from linli.registry import rules
from linli.registry.forms import form_class
from linli.registry.models import Enterprise


class InvalidRecord(ValidationError):
    """Carries the bound form, so callers can show every field error at once."""

    def __init__(self, form: Any) -> None:
        super().__init__(form.errors.as_data())
        self.form = form


def _apply_personal_fields(instance: models.Model, cleaned: dict[str, Any]) -> None:
    if isinstance(instance, Enterprise) and "contact_phone" in cleaned:
        phone = cleaned["contact_phone"]
        if phone or not instance.contact_phone_cipher:
            instance.contact_phone_cipher = encrypt(phone)
            instance.contact_phone_hash = lookup_hash(phone)


def save_record(
    actor: Access,
    kind: str,
    data: dict[str, Any],
    *,
    instance: models.Model | None = None,
    partial: bool = False,
) -> models.Model:
    """Create (no instance) or change a record of a registry kind from submitted data."""
    actor.require(rules.can_edit(actor, kind))
    assert actor.subdistrict is not None  # noqa: S101 - the middleware always sets one for staff
    form_cls = form_class(kind)
    if partial and instance is not None:
        # Fields left out of a partial update keep their current values.
        initial = {
            name: form_cls(instance=instance, subdistrict=actor.subdistrict)[name].value()
            for name in form_cls.base_fields
            if name not in data
        }
        data = {**initial, **data}
    form = form_cls(data=data, instance=instance, subdistrict=actor.subdistrict)
    if not form.is_valid():
        raise InvalidRecord(form)
    with transaction.atomic():
        before = audit.snapshot(instance) if instance is not None and instance.pk else {}
        record = form.save(commit=False)
        _apply_personal_fields(record, form.cleaned_data)
        record.save()
        form.save_m2m()
        after = audit.snapshot(record)
        old, new = audit.changes(before, after)
        audit.record(actor, "update" if before else "create", record, before=old or None, after=new)
    return record


def delete_record(actor: Access, kind: str, instance: models.Model) -> None:
    actor.require(rules.can_edit(actor, kind))
    with transaction.atomic():
        before = audit.snapshot(instance)
        audit.record(actor, "delete", instance, before=before)
        try:
            instance.delete()
        except models.ProtectedError as exc:
            from django.utils.translation import gettext as _

            raise ValidationError(
                _("This record is still referred to by other records and cannot be deleted.")
            ) from exc
