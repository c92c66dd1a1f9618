"""The pages of the residents' verbs: moving in and out, death, tags, consents and merging.

Each page is offered (and answers) only where the rule its verb checks allows it
(``rules.may_*``): a record the reader cannot see is 404, one they see but may not change 403.
The verb decides; its errors come back on the form's fields, in the reader's language, and
nothing is written. A form that picks a record (a dwelling, a person) searches with a button of
its own; an ID number is posted, never put in the address.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from linli.core import clock
from linli.core.access import Access
from linli.core.http import page_access, show_errors
from linli.people import rules, services
from linli.people.filters import PersonFilter, dwellings_matching, found, persons_matching
from linli.people.forms import (
    ConsentForm,
    DeathForm,
    EndTagForm,
    MergeForm,
    MoveHereForm,
    MoveInForm,
    MoveOutForm,
    PickerForm,
    SetTagForm,
    WithdrawConsentForm,
)
from linli.people.models import ConsentRecord, Dwelling, Person, PersonTag, TagKind
from linli.people.presenting import address_of

GET_POST = require_http_methods(["GET", "POST"])


def _person(
    request: HttpRequest, pk: int, offered: Callable[[Access, Person], bool]
) -> tuple[Access, Person]:
    access = page_access(request)
    person = get_object_or_404(
        Person.objects.visible_to(access).select_related("dwelling__unit__building__quarter"),
        pk=pk,
    )
    access.require(offered(access, person))
    return access, person


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _submitted(form: forms.Form, verb: Callable[[], object]) -> bool:
    """A valid form runs the verb; its errors go on the form's fields. A post that only
    searches runs nothing."""
    if isinstance(form, PickerForm) and form.only_searching:
        return False
    if not (form.is_bound and form.is_valid()):
        return False
    try:
        verb()
    except ValidationError as exc:
        show_errors(exc, form)
        return False
    return True


def _done(request: HttpRequest, url: str, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(url)


def _page(
    request: HttpRequest,
    form: forms.Form,
    *,
    title: str,
    submit: str,
    back: tuple[str, str],
    intro: str = "",
) -> HttpResponse:
    """The form again: 400 when a post was refused, so that nothing looks saved (a search
    only when one of its terms was)."""
    refused = request.method == "POST" and (
        not isinstance(form, PickerForm) or not form.only_searching or bool(form.errors)
    )
    return render(
        request,
        "people/action.html",
        {
            "form": form,
            "title": title,
            "submit": submit,
            "back_url": back[0],
            "back_label": back[1],
            "intro": intro,
            "searchable": isinstance(form, PickerForm),
        },
        status=400 if refused else 200,
    )


def _back(person: Person) -> tuple[str, str]:
    return reverse("people:person", kwargs={"pk": person.pk}), person.name


def _of(form: forms.Form, name: str) -> Any:
    return form.cleaned_data[name]


@login_required
@GET_POST
def move_out(request: HttpRequest, pk: int) -> HttpResponse:
    access, person = _person(request, pk, rules.may_move_out)
    form = MoveOutForm(_posted(request), initial={"on": clock.today()})
    if _submitted(
        form,
        lambda: services.move_out(access, person, on=_of(form, "on"), note=_of(form, "note")),
    ):
        return _done(request, _back(person)[0], _("The move out is recorded."))
    return _page(
        request, form, title=_("Record moving out"), submit=_("Record"), back=_back(person)
    )


@login_required
@GET_POST
def death(request: HttpRequest, pk: int) -> HttpResponse:
    access, person = _person(request, pk, rules.may_record_death)
    form = DeathForm(_posted(request))
    if _submitted(
        form,
        lambda: services.record_death(access, person, on=_of(form, "on"), note=_of(form, "note")),
    ):
        return _done(request, _back(person)[0], _("The death is recorded."))
    return _page(
        request,
        form,
        title=_("Record a death"),
        submit=_("Record"),
        back=_back(person),
        intro=_("The record stays, with its history; the person is no longer counted."),
    )


@login_required
@GET_POST
def move_in(request: HttpRequest, pk: int) -> HttpResponse:
    access, person = _person(request, pk, rules.may_move_in)
    form = MoveInForm(_posted(request), initial={"on": clock.today()})
    terms = form.terms()
    searched = (
        dwellings_matching(access, terms["address"])
        if terms and terms["address"]
        else Dwelling.objects.none()
    )
    form.offer(dwellings_matching(access, ""), searched, address_of)
    if _submitted(
        form,
        lambda: services.move_in(access, person, _of(form, "dwelling"), on=_of(form, "on")),
    ):
        return _done(request, _back(person)[0], _("The move in is recorded."))
    return _page(
        request,
        form,
        title=_("Record moving in"),
        submit=_("Record"),
        back=_back(person),
        intro=_("Moving from another dwelling here records the move out of the old one."),
    )


def _searched(access: Access, form: PickerForm) -> QuerySet[Person]:
    terms = form.terms()
    if terms is None:
        return Person.objects.none()
    return persons_matching(access, terms["find_name"], terms["find_id"])


def _person_label(person: Person) -> str:
    parts = [person.name, person.resident_id_masked, address_of(person.dwelling)]
    return " · ".join(p for p in parts if p)


@login_required
@GET_POST
def move_here(request: HttpRequest, pk: int) -> HttpResponse:
    access = page_access(request)
    dwelling = get_object_or_404(
        Dwelling.objects.visible_to(access).select_related("unit__building__quarter"), pk=pk
    )
    access.require(rules.may_change(access, dwelling))
    form = MoveHereForm(_posted(request), initial={"on": clock.today()})
    movable = found(access, PersonFilter.model_validate({})).filter(status__in=rules.CHANGEABLE)
    searched = _searched(access, form).filter(status__in=rules.CHANGEABLE)
    form.offer(movable, searched, _person_label)
    address = address_of(dwelling)
    back = reverse("people:dwelling", kwargs={"pk": dwelling.pk})
    if _submitted(
        form,
        lambda: services.move_in(access, _of(form, "person"), dwelling, on=_of(form, "on")),
    ):
        return _done(request, back, _("The move in is recorded."))
    return _page(
        request, form, title=_("Move a resident in"), submit=_("Record"), back=(back, address)
    )


@login_required
@GET_POST
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    access, person = _person(request, pk, rules.may_merge_person)
    form = MergeForm(_posted(request))
    others = found(access, PersonFilter.model_validate({})).exclude(pk=person.pk)
    form.offer(others, _searched(access, form).exclude(pk=person.pk), _person_label)
    if _submitted(
        form,
        lambda: services.merge_persons(
            access, person, _of(form, "absorb"), reason=_of(form, "reason")
        ),
    ):
        return _done(request, _back(person)[0], _("The two records are merged."))
    return _page(
        request,
        form,
        title=_("Merge two records of this person"),
        submit=_("Merge"),
        back=_back(person),
        intro=_(
            "This record is kept; the other one takes its place in the history and points "
            "here. Records with different ID numbers are two persons and cannot be merged."
        ),
    )


@login_required
@GET_POST
def tag_new(request: HttpRequest, pk: int) -> HttpResponse:
    access, person = _person(request, pk, rules.may_tag)
    kinds = TagKind.objects.filter(from_age__isnull=True)
    if not rules.sees_sensitive(access):
        kinds = kinds.filter(sensitive=False)
    consents = ConsentRecord.objects.visible_to(access).filter(
        person=person, withdrawn_on__isnull=True
    )
    form = SetTagForm(
        _posted(request), kinds=kinds, consents=consents, initial={"valid_from": clock.today()}
    )
    if _submitted(form, lambda: _set_tag(access, person, form.cleaned_data)):
        return _done(request, _back(person)[0], _("The tag is set."))
    return _page(request, form, title=_("Set a tag"), submit=_("Set the tag"), back=_back(person))


def _set_tag(access: Access, person: Person, data: dict[str, Any]) -> PersonTag:
    return services.set_tag(
        access,
        person,
        kind=data["kind"],
        source=data["source"],
        valid_from=data["valid_from"],
        valid_until=data["valid_until"],
        reason=data["reason"],
        grade=data["grade"],
        consent=data["consent"],
        legal_basis=data["legal_basis"],
    )


@login_required
@GET_POST
def tag_end(request: HttpRequest, pk: int, tag: int) -> HttpResponse:
    access, person = _person(request, pk, lambda _a, _p: True)
    record = get_object_or_404(
        PersonTag.objects.visible_to(access).select_related("kind", "person"),
        person=person,
        pk=tag,
    )
    access.require(rules.may_end_tag(access, record))
    form = EndTagForm(_posted(request), initial={"on": clock.today()})
    if _submitted(
        form,
        lambda: services.end_tag(access, record, on=_of(form, "on"), reason=_of(form, "reason")),
    ):
        return _done(request, _back(person)[0], _("The tag has ended."))
    return _page(
        request,
        form,
        title=_("End the tag “%(tag)s”") % {"tag": record.kind},
        submit=_("End the tag"),
        back=_back(person),
    )


@login_required
@GET_POST
def consent_new(request: HttpRequest, pk: int) -> HttpResponse:
    access, person = _person(request, pk, rules.may_record_consent)
    form = ConsentForm(_posted(request), initial={"given_on": clock.today()})
    if _submitted(form, lambda: services.record_consent(access, person, **form.cleaned_data)):
        return _done(request, _back(person)[0], _("The consent is recorded."))
    return _page(request, form, title=_("Record a consent"), submit=_("Record"), back=_back(person))


@login_required
@GET_POST
def consent_withdraw(request: HttpRequest, pk: int, consent: int) -> HttpResponse:
    access, person = _person(request, pk, lambda _a, _p: True)
    record = get_object_or_404(
        ConsentRecord.objects.visible_to(access).select_related("person"),
        person=person,
        pk=consent,
    )
    access.require(rules.may_withdraw_consent(access, record))
    form = WithdrawConsentForm(_posted(request), initial={"on": clock.today()})
    if _submitted(form, lambda: services.withdraw_consent(access, record, on=_of(form, "on"))):
        return _done(request, _back(person)[0], _("The consent is withdrawn."))
    return _page(
        request,
        form,
        title=_("Withdraw the consent “%(purpose)s”") % {"purpose": record.get_purpose_display()},
        submit=_("Withdraw"),
        back=_back(person),
        intro=_("Tags that rest on this consent alone end with it."),
    )
