"""Forms of the sporadic-works pages. They read input; the verbs check it, and their errors come
back onto the field they name (``linli.core.http.show_errors``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core import limits
from linli.core.forms import DateInput
from linli.governance.works import classification
from linli.governance.works.models import CheckedItem, SiteInspection, Works
from linli.registry.models import Grid, Quarter

# Errors of the place's hidden fields show on the visible choice of place.
PLACE_ALIASES = {"dwelling": "place", "enterprise": "place"}


class ListFilter(forms.Form):
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("All")), *Works.Stage.choices]
    )
    quarter: forms.ModelChoiceField[Quarter] = forms.ModelChoiceField(
        Quarter.objects.none(), label=_("Quarter"), required=False, empty_label=_("All")
    )
    classification = forms.ChoiceField(
        label=_("Classification"),
        required=False,
        choices=[("", _("All")), *classification.CHOICES],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["quarter"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = Quarter.objects.order_by("name")


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find a dwelling or premises"),
        max_length=100,
        required=False,
        help_text=_("Quarter, building or room number, or the shop's name."),
    )


class PlaceForm(forms.Form):
    """Where the works are. The dwelling or premises comes from the page's search (hidden);
    a free address is typed, and staff may place it in a grid."""

    place = forms.ChoiceField(
        label=_("Where"), choices=Works.Place.choices, widget=forms.RadioSelect
    )
    dwelling = forms.IntegerField(required=False, widget=forms.HiddenInput)
    enterprise = forms.IntegerField(required=False, widget=forms.HiddenInput)
    address = forms.CharField(
        label=_("Address (when not a dwelling or premises)"),
        max_length=limits.max_length(Works, "address"),
        required=False,
    )
    grid: forms.ModelChoiceField[Grid] = forms.ModelChoiceField(
        None, label=_("Grid of the address"), required=False, empty_label="—"
    )

    def __init__(self, *args: Any, grids: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if grids is None:
            del self.fields["grid"]
        else:
            field = self.fields["grid"]
            assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
            field.queryset = grids


class RegisterForm(PlaceForm):
    scopes = forms.MultipleChoiceField(
        label=_("Kind of works"),
        choices=classification.CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("What will be done"),
        max_length=limits.max_length(Works, "description"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    approval = forms.CharField(
        label=_("Approval of the structural change"),
        max_length=limits.max_length(Works, "approval"),
        required=False,
        help_text=_("Needed for any structural or load-bearing change."),
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput)
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput)
    contractor = forms.CharField(
        label=_("Contractor"), max_length=limits.max_length(Works, "contractor"), required=False
    )


class UnregisteredForm(PlaceForm):
    scopes = forms.MultipleChoiceField(
        label=_("Kind of works seen"),
        choices=classification.CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    description = forms.CharField(
        label=_("What was found"),
        max_length=limits.max_length(Works, "description"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    found_on = forms.DateField(label=_("Found on"), widget=DateInput)


class InspectionForm(forms.Form):
    """One pass/fail choice and a note per item of the works' checklist."""

    inspected_on = forms.DateField(label=_("Inspected on"), widget=DateInput)
    note = forms.CharField(
        label=_("Note"),
        max_length=limits.max_length(SiteInspection, "note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, checklist: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.checklist = checklist
        for code in checklist:
            self.fields[f"items_{code}"] = forms.TypedChoiceField(
                label=classification.item_label(code),
                choices=[("pass", _("In order")), ("fail", _("Not in order"))],
                coerce=lambda value: value == "pass",
                widget=forms.RadioSelect,
            )
            self.fields[f"items_{code}_note"] = forms.CharField(
                label=_("What is not in order"),
                max_length=limits.max_length(CheckedItem, "note"),
                required=False,
            )

    def results(self) -> dict[str, tuple[bool, str]]:
        data = self.cleaned_data
        return {
            code: (bool(data[f"items_{code}"]), data.get(f"items_{code}_note", ""))
            for code in self.checklist
            if f"items_{code}" in data
        }


class WasteForm(forms.Form):
    on = forms.DateField(label=_("Removal date"), widget=DateInput)
    volume_m3 = forms.DecimalField(
        label=_("Volume (m³)"),
        max_digits=5,
        decimal_places=1,
        min_value=Decimal("0.1"),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1"}),
    )


class CompletionForm(forms.Form):
    on = forms.DateField(label=_("Completed on"), widget=DateInput)
    note = forms.CharField(
        label=_("Note"),
        max_length=limits.max_length(Works, "completion_note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
