"""Monitoring: liveness, readiness with its checks, and Prometheus metrics for allowed hosts."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from linli.core.worker import beat
from tests.core.worker_jobs import slow_job


@pytest.fixture
def client(db) -> Client:
    return Client()


def test_liveness_touches_nothing(client, django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        assert client.get(reverse("health_live")).json() == {"status": "alive"}


def test_ready_needs_a_working_worker(client, django_capture_on_commit_callbacks) -> None:
    alone = client.get(reverse("health_ready"))
    assert alone.status_code == 503
    assert alone.json()["failing"] == ["workers_alive"]
    beat("worker-1")
    with django_capture_on_commit_callbacks(execute=True):
        slow_job.enqueue("/dev/null", 0)
    ready = client.get(reverse("health_ready"))
    assert ready.status_code == 200
    assert ready.json()["checks"]["workers_alive"] == 1
    assert ready.json()["checks"]["jobs_waiting"] == 1


def test_metrics_for_the_monitoring_host_only(client, settings) -> None:
    client.get(reverse("health_live"))
    body = client.get(reverse("metrics")).content.decode()
    assert 'linli_http_requests_total{method="GET",route="health_live",status="200"}' in body
    assert "linli_jobs_waiting 0.0" in body and "linli_database_up 1.0" in body
    settings.METRICS_ALLOW = ["10.1.0.0/16"]
    assert client.get(reverse("metrics")).status_code == 404
    assert Client(REMOTE_ADDR="10.1.2.3").get(reverse("metrics")).status_code == 200
