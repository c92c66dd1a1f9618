"""What an operator's monitoring asks: is the web process alive, is linli ready to serve (the
database answers, a worker is beating, the queue is not stuck), and Prometheus metrics.

- ``/health/live``: 200 while the process answers; touches nothing else.
- ``/health/ready``: 200 or 503 with each check: database, workers alive, jobs waiting and the
  age of the oldest, audit entries not linked yet.
- ``/metrics``: Prometheus text format, for the addresses in ``LINLI_METRICS_ALLOW``.
"""

from __future__ import annotations

import ipaddress
import os
import time
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import resolve
from django.views.decorators.cache import never_cache
from django_tasks_db.models import DBTaskResult
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector

from linli.core import clock
from linli.core.models import AuditEntry, WorkerHeartbeat
from linli.core.throttle import client_ip
from linli.core.worker import LEASE

# A job waiting longer than this means no worker takes jobs: not ready.
STUCK_AFTER_SECONDS = 600

REQUESTS = Counter(
    "linli_http_requests_total", "HTTP requests answered", ["method", "route", "status"]
)
LATENCY = Histogram(
    "linli_http_request_seconds",
    "Time to answer an HTTP request",
    ["route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


def _route(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Exception:
            return "unknown"
    return match.view_name or "unknown"


class MetricsMiddleware:
    """Count every request by route and status, and time it."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response: HttpResponse = self.get_response(request)
        route = _route(request)
        REQUESTS.labels(request.method, route, str(response.status_code)).inc()
        LATENCY.labels(route).observe(time.perf_counter() - started)
        return response


def live(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "alive"})


def checks() -> dict[str, Any]:
    now = clock.now()
    result: dict[str, Any] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        result["database"] = "ok"
    except Exception as exc:
        result["database"] = f"unavailable: {type(exc).__name__}"
        return result
    result["workers_alive"] = WorkerHeartbeat.objects.filter(beat_at__gte=now - LEASE).count()
    waiting = DBTaskResult.objects.ready()
    result["jobs_waiting"] = waiting.count()
    oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    result["oldest_waiting_seconds"] = int((now - oldest).total_seconds()) if oldest else 0
    result["audit_unlinked"] = AuditEntry.objects.filter(link__isnull=True).count()
    return result


def problems(found: dict[str, Any]) -> list[str]:
    out = []
    if found["database"] != "ok":
        out.append("database")
        return out
    if found["workers_alive"] == 0:
        out.append("workers_alive")
    if found["oldest_waiting_seconds"] > STUCK_AFTER_SECONDS:
        out.append("oldest_waiting_seconds")
    return out


@never_cache
def ready(request: HttpRequest) -> HttpResponse:
    found = checks()
    failing = problems(found)
    return JsonResponse(
        {"status": "not ready" if failing else "ready", "failing": failing, "checks": found},
        status=503 if failing else 200,
    )


def _allowed(request: HttpRequest) -> bool:
    address = ipaddress.ip_address(client_ip(request))
    return any(
        address in ipaddress.ip_network(net.strip(), strict=False)
        for net in settings.METRICS_ALLOW
        if net.strip()
    )


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    try:
        if not _allowed(request):
            return HttpResponse(status=404)
    except ValueError:
        return HttpResponse(status=404)
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)  # the counts of every gunicorn worker process
    else:
        from prometheus_client import REGISTRY

        registry = REGISTRY
    found = checks()
    state = CollectorRegistry()
    for name, value in found.items():
        if isinstance(value, int):
            Gauge(f"linli_{name}", f"linli readiness figure {name}", registry=state).set(value)
    Gauge("linli_database_up", "1 when the database answers", registry=state).set(
        1 if found["database"] == "ok" else 0
    )
    body = generate_latest(registry) + generate_latest(state)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
