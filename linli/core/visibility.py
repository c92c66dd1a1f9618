"""The one read path: ``Model.objects.visible_to(access, action="view")``.

Writes go through verbs that check a rule; reads go through the policy registered for the
model, once, in its app's ``rules.py`` (as NetBox's ``RestrictedQuerySet.restrict``). Pages,
API, exports, search, timelines and the cockpit all read through it, so a person sees the same
rows on every surface::

    @visibility.policy(Enterprise)
    def enterprises(access: Access, action: str) -> Condition:
        ...

A policy answers with a ``Condition``: ``True`` (every row of the sub-district), ``False``
(none) or a ``Q`` on the model. The tenant scope has already removed other sub-districts, so a
policy only narrows within one. An audience that several models share ("the enterprises a
person may see") is written once as a function and reused on related rows with
``through(condition, "enterprise")``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from linli.core.access import Access

Condition = Q | bool
Policy = Callable[["Access", str], Condition]

_M = TypeVar("_M", bound=models.Model)
_POLICIES: dict[type[models.Model], Policy] = {}


class NoPolicy(LookupError):
    """A model was read through ``visible_to`` but no policy was registered for it."""


def policy(model: type[models.Model]) -> Callable[[Policy], Policy]:
    """Register the visibility policy of ``model`` (one per model, in its app's rules.py)."""

    def register(function: Policy) -> Policy:
        existing = _POLICIES.get(model)
        if existing is not None and existing is not function:
            raise ValueError(f"{model._meta.label} already has a visibility policy")
        _POLICIES[model] = function
        return function

    return register


def policy_of(model: type[models.Model]) -> Policy:
    try:
        return _POLICIES[model]
    except KeyError:
        raise NoPolicy(
            f"{model._meta.label} has no visibility policy: register one in its rules.py"
        ) from None


def registered() -> dict[type[models.Model], Policy]:
    return dict(_POLICIES)


def condition_for(access: Access, model: type[models.Model], action: str = "view") -> Condition:
    """What ``access`` may read of ``model`` for ``action``: the system reads everything."""
    if access.is_system:
        return True
    return policy_of(model)(access, action)


def restrict(
    queryset: models.QuerySet[_M], access: Access, action: str = "view"
) -> models.QuerySet[_M]:
    condition = condition_for(access, queryset.model, action)
    if condition is True:
        return queryset
    if condition is False:
        return queryset.none()
    return queryset.filter(condition)


def allows(access: Access, instance: models.Model, action: str = "view") -> bool:
    """Whether one row is visible: the same policy as the lists, asked about one primary key."""
    condition = condition_for(access, type(instance), action)
    if isinstance(condition, bool):
        return condition
    manager: Any = type(instance)._default_manager
    return bool(manager.filter(Q(pk=instance.pk) & condition).exists())


def through(condition: Condition, relation: str) -> Condition:
    """``condition`` (on a related model) as a condition on rows that point to it through
    ``relation``: the enterprises a person may see → the decisions about those enterprises."""
    if isinstance(condition, bool):
        return condition
    return _prefixed(condition, f"{relation}__")


def _prefixed(q: Q, prefix: str) -> Q:
    copy = Q()
    copy.connector = q.connector
    copy.negated = q.negated
    for child in q.children:
        if isinstance(child, Q):
            copy.children.append(_prefixed(child, prefix))
        else:
            lookup, value = cast("tuple[str, Any]", child)
            copy.children.append((prefix + lookup, value))
    return copy


def either(*conditions: Condition) -> Condition:
    """Rows any of the conditions allows."""
    found: list[Q] = []
    for condition in conditions:
        if condition is True:
            return True
        if isinstance(condition, Q):
            found.append(condition)
    if not found:
        return False
    result = found[0]
    for q in found[1:]:
        result |= q
    return result


class VisibleQuerySet(models.QuerySet[_M]):
    """The queryset of every tenant model: ``visible_to`` narrows it to what a person may see.
    A model with a queryset of its own derives it from this one."""

    def visible_to(self, access: Access, action: str = "view") -> models.QuerySet[_M]:
        return restrict(self, access, action)


def manager_class(queryset: type[VisibleQuerySet[Any]] = VisibleQuerySet) -> type[Any]:
    """The manager class for a tenant model's queryset, for django-scopes' ``ScopedManager``.
    ``objects.visible_to`` starts from ``all()``, so with no tenant scope active it raises
    ``ScopeError`` like every other query."""

    def visible_to(self: Any, access: Access, action: str = "view") -> Any:
        return self.all().visible_to(access, action)

    bases: tuple[type[Any], ...] = (models.Manager.from_queryset(queryset),)
    return type(f"{queryset.__name__}Manager", bases, {"visible_to": visible_to})
