"""The policy library: bring the stored versions in line with the policy files, and read them
back for the engine and the pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from linli.core import audit, limits
from linli.core.access import Access
from linli.policies import rules
from linli.policies.engine import DEFAULT_LIBRARY, Policy, load_library, load_policy_text
from linli.policies.models import PolicyVersion


def library_directory() -> Path:
    return Path(getattr(settings, "LINLI_POLICY_LIBRARY", DEFAULT_LIBRARY))


class VersionConflict(ValidationError):
    """A file changes the rules of a version that is already loaded."""


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refreshed: list[str] = field(default_factory=list)  # tests or comments changed, rules not
    reactivated: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)


def json_safe(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


def _version_fields(policy: Policy, text: str) -> dict[str, Any]:
    unit = policy.amount.unit if policy.amount is not None else None
    return {
        "title_zh": policy.title.zh,
        "title_en": policy.title.en,
        "summary_zh": policy.summary.zh if policy.summary else "",
        "summary_en": policy.summary.en if policy.summary else "",
        "issuer_zh": policy.issuer.zh,
        "issuer_en": policy.issuer.en,
        "source_document": policy.source_document,
        "source_clause": policy.source_clause,
        "benefit": policy.benefit,
        "mode": policy.mode,
        "valid_from": policy.valid_from,
        "valid_to": policy.valid_to,
        "amount_unit_zh": unit.zh if unit else "",
        "amount_unit_en": unit.en if unit else "",
        "example": bool(policy.example),
        "document": json_safe(dict(policy.document)),
        "source_text": text,
        "source_file": _short_path(policy.source_file),
    }


def _overlong(policy: Policy, fields: dict[str, Any]) -> list[str]:
    """What of a policy file does not fit its column, named (refused, never cut)."""
    values = {"policy_id": policy.id, **fields}
    return [
        _("%(file)s, field %(field)s: %(problem)s")
        % {
            "file": policy.source_file,
            "field": name,
            "problem": limits.too_long(limit, len(value)),
        }
        for name, value in values.items()
        if isinstance(value, str)
        and (limit := getattr(PolicyVersion._meta.get_field(name), "max_length", None))
        and len(value) > limit
    ]


def _short_path(path: str) -> str:
    """The file's path from the project's directory, when it lies inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return path


def load_policies(
    directory: str | Path | None = None, *, actor: Access, deactivate_missing: bool = True
) -> LoadReport:
    """Bring the stored library in line with the policy files, all or nothing.

    A new id or version is added. A loaded version whose file now has different rules (another
    rule hash) is refused: decisions and grants quote that version, so an edit must be published
    as the next version. A version whose file is gone stays stored (grants refer to it) but
    leaves the library and is no longer screened.
    """
    actor.require(rules.can_load_library(actor))
    policies = load_library(directory or library_directory())
    report = LoadReport()
    with transaction.atomic():
        stored = {(v.policy_id, v.version): v for v in PolicyVersion.objects.select_for_update()}
        conflicts = []
        refused: list[str] = []
        seen: set[int] = set()
        for policy in policies:
            text = Path(policy.source_file).read_text(encoding="utf-8")
            version = stored.get((policy.id, policy.version))
            if version is None:
                fields = _version_fields(policy, text)
                if problems := _overlong(policy, fields):
                    refused += problems
                    continue
                version = PolicyVersion.objects.create(
                    policy_id=policy.id,
                    version=policy.version,
                    rule_hash=policy.rule_hash,
                    **fields,
                )
                audit.record(
                    actor, "policies.policy.load", version, after={"rule_hash": policy.rule_hash}
                )
                report.created.append(policy.key)
                seen.add(version.pk)
                continue
            seen.add(version.pk)
            if version.rule_hash != policy.rule_hash:
                conflicts.append(
                    _(
                        "%(file)s: %(key)s is already loaded with other rules "
                        "(hash %(old)s…, the file now gives %(new)s…). Publish the change as "
                        "version %(next)s instead of editing version %(version)s."
                    )
                    % {
                        "file": policy.source_file,
                        "key": policy.key,
                        "old": version.rule_hash[:12],
                        "new": policy.rule_hash[:12],
                        "next": policy.version + 1,
                        "version": policy.version,
                    }
                )
                continue
            changed = []
            if version.source_text != text:
                if problems := _overlong(policy, {"source_file": _short_path(policy.source_file)}):
                    refused += problems
                    continue
                version.source_text = text
                version.document = json_safe(dict(policy.document))
                version.source_file = _short_path(policy.source_file)
                changed += ["source_text", "document", "source_file"]
                report.refreshed.append(policy.key)
            if not version.is_active:
                version.is_active = True
                changed.append("is_active")
                report.reactivated.append(policy.key)
                audit.record(actor, "policies.policy.reactivate", version)
            if changed:
                version.save(update_fields=changed)
            else:
                report.unchanged.append(policy.key)
        if conflicts:
            raise VersionConflict(conflicts)
        if refused:
            raise ValidationError(refused)
        if deactivate_missing:
            for version in stored.values():
                if version.pk not in seen and version.is_active:
                    version.is_active = False
                    version.save(update_fields=["is_active"])
                    audit.record(actor, "policies.policy.deactivate", version)
                    report.deactivated.append(version.key)
    return report


_ENGINE_POLICIES: dict[tuple[str, str], Policy] = {}


def engine_policy(version: PolicyVersion) -> Policy:
    """The engine's view of a stored version, parsed from the stored file text (cached)."""
    key = (version.source_file, version.source_text)
    policy = _ENGINE_POLICIES.get(key)
    if policy is None:
        policy = load_policy_text(version.source_text, version.source_file)
        if policy.rule_hash != version.rule_hash:
            raise ValueError(f"{version.key}: stored text does not match its rule hash")
        _ENGINE_POLICIES[key] = policy
    return policy


def active_versions() -> list[PolicyVersion]:
    return list(PolicyVersion.objects.filter(is_active=True).order_by("policy_id", "version"))


def current_versions(on: dt.date) -> dict[str, PolicyVersion]:
    """For each policy id in the library, the version a page shows: the highest in force on
    ``on``, else the highest version (a policy not yet or no longer in force)."""
    chosen: dict[str, PolicyVersion] = {}
    for version in active_versions():
        current = chosen.get(version.policy_id)
        if (
            current is None
            or (version.in_force_on(on) and not current.in_force_on(on))
            or (
                version.in_force_on(on) == current.in_force_on(on)
                and version.version > current.version
            )
        ):
            chosen[version.policy_id] = version
    return chosen
