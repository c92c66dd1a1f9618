"""API bearer tokens: shown once at creation, stored only as a hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets

from django.db import OperationalError, connection, transaction
from django_scopes import scopes_disabled

from linli.core import clock
from linli.core.models import ApiToken, Subdistrict, User

PREFIX = "ll_"
USE_GRANULARITY = dt.timedelta(minutes=15)
logger = logging.getLogger(__name__)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_token(user: User, subdistrict: Subdistrict, name: str) -> tuple[ApiToken, str]:
    key = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, subdistrict=subdistrict, name=name, prefix=key[3:11], key_hash=_hash(key)
    )
    return token, key


def authenticate_token(key: str) -> ApiToken | None:
    if not key.startswith(PREFIX):
        return None
    with scopes_disabled():
        token = (
            ApiToken.objects.select_related("user", "subdistrict")
            .filter(key_hash=_hash(key), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
    if token is not None:
        _note_use(token)
    return token


def _note_use(token: ApiToken) -> None:
    """Keep "last used" to the quarter hour, so most requests write nothing; and a database
    that is busy (SQLite admits one writer at a time) skips the note rather than fail a read.

    On PostgreSQL the note's commit does not wait for the disk: a crash may forget when a token
    was last used, which is harmless, while a flush per first use would compete with the
    flushes of the request's own commit (a registration holds its event's lock through that
    flush, so every extra flush in the queue lengthens the lock)."""
    now = clock.now()
    if token.last_used_at is not None and now - token.last_used_at < USE_GRANULARITY:
        return
    # Only when the note is a transaction of its own: SET LOCAL would outlive a savepoint.
    relaxed = connection.vendor == "postgresql" and not connection.in_atomic_block
    try:
        with scopes_disabled(), transaction.atomic():
            if relaxed:
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    except OperationalError:
        logger.info("token %s: last use not noted, the database is busy", token.prefix)
