"""Finding a service item by what people type: Chinese words, pinyin, or pinyin initials.

Every item stores three normalised texts (``index_fields``), from most to least telling:

- ``search_name``: the name, the English name, and the name's full pinyin and pinyin initials
  (营业执照设立登记 → ``yingyezhizhaoshelidengji``, ``yyzzsldj``);
- ``search_keywords``: the other names and keywords, each with its pinyin and initials;
- ``search_body``: the summary, conditions, materials, steps, topic and department.

A query is split on spaces; every term must occur in one of the three texts, and an item ranks
by where its terms occur (name 3, keywords 2, guide 1, summed over the terms), then by shorter
name (a term that fills more of a name is the closer match).

Why plain substring matching rather than character bigrams or a full-text index: it runs the
same on SQLite and PostgreSQL with no extension (``LIKE '%…%'`` on lower-cased text), its
results are exact (a bigram index would let 营业 match 营业性演出 when someone looks for
营业执照, and a query like 执照变更 would match 变更 anywhere), and a sub-district's catalog is a
few hundred rows, so a scan costs well under a millisecond. Word order and synonyms are what
the keywords are for: staff add 开公司 or 执照 to the items people ask for in those words.

Pinyin covers the guide's name and keywords only: the initials of long guide texts would match
almost any short string of letters. pypinyin picks one reading per character from its phrase
dictionary, which is right for the words a catalog uses (执照, 登记, 公积金); the spellings come
from ``linli.core.spelling``, which the map's place search shares.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Length

from linli.core.spelling import normalise, spellings, terms_of
from linli.frontoffice.catalog.models import ServiceItem

# Texts are joined with this, so a query term (which has no spaces) never spans two of them.
SEPARATOR = " | "
KEYWORD_SPLIT = re.compile(r"[\s,，、;；/]+")
WEIGHTS = {"search_name": 3, "search_keywords": 2, "search_body": 1}
MATCHED_IN = {3: "name", 2: "keywords", 1: "guide"}


def keyword_list(keywords: str) -> list[str]:
    return [k for k in KEYWORD_SPLIT.split(keywords or "") if k]


def index_fields(item: ServiceItem) -> dict[str, str]:
    """The three search texts of an item (its department must be set)."""
    names = spellings(item.name) + ([normalise(item.name_en)] if item.name_en else [])
    keywords = [s for k in keyword_list(item.keywords) for s in spellings(k)]
    department = item.department.name if item.department_id else ""
    body: list[str] = [
        item.summary,
        item.conditions,
        *[str(m) for m in item.materials or []],
        *[str(s) for s in item.steps or []],
        item.topic,
        department,
        item.centre_place,
    ]
    return {
        "search_name": SEPARATOR.join(names),
        "search_keywords": SEPARATOR.join(keywords),
        "search_body": SEPARATOR.join(normalise(b) for b in body if b),
    }


def _term_score(term: str) -> Case:
    return Case(
        *[When(**{f"{field}__contains": term}, then=Value(w)) for field, w in WEIGHTS.items()],
        default=Value(0),
        output_field=IntegerField(),
    )


def search(items: QuerySet[ServiceItem], query: str) -> QuerySet[ServiceItem]:
    """The items matching every term of ``query``, best first, each with a ``score``."""
    terms = terms_of(query)
    if not terms:
        return items.none()
    for term in terms:
        items = items.filter(
            Q(search_name__contains=term)
            | Q(search_keywords__contains=term)
            | Q(search_body__contains=term)
        )
    score = sum((_term_score(t) for t in terms[1:]), _term_score(terms[0]))
    return items.annotate(score=score, name_length=Length("name")).order_by(
        "-score", "name_length", "position", "code"
    )


@dataclass(frozen=True)
class Hit:
    item: ServiceItem
    matched_in: str  # where the first term was found: "name", "keywords" or "guide"


def hits(items: Iterable[ServiceItem], query: str) -> list[Hit]:
    terms = terms_of(query)
    found = []
    for item in items:
        weight = next(
            (w for field, w in WEIGHTS.items() if terms and terms[0] in getattr(item, field)), 1
        )
        found.append(Hit(item=item, matched_in=MATCHED_IN[weight]))
    return found
