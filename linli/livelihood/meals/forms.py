from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from linli.core.forms import DateInput
from linli.livelihood.meals.models import MealOrder
from linli.registry.models import Facility


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Name"), max_length=50, required=False)


class OrderForm(forms.Form):
    point: forms.ModelChoiceField[Facility] = forms.ModelChoiceField(
        label=_("Meal point"), queryset=Facility.objects.none()
    )
    day = forms.DateField(label=_("Day"), widget=DateInput())
    meal = forms.ChoiceField(label=_("Meal"), choices=MealOrder.Meal.choices)
    mode = forms.ChoiceField(
        label=_("Dine in or delivery"), choices=MealOrder.Mode.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, points: QuerySet[Facility], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = points  # type: ignore[attr-defined]


class DayForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DateInput(), required=False)
    point: forms.ModelChoiceField[Facility] = forms.ModelChoiceField(
        label=_("Meal point"), queryset=Facility.objects.none(), required=False
    )

    def __init__(self, *args: Any, points: QuerySet[Facility], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = points  # type: ignore[attr-defined]


class MonthForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        required=False,
    )
