"""Registry verbs: create, change and delete records, each checked, atomic and audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

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
    # Snapshot before the form is bound: validating a model form writes the submitted values
    # into the instance, so a later snapshot would record "no change".
    before = audit.snapshot(instance) if instance is not None and instance.pk else {}
    if partial and instance is not None:
        # Fields left out of a partial update keep their current values.
        current = form_cls(instance=instance, subdistrict=actor.subdistrict)
        data = {
            **{name: current[name].value() for name in form_cls.base_fields if name not in data},
            **data,
        }
    form = form_cls(data=data, instance=instance, subdistrict=actor.subdistrict)
    if not form.is_valid():
        raise InvalidRecord(form)
    with transaction.atomic():
        record = form.save(commit=False)
        _apply_personal_fields(record, form.cleaned_data)
        record.save()
        form.save_m2m()
        after = audit.snapshot(record)
        if before:
            old, new = audit.changes(before, after)
            audit.record(actor, f"registry.{kind}.update", record, before=old or None, after=new)
        else:
            audit.record(actor, f"registry.{kind}.create", record, after=after)
    return record


def delete_record(actor: Access, kind: str, instance: models.Model) -> None:
    actor.require(rules.can_edit(actor, kind))
    with transaction.atomic():
        audit.record(actor, f"registry.{kind}.delete", instance, before=audit.snapshot(instance))
        try:
            instance.delete()
        except models.ProtectedError as exc:
            blockers = sorted({str(obj) for obj in exc.protected_objects})
            raise ValidationError(
                _("This record cannot be deleted while other records refer to it: %(records)s.")
                % {"records": ", ".join(blockers[:5]) + ("…" if len(blockers) > 5 else "")},
                code="protected",
            ) from exc
