"""Core verbs: audited unmasking of personal data, API tokens. (Telling people:
``core.messaging``.)"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from linli.core import audit, clock, limits, rules
from linli.core.access import Access
from linli.core.models import ApiToken, User
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
