"""Personal-data rights (PIPL ch. IV): where each app keeps data about a person, and how it is
exported, corrected and erased.

Each app registers a ``Holder`` for every model whose rows name a person (in its own
``data_rights.py``, found at start-up like ``rules.py``): how to find the rows about a
``Person``, which of their attributes are personal (exported decrypted, correctable, blanked on
erasure) and what else a row says about them (exported only). Core knows no app: the verbs
``export_person``, ``correct_person`` and ``erase_person`` in ``core.services`` walk this
register, so a new model that names a person is covered by registering it here.

A person is found by their account and, when staff look someone up on request, by the mobile
number or e-mail address they gave (reporters without an account, enterprise contacts). A
person looking at their own data is matched by account only: a number typed into a profile
is not proof of owning it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.limits import refuse_overlong
from linli.core.models import Consent, Membership, Notification, User
from linli.core.pii import decrypt, encrypt, lookup_hash, validate_mobile

TEXT, PHONE, EMAIL = "text", "phone", "email"


@dataclass(frozen=True)
class Person:
    """Whom a request is about: an account, and/or the contact details staff were given."""

    user: User | None = None
    phone: str = ""  # normalised mainland mobile
    email: str = ""

    @property
    def phone_hash(self) -> str:
        return lookup_hash(self.phone)

    def matches(self, *, user: str = "", phone: str = "", email: str = "") -> Q | None:
        """A ``Q`` for rows whose ``user`` / ``phone`` (its look-up hash) / ``email`` field
        names this person, or None when none of the given fields can."""
        parts = []
        if user and self.user is not None:
            parts.append(Q(**{user: self.user}))
        if phone and self.phone:
            parts.append(Q(**{f"{phone}_hash": self.phone_hash}))
        if email and self.email:
            parts.append(Q(**{f"{email}__iexact": self.email}))
        if not parts:
            return None
        condition = parts[0]
        for part in parts[1:]:
            condition |= part
        return condition

    def __str__(self) -> str:
        return str(self.user) if self.user is not None else self.phone or self.email


@dataclass(frozen=True)
class Attribute:
    """One personal attribute of a row. A ``phone`` is stored as ``<name>_cipher`` and
    ``<name>_hash``; ``text`` and ``email`` as the field ``name``."""

    name: str
    label: str | Promise
    kind: str = TEXT
    correctable: bool = True

    def read(self, row: models.Model) -> str:
        if self.kind == PHONE:
            return decrypt(getattr(row, f"{self.name}_cipher"))
        return str(getattr(row, self.name) or "")

    def clean(self, row: models.Model, value: str) -> str:
        """The value to store, or a ValidationError on ``value`` in the reader's language."""
        value = (value or "").strip()
        if self.kind == PHONE:
            try:
                return validate_mobile(value) if value else ""
            except ValidationError as exc:
                raise ValidationError({"value": exc.messages}) from None
        if self.kind == EMAIL and value:
            try:
                validate_email(value)
            except ValidationError:
                raise ValidationError(
                    {"value": [_("Enter a valid e-mail address.")]}, code="email"
                ) from None
        try:
            refuse_overlong(type(row), **{self.name: value})
        except ValidationError as exc:
            raise ValidationError({"value": exc.message_dict[self.name]}) from None
        return value

    def write(self, row: models.Model, value: str) -> list[str]:
        """Store ``value`` (already clean); the model fields written."""
        if self.kind == PHONE:
            setattr(row, f"{self.name}_cipher", encrypt(value))
            setattr(row, f"{self.name}_hash", lookup_hash(value))
            return [f"{self.name}_cipher", f"{self.name}_hash"]
        setattr(row, self.name, value)
        return [self.name]


