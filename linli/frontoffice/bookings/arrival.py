"""The codes a person shows when they arrive for a window appointment.

Two forms of the same credential: the booking's QR code (the check-in URL with its token, read
by the kiosk's scanner as typed text, or the token alone) and a short code of eight letters and
digits printed under it, for typing by hand. The short code is derived from the token, so it is
not stored and changes when the token does; 40 bits are plenty against guessing at a kiosk,
where only bookings of that place around today are searched.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from django.utils.crypto import salted_hmac

from linli.frontoffice.bookings.models import Booking

SHORT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed
SHORT_LENGTH = 8
_TOKEN_IN_URL = re.compile(r"/check-in/([A-Za-z0-9_-]+)/?")


def arrival_code(booking: Booking) -> str:
    """The short code of a booking, e.g. ``K7QM-R2XA`` without the dash."""
    digest = hashlib.sha256(f"arrival:{booking.checkin_token}".encode()).digest()
    return "".join(SHORT_ALPHABET[b % len(SHORT_ALPHABET)] for b in digest[:SHORT_LENGTH])


def shown_code(booking: Booking) -> str:
    code = arrival_code(booking)
    return f"{code[:4]}-{code[4:]}"


def parse_code(text: str) -> tuple[str, str]:
    """``(token, short)`` from what was typed or scanned; one of them is empty."""
    text = (text or "").strip()
    found = _TOKEN_IN_URL.search(text)
    if found:
        return found.group(1), ""
    short = re.sub(r"[\s-]", "", text).upper()
    if len(short) == SHORT_LENGTH:
        return "", short
    return (text, "") if re.fullmatch(r"[A-Za-z0-9_-]{20,64}", text) else ("", "")


def arrival_code_matches(booking: Booking, text: str) -> bool:
    token, short = parse_code(text)
    if token:
        return hmac.compare_digest(token, booking.checkin_token)
    return bool(short) and hmac.compare_digest(short, arrival_code(booking))


def arrival_secret(booking: Booking) -> str:
    """A stable secret for the queue ticket of this booking, so a second scan leads to the
    same ticket page. Derived, never stored in clear (the queue keeps its hash)."""
    return salted_hmac("linli.bookings.arrival", booking.checkin_token).hexdigest()[:32]
