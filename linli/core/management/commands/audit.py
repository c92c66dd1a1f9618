"""``manage.py audit verify`` checks the audit chains and names the first broken link of each
(exit status 1 when one is broken); ``manage.py audit seal`` links the entries not linked yet
(the scheduler does this every minute)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from linli.core.audit_chain import seal, verify
from linli.core.models import AuditChainHead


class Command(BaseCommand):
    help = "Verify (or seal) the tamper-evident audit log."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["verify", "seal"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "seal":
            self.stdout.write(f"linked {seal()} entries")
            return
        seal()
        breaks = verify()
        for head in AuditChainHead.objects.order_by("chain"):
            if not any(b.chain == head.chain for b in breaks):
                self.stdout.write(f"chain {head.chain}: {head.sequence} entries, intact")
        if breaks:
            for found in breaks:
                self.stderr.write(f"BROKEN {found}")
            raise CommandError(f"{len(breaks)} audit chain(s) broken")
