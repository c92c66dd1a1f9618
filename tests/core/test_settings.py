"""Production refuses insecure defaults, and passes Django's deployment checks when configured."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parents[2]
SETUP = "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'linli.settings'; django.setup()"

GOOD = {
    "LINLI_SECRET_KEY": "k8#Zq2vR!mT7wYp4sLx9nB3cF6hJ1dG5aE0uI-oK_rN8tV2yW4zQ7xC9bM3",
    "LINLI_FIELD_KEY": "f1E9rT4yU7iO2pA5sD8fG3hJ6kL0zX_cVbNm",
    "LINLI_ALLOWED_HOSTS": "linli.example.org",
}


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("LINLI_", "DJANGO_"))}
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_the_insecure_defaults() -> None:
    result = run(["-c", SETUP], LINLI_ENV="production")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    for variable in ("LINLI_SECRET_KEY", "LINLI_FIELD_KEY", "LINLI_ALLOWED_HOSTS"):
        assert variable in result.stderr


def load_settings(monkeypatch, **env: str) -> dict:
    """Execute linli/settings.py afresh under the given environment (fast: no subprocess)."""
    for name in list(os.environ):
        if name.startswith("LINLI_"):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "linli" / "settings.py"))


@pytest.mark.parametrize(
    ("override", "named"),
    [
        ({"LINLI_SECRET_KEY": "short"}, "LINLI_SECRET_KEY"),
        ({"LINLI_FIELD_KEY": "insecure-development-field-key"}, "LINLI_FIELD_KEY"),
        ({"LINLI_DEBUG": "1"}, "LINLI_DEBUG"),
        ({"LINLI_ALLOWED_HOSTS": ""}, "LINLI_ALLOWED_HOSTS"),
    ],
)
def test_production_names_the_one_bad_setting(monkeypatch, override, named) -> None:
    with pytest.raises(ImproperlyConfigured) as exc:
        load_settings(monkeypatch, LINLI_ENV="production", **{**GOOD, **override})

    others = {"LINLI_SECRET_KEY", "LINLI_FIELD_KEY", "LINLI_DEBUG", "LINLI_ALLOWED_HOSTS"} - {named}
    assert named in str(exc.value)
    assert not any(o in str(exc.value) for o in others)


def test_production_settings_are_secure(monkeypatch) -> None:
    values = load_settings(monkeypatch, LINLI_ENV="production", **GOOD)
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["ALLOWED_HOSTS"] == ["linli.example.org"]
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"


def test_development_starts_with_the_defaults(monkeypatch) -> None:
    values = load_settings(monkeypatch)
    assert values["DEBUG"] is True
    assert values["TIME_ZONE"] == "Asia/Shanghai"
    assert values["LANGUAGE_CODE"] == "zh-hans"


def test_configured_production_passes_the_deploy_checks() -> None:
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        LINLI_ENV="production",
        **GOOD,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
