"""Benchmark: the cases API over HTTP, under gunicorn on PostgreSQL, against a bare Django view.

    .venv/bin/python bench/cases_http.py [--quick] [--clients 32] [--seconds 20]

1. Creates a PostgreSQL database of its own (``postgres://postgres@127.0.0.1:5432``, or
   ``LINLI_BENCH_PG`` for the server), migrates it and writes one sub-district with 100,000
   cases (``--quick``: 10,000) spread over a year, every state and category, with their
   reporters; the database is dropped at the end, whatever happens.
2. Starts linli under gunicorn on a loopback port, ``DEBUG`` off, as docs/operator-guide.md
   deploys it: sync workers (one request at a time each, 2 per CPU) behind a proxy, so every
   request is a connection of its own and waits in the kernel's queue in arrival order. (With
   ``--worker-class gthread`` each worker keeps the keep-alive connections it accepted and
   serves them in turn, so the median drops and the slowest twentieth waits two to four times
   as long.) The same gunicorn serves one extra URL that only this benchmark mounts
   (``/api/bench/bare``): a bare Django view returning a small JSON body. It sits behind the
   same middleware and is called with the same bearer token, so the comparison measures what
   the cases endpoints add on top of Django itself.
3. Drives each endpoint in turn with concurrent clients (threads with ``http.client``
   connections, loopback only, kept alive where the server allows): the bare view, case creation
   (``POST /api/v1/cases`` with a resident's token) and the staff list
   (``GET /api/v1/cases``, a dispatcher's token, newest first, 50 a page, pages 1–5).

Prints ONE JSON line: requests/s and p50/p95 latency for each, each endpoint's ratio to the
bare view's requests/s, and whether the targets of a full run hold (ratio ≥ 0.5 and p95 ≤ 150 ms
at 32 clients). Exits non-zero when a request fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

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

FULL_CASES, QUICK_CASES = 100_000, 10_000
TARGET_RATIO, TARGET_P95_MS, TARGET_CLIENTS = 0.5, 150.0, 32
CODE = "310106990"
BARE_PATH = "/api/bench/bare"

# --- what gunicorn serves ----------------------------------------------------------------
# gunicorn imports this module as ``bench.cases_http`` and serves ``application``: linli's own
# URLconf plus the bare view, and nothing else differs from a normal deployment.

urlpatterns: list[Any] = []


def bare(request: Any) -> Any:
    from django.http import JsonResponse

    return JsonResponse({"ok": True, "user": request.user.pk})


def _application() -> Any:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
    import django
    from django.conf import settings

    django.setup()
    from django.urls import path

    import linli.web.urls

    urlpatterns[:] = [path(BARE_PATH.lstrip("/"), bare), *linli.web.urls.urlpatterns]
    settings.ROOT_URLCONF = __name__
    from django.core.wsgi import get_wsgi_application
    from django.urls import resolve

    handler = get_wsgi_application()
    # Loaded before gunicorn forks (--preload): no worker pays for importing the API on its
    # first request while being measured.
    resolve(BARE_PATH)
    resolve("/api/v1/cases")
    return handler


if os.environ.get("LINLI_BENCH_SERVE") == "1" and __name__ != "__main__":
    application = _application()


# --- the database ------------------------------------------------------------------------


def seed(cases: int) -> dict[str, str]:
    """Migrate and write the sub-district, its people and ``cases`` cases; return API keys."""
    import django

    django.setup()
    from django.core.management import call_command
    from django_scopes import scopes_disabled

    call_command("migrate", verbosity=0)
    from linli.cases.models import (
        Case,
        CaseCounter,
        CaseReporter,
        Category,
        Channel,
        Satisfaction,
        Stage,
        State,
    )
    from linli.core.models import Membership, Organisation, Subdistrict, User
    from linli.core.tokens import issue_token
    from linli.registry.models import Grid

    rng = random.Random(20260107)
    area = [[121.450, 31.230], [121.468, 31.230], [121.468, 31.244], [121.450, 31.244]]
    with scopes_disabled():
        sd = Subdistrict.objects.create(code=CODE, name="Bench Street", is_synthetic=True)
        centre = Organisation.objects.create(
            subdistrict=sd, kind="dispatch_centre", code="CYZX", name="Operations Centre"
        )
        departments = [
            Organisation.objects.create(
                subdistrict=sd, kind="department", code=f"D{n}", name=f"Department {n}"
            )
            for n in range(1, 9)
        ]
        grids = [
            Grid.objects.create(
                subdistrict=sd,
                code=f"G{n:02d}",
                name=f"Grid {n}",
                organisation=centre,
                polygon={
                    "type": "Polygon",
                    "coordinates": [
                        [
                            [121.450 + 0.0045 * n, 31.230],
                            [121.4545 + 0.0045 * n, 31.230],
                            [121.4545 + 0.0045 * n, 31.244],
                            [121.450 + 0.0045 * n, 31.244],
                            [121.450 + 0.0045 * n, 31.230],
                        ]
                    ],
                },
            )
            for n in range(4)
        ]
        parent = Category.objects.create(
            subdistrict=sd, code="INC", name="Incidents", kind="incident"
        )
        categories = [
            Category.objects.create(
                subdistrict=sd,
                code=f"INC-{n}",
                name=f"Incident kind {n}",
                kind="incident",
                parent=parent,
                allows_anonymous=True,
            )
            for n in range(1, 11)
        ]
        dispatcher = User.objects.create(username="bench-dispatcher", email="d@bench.example")
        resident = User.objects.create(username="bench-resident", email="r@bench.example")
        Membership.objects.create(
            subdistrict=sd, user=dispatcher, role="handler", organisation=centre
        )
        Membership.objects.create(subdistrict=sd, user=resident, role="resident")
        now = dt.datetime.now(dt.UTC)
        open_states = [s for s in State.values if s not in ("closed", "rejected", "merged")]
        rows, reporters = [], []
        for n in range(1, cases + 1):
            received = now - dt.timedelta(seconds=rng.randrange(365 * 86400))
            closed = rng.random() < 0.92
            state = State.CLOSED if closed else rng.choice(open_states)
            deadline = None if closed else received + dt.timedelta(days=rng.randint(1, 9))
            grid = rng.choice(grids)
            rows.append(
                Case(
                    subdistrict=sd,
                    number=f"{received.year}-{n:06d}",
                    category=rng.choice(categories),
                    channel=rng.choice(Channel.values),
                    title=f"Bench case {n}",
                    description="Batteries charged in the stairwell over a private wire.",
                    lon=rng.uniform(area[0][0], area[1][0]),
                    lat=rng.uniform(area[0][1], area[2][1]),
                    address=f"{rng.randint(1, 900)} Kangding Road",
                    grid=grid,
                    state=state,
                    lead_organisation=rng.choice(departments),
                    received_at=received,
                    dispatched_at=received + dt.timedelta(hours=2),
                    closed_at=received + dt.timedelta(days=3) if closed else None,
                    stage="" if closed else Stage.RESOLVE,
                    stage_started_at=None if closed else received,
                    stage_deadline=deadline,
                    reminder_at=deadline,
                    resolve_deadline=deadline,
                    satisfaction=Satisfaction.SATISFIED if closed else "",
                    routed_organisation=centre,
                    routing_reason="Bench",
                )
            )
        Case.objects.bulk_create(rows, batch_size=5000)
        for case in rows:
            reporters.append(
                CaseReporter(subdistrict=sd, case=case, user=resident, added_at=case.received_at)
            )
        CaseReporter.objects.bulk_create(reporters, batch_size=5000)
        for year in {r.received_at.year for r in rows} | {now.year}:
            CaseCounter.objects.create(subdistrict=sd, year=year, last=cases)
        # What autovacuum does within the minute after a bulk load: statistics for the
        # planner, and the visibility map that lets a count read the index alone.
        with django.db.connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        keys = {
            "staff": issue_token(dispatcher, sd, "bench")[1],
            "resident": issue_token(resident, sd, "bench")[1],
        }
    return keys


# --- the clients -------------------------------------------------------------------------


class Load:
    """``clients`` threads, each with its own keep-alive connection, for ``seconds``."""

    def __init__(self, port: int, clients: int, seconds: float) -> None:
        self.port, self.clients, self.seconds = port, clients, seconds

    def run(self, request: Any) -> dict[str, Any]:
        latencies: list[list[float]] = [[] for _ in range(self.clients)]
        failures: list[str] = []
        start_line = threading.Barrier(self.clients + 1)
        stop = threading.Event()

        def client(i: int) -> None:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            rng = random.Random(i)
            start_line.wait()
            while not stop.is_set():
                method, path, body, headers, expected = request(rng, i)
                began = time.perf_counter()
                try:
                    connection.request(method, path, body=body, headers=headers)
                    response = connection.getresponse()
                    payload = response.read()
                except (OSError, http.client.HTTPException) as exc:
                    failures.append(repr(exc))
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                    continue
                if stop.is_set():
                    break
                latencies[i].append(time.perf_counter() - began)
                if response.status != expected:
                    failures.append(f"{response.status} {payload[:200]!r}")
            connection.close()

        threads = [threading.Thread(target=client, args=(i,)) for i in range(self.clients)]
        for thread in threads:
            thread.start()
        start_line.wait()
        began = time.perf_counter()
        time.sleep(self.seconds)
        stop.set()
        elapsed = time.perf_counter() - began
        for thread in threads:
            thread.join()
        every = sorted(x for per_client in latencies for x in per_client)
        if not every:
            raise RuntimeError(f"no request succeeded: {failures[:3]}")
        return {
            "requests": len(every),
            "rps": round(len(every) / elapsed, 1),
            "p50_ms": round(statistics.median(every) * 1000, 1),
            "p95_ms": round(percentile(every, 0.95) * 1000, 1),
            "failures": len(failures),
            "first_failure": failures[0] if failures else "",
        }


def scenarios(keys: dict[str, str]) -> dict[str, Any]:
    staff = {"Authorization": f"Bearer {keys['staff']}", "Accept": "application/json"}
    resident = {
        "Authorization": f"Bearer {keys['resident']}",
        "Content-Type": "application/json",
        "Accept": "application/json",
    }

    def peer(rng: random.Random, i: int) -> tuple:
        return "GET", BARE_PATH, None, staff, 200

    def create(rng: random.Random, i: int) -> tuple:
        body = {
            "category": f"INC-{rng.randint(1, 10)}",
            "description": "Batteries charged in the stairwell over a private wire.",
            "channel": "api",
            "lon": round(rng.uniform(121.450, 121.468), 6),
            "lat": round(rng.uniform(31.230, 31.244), 6),
            "address": f"{rng.randint(1, 900)} Kangding Road",
        }
        return "POST", "/api/v1/cases", json.dumps(body), resident, 201

    def staff_list(rng: random.Random, i: int) -> tuple:
        page = rng.randint(1, 5)
        return "GET", f"/api/v1/cases?page={page}&page_size=50", None, staff, 200

    return {"bare": peer, "create": create, "list": staff_list}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 cases, shorter runs")
    parser.add_argument("--clients", type=int, default=TARGET_CLIENTS)
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--workers", type=int, default=0, help="default: 2 per CPU")
    parser.add_argument("--threads", type=int, default=1, help="per worker (gthread)")
    parser.add_argument(
        "--worker-class",
        default="sync",
        choices=["sync", "gthread"],
        help="sync, as docs/operator-guide.md deploys linli behind a proxy (default)",
    )
    args = parser.parse_args()
    cases = QUICK_CASES if args.quick else FULL_CASES
    seconds = args.seconds or (6.0 if args.quick else 20.0)
    workers = args.workers or 2 * (os.cpu_count() or 1)

    with bench_database("cases") as url:
        env = server_environment(url)
        began = time.perf_counter()
        keys = seed(cases)
        seeded = time.perf_counter() - began
        from django.db import connections

        connections.close_all()
        port = free_port()
        results: dict[str, Any] = {}
        with gunicorn(
            "bench.cases_http:application",
            {**env, "LINLI_BENCH_SERVE": "1"},
            port,
            workers,
            args.threads,
            backlog=256,
            worker_class=args.worker_class,
        ):
            load = Load(port, args.clients, seconds)
            for name, request in scenarios(keys).items():
                Load(port, args.clients, 3.0).run(request)  # warm up
                results[name] = load.run(request)
    bare_rps = results["bare"]["rps"]
    for name in ("create", "list"):
        results[name]["ratio"] = round(results[name]["rps"] / bare_rps, 3) if bare_rps else None
    met = all(
        results[n]["ratio"] is not None
        and results[n]["ratio"] >= TARGET_RATIO
        and results[n]["p95_ms"] <= TARGET_P95_MS
        for n in ("create", "list")
    )
    line = {
        "bench": "cases_http",
        "quick": args.quick,
        "cases": cases,
        "seed_s": round(seeded, 1),
        "clients": args.clients,
        "seconds": seconds,
        "server": {
            "worker_class": args.worker_class,
            "workers": workers,
            "threads": args.threads,
            "cpus": os.cpu_count(),
        },
        "bare": results["bare"],
        "create": results["create"],
        "list": results["list"],
        "create_ratio": results["create"]["ratio"],
        "list_ratio": results["list"]["ratio"],
        "targets": {"ratio": TARGET_RATIO, "p95_ms": TARGET_P95_MS, "clients": TARGET_CLIENTS},
        "targets_met": met if not args.quick else None,
    }
    print(json.dumps(line, ensure_ascii=False))
    failed = sum(r["failures"] for r in results.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
