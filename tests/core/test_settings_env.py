"""The joint-inspection merge rule and the relocation-risk points come from the environment like
every other setting, and a wrong value stops start-up with a message naming what is wrong."""

from __future__ import annotations

import datetime as dt
import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from linli.enterprise.retention import risk

ROOT = Path(__file__).resolve().parents[2]
SHOW = (
    "import django, json, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'linli.settings'; "
    "django.setup(); "
    "from linli.enterprise.inspections.merging import merge_rule; "
    "from linli.enterprise.retention.assessment import risk_settings; "
    "s = risk_settings(); "
    "print(json.dumps({'rule': merge_rule(), 'lease_points': s.lease_points, "
    "'tax_drop_percent': s.tax_drop_percent, 'headcount_points': s.headcount_points}))"
)


def load_settings(monkeypatch, **env: str) -> dict:
    """Execute linli/settings.py afresh under the given environment (fast: no subprocess)."""
    for name in list(os.environ):
        if name.startswith("LINLI_"):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "linli" / "settings.py"))


def start(**env: str) -> subprocess.CompletedProcess:
    """Start Django in a fresh interpreter with the given environment and print what it read."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("LINLI_", "DJANGO_"))}
    return subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_without_the_variables_the_defaults_hold(monkeypatch) -> None:
    values = load_settings(monkeypatch)
    assert values["INSPECTION_MERGE_RULE"] == "overlap"
    weights = values["LINLI_RETENTION_RISK"]
    assert weights["lease_points"] == 25 and weights["tax_drop_percent"] == 15.0
    assert "搬迁" in weights["keywords"]
    assert risk.RiskSettings.from_mapping(weights) == risk.RiskSettings()


@pytest.mark.parametrize("given", ["month", " Month "])
def test_the_merge_rule_is_read_from_the_environment(monkeypatch, given) -> None:
    values = load_settings(monkeypatch, LINLI_INSPECTION_MERGE_RULE=given)
    assert values["INSPECTION_MERGE_RULE"] == "month"


def test_an_unknown_merge_rule_names_the_variable_and_the_allowed_values(monkeypatch) -> None:
    with pytest.raises(ImproperlyConfigured) as exc:
        load_settings(monkeypatch, LINLI_INSPECTION_MERGE_RULE="weekly")
    assert str(exc.value) == (
        "LINLI_INSPECTION_MERGE_RULE must be one of overlap, month, not 'weekly'"
    )


def test_risk_points_are_merged_over_the_defaults_and_change_the_score(monkeypatch) -> None:
    given = {"lease_points": 40, "lease_months": 9, "tax_drop_percent": 12.5, "keywords": ["撤离"]}
    values = load_settings(monkeypatch, LINLI_RETENTION_RISK=json.dumps(given))

    weights = values["LINLI_RETENTION_RISK"]
    assert weights["lease_points"] == 40 and weights["lease_months"] == 9
    assert weights["tax_drop_percent"] == 12.5
    assert weights["keywords"] == ("撤离",)
    assert weights["headcount_points"] == 15  # not given: the default
    settings = risk.RiskSettings.from_mapping(weights)
    today = dt.date(2026, 3, 2)
    # A lease ending in eight months is a sign only with the longer horizon, and it weighs 40.
    score = risk.score(
        risk.RiskInput(
            today=today,
            lease_end=risk.add_months(today, 8),
            last_visit=today,
            visit_notes=(risk.VisitNote(today, "公司考虑撤离本区"),),
        ),
        settings,
    )
    assert {f.key: f.points for f in score.factors} == {"lease_ending": 40, "moving_words": 30}


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (
            '{"lease_pointz": 40}',
            "LINLI_RETENTION_RISK: unknown key 'lease_pointz' (known: dissatisfied_cap, ",
        ),
        ('{"lease_points": "high"}', "LINLI_RETENTION_RISK: 'lease_points' must be a whole "),
        ('{"lease_points": true}', "LINLI_RETENTION_RISK: 'lease_points' must be a whole "),
        ('{"lease_points": -5}', "LINLI_RETENTION_RISK: 'lease_points' must be a whole "),
        ('{"lease_months": 6.5}', "LINLI_RETENTION_RISK: 'lease_months' must be a whole "),
        ('{"tax_drop_percent": NaN}', "LINLI_RETENTION_RISK: 'tax_drop_percent' must be a num"),
        ('{"keywords": "搬迁"}', "LINLI_RETENTION_RISK: 'keywords' must be a list of words"),
        ("[25, 15]", "LINLI_RETENTION_RISK must be a JSON object"),
        ("lease_points=40", "LINLI_RETENTION_RISK is not valid JSON"),
    ],
)
def test_a_bad_risk_setting_names_the_variable_and_the_key(monkeypatch, given, message) -> None:
    with pytest.raises(ImproperlyConfigured) as exc:
        load_settings(monkeypatch, LINLI_RETENTION_RISK=given)
    assert str(exc.value).startswith(message)


def test_the_running_application_reads_both_variables() -> None:
    result = start(
        LINLI_INSPECTION_MERGE_RULE="month",
        LINLI_RETENTION_RISK='{"lease_points": 40, "tax_drop_percent": 12.5}',
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "rule": "month",
        "lease_points": 40,
        "tax_drop_percent": 12.5,
        "headcount_points": 15,
    }


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("LINLI_INSPECTION_MERGE_RULE", "weekly", "overlap, month"),
        ("LINLI_RETENTION_RISK", '{"lease_points": "high"}', "'lease_points'"),
    ],
)
def test_a_bad_value_stops_start_up(variable, value, named) -> None:
    result = start(**{variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr and named in result.stderr
