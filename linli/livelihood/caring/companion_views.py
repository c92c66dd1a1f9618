"""老伙伴计划 pages: the groups a volunteer elder, a committee or an administrator sees (on a
phone: each older elder's last call and visit, and the log of a call or visit), and the pages
on which administrators and committee staff form a group, change its members and end it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Max, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from linli.core import clock, parameters
from linli.core.access import Access
from linli.core.http import page_access, show_errors
from linli.livelihood.caring import forms, groups, rules, services
from linli.livelihood.caring.models import CaringVisit, CompanionGroup, CompanionMember
from linli.people.models import Person
from linli.people.presenting import address_of

# Older elders listed to choose from at once: a name narrows the list.
SHOWN = 50


def _call_every(today: dt.date) -> int:
    return int(parameters.value("caring.companion_call_every_days", on=today).value)


def _contacts(members: Any, today: dt.date) -> list[dict[str, Any]]:
    """Each member with their last call and visit, and whether a call is due."""
    members = list(members)
    contact: dict[int, Any] = {
        row["person_id"]: row
        for row in CaringVisit.objects.filter(person_id__in=[m.person_id for m in members])
        .values("person_id")
        .annotate(
            call=Max("on", filter=Q(kind=CaringVisit.Kind.PHONE)),
            visit=Max("on", filter=Q(kind=CaringVisit.Kind.HOME)),
        )
    }
    every = _call_every(today)
    rows = []
    for m in members:
        last: dict[str, Any] = contact.get(m.person_id, {})
        call = last.get("call")
        rows.append(
            {
                "member": m,
                "call": call,
                "visit": last.get("visit"),
                "call_due": call is None or call <= today - dt.timedelta(days=every),
            }
        )
    return rows


@login_required
def companions(request: HttpRequest) -> HttpResponse:
    """老伙伴 groups: each older elder's last call and visit, and whether this week's call is
    still to make."""
    access = page_access(request)
    access.require(rules.may_see_companions(access))
    today = clock.today()
    found = list(
        CompanionGroup.objects.visible_to(access)
        .filter(ended_on__isnull=True)
        .select_related("leader")
    )
    members = (
        CompanionMember.objects.filter(group__in=found, left_on__isnull=True)
        .select_related("person")
        .order_by("group", "pk")
    )
    rows = _contacts(members, today)
    by_group: dict[int, list[dict[str, Any]]] = {g.pk: [] for g in found}
    for row in rows:
        by_group[row["member"].group_id].append(row)
    return render(
        request,
        "caring/companions.html",
        {
            "groups": [(g, by_group[g.pk]) for g in found],
            "form": forms.VisitForm(initial={"kind": CaringVisit.Kind.PHONE, "on": today}),
            "every": _call_every(today),
            "may_manage": rules.may_manage_plans(access),
        },
    )


@login_required
@require_POST
def companion_log(request: HttpRequest, pk: int) -> HttpResponse:
    access = page_access(request)
    member: CompanionMember = get_object_or_404(
        CompanionMember.objects.filter(
            group__in=CompanionGroup.objects.visible_to(access)
        ).select_related("group__leader"),
        pk=pk,
    )
    form = forms.VisitForm(request.POST)
    if form.is_valid():
        try:
            visit = services.log_companion_contact(
                access,
                member,
                outcome=form.cleaned_data["outcome"],
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
                on=form.cleaned_data["on"],
            )
        except ValidationError as exc:
            for texts in exc.message_dict.values():
                for text in texts:
                    messages.error(request, text)
        else:
            if visit.case is not None:
                messages.success(
                    request,
                    _("Logged. Case %(number)s opened for the residents' committee.")
                    % {"number": visit.case.number},
                )
            else:
                messages.success(request, _("Logged."))
    else:
        messages.error(request, _("Choose how the call went."))
    return redirect("caring:companions")


def _ticked(request: HttpRequest) -> list[str]:
    return request.POST.getlist("members") if request.method == "POST" else []


def _choices(
    request: HttpRequest, candidates: QuerySet[Person]
) -> tuple[forms.FindElderForm, list[tuple[Person, str]], bool]:
    """The older elders to tick: those the name finds (the first ``SHOWN``), and those ticked
    in a refused post, so the form comes back as it was sent. Also whether there are more."""
    find = forms.FindElderForm(request.GET or None)
    found = candidates
    if find.is_valid() and find.cleaned_data["name"]:
        found = candidates.filter(name__icontains=find.cleaned_data["name"])
    elif find.is_bound and not find.is_valid():
        found = candidates.none()
    listed = list(found[: SHOWN + 1])
    more = len(listed) > SHOWN
    shown = listed[:SHOWN]
    ticked = [v for v in _ticked(request) if v.isdigit()]
    if ticked:
        shown += [p for p in candidates.filter(pk__in=ticked) if p not in shown]
    return find, [(p, address_of(p.dwelling)) for p in shown], more


@login_required
@require_http_methods(["GET", "POST"])
def group_new(request: HttpRequest) -> HttpResponse:
    """Form a group: a volunteer elder and the older elders they will look after."""
    access = page_access(request)
    access.require(rules.may_manage_plans(access))
    today = clock.today()
    candidates = groups.older_elders(access, today)
    form = forms.GroupForm(
        request.POST or None, leaders=groups.volunteer_elders(access), candidates=candidates
    )
    if request.method == "POST" and form.is_valid():
        try:
            group = groups.form_group(
                access,
                leader=form.cleaned_data["leader"],
                members=list(form.cleaned_data["members"]),
            )
        except ValidationError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, _("Group formed."))
            return redirect("caring:companion_group", pk=group.pk)
    find, shown, more = _choices(request, candidates)
    refused = request.method == "POST" or bool(find.errors)
    return render(
        request,
        "caring/group_new.html",
        {
            "form": form,
            "find": find,
            "shown": shown,
            "more": more,
            "shown_most": SHOWN,
            "ticked": set(_ticked(request)),
            "size": groups.group_size(today)[0],
        },
        status=400 if refused else 200,
    )


def _visible_group(access: Access, pk: int) -> CompanionGroup:
    return get_object_or_404(
        CompanionGroup.objects.visible_to(access).select_related("leader"), pk=pk
    )


def _group_page(
    request: HttpRequest,
    access: Access,
    group: CompanionGroup,
    *,
    form: forms.GroupMembersForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = clock.today()
    may_change = rules.may_manage_plans(access) and group.ended_on is None
    candidates = groups.older_elders(access, today)
    form = form or forms.GroupMembersForm(candidates=candidates)
    find, shown, more = _choices(request, candidates) if may_change else (None, [], False)
    members = group.memberships.filter(left_on__isnull=True).select_related("person")
    size = groups.group_size(today)[0]
    return render(
        request,
        "caring/group.html",
        {
            "group": group,
            "rows": _contacts(members.order_by("pk"), today),
            "left": group.memberships.filter(left_on__isnull=False).select_related("person"),
            "may_change": may_change,
            "form": form,
            "find": find,
            "shown": shown,
            "more": more,
            "shown_most": SHOWN,
            "ticked": set(_ticked(request)),
            "size": size,
            "free": max(0, size - members.count()),
        },
        status=400 if status == 400 or (find is not None and find.errors) else status,
    )


@login_required
def group(request: HttpRequest, pk: int) -> HttpResponse:
    access = page_access(request)
    access.require(rules.may_see_companions(access))
    return _group_page(request, access, _visible_group(access, pk))


@login_required
@require_POST
def group_add(request: HttpRequest, pk: int) -> HttpResponse:
    access = page_access(request)
    found = _visible_group(access, pk)
    access.require(rules.may_manage_plans(access))
    form = forms.GroupMembersForm(
        request.POST, candidates=groups.older_elders(access, clock.today())
    )
    if form.is_valid():
        try:
            groups.add_members(access, found, list(form.cleaned_data["members"]))
        except ValidationError as exc:
            show_errors(exc, form)
        else:
            return redirect("caring:companion_group", pk=found.pk)
    return _group_page(request, access, found, form=form, status=400)


@login_required
@require_POST
def group_remove(request: HttpRequest, pk: int) -> HttpResponse:
    access = page_access(request)
    member: CompanionMember = get_object_or_404(
        CompanionMember.objects.visible_to(access).select_related("group__leader"), pk=pk
    )
    access.require(rules.may_manage_plans(access))
    try:
        groups.remove_member(access, member)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    return redirect("caring:companion_group", pk=member.group_id)


@login_required
@require_POST
def group_end(request: HttpRequest, pk: int) -> HttpResponse:
    access = page_access(request)
    found = _visible_group(access, pk)
    access.require(rules.may_manage_plans(access))
    try:
        groups.end_group(access, found)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Group ended."))
    return redirect("caring:companion_group", pk=found.pk)
