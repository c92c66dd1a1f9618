"""Forms of the joint-inspection pages. They read input; the verbs check it, and their errors
come back onto the field they name (``linli.core.http.show_errors``)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from linli.cases.forms import category_choices, leaf_categories
from linli.cases.models import Category
from linli.core import limits
from linli.core.models import Organisation
from linli.enterprise.inspections.models import InspectionPlan, InspectionResult
from linli.registry.models import Enterprise


class DateInput(forms.DateInput):
    input_type = "date"


class PlanForm(forms.Form):
    department: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        Organisation.objects.none(), label=_("Department")
    )
    enterprise_code = forms.CharField(
        label=_("Enterprise (credit code)"),
        max_length=limits.max_length(Enterprise, "credit_code"),
        help_text=_("The enterprise's unified social credit code."),
    )
    subject = forms.CharField(
        label=_("Inspection subject"),
        max_length=limits.max_length(InspectionPlan, "subject"),
        required=False,
    )
    matters = forms.CharField(
        label=_("Matters to check"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    window_start = forms.DateField(label=_("Planned from"), widget=DateInput, required=False)
    window_end = forms.DateField(label=_("Planned to"), widget=DateInput, required=False)
    inspectors = forms.CharField(
        label=_("Inspectors"),
        max_length=limits.max_length(InspectionPlan, "inspectors"),
        required=False,
        help_text=_("Optional: names of the inspectors."),
    )

    def __init__(self, *args: Any, departments: Any, enterprises: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enterprises = enterprises
        # Declared above as a ModelChoiceField; ``fields`` only knows it as a Field.
        department = cast("forms.ModelChoiceField[Organisation]", self.fields["department"])
        department.queryset = departments.order_by("code")
        if departments.count() == 1:
            department.initial = departments.first()

    def clean_enterprise_code(self) -> Enterprise:
        code = (self.cleaned_data.get("enterprise_code") or "").strip().upper()
        found = self.enterprises.filter(credit_code=code).first()
        if found is None:
            raise ValidationError(
                _("No enterprise here has the credit code “%(code)s”."), params={"code": code}
            )
        return found


class ResultForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=InspectionResult.Outcome.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Findings"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    category = forms.ChoiceField(
        label=_("Open a case for the follow-up"),
        required=False,
        help_text=_("Only for a follow-up: the case category."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.categories = {c.code: c for c in leaf_categories()}
        choices = category_choices(list(self.categories.values()))
        # Declared above as a ChoiceField; ``fields`` only knows it as a Field.
        category = cast(forms.ChoiceField, self.fields["category"])
        category.choices = [("", _("No case")), *choices[1:]]

    def chosen_category(self) -> Category | None:
        return self.categories.get(self.cleaned_data.get("category") or "")


class ScheduleForm(forms.Form):
    scheduled_on = forms.DateField(label=_("Visit on"), widget=DateInput)
