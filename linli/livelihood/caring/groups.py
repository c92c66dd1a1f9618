"""老伙伴计划 groups: who may lead or join one, and the verbs that form, change and end them.

A group is a younger elder with a volunteer account and the older elders they call every week
and visit; it holds at most the group size in force (``caring.companion_group_size``, default
5). Administrators and residents' committee staff form and change the groups of the persons
they may change; each verb checks that, runs in one transaction and writes the audit log.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core import audit, clock, parameters, visibility
from linli.core.access import Access
from linli.core.messaging import notify
from linli.core.models import Membership, User
from linli.core.roles import Role
from linli.livelihood.caring import rules
from linli.livelihood.caring.models import CompanionGroup, CompanionMember
from linli.livelihood.caring.planning import birth_cutoff
from linli.people.models import Person


def group_size(on: dt.date) -> tuple[int, int | None]:
    """The most older elders a group holds on ``on``, and the parameter version."""
    version = parameters.value("caring.companion_group_size", on=on)
    return int(version.value), version.pk


def _changeable(access: Access) -> QuerySet[Person]:
    return Person.objects.visible_to(access, "change").filter(status=Person.Status.LIVING)


def _open_leaders() -> QuerySet[CompanionGroup]:
    return CompanionGroup.objects.filter(ended_on__isnull=True)


def _in_groups() -> QuerySet[CompanionMember]:
    return CompanionMember.objects.filter(left_on__isnull=True, group__ended_on__isnull=True)


def volunteer_elders(access: Access) -> QuerySet[Person]:
    """Who may lead a group: living persons the reader may change with a volunteer account of
    the sub-district, leading no group yet and in none."""
    if access.subdistrict is None:
        return Person.objects.none()
    volunteers = Membership.objects.filter(
        subdistrict=access.subdistrict, role=Role.VOLUNTEER
    ).values("user_id")
    return (
        _changeable(access)
        .filter(user_id__in=volunteers)
        .exclude(pk__in=_open_leaders().values("leader_id"))
        .exclude(pk__in=_in_groups().values("person_id"))
        .order_by("name", "pk")
    )


def older_elders(access: Access, today: dt.date) -> QuerySet[Person]:
    """Who may join a group: living elders (the caring age in force) the reader may change, in
    no group and leading none."""
    age = int(parameters.value("caring.min_age", on=today).value)
    return (
        _changeable(access)
        .filter(birth_date__lte=birth_cutoff(today, age))
        .exclude(pk__in=_open_leaders().values("leader_id"))
        .exclude(pk__in=_in_groups().values("person_id"))
        .select_related("dwelling__unit__building__quarter")
        .order_by("name", "pk")
    )


def _check_members(
    group_leader: Person, members: list[Person], already: int, size: int
) -> dict[str, list[str]]:
    if not members:
        return {"members": [_("Choose at least one older elder.")]}
    if already + len(members) > size:
        return {
            "members": [
                _("A group holds at most %(most)s older elders; free places: %(free)s.")
                % {"most": size, "free": max(0, size - already)}
            ]
        }
    if group_leader in members:
        return {"members": [_("The volunteer elder cannot be their own member.")]}
    if (
        _in_groups().filter(person__in=members).exists()
        or _open_leaders().filter(leader__in=members).exists()
    ):
        return {"members": [_("Someone chosen is already in a group.")]}
    return {}


def _tell_leader(group: CompanionGroup, title: str) -> None:
    user = User.objects.filter(pk=group.leader.user_id).first() if group.leader.user_id else None
    if user is not None:
        notify(
            [user],
            group.subdistrict,
            title=title,
            body=_("Call each of them every week and visit them; log it on your list."),
            url=reverse("caring:companions"),
        )


def form_group(
    actor: Access, *, leader: Person, members: list[Person], on: dt.date | None = None
) -> CompanionGroup:
    """A 老伙伴 group: ``leader``, a younger elder with a volunteer account, looks after
    ``members`` (at most the group size in force)."""
    actor.require(rules.may_manage_plans(actor))
    on = on or clock.today()
    size, version = group_size(on)
    errors: dict[str, list[str]] = {}
    volunteer = (
        leader.user_id is not None
        and Membership.objects.filter(
            user_id=leader.user_id, subdistrict_id=leader.subdistrict_id, role=Role.VOLUNTEER
        ).exists()
    )
    if not volunteer:
        errors["leader"] = [_("The volunteer elder needs a volunteer account.")]
    elif (
        _open_leaders().filter(leader=leader).exists()
        or _in_groups().filter(person=leader).exists()
    ):
        errors["leader"] = [_("The volunteer elder is already in a group.")]
    errors.update(_check_members(leader, members, 0, size))
    if errors:
        raise ValidationError(errors)
    for person in [leader, *members]:
        actor.require(visibility.allows(actor, person, "change"))
    with transaction.atomic():
        group = CompanionGroup.objects.create(
            subdistrict=leader.subdistrict,
            leader=leader,
            formed_on=on,
            target_size=size,
            size_version=version,
        )
        CompanionMember.objects.bulk_create(
            CompanionMember(subdistrict=leader.subdistrict, group=group, person=p, joined_on=on)
            for p in members
        )
        audit.record(actor, "caring.group.form", group, after=_snapshot(group))
        _tell_leader(group, _("You now lead a 老伙伴 group"))
    return group


def _snapshot(group: CompanionGroup) -> dict[str, object]:
    return {
        **audit.snapshot(group),
        "members": sorted(
            group.memberships.filter(left_on__isnull=True).values_list("person_id", flat=True)
        ),
    }


def _check_open(actor: Access, group: CompanionGroup, field: str) -> None:
    actor.require(rules.may_manage_plans(actor) and visibility.allows(actor, group, "change"))
    if group.ended_on is not None:
        raise ValidationError({field: [_("This group has ended.")]})


def add_members(
    actor: Access, group: CompanionGroup, members: list[Person], on: dt.date | None = None
) -> CompanionGroup:
    """More older elders in ``group``, up to the group size in force."""
    _check_open(actor, group, "members")
    on = on or clock.today()
    size, _version = group_size(on)
    with transaction.atomic():
        group = CompanionGroup.objects.select_for_update().get(pk=group.pk)
        already = group.memberships.filter(left_on__isnull=True).count()
        errors = _check_members(group.leader, members, already, size)
        if errors:
            raise ValidationError(errors)
        for person in members:
            actor.require(visibility.allows(actor, person, "change"))
        before = _snapshot(group)
        CompanionMember.objects.bulk_create(
            CompanionMember(subdistrict=group.subdistrict, group=group, person=p, joined_on=on)
            for p in members
        )
        audit.record(actor, "caring.group.change", group, before=before, after=_snapshot(group))
    return group


def remove_member(actor: Access, member: CompanionMember) -> CompanionMember:
    """``member`` leaves the group today; their calls and visits stay in the history."""
    group = member.group
    _check_open(actor, group, "members")
    if member.left_on is not None:
        raise ValidationError({"members": [_("This person is no longer in the group.")]})
    with transaction.atomic():
        before = _snapshot(group)
        member.left_on = clock.today()
        member.save(update_fields=["left_on"])
        audit.record(actor, "caring.group.change", group, before=before, after=_snapshot(group))
    return member


def end_group(actor: Access, group: CompanionGroup) -> CompanionGroup:
    """The group ends today; its members are free to join another."""
    _check_open(actor, group, "group")
    today = clock.today()
    with transaction.atomic():
        before = _snapshot(group)
        group.memberships.filter(left_on__isnull=True).update(left_on=today)
        group.ended_on = today
        group.save(update_fields=["ended_on"])
        audit.record(actor, "caring.group.end", group, before=before, after=audit.snapshot(group))
    return group
