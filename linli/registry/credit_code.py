"""Unified Social Credit Codes (统一社会信用代码, GB 32100-2015) and GB/T 4754 industry codes."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
PATTERN = re.compile(rf"^[{ALPHABET}]{{18}}$")
INDUSTRY_PATTERN = re.compile(r"^[A-T](\d{2}(\d{1,2})?)?$")


def check_character(first17: str) -> str:
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> str:
    code = value.strip().upper()
    if not PATTERN.match(code):
        raise ValidationError(
            _(
                "A Unified Social Credit Code has 18 characters from digits and capital letters "
                "except I, O, S, V and Z."
            ),
            code="format",
        )
    if check_character(code[:17]) != code[17]:
        raise ValidationError(
            _("The check character of this credit code is wrong (expected %(expected)s).")
            % {"expected": check_character(code[:17])},
            code="check_character",
        )
    return code


def validate_industry_code(value: str) -> str:
    code = value.strip().upper()
    if not INDUSTRY_PATTERN.match(code):
        raise ValidationError(
            _("Use a GB/T 4754-2017 code: a section letter and up to four digits, e.g. I6510."),
            code="industry",
        )
    return code
