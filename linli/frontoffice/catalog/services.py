"""Catalog verbs: save a service item (new or changed) after checking its guide is complete.

``problems`` is the one list of rules an item must meet; the admin form shows the same
messages field by field before anything is written. ``save_item`` checks them again, stores the
item with its search texts, its sub-centres and an audit row, all in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from linli.cases.models import Category
from linli.core import audit
from linli.core.access import Access
from linli.core.models import Organisation
from linli.frontoffice.catalog import rules
from linli.frontoffice.catalog.models import ServiceItem
from linli.frontoffice.catalog.search import index_fields

NOT_A_DEPARTMENT = {Organisation.Kind.SUBCENTRE, Organisation.Kind.GRID_STATION}


def _add(errors: dict[str, list[str]], name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _text_list(value: Any) -> list[str] | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None
    return [v.strip() for v in value if v.strip()]


def _guide_problems(item: ServiceItem, errors: dict[str, list[str]]) -> None:
    if not (item.conditions or "").strip():
        _add(errors, "conditions", _("Say who can apply and on what conditions."))
    for name, message in (
        ("materials", _("List the materials, one per line.")),
        ("steps", _("List the steps, one per line.")),
    ):
        cleaned = _text_list(getattr(item, name))
        if not cleaned:
            _add(errors, name, message)
        else:
            setattr(item, name, cleaned)
    if not (item.fee or "").strip():
        _add(errors, "fee", _("Give the fee, or say that it is free."))
    legal, promised = item.legal_days, item.promised_days
    if legal is not None and promised is not None and promised > legal:
        _add(
            errors,
            "promised_days",
            _("The promised time limit cannot be longer than the legal one (%(days)s days).")
            % {"days": legal},
        )


def _channel_problems(item: ServiceItem, errors: dict[str, list[str]]) -> None:
    if not (item.by_terminal or item.by_window or item.by_online):
        _add(errors, "by_window", _("Choose at least one channel: terminal, window or online."))
    if item.by_terminal and not item.terminal_place.strip():
        _add(errors, "terminal_place", _("Say which self-service terminal does it."))
    if item.by_online and item.category_id is None and not item.online_url:
        _add(
            errors,
            "category",
            _("To be done online, the item needs a case category or an online service address."),
        )
    category = item.category if item.category_id else None
    if category is not None:
        leaf = not Category.objects.filter(parent=category, active=True).exists()
        if not category.active or not leaf:
            _add(
                errors,
                "category",
                _("Choose an active category that takes cases (one without sub-categories)."),
            )


def _place_problems(
    item: ServiceItem, subcentres: list[Organisation], errors: dict[str, list[str]]
) -> None:
    department = item.department if item.department_id else None
    if department is not None and department.kind in NOT_A_DEPARTMENT:
        _add(errors, "department", _("Choose the department or agency that handles the item."))
    if any(s.kind != Organisation.Kind.SUBCENTRE for s in subcentres):
        _add(errors, "subcentres", _("Only service sub-centres can serve an item."))
    if any(s.subdistrict_id != item.subdistrict_id for s in subcentres):
        _add(errors, "subcentres", _("Only this sub-district's sub-centres can serve an item."))
    if not item.centre_place.strip() and not subcentres:
        _add(
            errors,
            "centre_place",
            _("Say where the item is served: a place in the centre, sub-centres, or both."),
        )


def problems(item: ServiceItem, subcentres: Iterable[Organisation] = ()) -> dict[str, list[str]]:
    """Everything wrong with an item, by field (empty when it may be saved)."""
    errors: dict[str, list[str]] = {}
    try:
        item.full_clean(exclude=["search_name", "search_keywords", "search_body"])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    _guide_problems(item, errors)
    _channel_problems(item, errors)
    _place_problems(item, list(subcentres), errors)
    return errors


def _snapshot(item: ServiceItem) -> dict[str, Any]:
    # The search texts are derived from the rest; the audit trail keeps what people wrote.
    data = audit.snapshot(item)
    return {k: v for k, v in data.items() if not k.startswith("search_")}


def save_item(
    item: ServiceItem,
    *,
    actor: Access,
    subcentres: Iterable[Organisation] | None = None,
) -> ServiceItem:
    """Create (no primary key yet) or update a service item; ``subcentres=None`` keeps the
    sub-centres an existing item has."""
    actor.require(rules.may_edit_catalog(actor))
    if actor.subdistrict is None:
        raise ValidationError(_("Choose a sub-district first."))
    creating = item.pk is None
    if creating:
        item.subdistrict = actor.subdistrict
    elif item.subdistrict_id != actor.subdistrict.pk:
        raise ValidationError(_("This item belongs to another sub-district."))
    if subcentres is None:
        subcentres = list(item.subcentres.all()) if not creating else []
    subcentres = list(subcentres)
    errors = problems(item, subcentres)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = {}
        if not creating:
            old = ServiceItem.objects.filter(pk=item.pk).first()
            before = _snapshot(old) if old is not None else {}
        for name, value in index_fields(item).items():
            setattr(item, name, value)
        item.save()
        previous = set() if creating else set(item.subcentres.values_list("pk", flat=True))
        item.subcentres.set(subcentres)
        old_values, new_values = audit.changes(before, _snapshot(item))
        now_serving = {s.pk for s in subcentres}
        if now_serving != previous:
            old_values["subcentres"] = sorted(previous)
            new_values["subcentres"] = sorted(now_serving)
        audit.record(
            actor,
            "catalog.item.create" if creating else "catalog.item.update",
            item,
            before=old_values or None,
            after=new_values,
        )
    return item


def create_item(
    *, actor: Access, subcentres: Iterable[Organisation] = (), **fields: Any
) -> ServiceItem:
    return save_item(ServiceItem(**fields), actor=actor, subcentres=subcentres)


def update_item(
    item: ServiceItem,
    *,
    actor: Access,
    subcentres: Iterable[Organisation] | None = None,
    **fields: Any,
) -> ServiceItem:
    """Change the given fields; on a refusal the instance is left as it was."""
    original = {name: getattr(item, name) for name in fields}
    for name, value in fields.items():
        setattr(item, name, value)
    try:
        return save_item(item, actor=actor, subcentres=subcentres)
    except ValidationError:
        for name, value in original.items():
            setattr(item, name, value)
        raise
