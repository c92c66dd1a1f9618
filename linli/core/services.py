"""Core verbs: notifications and audited unmasking of personal data."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from linli.core import audit
from linli.core.access import Access
from linli.core.models import Notification, Subdistrict, User
from linli.core.personal_data import REGISTER
from linli.core.pii import decrypt


@dataclass(frozen=True)
class Message:
    """One in-app message to some people."""

    users: Sequence[User]
    title: str
    body: str = ""
    url: str = ""


def notify(
    users: Iterable[User], subdistrict: Subdistrict, *, title: str, body: str = "", url: str = ""
) -> list[Notification]:
    """Put a message in each person's in-app inbox (always on; e-mail and SMS come on top)."""
    return notify_each(subdistrict, [Message(list(users), title, body, url)])


def notify_each(subdistrict: Subdistrict, messages: Iterable[Message]) -> list[Notification]:
    """Several messages, each to its own people, written in one statement."""
    rows = [
        Notification(subdistrict=subdistrict, user=user, title=m.title, body=m.body, url=m.url)
        for m in messages
        for user in {u.pk: u for u in m.users}.values()
    ]
    return Notification.objects.bulk_create(rows) if rows else []


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
