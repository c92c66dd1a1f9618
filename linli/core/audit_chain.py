"""A tamper-evident audit log.

Every audit entry carries the SHA-256 of its content (``stamp``, when it is written), and is
then linked into its sub-district's chain (``seal``, every minute by the scheduler): each link
holds the hash of the previous link and of the entry's content, and the chain's head the last
link. ``verify`` walks every chain and reports the first place where an entry's content no
longer matches its hash, a link does not follow from the one before, a link is missing, or the
chain was cut short: an edit, a deletion or a truncation by raw SQL shows.

Linking after the fact (rather than while writing) keeps writes from queueing on a chain-wide
lock: the case intake and every other verb write their audit row without waiting for any
other transaction. The cost is a short window (up to a minute) in which the newest entries
carry their content hash but no link yet.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from linli.core.models import AuditChainHead, AuditEntry, AuditLink

GENESIS = "0" * 64
BATCH = 5000


def _canonical(value: Any) -> Any:
    """The value as JSON gives it back: what the JSON column returns when the row is read."""
    return None if value is None else json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def content_hash(entry: AuditEntry) -> str:
    fields = {
        "subdistrict": entry.subdistrict_id,
        "at": entry.at.isoformat(timespec="microseconds"),
        "actor": entry.actor_id,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "before": _canonical(entry.before),
        "after": _canonical(entry.after),
        "note": entry.note,
    }
    text = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def stamp(entry: AuditEntry) -> None:
    """Fix an entry's JSON to what will be stored, and hash its content (before it is saved)."""
    entry.at = entry.at.astimezone(dt.UTC)
    entry.before = _canonical(entry.before)
    entry.after = _canonical(entry.after)
    entry.content_hash = content_hash(entry)


def link_hash(previous: str, content: str) -> str:
    return hashlib.sha256(f"{previous}:{content}".encode()).hexdigest()


def seal() -> int:
    """Link every entry not linked yet into its chain; return how many were linked. Two
    sealers at once cannot fork a chain: a sequence number is unique within it."""
    linked = 0
    while True:
        batch = list(
            AuditEntry.objects.filter(link__isnull=True)
            .order_by("id")
            .values_list("id", "subdistrict_id", "content_hash")[:BATCH]
        )
        if not batch:
            return linked
        try:
            with transaction.atomic():
                heads = {h.chain: h for h in AuditChainHead.objects.select_for_update()}
                links = []
                for entry_id, subdistrict_id, content in batch:
                    chain = subdistrict_id or 0
                    head = heads.get(chain) or AuditChainHead(chain=chain, sequence=0, hash=GENESIS)
                    new = link_hash(head.hash, content)
                    links.append(
                        AuditLink(
                            entry_id=entry_id,
                            chain=chain,
                            sequence=head.sequence + 1,
                            content_hash=content,
                            previous_hash=head.hash,
                            hash=new,
                        )
                    )
                    head.sequence, head.hash = head.sequence + 1, new
                    heads[chain] = head
                AuditLink.objects.bulk_create(links)
                for head in heads.values():
                    head.save()
        except IntegrityError:
            return linked  # another sealer got there first; the next run goes on
        linked += len(batch)


@dataclass(frozen=True)
class Break:
    chain: int
    sequence: int
    entry_id: int | None
    problem: str

    def __str__(self) -> str:
        entry = f"entry {self.entry_id}" if self.entry_id is not None else "no entry"
        return f"chain {self.chain}, link {self.sequence} ({entry}): {self.problem}"


def verify(chain: int | None = None) -> list[Break]:
    """The first break of each chain (or of one), if any."""
    chains = (
        [chain]
        if chain is not None
        else sorted(set(AuditChainHead.objects.values_list("chain", flat=True)))
    )
    breaks = []
    for number in chains:
        found = next(_breaks(number), None)
        if found is not None:
            breaks.append(found)
    return breaks


def _breaks(chain: int) -> Iterator[Break]:
    previous, expected = GENESIS, 1
    links = AuditLink.objects.filter(chain=chain).order_by("sequence").select_related("entry")
    for link in links.iterator(chunk_size=2000):
        entry = link.entry
        if link.sequence != expected:
            yield Break(chain, expected, None, _("a link is missing (an entry was deleted)"))
            return
        if link.previous_hash != previous or link.hash != link_hash(previous, link.content_hash):
            yield Break(
                chain, link.sequence, entry.pk, "the link does not follow from the one before"
            )
            return
        if content_hash(entry) != link.content_hash or entry.content_hash != link.content_hash:
            yield Break(
                chain, link.sequence, entry.pk, "the entry was changed after it was written"
            )
            return
        previous, expected = link.hash, expected + 1
    head = AuditChainHead.objects.filter(chain=chain).first()
    if head is not None and (head.sequence != expected - 1 or head.hash != previous):
        yield Break(
            chain, expected, None, _("the chain ends before its last link (entries were cut off)")
        )
