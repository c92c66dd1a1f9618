"""Pools of plausible Chinese names (``names.yaml``), and small helpers that draw from them with
a given rng."""

from __future__ import annotations

import random
from pathlib import Path

from linli.core.demo import read_yaml

_POOLS = read_yaml(Path(__file__).with_name("names.yaml"))


def _characters(lines: list[str]) -> str:
    return "".join(lines)


SURNAMES = _characters(_POOLS["surnames"])
_SHANGHAI_SURNAMES = _characters(_POOLS["shanghai_surnames"])
# Weighted towards the surnames most common in Shanghai.
_SURNAME_WEIGHTS = [
    (3.0 if s in _SHANGHAI_SURNAMES else 1.0) / (rank + 6) for rank, s in enumerate(SURNAMES)
]
GIVEN = _characters(_POOLS["given"])
TRADE_FIRST = _characters(_POOLS["trade_first"])
TRADE_SECOND = _characters(_POOLS["trade_second"])
FOREIGN_SYLLABLES = _characters(_POOLS["foreign_syllables"])
SCHOOL_WORDS: tuple[str, ...] = tuple(_POOLS["school_words"])
SHOP_BRANDS: tuple[str, ...] = tuple(_POOLS["shop_brands"])
MOBILE_PREFIXES: tuple[str, ...] = tuple(_POOLS["mobile_prefixes"])

CHINESE_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 16 → 十六, 32 → 三十二 (1–99), as in 第十六网格."""
    if not 0 < n < 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    prefix = "" if tens == 0 else ("十" if tens == 1 else CHINESE_DIGITS[tens] + "十")
    return prefix + (CHINESE_DIGITS[ones] if ones else "")


def person_name(rng: random.Random) -> str:
    surname = rng.choices(SURNAMES, weights=_SURNAME_WEIGHTS)[0]
    length = 2 if rng.random() < 0.72 else 1
    return surname + "".join(rng.choice(GIVEN) for _ in range(length))


def display_name(seed: int, username: str) -> str:
    """A demo account's name, seeded by the username alone, so a person keeps their name in
    every home and on every load."""
    return person_name(random.Random(f"{seed}:person:{username}"))


def trade_name(rng: random.Random) -> str:
    return rng.choice(TRADE_FIRST) + rng.choice(TRADE_SECOND)


def foreign_trade_name(rng: random.Random) -> str:
    return "".join(rng.sample(FOREIGN_SYLLABLES, rng.choice((2, 2, 3))))


def mobile_number(rng: random.Random) -> str:
    """A number in the format of a mainland mobile (GB: 1[3-9] + 9 digits)."""
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"
