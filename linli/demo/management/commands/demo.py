"""``manage.py demo [--scale N] [--reset]``: load the synthetic demo sub-districts and print
the demo accounts."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from linli.core.demo import DemoConflict
from linli.demo.load import DemoSummary, load_demo
from linli.registry.demo.homes import MAX_SCALE


def _width(text: str) -> int:
    # Chinese characters take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        padded = (c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True))
        return "  ".join(padded).rstrip()

    return [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]


class Command(BaseCommand):
    help = "Load the synthetic demo sub-districts (idempotent) and print the demo accounts."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help=f"N × 2,600 enterprises in N demo copies of the first home (1–{MAX_SCALE})",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="wipe the synthetic sub-districts' data first, then load them again",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            # Every demo account shares a published password.
            raise CommandError("The demo is not loaded into a production deployment.")
        if not 1 <= options["scale"] <= MAX_SCALE:
            raise CommandError(f"--scale must be between 1 and {MAX_SCALE}.")
        try:
            summary = load_demo(scale=options["scale"], reset=options["reset"])
        except DemoConflict as exc:
            raise CommandError(str(exc)) from exc
        self._report(summary)

    def _report(self, summary: DemoSummary) -> None:
        out = self.stdout
        homes = [
            [
                h.code,
                h.name,
                str(h.counts["quarters"]),
                f"{h.counts['population']:,}",
                str(h.counts["buildings"]),
                str(h.counts["hundred_million"]),
                f"{h.counts['enterprises']:,}",
                str(h.counts["facilities"]),
                "loaded" if h.written else "already there",
            ]
            for h in summary.homes
        ]
        header = [
            "code",
            "sub-district",
            "quarters",
            "residents",
            "buildings",
            "¥100M+",
            "enterprises",
            "facilities",
            "",
        ]
        for line in _table(header, homes):
            out.write(line)
        out.write("")
        accounts = []
        previous = ""
        for a in summary.accounts:
            first = a.username != previous
            accounts.append(
                [
                    a.username if first else "",
                    a.display_name if first else "",
                    a.role,
                    a.subdistrict,
                    a.linked_to,
                ]
            )
            previous = a.username
        for line in _table(["username", "name", "role", "sub-district", "linked to"], accounts):
            out.write(line)
        out.write("")
        out.write(f"Password for every demo account: {summary.password}")
        out.write(f"Open {summary.url}")
        out.write(
            self.style.SUCCESS(
                f"Demo data ready: {summary.rows_written:,} rows written "
                f"in {summary.seconds:.1f} s."
            )
        )
