"""How a Chinese name is typed: the text itself, its full pinyin and its pinyin initials.

Search boxes match what people type against all three (营业执照 → ``yingyezhizhao``, ``yyzz``),
so a name is found from a phone keyboard in pinyin or from the first letters alone. Used by the
service catalog and by the map's place search.

pypinyin picks one reading per character from its phrase dictionary, which is right for the
words names and addresses use (执照, 登记, 南京西路).
"""

from __future__ import annotations

import re
import unicodedata

from pypinyin import Style, lazy_pinyin

NOT_WORD = re.compile(r"[^0-9a-z]+")
ASCII_TERM = re.compile(r"^[0-9a-z]+$")


def normalise(text: str) -> str:
    """Full-width forms to half-width (ＡＢＣ１２３ → abc123), lower case, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text or "").lower().split())


def _pinyin(text: str, style: Style) -> str:
    # Letters and digits in the text stay as they are (ICP许可证 → icpxkz); the rest goes.
    parts = lazy_pinyin(normalise(text), style=style, errors="default")
    return NOT_WORD.sub("", "".join(parts).lower())


def spellings(text: str) -> list[str]:
    """The text itself, its full pinyin and its pinyin initials."""
    found = [normalise(text)]
    for style in (Style.NORMAL, Style.FIRST_LETTER):
        spelled = _pinyin(text, style)
        if spelled and spelled not in found:
            found.append(spelled)
    return [s for s in found if s]


def terms_of(query: str) -> list[str]:
    """The terms a query asks for; a lone Latin letter or digit would match nearly everything."""
    return [t for t in normalise(query).split() if not (ASCII_TERM.match(t) and len(t) < 2)]
