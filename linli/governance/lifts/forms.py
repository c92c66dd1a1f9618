"""The forms of the lift pages; the verbs in ``services`` check what the forms cannot."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from linli.core.forms import DateInput
from linli.governance.lifts.models import Channel, Choice, Document, Voter
from linli.people.models import Unit


class OpenForm(forms.Form):
    unit: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        queryset=Unit.objects.none(), label=_("Unit")
    )
    opened_on = forms.DateField(label=_("Survey started on"), widget=DateInput())

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class VoteForm(forms.Form):
    voter: forms.ModelChoiceField[Voter] = forms.ModelChoiceField(
        queryset=Voter.objects.none(), label=_("Owner")
    )
    choice = forms.ChoiceField(choices=Choice.choices, label=_("Vote"))
    on = forms.DateField(label=_("Date"), widget=DateInput())
    channel = forms.ChoiceField(choices=Channel.choices, label=_("Channel"))
    reason = forms.CharField(label=_("Reason (for an objection)"), required=False)

    def __init__(self, *args: Any, voters: QuerySet[Voter], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["voter"].queryset = voters  # type: ignore[attr-defined]


class AdvanceForm(forms.Form):
    on = forms.DateField(label=_("Reached on"), widget=DateInput())
    entered_service_on = forms.DateField(
        label=_("Lift entered service on (for the use registration)"),
        widget=DateInput(),
        required=False,
    )
    note = forms.CharField(label=_("Note"), required=False)


class CostForm(forms.Form):
    estimated_cost = forms.DecimalField(
        label=_("Estimated cost (yuan)"), max_digits=12, decimal_places=2, min_value=1
    )
    lifts = forms.IntegerField(label=_("Number of lifts"), min_value=1, max_value=4, initial=1)
    on = forms.DateField(label=_("Recorded on"), widget=DateInput())


class MediationForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput())
    mediator = forms.CharField(label=_("Mediator"))
    participants = forms.CharField(label=_("Participants"))
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2}))


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(choices=Document.Kind.choices, label=_("Kind"))
    title = forms.CharField(label=_("Title"))
    file = forms.FileField(label=_("File (PDF, PNG or JPEG)"))
