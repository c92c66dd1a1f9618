"""Core verbs: audited unmasking of personal data, API tokens, and a person's rights over their
personal data (export, correction, erasure, consent; PIPL ch. IV). (Telling people:
``core.messaging``.)"""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from linli.core import audit, clock, consent, data_rights, limits, parameters, rules
from linli.core.access import Access
from linli.core.data_rights import Holder, Person
from linli.core.models import ApiToken, Consent, RuleParameter, User
from linli.core.personal_data import REGISTER
from linli.core.pii import decrypt
from linli.core.tokens import issue_token


def unmask_value(actor: Access, *, kind: str, model: str, pk: int) -> str:
    field = REGISTER.get(f"{model}.{kind}")
    if field is None:
        raise Http404
    instance = field.model.objects.filter(pk=pk).first()  # type: ignore[attr-defined]
    if instance is None:
        raise Http404
    if not field.may_unmask(actor, instance):
        raise PermissionDenied(_("Your role may not see this personal data in full."))
    value = decrypt(getattr(instance, field.cipher_field))
    with transaction.atomic():
        audit.record(actor, "core.personal_data.unmask", instance, note=field.key)
    return value


def create_token(actor: Access, *, user: User, name: str) -> tuple[ApiToken, str]:
    """A bearer token for ``user`` in the actor's sub-district; the key is returned once and
    only its hash is kept. People make their own; an administrator makes one for a member of
    the sub-district (an integration's service account)."""
    actor.require(rules.may_manage_tokens_of(actor, user))
    limits.refuse_overlong(ApiToken, name=name)
    if not name.strip():
        raise ValidationError({"name": [_("Give the token a name, such as what will use it.")]})
    assert actor.subdistrict is not None  # noqa: S101 - may_manage_tokens_of needs one
    with transaction.atomic():
        token, key = issue_token(user, actor.subdistrict, name.strip())
        audit.record(actor, "core.token.create", token, after={"user": user.pk, "name": name})
    return token, key


def revoke_token(actor: Access, token: ApiToken) -> ApiToken:
    actor.require(rules.may_manage_tokens_of(actor, token.user))
    if token.revoked_at is not None:
        return token
    with transaction.atomic():
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor, "core.token.revoke", token)
    return token


# Personal-data rights (PIPL ch. IV). The audit rows name the rows touched, the fields and the
# reason, never a value: an erased name must not live on in the log.

REASON_MAX = 200  # the audit note's length


def _reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError({"reason": [_("Say why: the request, or what the law allows.")]})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": [limits.too_long(REASON_MAX, len(reason))]})
    return reason


def _where(actor: Access, person: Person) -> AbstractContextManager[Any]:
    """A person's own export reaches every sub-district their account is named in; staff
    act on what their own sub-district holds."""
    if rules.is_own_data(actor, person):
        return scopes_disabled()
    return scope(subdistrict=actor.subdistrict)


def _found(person: Person) -> list[tuple[Holder, list[models.Model]]]:
    found = []
    for holder in data_rights.holders():
        rows = holder.find(person)
        if rows is not None and (listed := list(rows.order_by("pk"))):
            found.append((holder, listed))
    return found


def _about(person: Person) -> dict[str, Any]:
    """Where an audit row about a person points: their account, or nothing that names them."""
    if person.user is not None:
        return {"object_type": "core.user", "object_id": str(person.user.pk)}
    return {"object_type": "core.person"}


def export_person(actor: Access, person: Person, *, reason: str = "") -> dict[str, Any]:
    """Everything the register knows about ``person``, decrypted, as JSON-able data: for the
    person themself, or for an administrator answering their request (reason required)."""
    actor.require(rules.may_export_person(actor, person))
    reason = _reason(reason, required=not rules.is_own_data(actor, person))
    with _where(actor, person), transaction.atomic():
        sections = [
            {
                "key": holder.key,
                "label": str(holder.label),
                "fields": {a.name: str(a.label) for a in holder.attributes},
                "rows": [data_rights.export_row(holder, row) for row in rows],
            }
            for holder, rows in _found(person)
        ]
        audit.record(
            actor,
            "core.person.export",
            after={"sections": {s["key"]: len(s["rows"]) for s in sections}},
            note=reason,
            **_about(person),
        )
    return {
        "exported_at": clock.now().isoformat(),
        "person": person.user.username if person.user is not None else None,
        "sections": sections,
    }


