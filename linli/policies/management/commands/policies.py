"""``manage.py policies lint|test|load|screen``: the policy library from the command line.

lint and test read the files only (no database), so CI runs them on a bare checkout; both exit
1 on any problem, printing each as ``file:line: reason``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from linli.policies.engine import (
    CompileError,
    PolicyError,
    PolicySet,
    load_library,
    run_policy_tests,
)


class Command(BaseCommand):
    help = "Check, test, load and screen the policy library."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        lint = sub.add_parser("lint", help="Check every policy file; exit 1 on any problem.")
        test = sub.add_parser("test", help="Run every policy's own test cases.")
        load = sub.add_parser("load", help="Store the library (new versions are added).")
        for p in (lint, test, load):
            p.add_argument("--library", type=Path, help="Directory of policy files.")
        load.add_argument(
            "--keep-missing",
            action="store_true",
            help="Leave versions whose file is gone in the library.",
        )
        screen = sub.add_parser("screen", help="Screen enterprises against the library now.")
        screen.add_argument("--subdistrict", help="Division code (default: every sub-district).")
        screen.add_argument("--date", type=dt.date.fromisoformat, help="Evaluation date.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        getattr(self, f"do_{action}")(options)

    def _directory(self, options: dict[str, Any]) -> Path:
        from linli.policies.services import library_directory

        return options.get("library") or library_directory()

    def _library(self, options: dict[str, Any]) -> list[Any]:
        try:
            return load_library(self._directory(options))
        except PolicyError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(exc.problems)} problem(s) in the policy library") from None

    def do_lint(self, options: dict[str, Any]) -> None:
        policies = self._library(options)
        problems = []
        # Parameters are dated: a tier table can only be checked for the dates it takes effect.
        for policy in policies:
            days = {policy.valid_from} | {
                d for p in policy.parameters.values() for d in p.dates if d >= policy.valid_from
            }
            for day in sorted(d for d in days if policy.active_on(d)):
                try:
                    PolicySet.compile([policy], day)
                except CompileError as exc:
                    problems.append(f"{policy.source_file}:1: {exc}")
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in the policy library")
        self.stdout.write(f"{len(policies)} policies OK")

    def do_test(self, options: dict[str, Any]) -> None:
        policies = self._library(options)
        failed = 0
        for policy in sorted(policies, key=lambda p: p.key):
            outcomes = run_policy_tests(policy)
            bad = [o for o in outcomes if not o.passed]
            if bad:
                failed += 1
                self.stdout.write(f"FAIL {policy.key} ({len(bad)} of {len(outcomes)} cases)")
                for outcome in bad:
                    self.stdout.write(f"  {policy.source_file}:{outcome.line}: {outcome}")
            else:
                self.stdout.write(f"ok   {policy.key} ({len(outcomes)} cases)")
        if failed:
            raise CommandError(f"{failed} of {len(policies)} policies fail their tests")
        self.stdout.write(f"{len(policies)} policies pass their tests")

    def do_load(self, options: dict[str, Any]) -> None:
        from linli.core.access import Access
        from linli.policies.services import load_policies

        self._library(options)  # report file problems the same way lint does
        try:
            report = load_policies(
                self._directory(options),
                actor=Access.system(None),
                deactivate_missing=not options["keep_missing"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError("the library was not loaded") from None
        for label, keys in (
            ("added", report.created),
            ("refreshed", report.refreshed),
            ("back in the library", report.reactivated),
            ("left the library", report.deactivated),
        ):
            for key in keys:
                self.stdout.write(f"{label}: {key}")
        self.stdout.write(
            f"{len(report.created)} added, {len(report.unchanged)} unchanged, "
            f"{len(report.refreshed)} refreshed, {len(report.deactivated)} left the library"
        )

    def do_screen(self, options: dict[str, Any]) -> None:
        from linli.core.access import Access
        from linli.core.models import Subdistrict
        from linli.policies.services import run_screening

        subdistricts = Subdistrict.objects.order_by("code")
        if options.get("subdistrict"):
            subdistricts = subdistricts.filter(code=options["subdistrict"])
            if not subdistricts.exists():
                raise CommandError(f"no sub-district with code {options['subdistrict']}")
        for subdistrict in subdistricts:
            run = run_screening(
                subdistrict, actor=Access.system(subdistrict), on=options.get("date")
            )
            seconds = (run.finished_at - run.started_at).total_seconds()
            self.stdout.write(
                f"{subdistrict.code} {subdistrict.name}: {run.enterprises} enterprises × "
                f"{run.policies} policies on {run.evaluated_on}: {run.eligible} eligible, "
                f"{run.maybe} maybe, {run.near_miss} near misses, {run.grants} new grants "
                f"({seconds:.2f} s)"
            )
