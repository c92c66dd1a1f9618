"""Failures outside the user's input get a clear answer in the user's language, never a bare
"Server Error (500)": bad text in JSON is a 422 naming the field, a body over the limit a 413, a
database that is down or locked a 503 with Retry-After, anything else a 500 whose reference is
also in the log line of its traceback."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from linli.registry.models import Facility

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def admin_client(subdistrict, make_user, client_for):
    return client_for(make_user("subdistrict_admin", subdistrict))


def post_json(client, url: str, body: str):
    return client.post(url, body, content_type="application/json")


FACILITY = {"code": "F-1", "name": "Day care", "category": "park", "entrances": [[121.45, 31.24]]}


@pytest.mark.parametrize("bad", ["x \ud800", "a\x00b"])
def test_text_no_database_can_hold_is_a_422_naming_the_field(admin_client, bad) -> None:
    body = json.dumps({**FACILITY, "name": bad})  # "\ud800" stays an escape in the JSON text
    response = post_json(admin_client, reverse("api:create_facility"), body)
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["name"]
    with scopes_disabled():
        assert not Facility.objects.exists()


def test_a_body_over_the_limit_is_a_413_in_the_error_shape(admin_client, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = json.dumps({**FACILITY, "address": "x" * 5000})
    response = post_json(admin_client, reverse("api:create_facility"), body)
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_an_unexpected_error_is_a_500_with_a_reference_in_the_log(
    admin_client, monkeypatch, caplog
) -> None:
    from linli.registry import views

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(views, "listed", broken)
    admin_client.raise_request_exception = False
    page = admin_client.get(reverse("registry:list", kwargs={"kind": "facility"}))
    assert page.status_code == 500
    reference = page["X-Request-ID"]
    assert reference in page.content.decode()
    assert any(
        getattr(record, "request_id", None) == reference and record.exc_info
        for record in caplog.records
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(database_url: str, tmp_path: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "LINLI_DB_LOCK_TIMEOUT": "1",
        "LINLI_DEBUG": "0",
        "LINLI_ALLOWED_HOSTS": "127.0.0.1",
    }
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "linli.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "server.log").open("w"),
    )
    for _ in range(100):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return server, f"127.0.0.1:{port}"
        time.sleep(0.1)
    server.kill()
    raise AssertionError((tmp_path / "server.log").read_text())


def get(host: str, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], str]:
    import http.client

    connection = http.client.HTTPConnection(host, timeout=30)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    return response.status, dict(response.getheaders()), response.read().decode()


@pytest.mark.parametrize("failure", ["down", "locked"])
def test_a_database_that_is_down_or_locked_is_a_503_to_try_again(tmp_path, failure) -> None:
    if failure == "down":
        with socket.socket() as s:  # a port nobody listens on
            s.bind(("127.0.0.1", 0))
            url = f"postgres://postgres@127.0.0.1:{s.getsockname()[1]}/linli"
        holder = None
    else:
        path = tmp_path / "locked.sqlite3"
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("CREATE TABLE t (x)")
        holder.execute("BEGIN EXCLUSIVE")  # another process holding the database
        url = f"sqlite:///{path}"
    server, host = serve(url, tmp_path)
    try:
        api = get(host, "/api/v1/registry/facilities", {"Authorization": "Bearer ll_x"})
        chinese = get(
            host,
            "/api/v1/registry/facilities",
            {"Authorization": "Bearer ll_x", "Accept-Language": "zh-hans"},
        )
    finally:
        server.terminate()
        server.wait(10)
        if holder is not None:
            holder.close()
    status, headers, body = api
    assert status == 503, body
    assert headers["Retry-After"] == "30"
    assert json.loads(body)["code"] == "unavailable"
    assert "请" in json.loads(chinese[2])["message"]


def test_403_and_404_are_pages_of_the_site_in_the_readers_language(
    subdistrict, make_user, client_for
) -> None:
    resident = client_for(make_user("resident", subdistrict))
    forbidden = resident.get(reverse("audit_log"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert forbidden.status_code == 403
    page = forbidden.content.decode()
    assert "您的角色无权" in page and 'class="topbar"' in page  # in the site's frame, in Chinese
    missing = resident.get("/registry/facility/999999/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert missing.status_code == 404
    assert "找不到" in missing.content.decode()
    api = resident.get("/api/v1/registry/facilities/999999")
    assert api.status_code == 404 and api.json()["code"] == "not_found"


def test_the_api_docs_load_nothing_from_the_internet(subdistrict, make_user, client_for) -> None:
    import re

    page = client_for(make_user("handler", subdistrict)).get("/api/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("/") for s in sources), sources
