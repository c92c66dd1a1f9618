from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.cockpit.indicators import INDICATORS
from linli.cockpit.models import ReportSchedule
from linli.core.access import Access
from linli.core.models import User
from linli.registry.models import Grid


class ReportScheduleForm(forms.Form):
    name = forms.CharField(label=_("Report name"), max_length=100)
    indicators = forms.MultipleChoiceField(
        label=_("Indicators"), widget=forms.CheckboxSelectMultiple
    )
    grid: forms.ModelChoiceField[Grid] = forms.ModelChoiceField(
        Grid.objects.none(),
        label=_("Grid"),
        required=False,
        empty_label=_("All grids"),
        help_text=_(
            "A figure broken down by grid is narrowed to this grid; the others stay the whole "
            "sub-district's and are marked so."
        ),
    )
    frequency = forms.ChoiceField(label=_("Every"), choices=ReportSchedule.Frequency.choices)
    recipients = forms.ModelMultipleChoiceField(
        User.objects.none(), label=_("Send to"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, access: Access, recipients: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicators"].choices = [  # type: ignore[attr-defined]
            (key, f"{item.group} · {item.label}") for key, item in INDICATORS.items()
        ]
        self.fields["grid"].queryset = Grid.objects.visible_to(access).order_by("code")  # type: ignore[attr-defined]
        self.fields["grid"].label_from_instance = lambda g: f"{g.code} {g.name}"  # type: ignore[attr-defined]
        field = self.fields["recipients"]
        field.queryset = User.objects.filter(pk__in=[u.pk for u in recipients])  # type: ignore[attr-defined]
        field.label_from_instance = lambda u: u.get_full_name() or u.username  # type: ignore[attr-defined]
