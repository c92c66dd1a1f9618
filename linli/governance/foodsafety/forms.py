"""Forms of the food-safety pages. They read input; the verbs check it, and their errors come
back onto the field they name (``linli.core.http.show_errors``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from linli.core import limits
from linli.core.forms import DateInput
from linli.core.models import Organisation
from linli.governance.foodsafety.models import Establishment, Grade, GradeChange, Kind
from linli.registry.models import Enterprise


class ListFilter(forms.Form):
    q = forms.CharField(label=_("Name or licence"), required=False, max_length=100)
    grade = forms.ChoiceField(
        label=_("Risk grade"), required=False, choices=[("", _("All")), *Grade.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind of catering"), required=False, choices=[("", _("All")), *Kind.choices]
    )


class RegisterForm(forms.Form):
    enterprise_code = forms.CharField(
        label=_("Enterprise (credit code)"),
        max_length=limits.max_length(Enterprise, "credit_code"),
    )
    kind = forms.ChoiceField(label=_("Kind of catering"), choices=Kind.choices)
    licence_number = forms.CharField(
        label=_("Food business licence number"),
        max_length=limits.max_length(Establishment, "licence_number"),
    )
    licence_valid_until = forms.DateField(label=_("Licence valid until"), widget=DateInput)
    grade = forms.ChoiceField(label=_("Risk grade"), choices=Grade.choices)
    graded_on = forms.DateField(label=_("Graded on"), widget=DateInput)

    def __init__(self, *args: Any, enterprises: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enterprises = enterprises

    def clean_enterprise_code(self) -> Enterprise:
        code = (self.cleaned_data.get("enterprise_code") or "").strip().upper()
        found = self.enterprises.filter(credit_code=code).first()
        if found is None:
            raise ValidationError(
                _("No enterprise here has the credit code “%(code)s”."), params={"code": code}
            )
        return found


class GradeForm(forms.Form):
    grade = forms.ChoiceField(label=_("Risk grade"), choices=Grade.choices)
    graded_on = forms.DateField(label=_("Graded on"), widget=DateInput)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=limits.max_length(GradeChange, "reason")
    )


class RectificationForm(forms.Form):
    requirement = forms.CharField(
        label=_("What must be put right"), widget=forms.Textarea(attrs={"rows": 3})
    )


class FollowUpForm(forms.Form):
    rectified = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("yes", _("Rectified")), ("no", _("Not rectified"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    on = forms.DateField(label=_("Followed up on"), widget=DateInput)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class GenerateForm(forms.Form):
    year = forms.IntegerField(label=_("Year"))
    department: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        Organisation.objects.none(), label=_("Department")
    )

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = departments.order_by("code")
