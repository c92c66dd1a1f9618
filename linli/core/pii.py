"""Personal data (PIPL): validation, masking, encryption at rest and keyed look-up hashes.

Resident ID numbers follow GB 11643 (ISO 7064 MOD 11-2 check digit). Values are encrypted with
Fernet under a key derived from ``LINLI_FIELD_KEY``; look-ups use an HMAC of the normalised
value, so equality search works without decrypting every row.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$")


def normalise_resident_id(value: str) -> str:
    return value.strip().upper().replace(" ", "")


def resident_id_check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


def validate_resident_id(value: str) -> str:
    """Return the normalised 18-digit ID number or raise a translated ValidationError."""
    number = normalise_resident_id(value)
    if not ID_PATTERN.match(number):
        raise ValidationError(
            _("A resident ID number has 17 digits followed by a digit or X."), code="format"
        )
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            _("The date of birth in this ID number does not exist."), code="birth_date"
        ) from None
    if resident_id_check_digit(number[:17]) != number[17]:
        raise ValidationError(
            _("The check digit of this ID number is wrong; please check each digit."),
            code="check_digit",
        )
    return number


def normalise_mobile(value: str) -> str:
    number = re.sub(r"[\s-]", "", value.strip())
    if number.startswith("+86"):
        number = number[3:]
    return number


def validate_mobile(value: str) -> str:
    number = normalise_mobile(value)
    if not MOBILE_PATTERN.match(number):
        raise ValidationError(
            _("Enter a mainland mobile number of 11 digits starting with 1."), code="mobile"
        )
    return number


def mask_resident_id(value: str) -> str:
    """``3101**********1234``: region prefix and last four only."""
    if not value:
        return ""
    return value[:4] + "*" * max(len(value) - 8, 0) + value[-4:]


def mask_mobile(value: str) -> str:
    """``138****5678``."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


@cache
def _fernet(key_material: str) -> Fernet:
    digest = hashlib.sha256(b"linli-field-encryption:" + key_material.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(value: str) -> str:
    if not value:
        return ""
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("personal data cannot be decrypted with the configured key") from exc


def lookup_hash(value: str) -> str:
    """Keyed hash of a normalised value, for equality search on encrypted columns."""
    if not value:
        return ""
    key = hashlib.sha256(b"linli-lookup:" + settings.FIELD_ENCRYPTION_KEY.encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


MASKERS = {"phone": mask_mobile, "resident_id": mask_resident_id}
