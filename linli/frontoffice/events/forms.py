"""Forms of the event pages. The place list is filled per request: the sub-district's service
centre and sub-centres (a class-level queryset would query outside any tenant scope)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core import limits
from linli.core.models import Organisation
from linli.frontoffice.events.models import PLACE_KINDS, Event, Registration

MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MOMENTS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")


AGENDA_TITLE_LENGTH = 200
AGENDA_ITEMS = 40


class AgendaField(forms.CharField):
    """The agenda as text, one item a line, each starting with its time: "09:30 Opening"."""

    widget = forms.Textarea(attrs={"rows": 5})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(f"{item['time']} {item['title']}" for item in value)
        return value

    def to_python(self, value: Any) -> Any:
        lines = [line.strip() for line in (super().to_python(value) or "").splitlines()]
        items = []
        for line in filter(None, lines):
            time, _space, title = line.partition(" ")
            try:
                moment = dt.time.fromisoformat(time)
            except ValueError:
                moment = None
            if moment is None or not title.strip():
                raise forms.ValidationError(
                    _(
                        "Start each line with a time and then the title, e.g. “09:30 Opening”: "
                        "“%(line)s” does not."
                    ),
                    params={"line": line},
                )
            if len(title.strip()) > AGENDA_TITLE_LENGTH:
                raise forms.ValidationError(
                    _("Keep each item's title to %(limit)s characters."),
                    params={"limit": AGENDA_TITLE_LENGTH},
                )
            items.append({"time": f"{moment:%H:%M}", "title": title.strip()})
        if len(items) > AGENDA_ITEMS:
            raise forms.ValidationError(
                _("An agenda has at most %(limit)s items."), params={"limit": AGENDA_ITEMS}
            )
        return items


class EventForm(forms.ModelForm):
    place: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        queryset=None, label=_("Place")
    )
    agenda = AgendaField(
        label=_("Agenda"),
        required=False,
        help_text=_("One item a line, in order, each starting with its time: 09:30 Opening."),
    )

    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "description",
            "agenda",
            "audience",
            "room",
            *MOMENTS,
            "capacity",
            "seats_per_enterprise",
            "requires_approval",
            "offer_hold_hours",
        ]
        widgets = {name: MOMENT for name in MOMENTS} | {
            "description": forms.Textarea(attrs={"rows": 6})
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
