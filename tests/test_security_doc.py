"""docs/security.md cannot rot silently: every file, test and setting it points at exists, every
ASVS 5.0.0 level 1 and 2 requirement has exactly one row, its summary counts match its rows, and
every gap it cites is in its gap list."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
STATUSES = ("met", "partly", "n/a", "gap")
# ASVS 5.0.0 has 70 level-1 and 183 level-2 requirements (345 with level 3).
REQUIREMENTS = {"L1": 70, "L2": 183}

CODE = re.compile(r"`([^`\n]+)`")
PATH = re.compile(r"^(?:tests|linli|deploy|docs|bench|requirements|\.ci)/[\w./*-]*$")
TEST = re.compile(r"^(tests/[\w/]+\.py)::(\w+)(?:\[.*\])?$")
NAMED = re.compile(r"^((?:linli|tests)/[\w/]+\.py): (\w+)$")
ROW = re.compile(
    r"^\| `v5\.0\.0-(\d+\.\d+\.\d+)` \| (L[12]) \| .* \| \*\*([^*]+)\*\* \| .* \|$", re.M
)


def pointers() -> set[str]:
    return {m for m in CODE.findall(DOC) if "/" in m}


def mentions(relative: str, pattern: str) -> bool:
    path = ROOT / relative
    return path.is_file() and re.search(pattern, path.read_text(encoding="utf-8"), re.M) is not None


def test_every_referenced_file_test_and_name_exists() -> None:
    missing = []
    for ref in sorted(pointers()):
        if test := TEST.match(ref):
            found = mentions(test[1], rf"^\s*def {test[2]}\(")
        elif named := NAMED.match(ref):
            found = mentions(named[1], rf"\b{named[2]}\b")
        elif PATH.match(ref):
            paths = list(ROOT.glob(ref)) if "*" in ref else [ROOT / ref]
            found = bool(paths) and all(p.exists() for p in paths)
        else:
            continue  # a URL path, a header or a value, not a file in the repository
        if not found:
            missing.append(ref)
    assert missing == []


def test_the_doc_points_at_tests_and_modules() -> None:
    refs = pointers()
    assert sum(bool(TEST.match(r)) for r in refs) > 50
    assert any(r.startswith("linli/") for r in refs)


def test_every_relative_link_resolves() -> None:
    links = re.findall(r"\]\(([\w-]+\.md)(?:#[\w-]+)?\)", DOC)
    assert links
    assert [link for link in links if not (ROOT / "docs" / link).is_file()] == []


def test_each_asvs_requirement_has_one_row_and_the_summary_counts_them() -> None:
    rows = ROW.findall(DOC)
    ids = [rid for rid, _level, _status in rows]
    assert len(ids) == len(set(ids)), "a requirement has two rows"
    assert {s for _r, _l, s in rows} <= set(STATUSES)
    for level, expected in REQUIREMENTS.items():
        counts = Counter(status for _r, lv, status in rows if lv == level)
        assert sum(counts.values()) == expected, level
        summary = f"| {level} | " + " | ".join(str(counts[s]) for s in STATUSES)
        assert f"{summary} | {expected} |" in DOC, f"the summary for {level} is out of date"


def test_every_cited_gap_is_in_the_gap_list() -> None:
    listed = set(re.findall(r"^\d+\. \*\*(G\d+)(?: \(closed\))?\.", DOC, re.M))
    cited = set(re.findall(r"\b(G\d+)\b", DOC))
    assert listed
    assert cited - listed == set()
