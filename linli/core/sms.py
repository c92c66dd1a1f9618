"""Text messages through one small gateway interface; the backend is chosen by a setting.

``LINLI_SMS_BACKEND`` names a class with ``send(phone, text)``. The default writes to the log,
so development and tests never reach a carrier; production points it at the carrier's adapter.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from linli.core.pii import mask_mobile

logger = logging.getLogger("linli.sms")

DEFAULT_BACKEND = "linli.core.sms.LogSmsBackend"


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class LogSmsBackend:
    """Writes each message to the log, with the number masked (the log is not a safe place)."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", mask_mobile(phone), text)


class MemorySmsBackend:
    """Keeps messages in ``outbox`` for tests, like Django's locmem e-mail backend."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        type(self).outbox.append((phone, text))


@cache
def _backend(path: str) -> SmsBackend:
    return import_string(path)()  # type: ignore[no-any-return]


def send_sms(phone: str, text: str) -> None:
    if not phone:
        return
    _backend(getattr(settings, "LINLI_SMS_BACKEND", DEFAULT_BACKEND)).send(phone, text)