def correct_person(
    actor: Access,
    person: Person,
    *,
    holder: str,
    row: int,
    attribute: str,
    value: str,
    reason: str,
) -> models.Model:
    """Set one registered attribute of one row about ``person`` to what is right."""
    actor.require(rules.may_correct_person(actor, person))
    reason = _reason(reason, required=True)
    registered = data_rights.HOLDERS.get(holder)
    if registered is None:
        raise Http404
    field = registered.attribute(attribute)
    if field is None or not field.correctable:
        raise ValidationError({"attribute": [_("This cannot be corrected here.")]})
    with _where(actor, person), transaction.atomic():
        rows = registered.find(person)
        instance = rows.select_for_update().filter(pk=row).first() if rows is not None else None
        if instance is None:
            raise Http404
        written = field.write(instance, field.clean(instance, value))
        instance.save(update_fields=written)
        audit.record(
            actor,
            "core.person.correct",
            object_type=instance._meta.label_lower,
            object_id=str(instance.pk),
            after={"holder": holder, "fields": [attribute]},
            note=reason,
        )
    return instance


def erase_person(actor: Access, person: Person, *, reason: str) -> dict[str, int]:
    """Anonymise what this sub-district holds about ``person`` where the law allows it: their
    name and contacts are blanked on every registered row (cases and enterprises stay, as the
    records they are), their inbox is emptied and their account deactivated and made nameless.
    Returns how many rows of each kind were touched."""
    actor.require(rules.may_erase_person(actor, person))
    reason = _reason(reason, required=True)
    touched: dict[str, int] = {}
    with _where(actor, person), transaction.atomic():
        changed: list[tuple[Holder, models.Model, list[str]]] = []
        for holder, rows in _found(person):
            if holder.delete_on_erase:
                for instance in rows:
                    instance.delete()
                touched[holder.key] = len(rows)
                audit.record(
                    actor,
                    "core.person.erase",
                    object_type=holder.model._meta.label_lower,
                    after={"holder": holder.key, "deleted": len(rows)},
                    note=reason,
                )
                continue
            if not holder.attributes and holder.erase is None:
                continue  # names the person only through the account, erased below
            for instance in rows:
                written = [f for a in holder.attributes for f in a.write(instance, "")]
                if holder.erase is not None:
                    written += holder.erase(instance)
                instance.save(update_fields=written)
                changed.append((holder, instance, [a.name for a in holder.attributes]))
            touched[holder.key] = len(rows)
        for holder, instance, names in changed:
            audit.record(
                actor,
                "core.person.erase",
                object_type=instance._meta.label_lower,
                object_id=str(instance.pk),
                after={"holder": holder.key, "fields": names},
                note=reason,
            )
    return touched


def set_consent(actor: Access, *, purpose: str, given: bool) -> Consent:
    """Give or withdraw one's own consent to a purpose, in the current sub-district; the
    processing that needs it reads the answer before it runs (``core.consent``)."""
    actor.require(rules.may_answer_consent(actor))
    if purpose not in consent.PURPOSES:
        raise Http404
    assert actor.user is not None and actor.subdistrict is not None  # noqa: S101 - the rule
    with scope(subdistrict=actor.subdistrict), transaction.atomic():
        answer, _created = Consent.objects.update_or_create(
            subdistrict=actor.subdistrict,
            user=actor.user,
            purpose=purpose,
            defaults={"given": given, "changed_at": clock.now()},
        )
        audit.record(
            actor,
            "core.consent.give" if given else "core.consent.withdraw",
            object_type=answer._meta.label_lower,
            object_id=str(answer.pk),
            after={"purpose": purpose, "given": given},
        )
    return answer


def set_parameter(
    actor: Access,
    *,
    key: str,
    value: Any,
    effective_from: dt.date,
    source: str,
    note: str = "",
) -> RuleParameter:
    """Record a new version of a rule number, in force from ``effective_from``. Earlier versions
    stay as they were, so decisions taken before that date keep the value they used."""
    actor.require(rules.may_set_parameters(actor))
    try:
        parameter = parameters.get(key)
    except KeyError:
        raise Http404 from None
    number = parameter.parse(value)
    limits.refuse_overlong(RuleParameter, source=source, note=note)
    if not source.strip():
        raise ValidationError({"source": _("Name the rule or notice this value comes from.")})
    assert actor.subdistrict is not None  # noqa: S101 - an administrator works in one
    with scope(subdistrict=actor.subdistrict), transaction.atomic():
        before = parameters.value(key, on=effective_from)
        version = RuleParameter.objects.create(
            subdistrict=actor.subdistrict,
            key=key,
            value=parameter.stored(number),
            effective_from=effective_from,
            source=source.strip(),
            note=note.strip(),
            recorded_by=actor.user,
        )
        audit.record(
            actor,
            "core.parameter.set",
            version,
            before={"value": parameter.stored(before.value)},
            after={
                "value": parameter.stored(number),
                "effective_from": effective_from.isoformat(),
                "source": version.source,
            },
        )
    return version
