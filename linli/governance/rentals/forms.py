"""Forms of the group-rental pages. They read input; the verbs check it, and their errors come
back onto the field they name (``linli.core.http.show_errors``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core import limits
from linli.core.forms import DateInput
from linli.core.models import Organisation
from linli.governance.rentals.checks import RoomFacts
from linli.governance.rentals.models import (
    Certification,
    Enforcement,
    GroupRental,
    Inspection,
    ReInspection,
    Room,
)

ROOM_ROWS = 8


class LeadForm(forms.Form):
    source = forms.ChoiceField(label=_("Source"), choices=GroupRental.Source.choices)
    case = forms.CharField(
        label=_("Case number"),
        max_length=40,
        required=False,
        help_text=_("The case the lead comes from, when it comes from a case."),
    )
    reported_on = forms.DateField(label=_("Reported on"), widget=DateInput)
    description = forms.CharField(
        label=_("What was reported"),
        max_length=limits.max_length(GroupRental, "description"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DwellingSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Address"),
        max_length=100,
        required=False,
        help_text=_("Quarter, building or room number, e.g. 5号楼 302."),
    )


class InspectionForm(forms.Form):
    inspected_on = forms.DateField(label=_("Inspected on"), widget=DateInput)
    note = forms.CharField(
        label=_("Note"),
        max_length=limits.max_length(Inspection, "note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RoomForm(forms.Form):
    """One room of the phone form; a row with no kind is left out."""

    kind = forms.ChoiceField(
        label=_("Room"), choices=[("", "—"), *Room.Kind.choices], required=False
    )
    area_m2 = forms.DecimalField(
        label=_("Area (m²)"),
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    sleepers = forms.IntegerField(
        label=_("People sleeping"),
        min_value=0,
        max_value=100,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    one_family = forms.BooleanField(label=_("One family"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") and data.get("area_m2") is None:
            self.add_error("area_m2", _("Give the room's area in m²."))
        return data


RoomFormSet = forms.formset_factory(RoomForm, extra=ROOM_ROWS, max_num=30, absolute_max=30)


def rooms_of(formset: Any) -> list[RoomFacts]:
    rooms: list[RoomFacts] = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data.get("kind"):
            continue
        rooms.append(
            RoomFacts(
                position=len(rooms) + 1,
                kind=data["kind"],
                area_m2=data["area_m2"],
                sleepers=data.get("sleepers") or 0,
                one_family=bool(data.get("one_family")),
            )
        )
    return rooms


class EnforcementForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput)
    departments: forms.ModelMultipleChoiceField[Organisation] = forms.ModelMultipleChoiceField(
        Organisation.objects.none(),
        label=_("Departments"),
        widget=forms.CheckboxSelectMultiple,
    )
    result = forms.CharField(
        label=_("Result"),
        max_length=limits.max_length(Enforcement, "result"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["departments"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101 - declared above
        field.queryset = Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT).order_by(
            "code"
        )


class ReInspectionForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=DateInput)
    compliant = forms.TypedChoiceField(
        label=_("Finding"),
        choices=[("yes", _("In order")), ("no", _("Group rental again"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=limits.max_length(ReInspection, "note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CertificationForm(forms.Form):
    certified_on = forms.DateField(label=_("Certified on"), widget=DateInput)
    note = forms.CharField(
        label=_("Note"),
        max_length=limits.max_length(Certification, "note"),
        required=False,
    )
