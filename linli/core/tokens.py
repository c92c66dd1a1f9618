"""API bearer tokens: shown once at creation, stored only as a hash."""

from __future__ import annotations

import hashlib
import secrets

from django_scopes import scopes_disabled

from linli.core import clock
from linli.core.models import ApiToken, Subdistrict, User

PREFIX = "ll_"


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
        now = clock.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            with scopes_disabled():
                ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
