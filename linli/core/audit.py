"""The append-only audit log: who changed what, when, in which sub-district, before and after.

Every action is named ``app.object.verb`` (``cases.case.dispatch``, ``queue.ticket.call``) and
declared by its app, with a label for people, in the app's ``audit.py`` (``declare``); the log
refuses a name nobody declared, so the stored names never drift into several schemes again.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from linli.core.access import Access
from linli.core.audit_chain import stamp
from linli.core.models import AuditEntry

NAME = re.compile(r"[a-z]+\.[a-z_]+\.[a-z_]+")

_DECLARED: dict[str, str | Promise] = {}


class UndeclaredAction(ValueError):
    """An audit row named an action its app never declared."""


def declare(app_label: str, actions: Mapping[str, str | Promise]) -> None:
    """Declare an app's audit actions: ``{"object.verb": label}``, stored as
    ``app_label.object.verb``."""
    for name, label in actions.items():
        full = f"{app_label}.{name}"
        if not NAME.fullmatch(full):
            raise ValueError(f"audit action {full!r} is not named app.object.verb")
        _DECLARED[full] = label


def declared() -> dict[str, str | Promise]:
    return dict(_DECLARED)


def check(actions: Iterable[str]) -> None:
    unknown = sorted(set(actions) - _DECLARED.keys())
    if unknown:
        raise UndeclaredAction(f"undeclared audit action(s): {', '.join(unknown)}")


def label(action: str) -> str:
    """How an action reads in the audit log; a name from before a rename reads as itself."""
    return str(_DECLARED.get(action, action))


declare(
    "core",
    {
        "admin.create": pgettext_lazy("audit", "Created in the admin"),
        "admin.update": pgettext_lazy("audit", "Changed in the admin"),
        "admin.delete": pgettext_lazy("audit", "Deleted in the admin"),
        "personal_data.unmask": pgettext_lazy("audit", "Personal data shown in full"),
        "session.login": pgettext_lazy("audit", "Signed in"),
        "session.logout": pgettext_lazy("audit", "Signed out"),
        "token.create": pgettext_lazy("audit", "API token created"),
        "calendar.notice": pgettext_lazy("audit", "Holiday notice entered in the work calendar"),
        "token.revoke": pgettext_lazy("audit", "API token revoked"),
        "person.export": pgettext_lazy("audit", "Personal data exported for the person"),
        "person.correct": pgettext_lazy("audit", "Personal data corrected"),
        "person.erase": pgettext_lazy("audit", "Personal data erased or anonymised"),
        "consent.give": pgettext_lazy("audit", "Consent given"),
        "consent.withdraw": pgettext_lazy("audit", "Consent withdrawn"),
        "parameter.set": pgettext_lazy("audit", "Rule parameter version recorded"),
    },
)

# Ciphertext and hashes are noise in an audit trail and must not be copied around.
HIDDEN_SUFFIXES = ("_cipher", "_hash")


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for f in instance._meta.concrete_fields:
        if f.name.endswith(HIDDEN_SUFFIXES):
            continue
        data[f.attname] = _json_value(getattr(instance, f.attname))
    return data


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def record(
    actor: Access,
    action: str,
    instance: models.Model | None = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
    object_type: str = "",
    object_id: str = "",
) -> AuditEntry:
    row = _entry(actor, action, instance, before, after, note, object_type, object_id)
    row.save()
    return row


def entry(
    actor: Access,
    action: str,
    instance: models.Model | None = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEntry:
    """The row ``record`` would write, checked and stamped but not saved: for a verb that writes
    it inside a statement of its own (the registration burst path)."""
    check([action])
    row = _entry(actor, action, instance, before, after, note, "", "")
    stamp(row)
    return row


def _entry(
    actor: Access,
    action: str,
    instance: models.Model | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    note: str,
    object_type: str,
    object_id: str,
) -> AuditEntry:
    subdistrict_id = getattr(instance, "subdistrict_id", None)
    if subdistrict_id is None and actor.subdistrict is not None:
        subdistrict_id = actor.subdistrict.pk
    return AuditEntry(
        subdistrict_id=subdistrict_id,
        actor=actor.user,
        action=action,
        object_type=object_type or (instance._meta.label_lower if instance is not None else ""),
        object_id=object_id or (str(instance.pk) if instance is not None else ""),
        object_repr=str(instance)[:200] if instance is not None else "",
        before=before,
        after=after,
        note=note[:200],
    )
