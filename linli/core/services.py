"""Core verbs: notifications and audited unmasking of personal data."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from linli.core import audit
from linli.core.access import Access
from linli.core.models import Notification, Subdistrict, User
from linli.core.personal_data import REGISTER
from linli.core.pii import decrypt


def notify(
    users: Iterable[User], subdistrict: Subdistrict, *, title: str, body: str = "", url: str = ""
) -> list[Notification]:
    """Put a message in each person's in-app inbox (always on; e-mail and SMS come on top)."""
    rows = [
        Notification(subdistrict=subdistrict, user=user, title=title, body=body, url=url)
        for user in {u.pk: u for u in users}.values()
    ]
    return Notification.objects.bulk_create(rows)


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
        audit.record(actor, "unmask", instance, note=field.key)
    return value
