"""Forms of the event pages. The place list is filled per request: the sub-district's service
centre and sub-centres (a class-level queryset would query outside any tenant scope)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core import limits
from linli.core.models import Organisation
from linli.frontoffice.events.models import PLACE_KINDS, Event, Registration

MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MOMENTS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")


class EventForm(forms.ModelForm):
    place: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        queryset=None, label=_("Place")
    )

    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "description",
            "audience",
            "room",
            *MOMENTS,
            "capacity",
            "seats_per_enterprise",
            "requires_approval",
            "offer_hold_hours",
        ]
        widgets = {name: MOMENT for name in MOMENTS} | {
            "description": forms.Textarea(attrs={"rows": 4})
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        place = self.fields["place"]
        assert isinstance(place, forms.ModelChoiceField)  # noqa: S101 - declared above
        place.queryset = Organisation.objects.filter(kind__in=PLACE_KINDS).order_by("kind", "name")
        if self.instance.pk:
            self.initial["place"] = self.instance.place_id

    def save(self, commit: bool = False) -> Event:
        event: Event = super().save(commit=False)
        event.place = self.cleaned_data["place"]
        return event


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=limits.max_length(Registration, "comment"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=300,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end must not be before the start."))
        return data
