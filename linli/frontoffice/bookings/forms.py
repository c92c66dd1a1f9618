"""Booking and resource forms. The rules themselves are checked by the verbs (``checks``)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core import limits
from linli.core.access import Access
from linli.core.calendar import local_zone
from linli.core.models import Organisation
from linli.frontoffice.bookings import rules
from linli.frontoffice.bookings.models import Booking, BookingSeries, Resource
from linli.registry.forms import TenantModelForm
from linli.registry.models import Enterprise


class BookingForm(forms.Form):
    enterprise: forms.ModelChoiceField[Enterprise] = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=None, required=False
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("From"), widget=forms.TimeInput(attrs={"type": "time", "step": 300})
    )
    end_time = forms.TimeField(
        label=_("To"), widget=forms.TimeInput(attrs={"type": "time", "step": 300})
    )
    purpose = forms.CharField(
        label=_("Purpose"), max_length=limits.max_length(Booking, "purpose"), required=False
    )
    repeat = forms.ChoiceField(
        label=_("Repeat"),
        choices=[("", _("Does not repeat")), *BookingSeries.Frequency.choices],
        required=False,
    )
    repeat_count = forms.IntegerField(
        label=_("Number of dates"), min_value=1, max_value=52, required=False
    )
    repeat_until = forms.DateField(
        label=_("Repeat until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, access: Access, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enterprise"]
        if rules.is_booking_staff(access):
            staff_choice = Enterprise.objects.visible_to(access).order_by("name")
            field.queryset = staff_choice  # type: ignore[attr-defined]
        else:
            own = Enterprise.objects.visible_to(access).filter(
                pk__in=sorted(access.linked_ids("enterprise"))
            )
            field.queryset = own.order_by("name")  # type: ignore[attr-defined]
            field.required = True
            if own.count() == 1:
                field.initial = own.first()

    def clean(self) -> dict[str, Any]:
        super().clean()
        # Form.clean returns cleaned_data itself; the stubs allow None for overrides.
        data = self.cleaned_data
        repeat = data.get("repeat")
        if repeat and not data.get("repeat_count") and not data.get("repeat_until"):
            self.add_error(
                "repeat_count", _("Say how many dates, or until when the booking repeats.")
            )
        return data

    def slot(self) -> tuple[dt.datetime, dt.datetime]:
        day = self.cleaned_data["date"]
        zone = local_zone()
        start = dt.datetime.combine(day, self.cleaned_data["start_time"], zone)
        end = dt.datetime.combine(day, self.cleaned_data["end_time"], zone)
        return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


class OpeningHoursField(forms.CharField):
    """The opening hours as JSON text: ``{"0": [["09:00", "17:30"]], …}``, Monday = "0"."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        return value if isinstance(value, str) else json.dumps(value)

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        try:
            return json.loads(text) if text else {}
        except ValueError as exc:
            raise forms.ValidationError(_("Opening hours must be JSON.")) from exc


class ResourceForm(TenantModelForm):
    # Querysets are set per request: the scoped managers need the tenant scope.
    place: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("place (centre or sub-centre)"), queryset=None
    )
    opening_hours = OpeningHoursField(
        label=_("opening hours"),
        help_text=_('Per weekday (Monday = "0"): {"0": [["09:00", "12:00"], ["13:00", "17:30"]]}'),
    )

    class Meta:
        model = Resource
        fields = [
            "code",
            "name",
            "kind",
            "advisor_field",
            "place",
            "location",
            "capacity",
            "description",
            "is_active",
            "opening_hours",
            "open_on_non_working_days",
            "slot_minutes",
            "min_notice_minutes",
            "window_days",
            "max_duration_minutes",
            "buffer_before_minutes",
            "buffer_after_minutes",
            "quota_per_day",
            "quota_per_week",
            "approval_required",
            "cancel_cutoff_minutes",
            "checkin_opens_minutes",
            "release_after_minutes",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            kind__in=[Organisation.Kind.SERVICE_CENTRE, Organisation.Kind.SUBCENTRE]
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        # ModelForm.clean returns cleaned_data itself; the stubs allow None for overrides.
        data = self.cleaned_data
        if data.get("kind") == "advisor" and not data.get("advisor_field"):
            self.add_error("advisor_field", _("Say what the advisor advises on."))
        return data
