"""How many reports the public may send: per person and per address, per hour, counted across
every web server process (``linli.core.throttle``).

Only the public doors are limited (the resident's web form and Open311 POST). Staff entering
calls and walk-ins, grid workers on patrol and integrations on the API are not: a limit there
would drop work the sub-district has already taken on.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from linli.core import throttle

HOUR = dt.timedelta(hours=1)
REFUSED = _(
    "Many reports have come from you in the last hour. Please try again later; "
    "if it is urgent, call 12345."
)


def public_report_allowed(request: HttpRequest, person: str | None) -> bool:
    """Count one more report from ``person`` (a stable key: a user id, a hashed contact; None
    when the sender gave none) and from the request's address; False once either is over its
    hourly limit."""
    by_address = throttle.allow(
        f"intake-ip:{throttle.client_ip(request)}", settings.INTAKE_PER_ADDRESS_HOUR, HOUR
    )
    if person is None:
        return by_address
    by_person = throttle.allow(f"intake:{person}", settings.INTAKE_PER_PERSON_HOUR, HOUR)
    return by_address and by_person
