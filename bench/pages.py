"""Benchmark: every page of every role on the demo data, its server time and HTML size.

    .venv/bin/python bench/pages.py [--quick] [--database URL]

1. Creates a PostgreSQL database of its own (``postgres://postgres@127.0.0.1:5432``, or
   ``LINLI_BENCH_PG`` for the server), migrates it and loads the demo (``manage.py demo``: 2,600
   enterprises, a year of cases…; the loader has no smaller size, so ``--quick`` loads the
   same). The database is dropped at the end, whatever happens. ``--database`` uses an existing
   database with the demo instead, and keeps it.
2. Starts linli under gunicorn (one sync worker, ``DEBUG`` off) and signs every demo account of
   the first home in through the login form.
3. For each account, crawls the site from its home page: every same-site link of every page it
   opens (not the API, exports, downloads or signing out), one URL per URL pattern (``--quick``)
   or up to three (full run). One request at a time, so a page's time is the server's (the
   client reads it on loopback with a kept-alive connection: time to the last byte). The full
   run takes the median of three requests per page; ``--quick`` one.

Prints ONE JSON line: the pages opened, their p50 and p95 time, the slowest and the largest page
(URL pattern, role, URL, milliseconds, KB of HTML), every page over 300 ms or 150 KB, any page
that did not answer 200, the load average before and after, and whether the targets hold (every
page ≤ 300 ms and ≤ 150 KB, p95 ≤ 100 ms). Exits non-zero when a page failed.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import io
import json
import os
import re
import statistics
import sys
import time
from collections import deque
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.http_harness import (  # noqa: E402
    bench_database,
    free_port,
    gunicorn,
    percentile,
    server_environment,
)
from bench.soak import sign_in  # noqa: E402

# The accounts of the first demo home (registry/demo/accounts.yaml, and the cases step's
# dispatcher): one per role.
ACCOUNTS = (
    "admin",
    "subadmin",
    "leader",
    "handler",
    "dispatcher",
    "window",
    "grid",
    "butler",
    "ambassador",
    "building",
    "enterprise",
    "resident",
)
TARGET_MS, TARGET_KB, TARGET_P95_MS = 300.0, 150.0, 100.0
QUICK_PER_PATTERN, FULL_PER_PATTERN = 1, 3
QUICK_REPEATS, FULL_REPEATS = 1, 3
MAX_PAGES_PER_ROLE = 600  # a bound, whatever the links say
LINK = re.compile(r'<a\b[^>]*?\bhref="([^"]+)"', re.I)
# Not pages: the API, machine formats, files, signing out, the language switch, Django's admin.
SKIP = re.compile(
    r"^/(api|open311|static|media|admin|i18n|accounts/logout|metrics|health)\b"
    r"|\.(xlsx|pdf|csv|ics|json|geojson|xml|zip|png|jpe?g|svg|webp)(\?|$)"
    r"|export|download|/print/",
)


@dataclass
class Page:
    role: str
    url: str
    pattern: str
    status: int
    ms: float
    kb: float

    def row(self) -> dict[str, object]:
        return {
            "pattern": self.pattern,
            "role": self.role,
            "url": self.url,
            "ms": round(self.ms, 1),
            "kb": round(self.kb, 1),
        }


def seed(load: bool) -> str:
    """Migrate and load the demo unless ``load`` is off; the demo password."""
    import django

    django.setup()
    from django.core.management import call_command

    if load:
        call_command("migrate", verbosity=0)
        call_command("demo", stdout=io.StringIO())  # the accounts table stays off the JSON line
    from linli.core.demo import DEMO_PASSWORD

    return DEMO_PASSWORD


def pattern_of(path: str) -> str | None:
    """The URL pattern a path resolves to (``park/buildings/<int:pk>/enterprises/``), or None
    for a path that is no page of linli."""
    from django.urls import Resolver404, resolve

    try:
        match = resolve(path)
    except Resolver404:
        return None
    return "/" + match.route


def links(html: str) -> list[str]:
    """The same-site paths a page links to, in page order."""
    found = []
    for href in LINK.findall(html):
        url, _ = urldefrag(unescape(href))
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not SKIP.search(path):
            found.append(path)
    return found


def fetch(connection: http.client.HTTPConnection, path: str, cookie: str) -> tuple[int, str, float]:
    """GET ``path``: status, body (HTML only, else empty; a redirect's target) and seconds to
    the last byte."""
    began = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": cookie, "Accept-Language": "zh-hans"})
    response = connection.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - began
    if response.status in (301, 302, 303, 307, 308):
        return response.status, response.getheader("Location", ""), elapsed
    html = response.getheader("Content-Type", "").startswith("text/html")
    return response.status, body.decode() if html else "", elapsed


def crawl(port: int, role: str, cookie: str, per_pattern: int, repeats: int) -> list[Page]:
    """Breadth first from the home page, ``per_pattern`` URLs of each URL pattern."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    seen: set[str] = {"/"}
    taken: dict[str, int] = {}
    queue = deque(["/"])
    pages: list[Page] = []
    try:
        while queue and len(pages) < MAX_PAGES_PER_ROLE:
            path = queue.popleft()
            pattern = pattern_of(path.split("?")[0])
            if pattern is None or taken.get(pattern, 0) >= per_pattern:
                continue
            taken[pattern] = taken.get(pattern, 0) + 1
            times = []
            for _ in range(repeats):
                status, html, elapsed = fetch(connection, path, cookie)
                times.append(elapsed)
            if 300 <= status < 400:
                target = urlsplit(html)
                forward = target.path + (f"?{target.query}" if target.query else "")
                if not target.netloc and forward not in seen:  # e.g. to one's own building
                    taken[pattern] -= 1
                    seen.add(forward)
                    queue.appendleft(forward)
                continue
            if status == 200 and not html:
                continue  # a file, not a page
            size = len(html.encode())
            pages.append(
                Page(role, path, pattern, status, statistics.median(times) * 1000, size / 1024)
            )
            for link in links(html):
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
    finally:
        connection.close()
    return pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one URL per pattern, one request")
    parser.add_argument(
        "--database",
        default="",
        help="an existing database with the demo loaded (kept afterwards): no throw-away "
        "database, migration or demo loading",
    )
    args = parser.parse_args()
    per_pattern = QUICK_PER_PATTERN if args.quick else FULL_PER_PATTERN
    repeats = QUICK_REPEATS if args.quick else FULL_REPEATS

    own = bench_database("pages") if not args.database else contextlib.nullcontext(args.database)
    with own as url:
        env = server_environment(url)
        began = time.perf_counter()
        password = seed(load=not args.database)
        seeded = time.perf_counter() - began
        from django.db import connections

        connections.close_all()
        port = free_port()
        with gunicorn("linli.wsgi:application", env, port, workers=1, threads=1, backlog=64):
            load_start = os.getloadavg()
            began = time.perf_counter()
            pages: list[Page] = []
            for role in ACCOUNTS:
                cookie = sign_in(port, role, password)
                pages += crawl(port, role, cookie, per_pattern, repeats)
            crawled = time.perf_counter() - began
            load_end = os.getloadavg()

    ok = [p for p in pages if p.status == 200]
    failed = [{"status": p.status, **p.row()} for p in pages if p.status != 200]
    times = sorted(p.ms for p in ok)
    slow = sorted((p for p in ok if p.ms > TARGET_MS), key=lambda p: -p.ms)
    large = sorted((p for p in ok if p.kb > TARGET_KB), key=lambda p: -p.kb)
    p95 = percentile(times, 0.95)
    line = {
        "bench": "pages",
        "mode": "quick" if args.quick else "full",
        "seed_s": round(seeded, 1),
        "crawl_s": round(crawled, 1),
        "roles": len(ACCOUNTS),
        "pages": len(pages),
        "patterns": len({p.pattern for p in pages}),
        "failed": failed,
        "p50_ms": round(statistics.median(times), 1) if times else None,
        "p95_ms": round(p95, 1),
        "slowest": max(ok, key=lambda p: p.ms).row() if ok else None,
        "largest": max(ok, key=lambda p: p.kb).row() if ok else None,
        "over_300ms": [p.row() for p in slow],
        "over_150kb": [p.row() for p in large],
        "loadavg_start": [round(x, 2) for x in load_start],
        "loadavg_end": [round(x, 2) for x in load_end],
        "targets": {"page_ms": TARGET_MS, "page_kb": TARGET_KB, "p95_ms": TARGET_P95_MS},
        "targets_met": {
            "page_ms": not slow,
            "page_kb": not large,
            "p95_ms": p95 <= TARGET_P95_MS,
        },
    }
    print(json.dumps(line, ensure_ascii=False))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
