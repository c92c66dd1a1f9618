"""Core verbs: audited unmasking of personal data. (Telling people: ``core.messaging``.)"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from linli.core import audit
from linli.core.access import Access
from linli.core.personal_data import REGISTER
from linli.core.pii import decrypt


def unmask_value(actor: Access, *, kind: str, model: str, pk: int) -> str:
    field = REGISTER.get(f"{model}.{kind}")
    if field is None:
        raise Http404
    instance = field.model.objects.filter(pk=pk).first()  # type: ignore[attr-defined]
    if instance is None:
        raise Http404
    if not field.may_unmask(actor, instance):
        raise PermissionDenied(_("Your role may not see this personal data in full."))
    value = decrypt(getattr(instance, field.cipher_field))
    with transaction.atomic():
        audit.record(actor, "core.personal_data.unmask", instance, note=field.key)
    return value
