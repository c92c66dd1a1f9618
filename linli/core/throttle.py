"""Rate limits that hold across every web server process: counts per key and fixed time window
in the database (``Throttle``), and the client's address as the lockout and the limits see it.

Behind ``LINLI_PROXY_COUNT`` reverse proxies, each of which appends the address it received
the request from to ``X-Forwarded-For`` (nginx's ``$proxy_add_x_forwarded_for``), the client is
the N-th address from the right; anything further left was written by the client and is not
believed (the rule of Werkzeug's ``ProxyFix``). django-ipware's ``proxy_count`` counts proxies
*inside* the header instead and finds no address at all behind one nginx, which would put every
client in one lockout bucket again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest

from linli.core import clock
from linli.core.models import Throttle


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = settings.PROXY_COUNT
    if not proxies:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [a for a in forwarded if a] + [remote]
    candidate = chain[-(proxies + 1)] if len(chain) > proxies else chain[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def hashed(value: str) -> str:
    """A key that names an e-mail address or the like without storing it."""
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]


def allow(key: str, limit: int, window: dt.timedelta) -> bool:
    """Count one more request for ``key`` in the current window; False once over ``limit``."""
    now = clock.now()
    seconds = int(window.total_seconds())
    start = dt.datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, tz=dt.UTC)
    with transaction.atomic():
        updated = Throttle.objects.filter(key=key, window=start).update(hits=F("hits") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    Throttle.objects.create(key=key, window=start, hits=1)
            except IntegrityError:  # another process created it first
                Throttle.objects.filter(key=key, window=start).update(hits=F("hits") + 1)
        hits = Throttle.objects.filter(key=key, window=start).values_list("hits", flat=True)[0]
    return hits <= limit


def purge(before: dt.datetime) -> int:
    return Throttle.objects.filter(window__lt=before).delete()[0]
