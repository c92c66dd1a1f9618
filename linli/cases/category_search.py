"""Finding what a report is about from what people type: the category's name (Chinese or
English), its other words (``Category.synonyms``: 楼道堆物, 飞线充电), the name of the group
above it, and the pinyin and pinyin initials of all of them (duiwu, lddw).

A sub-district has a few dozen categories, so they are matched in Python, on the categories the
form offers the person: a term must occur in one of a category's spellings; a category ranks by
where (name 3, other words 2, group 1), then by the shorter name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from linli.cases.models import Category
from linli.core.spelling import normalise, spellings, terms_of

SPLIT = re.compile(r"[\s,，、;；/]+")
MAX_RESULTS = 8


def synonym_list(category: Category) -> list[str]:
    return [w for w in SPLIT.split(category.synonyms or "") if w]


@dataclass(frozen=True)
class Hit:
    category: Category
    score: int
    matched: str  # the other word that matched, to show why the category was found


def _texts(category: Category) -> list[tuple[int, str, str]]:
    """(weight, spelling, the word it spells) of everything a category is found by."""
    texts = [(3, s, category.name) for s in spellings(category.name)]
    if category.name_en:
        texts.append((3, normalise(category.name_en), category.name_en))
    texts += [(2, s, word) for word in synonym_list(category) for s in spellings(word)]
    if category.parent is not None:
        texts += [(1, s, category.parent.name) for s in spellings(category.parent.name)]
    return texts


def find(categories: list[Category], query: str) -> list[Hit]:
    """The categories matching every term of ``query``, best first."""
    terms = terms_of(query)
    if not terms:
        return []
    hits = []
    for category in categories:
        texts = _texts(category)
        score, matched = 0, ""
        for term in terms:
            best = max(((w, word) for w, s, word in texts if term in s), default=None)
            if best is None:
                break
            score += best[0]
            if best[0] == 2 and not matched:
                matched = best[1]
        else:
            hits.append(Hit(category, score, matched))
    hits.sort(key=lambda h: (-h.score, len(h.category.name), h.category.code))
    return hits[:MAX_RESULTS]
