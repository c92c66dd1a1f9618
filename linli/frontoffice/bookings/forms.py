"""Booking and resource forms. The rules themselves are checked by the verbs (``checks``)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.cases.attachments import CheckedImage, check_image
from linli.core import limits
from linli.core.access import Access
from linli.core.calendar import local_zone
from linli.core.models import Organisation
from linli.frontoffice.bookings import rules
from linli.frontoffice.bookings.models import Booking, BookingSeries, Resource
from linli.registry.forms import TenantModelForm
from linli.registry.models import Enterprise

ENTERPRISE_MATCHES = 20
SEARCH_LENGTH = 100


def find_enterprises(access: Access, words: str) -> list[Enterprise]:
    """The enterprises the booking staff may book for whose name has every word, or whose
    unified social credit code starts with the text; the first ``ENTERPRISE_MATCHES`` by name."""
    words = words.strip()[:SEARCH_LENGTH]
    if not words:
        return []
    by_name = Q()
    for word in words.split():
        by_name &= Q(name__icontains=word)
    found = Enterprise.objects.visible_to(access).filter(
        by_name | Q(credit_code__istartswith=words.upper())
    )
    return list(found.order_by("name", "pk")[:ENTERPRISE_MATCHES])


class EnterprisePicker(forms.Widget):
    """A search field and the enterprises it found, as radio buttons (the staff's booker).

    Typing asks ``bookings:enterprise_search`` for the matches (htmx); without script the
    "Find" button sends the form back with them. The chosen one stays checked."""

    template_name = "bookings/_enterprise_picker.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.query = ""
        self.matches: list[Enterprise] = []

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        chosen = str(value) if value not in (None, "") else ""
        context["widget"] |= {
            "query": self.query,
            "matches": self.matches,
            "chosen": chosen,
            "query_limit": SEARCH_LENGTH,
        }
        return context


class BookingForm(forms.Form):
    enterprise: forms.ModelChoiceField[Enterprise] = forms.ModelChoiceField(
        label=_("On behalf of"),
        queryset=None,
        required=False,
        error_messages={
            "invalid_choice": _("Choose an enterprise of this sub-district from the search.")
        },
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

    def __init__(
        self, *args: Any, access: Access, search: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> None:
        """``search``: where the staff's enterprise search and choice are read (default: the
        form's data); the "Find" button shows an unbound form with what was sent."""
        super().__init__(*args, **kwargs)
        field = self.fields["enterprise"]
        if rules.is_booking_staff(access):
            # Any enterprise of the sub-district, found by searching: never a list of them all.
            field.queryset = Enterprise.objects.visible_to(access)  # type: ignore[attr-defined]
            picker = EnterprisePicker()
            data = search if search is not None else self.data
            picker.query = str(data.get("enterprise_q", ""))[:SEARCH_LENGTH]
            matches = find_enterprises(access, picker.query)
            chosen = str(data.get("enterprise", ""))
            if chosen.isdigit() and all(str(e.pk) != chosen for e in matches):
                matches = list(Enterprise.objects.visible_to(access).filter(pk=int(chosen)))
                matches += find_enterprises(access, picker.query)
            picker.matches = matches
            field.widget = picker
            field.help_text = _("Type part of the name or the credit code, then choose.")
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


EQUIPMENT_ITEM_LENGTH = 50


class EquipmentField(forms.CharField):
    """The equipment as text, one item a line (a projector, a whiteboard, …)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        items = [line.strip() for line in (text or "").splitlines() if line.strip()]
        long = [item for item in items if len(item) > EQUIPMENT_ITEM_LENGTH]
        if long:
            raise forms.ValidationError(
                _("Keep each item to %(limit)s characters: “%(item)s” is longer."),
                params={"limit": EQUIPMENT_ITEM_LENGTH, "item": long[0]},
            )
        return items


class ResourceForm(TenantModelForm):
    # Querysets are set per request: the scoped managers need the tenant scope.
    place: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("place (centre or sub-centre)"), queryset=None
    )
    opening_hours = OpeningHoursField(
        label=_("opening hours"),
        help_text=_('Per weekday (Monday = "0"): {"0": [["09:00", "12:00"], ["13:00", "17:30"]]}'),
    )
    equipment = EquipmentField(
        label=_("equipment"), required=False, help_text=_("One item a line.")
    )
    new_photo = forms.FileField(
        label=_("photo"),
        required=False,
        help_text=_("A JPEG, PNG or WebP photo of the room or desk."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
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
            "equipment",
            "description",
            "is_active",
            "opening_hours",
            "open_on_non_working_days",
            "slot_minutes",
            "min_notice_minutes",
            "window_days",
            "max_duration_minutes",
            "default_duration_minutes",
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
        usual, longest = data.get("default_duration_minutes"), data.get("max_duration_minutes")
        if usual is not None and longest is not None and usual > longest:
            self.add_error(
                "default_duration_minutes", _("The usual duration cannot exceed the maximum.")
            )
        return data

    def clean_new_photo(self) -> CheckedImage | None:
        upload = self.cleaned_data.get("new_photo")
        if not upload:
            return None
        return check_image(upload)