@dataclass(frozen=True)
class Holder:
    """A model whose rows name a person.

    ``find(person)`` returns the rows about them (in the active tenant scope), or None when the
    person cannot be matched here. ``facts(row)`` is what else the row says, exported only.
    ``erase(row)`` runs after the attributes are blanked and returns further fields it wrote
    (deactivating an account); ``delete_on_erase`` removes the rows instead of blanking them,
    for what no law requires keeping (inbox messages)."""

    key: str
    label: str | Promise
    model: type[models.Model]
    find: Callable[[Person], models.QuerySet[Any] | None]
    attributes: tuple[Attribute, ...] = ()
    facts: Callable[[models.Model], dict[str, Any]] = field(default=lambda row: {})
    erase: Callable[[models.Model], list[str]] | None = None
    delete_on_erase: bool = False
    kept_because: str | Promise = ""

    def attribute(self, name: str) -> Attribute | None:
        return next((a for a in self.attributes if a.name == name), None)


HOLDERS: dict[str, Holder] = {}


def register(holder: Holder) -> None:
    HOLDERS[holder.key] = holder


def holders() -> list[Holder]:
    return sorted(HOLDERS.values(), key=lambda h: h.key)


def export_row(holder: Holder, row: models.Model) -> dict[str, Any]:
    data: dict[str, Any] = {"id": row.pk}
    data.update({a.name: a.read(row) for a in holder.attributes})
    data.update(holder.facts(row))
    return data


# Core's own holders: the account, its memberships, its inbox and its consents.


def _account(person: Person) -> models.QuerySet[Any] | None:
    return User.objects.filter(pk=person.user.pk) if person.user is not None else None


def _deactivate(user: models.Model) -> list[str]:
    """An erased account cannot sign in again and no longer reads as anyone."""
    assert isinstance(user, User)  # noqa: S101 - registered for User only
    user.username = f"erased-{user.pk}"
    user.is_active = False
    user.set_unusable_password()
    user.ical_token = ""
    return ["username", "is_active", "password", "ical_token"]


register(
    Holder(
        key="core.user",
        label=gettext_lazy("Account"),
        model=User,
        find=_account,
        attributes=(
            Attribute("display_name", gettext_lazy("display name")),
            Attribute("first_name", gettext_lazy("first name")),
            Attribute("last_name", gettext_lazy("last name")),
            Attribute("email", gettext_lazy("e-mail"), EMAIL),
            Attribute("phone", gettext_lazy("mobile number"), PHONE),
        ),
        facts=lambda u: {
            "username": u.username,  # type: ignore[attr-defined]
            "date_joined": u.date_joined.isoformat(),  # type: ignore[attr-defined]
            "last_login": u.last_login.isoformat() if u.last_login else None,  # type: ignore[attr-defined]
        },
        erase=_deactivate,
        kept_because=gettext_lazy(
            "The account stays, deactivated and nameless, because cases and the audit log "
            "point to it."
        ),
    )
)
register(
    Holder(
        key="core.membership",
        label=gettext_lazy("Roles"),
        model=Membership,
        find=lambda p: Membership.objects.filter(user=p.user) if p.user is not None else None,
        facts=lambda m: {
            "subdistrict": str(m.subdistrict),  # type: ignore[attr-defined]
            "role": str(m.get_role_display()),  # type: ignore[attr-defined]
        },
    )
)
register(
    Holder(
        key="core.notification",
        label=gettext_lazy("Inbox"),
        model=Notification,
        find=lambda p: Notification.objects.filter(user=p.user) if p.user is not None else None,
        facts=lambda n: {
            "created_at": n.created_at.isoformat(),  # type: ignore[attr-defined]
            "title": n.title,  # type: ignore[attr-defined]
            "body": n.body,  # type: ignore[attr-defined]
        },
        delete_on_erase=True,
    )
)
register(
    Holder(
        key="core.consent",
        label=gettext_lazy("Consents"),
        model=Consent,
        find=lambda p: Consent.objects.filter(user=p.user) if p.user is not None else None,
        facts=lambda c: {
            "purpose": c.purpose,  # type: ignore[attr-defined]
            "given": c.given,  # type: ignore[attr-defined]
            "changed_at": c.changed_at.isoformat(),  # type: ignore[attr-defined]
        },
    )
)
