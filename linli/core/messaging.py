"""Telling people: the in-app inbox (always), e-mail and SMS (on top, once committed).

Every app sends through here. The inbox row is written in the caller's transaction, so it
exists exactly when the change it reports does; e-mails and SMS leave only after the commit,
and a mail server or carrier that is down is logged, never undoes the change.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

from linli.core.models import Notification, Subdistrict, User
from linli.core.sms import send_sms

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    """One in-app message to some people."""

    users: Sequence[User]
    title: str
    body: str = ""
    url: str = ""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


def notify(
    users: Iterable[User], subdistrict: Subdistrict, *, title: str, body: str = "", url: str = ""
) -> list[Notification]:
    """Put a message in each person's in-app inbox."""
    return notify_each(subdistrict, [Message(list(users), title, body, url)])


def notify_each(subdistrict: Subdistrict, messages: Iterable[Message]) -> list[Notification]:
    """Several messages, each to its own people, written in one statement."""
    rows = [
        Notification(subdistrict=subdistrict, user=user, title=m.title, body=m.body, url=m.url)
        for m in messages
        for user in {u.pk: u for u in m.users}.values()
    ]
    return Notification.objects.bulk_create(rows) if rows else []


def email_after_commit(
    addresses: Iterable[str],
    title: str,
    body: str = "",
    attachments: Sequence[Attachment] = (),
) -> None:
    """One e-mail to each address, sent once the current transaction has committed."""
    to = sorted(set(addresses) - {""})
    if to:
        transaction.on_commit(lambda: _send_mail(to, title, body, tuple(attachments)))


def sms_after_commit(phones: Iterable[str], text: str) -> None:
    """One SMS to each mobile, sent once the current transaction has committed."""
    numbers = sorted(set(phones) - {""})
    if numbers:
        transaction.on_commit(lambda: _send_sms_each(numbers, text))


@dataclass(frozen=True)
class Contact:
    """How to reach one person outside linli: their account (if any), e-mail and mobile."""

    user_id: int | None
    email: str = ""
    phone: str = ""


def contact_after_commit(
    subdistrict_id: int, purpose: str, contacts: Iterable[Contact], title: str, body: str = ""
) -> None:
    """E-mail and SMS for a purpose that needs consent (``core.consent``), once committed.

    Whether each person still consents is read when the messages leave, so a withdrawal made
    in the meantime is honoured too. People without an account gave the contact for this
    purpose and have no consent to withdraw here (erasure removes the contact instead)."""
    people = [c for c in contacts if c.email or c.phone]
    if people:
        transaction.on_commit(
            lambda: _contact_with_consent(subdistrict_id, purpose, people, title, body)
        )


def _contact_with_consent(
    subdistrict_id: int, purpose: str, contacts: list[Contact], title: str, body: str
) -> None:
    from linli.core.consent import withdrawn_user_ids

    ids = {c.user_id for c in contacts if c.user_id is not None}
    withdrawn = withdrawn_user_ids(subdistrict_id, purpose, ids)
    allowed = [c for c in contacts if c.user_id is None or c.user_id not in withdrawn]
    text = f"{title} {body}".strip()
    addresses = sorted({c.email for c in allowed} - {""})
    if addresses:
        _send_mail(addresses, title, body, ())
    phones = sorted({c.phone for c in allowed} - {""})
    if phones:
        _send_sms_each(phones, text)


def _send_mail(
    addresses: list[str], title: str, body: str, attachments: tuple[Attachment, ...]
) -> None:
    for address in addresses:
        message = EmailMessage(
            subject=title, body=body or title, from_email=settings.DEFAULT_FROM_EMAIL, to=[address]
        )
        for attachment in attachments:
            message.attach(attachment.filename, attachment.content, attachment.mimetype)
        try:
            message.send()
        except Exception:  # a mail server hiccup must not undo a committed change
            logger.exception("could not e-mail %s", address)


def _send_sms_each(phones: list[str], text: str) -> None:
    for phone in phones:
        try:
            send_sms(phone, text)
        except Exception:  # the carrier being down must not undo a committed change
            logger.exception("could not send an SMS")
