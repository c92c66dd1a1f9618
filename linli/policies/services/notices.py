"""Telling an enterprise what it was granted without applying: an inbox notice to each of its
members, in the sub-district's language, naming the amount, the evaluation date and the rule
version it rests on."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from linli.core.messaging import notify
from linli.core.models import Membership, Subdistrict, User
from linli.core.roles import Role
from linli.policies.describe import format_amount
from linli.policies.models import Grant
from linli.registry.models import Enterprise


def members_to_tell(
    subdistrict: Subdistrict, enterprise_ids: Iterable[int]
) -> dict[int, list[User]]:
    """The active accounts of each enterprise's members, by enterprise id."""
    people: dict[int, list[User]] = defaultdict(list)
    memberships = Membership.objects.filter(
        subdistrict=subdistrict, role=Role.ENTERPRISE_MEMBER, enterprise_id__in=set(enterprise_ids)
    ).select_related("user")
    for membership in memberships:
        if membership.enterprise_id is not None and membership.user.is_active:
            people[membership.enterprise_id].append(membership.user)
    return people


def tell_about_grants(
    subdistrict: Subdistrict, grants: Sequence[Grant], members: dict[int, list[User]]
) -> None:
    names = dict(
        Enterprise.objects.filter(pk__in={g.enterprise_id for g in grants}).values_list(
            "pk", "name"
        )
    )
    with translation.override(settings.LANGUAGE_CODE):
        zh = (translation.get_language() or "").startswith("zh")
        for grant in grants:
            version = grant.policy_version
            people = members.get(grant.enterprise_id)
            if not people:
                continue
            title = version.title_zh if zh else version.title_en
            unit = version.amount_unit_zh if zh else version.amount_unit_en
            if grant.amount is not None:
                body = _(
                    "%(enterprise)s qualifies for “%(policy)s” and has been granted "
                    "%(amount)s %(unit)s without applying. Evaluated on %(date)s under rule "
                    "version %(version)s."
                ) % {
                    "enterprise": names.get(grant.enterprise_id, ""),
                    "policy": title,
                    "amount": format_amount(grant.amount),
                    "unit": unit,
                    "date": grant.evaluated_on.isoformat(),
                    "version": version.version,
                }
            else:
                body = _(
                    "%(enterprise)s qualifies for “%(policy)s”, granted without applying. "
                    "Evaluated on %(date)s under rule version %(version)s."
                ) % {
                    "enterprise": names.get(grant.enterprise_id, ""),
                    "policy": title,
                    "date": grant.evaluated_on.isoformat(),
                    "version": version.version,
                }
            notify(
                people,
                subdistrict,
                title=_("Granted without applying: %(policy)s") % {"policy": title},
                body=body,
                url=reverse("policies:enterprise", kwargs={"pk": grant.enterprise_id}),
            )
