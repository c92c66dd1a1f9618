"""Every user-facing string is translated: no missing, empty or fuzzy entry in the catalogs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "linli" / "locale"
CATALOGS = {lang: LOCALE / lang / "LC_MESSAGES" / "django.po" for lang in ("zh_Hans", "en")}


def parse_po(path: Path) -> list[dict]:
    """A small .po reader: msgid, msgid_plural, msgstr[n] and flags per entry."""
    entries: list[dict] = []
    entry: dict = {"flags": set(), "msgstr": {}}
    key = None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if "msgid" in entry:
                entries.append(entry)
            entry, key = {"flags": set(), "msgstr": {}}, None
            continue
        if line.startswith("#,"):
            entry["flags"].update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif m := re.match(r'^(msgid|msgid_plural|msgctxt|msgstr(?:\[(\d+)\])?) "(.*)"$', line):
            name, index, text = m.group(1), m.group(2), m.group(3)
            if name.startswith("msgstr"):
                key = ("msgstr", int(index or 0))
                entry["msgstr"][key[1]] = text
            else:
                key = (name, None)
                entry[name] = text
        elif line.startswith('"') and key is not None:
            if key[0] == "msgstr":
                entry["msgstr"][key[1]] += line[1:-1]
            else:
                entry[key[0]] += line[1:-1]
    return [e for e in entries if e.get("msgid")]


@pytest.mark.parametrize("lang", ["zh_Hans", "en"])
def test_catalog_has_no_missing_or_fuzzy_entry(lang):
    entries = parse_po(CATALOGS[lang])
    assert entries, f"{lang} catalog is empty"
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    missing = [e["msgid"] for e in entries if not all(e["msgstr"].values())]
    assert not fuzzy, f"fuzzy {lang} entries: {fuzzy[:20]}"
    assert not missing, f"untranslated {lang} entries: {missing[:20]}"


def test_chinese_catalog_is_really_chinese():
    """A copied-through English msgstr would pass the emptiness check but not help anyone."""
    entries = parse_po(CATALOGS["zh_Hans"])
    han = re.compile(r"[\u4e00-\u9fff]")
    latin_only = [
        e["msgid"]
        for e in entries
        if re.search(r"[A-Za-z]{3,}", e["msgid"])
        and not any(han.search(s) for s in e["msgstr"].values())
        and e["msgid"] not in ALLOWED_SAME
    ]
    assert not latin_only, f"zh_Hans entries without Chinese: {latin_only[:20]}"


# Proper names, codes and units that read the same in both languages.
ALLOWED_SAME = {"linli", "English", "Open311", "API", "GeoJSON", "CSV", "Excel", "TOTP", "QR"}


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (xgettext)")
def test_every_source_string_is_in_the_catalog(tmp_path):
    """Run makemessages on a copy of the code and compare its msgids with the committed ones."""
    copy = tmp_path / "linli"
    shutil.copytree(
        ROOT / "linli",
        copy,
        ignore=shutil.ignore_patterns("static", "__pycache__", "migrations", "library", "engine"),
    )
    env = {**os.environ, "LINLI_LOCALE_DIR": str(copy / "locale")}
    (copy / "locale").mkdir(exist_ok=True)
    subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "makemessages", "-l", "zh_Hans", "--no-location"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    extracted = {
        e["msgid"] for e in parse_po(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    }
    committed = {e["msgid"] for e in parse_po(CATALOGS["zh_Hans"])}
    assert not extracted - committed, (
        f"not in the catalog yet: {sorted(extracted - committed)[:20]}"
    )
