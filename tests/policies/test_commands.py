"""``manage.py policies lint|test|load|screen``."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from linli.policies.models import PolicyVersion
from tests.policies.support import ELIGIBLE, policy_text, three_policies, write

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("policies", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def broken(directory: Path) -> tuple[Path, int]:
    """A policy naming a field that does not exist; its file and the line of the mistake."""
    text = policy_text("test-broken", ELIGIBLE).replace("field: headcount", "field: head_count")
    path = write(directory, "broken.v1.yaml", text)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "head_count" in row)
    return path, line


def test_lint_passes_on_the_library():
    out, err = run("lint")
    assert out.strip() == "33 policies OK"
    assert err == ""


def test_lint_names_file_line_and_reason(tmp_path):
    path, line = broken(tmp_path)
    with pytest.raises(CommandError, match="1 problem"):
        run("lint", "--library", str(tmp_path))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("policies", "lint", "--library", str(tmp_path), stderr=err)
    assert f"{path}:{line}: unknown field 'head_count'" in err.getvalue()


def test_lint_exits_with_status_1(tmp_path):
    path, line = broken(tmp_path)
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "policies", "lint", "--library", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 1
    assert f"{path}:{line}: unknown field 'head_count'" in result.stderr


def test_lint_catches_a_tier_table_broken_by_a_later_parameter_value(tmp_path):
    body = """\
parameters:
  step:
    - {{from: 2020-01-01, value: 100}}
    - {{from: 2024-01-01, value: 5000}}
conditions:
  all:
    - field: headcount
      op: ge
      value: 1
      label: {{zh: 有员工, en: Has employees}}
amount:
  formula: tier(headcount, [[step, 10], [1000, 20]])
tests:
  - enterprise: {{headcount: 200}}
    expect: eligible
    date: 2021-01-01
    amount: 10
"""
    write(tmp_path, "tier.v1.yaml", policy_text("test-tier", body))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("policies", "lint", "--library", str(tmp_path), stderr=err)
    assert "tier thresholds do not increase on 2024-01-01" in err.getvalue()


def test_test_passes_on_the_library():
    out, _ = run("test")
    lines = out.strip().splitlines()
    assert lines[-1] == "33 policies pass their tests"
    assert sum(line.startswith("ok ") for line in lines) == 33


def test_test_reports_a_failing_case_and_fails(tmp_path):
    text = policy_text("test-wrong", ELIGIBLE, award=100000).replace(
        "amount: 100000", "amount: 90000"
    )
    write(tmp_path, "wrong.v1.yaml", text)
    three_policies(tmp_path)
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 of 4 policies fail"):
        call_command("policies", "test", "--library", str(tmp_path), stdout=out)
    assert "FAIL test-wrong@v1 (1 of 2 cases)" in out.getvalue()
    assert "expected amount 90000" in out.getvalue()
    assert "ok   test-maybe@v1" in out.getvalue()


@pytest.mark.django_db
def test_load_adds_versions_once_and_refuses_an_edit(tmp_path):
    three_policies(tmp_path)
    out, _ = run("load", "--library", str(tmp_path))
    assert "3 added" in out
    out, _ = run("load", "--library", str(tmp_path))
    assert "0 added, 3 unchanged" in out
    path = tmp_path / "test-eligible.v1.yaml"
    path.write_text(path.read_text().replace("award: 100000", "award: 1"), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="not loaded"):
        call_command("policies", "load", "--library", str(tmp_path), stderr=err)
    assert "test-eligible@v1 is already loaded with other rules" in err.getvalue()
    assert "version 2" in err.getvalue()
    assert PolicyVersion.objects.count() == 3


@pytest.mark.django_db
def test_load_and_screen_the_real_library(subdistrict):
    from tests.factories import EnterpriseFactory

    EnterpriseFactory(subdistrict=subdistrict, tags=["small_micro"], headcount=8)
    out, _ = run("load")
    assert "33 added" in out
    out, _ = run("screen", "--subdistrict", subdistrict.code, "--date", "2026-03-02")
    assert f"{subdistrict.code} Demo Street: 1 enterprises × " in out
    assert "on 2026-03-02" in out
    with pytest.raises(CommandError, match="no sub-district"):
        run("screen", "--subdistrict", "999999999")
