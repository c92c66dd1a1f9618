from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.cockpit.indicators import INDICATORS
from linli.cockpit.models import AlertRule
from linli.core.models import User


class AlertRuleForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"))
    comparison = forms.ChoiceField(label=_("When it"), choices=AlertRule.Comparison.choices)
    threshold = forms.DecimalField(
        label=_("Threshold"),
        max_digits=14,
        decimal_places=4,
        help_text=_("A rate in percent (85 for 85 %), a count as a number."),
    )
    recipients = forms.ModelMultipleChoiceField(
        User.objects.none(),
        label=_("Notify"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, recipients: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [  # type: ignore[attr-defined]
            (key, f"{item.group} · {item.label}") for key, item in INDICATORS.items()
        ]
        field = self.fields["recipients"]
        field.queryset = User.objects.filter(pk__in=[u.pk for u in recipients])  # type: ignore[attr-defined]
        field.label_from_instance = lambda u: u.get_full_name() or u.username  # type: ignore[attr-defined]
