"""The forms of elderly care pages; the verbs check what a form cannot."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core.forms import DateInput
from linli.core.models import Organisation
from linli.livelihood.eldercare.models import CareOrder, ElderFile, EmergencyContact, Grade
from linli.registry.models import Facility


class LivingForm(forms.Form):
    living = forms.ChoiceField(label=_("Living situation"), choices=ElderFile.Living.choices)


class ContactForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=EmergencyContact._meta.get_field("name").max_length
    )
    relation = forms.CharField(label=_("Relation"), max_length=30)
    phone = forms.CharField(label=_("Mobile number"), max_length=20)


class AssessmentForm(forms.Form):
    grade = forms.ChoiceField(label=_("Grade"), choices=Grade.choices)
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput)
    assessor = forms.CharField(label=_("Assessor"), max_length=100)
    cognitive_impairment = forms.BooleanField(label=_("Cognitive impairment"), required=False)
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=200,
        required=False,
        help_text=_("Needed only when the elder has not consented to elderly care services."),
    )


class OrderForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of care"), choices=CareOrder.Kind.choices)
    provider: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Provider"), queryset=Organisation.objects.none()
    )
    facility: forms.ModelChoiceField[Facility] = forms.ModelChoiceField(
        label=_("Facility"), queryset=Facility.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["provider"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            kind=Organisation.Kind.PROVIDER
        )
        self.fields["facility"].queryset = Facility.objects.filter(  # type: ignore[attr-defined]
            category__in=(Facility.Category.CARE_HOME, Facility.Category.ELDERLY_DAY_CARE)
        )


class ReasonForm(forms.Form):
    on = forms.DateField(label=_("From"), widget=DateInput, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
    month = forms.DateField(label=_("Month"), widget=DateInput, required=False)
    rating = forms.IntegerField(label=_("Rating"), min_value=1, max_value=5, required=False)
    visit = forms.IntegerField(required=False, widget=forms.HiddenInput)
