"""Forms of the mediation pages. They read input; the verbs check it, and their errors come
back onto the field they name (``linli.core.http.show_errors``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core import limits
from linli.core.forms import DateInput
from linli.core.models import User
from linli.governance.mediation.models import MediationCase, Party, Session
from linli.registry.models import Quarter

OUTCOMES = [c for c in MediationCase.Status.choices if c[0] != MediationCase.Status.OPEN]


class CaseForm(forms.Form):
    quarter: forms.ModelChoiceField[Quarter] = forms.ModelChoiceField(
        Quarter.objects.none(), label=_("Quarter")
    )
    kind = forms.ChoiceField(label=_("Kind of dispute"), choices=MediationCase.Kind.choices)
    summary = forms.CharField(
        label=_("What the dispute is about"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=limits.max_length(MediationCase, "summary"),
    )
    mediator: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        User.objects.none(), label=_("Mediator")
    )
    party_0_name = forms.CharField(
        label=_("Applicant"), max_length=limits.max_length(Party, "name")
    )
    party_0_phone = forms.CharField(label=_("Applicant's mobile"), required=False, max_length=20)
    party_1_name = forms.CharField(
        label=_("Respondent"), max_length=limits.max_length(Party, "name")
    )
    party_1_phone = forms.CharField(label=_("Respondent's mobile"), required=False, max_length=20)

    def __init__(self, *args: Any, quarters: Any, mediators: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        quarter = self.fields["quarter"]
        mediator = self.fields["mediator"]
        assert isinstance(quarter, forms.ModelChoiceField)  # noqa: S101 - declared above
        assert isinstance(mediator, forms.ModelChoiceField)  # noqa: S101 - declared above
        quarter.queryset = quarters.order_by("name")
        mediator.queryset = mediators


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput)
    place = forms.CharField(label=_("Place"), max_length=limits.max_length(Session, "place"))
    attendees = forms.CharField(
        label=_("Attendees"), max_length=limits.max_length(Session, "attendees")
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=OUTCOMES, widget=forms.RadioSelect)
    on = forms.DateField(label=_("Date"), widget=DateInput)
    terms = forms.CharField(
        label=_("Terms of the agreement"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SignForm(forms.Form):
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput)
    scan = forms.FileField(
        label=_("Scan of the signed agreement"),
        required=False,
        help_text=_("Optional: a photo or scan (JPEG or PNG)."),
    )


class FollowUpForm(forms.Form):
    on = forms.DateField(label=_("Visited on"), widget=DateInput)
    notes = forms.CharField(
        label=_("How the agreement is kept"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ConfirmForm(forms.Form):
    on = forms.DateField(label=_("Confirmed on"), widget=DateInput)
    court = forms.CharField(
        label=_("Court"), max_length=limits.max_length(MediationCase, "confirming_court")
    )
