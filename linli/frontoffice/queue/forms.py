"""Forms of the queue pages: the kiosk's choice, a booking code, a transfer, the statistics'
day range."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from linli.frontoffice.queue.models import Hall, PriorityReason, Service

MAX_STATISTICS_DAYS = 366


class KioskForm(forms.Form):
    service: forms.ModelChoiceField[Service] = forms.ModelChoiceField(
        queryset=Service.objects.none(), label=_("Service")
    )
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=[("", _("No priority")), *PriorityReason.choices],
        required=False,
    )

    def __init__(
        self, *args: Any, services: QuerySet[Service] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # The field declared above (each form gets its own copy).
        service = cast("forms.ModelChoiceField[Service]", self.fields["service"])
        service.queryset = services if services is not None else Service.objects.none()
        service.error_messages["invalid_choice"] = _(
            "This service is not offered here; choose one of the buttons."
        )


class AppointmentCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Booking code"),
        max_length=300,
        strip=True,
        help_text=_("Scan the QR code of your booking, or type the eight-character code."),
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "off", "autocapitalize": "characters"}
        ),
        error_messages={"required": _("Scan or type the code of your booking.")},
    )


class TransferForm(forms.Form):
    service: forms.ModelChoiceField[Service] = forms.ModelChoiceField(
        queryset=Service.objects.none(), label=_("Transfer to")
    )

    def __init__(
        self, *args: Any, services: QuerySet[Service] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # The field declared above (each form gets its own copy).
        service = cast("forms.ModelChoiceField[Service]", self.fields["service"])
        service.queryset = services if services is not None else Service.objects.none()


class DayRangeForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    hall: forms.ModelChoiceField[Hall] = forms.ModelChoiceField(
        queryset=Hall.objects.none(), label=_("Hall"), required=False, empty_label=_("All halls")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The field declared above (each form gets its own copy).
        hall = cast("forms.ModelChoiceField[Hall]", self.fields["hall"])
        hall.queryset = Hall.objects.all()

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The last day must not be before the first."))
            elif end - start > dt.timedelta(days=MAX_STATISTICS_DAYS):
                self.add_error(
                    "end",
                    _("Choose at most %(days)s days.") % {"days": MAX_STATISTICS_DAYS},
                )
        return data
