"""Forms of the pipeline: a prospect, a vacant unit, a stage move, a next action, registration."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core import limits
from linli.core.access import Access
from linli.core.models import Subdistrict, User
from linli.core.pii import validate_mobile
from linli.core.roles import Role
from linli.enterprise.investment.models import (
    LostReason,
    NextAction,
    Prospect,
    Stage,
    VacantUnit,
)
from linli.registry.forms import TenantModelForm
from linli.registry.models import Building, Enterprise

PROSPECT_FIELDS = [
    "name",
    "credit_code",
    "industry_code",
    "source",
    "ambassador",
    "contact_name",
    "area_m2",
    "floor_min",
    "floor_max",
    "budget_per_m2_day",
    "expected_tax",
    "registered_capital",
    "headcount",
    "legal_rep_name",
    "notes",
]
UNIT_FIELDS = ["building", "label", "floor", "area_m2", "rent_per_m2_day", "available_from", "note"]


def ambassadors(subdistrict: Subdistrict, keep: int | None = None) -> Any:
    """The sub-district's ambassadors (and ``keep``, the current one, even if no longer one)."""
    condition = models.Q(memberships__subdistrict=subdistrict, memberships__role=Role.AMBASSADOR)
    if keep is not None:
        condition |= models.Q(pk=keep)
    return User.objects.filter(condition).distinct().order_by("username")


class ProspectForm(TenantModelForm):
    contact_phone = forms.CharField(
        label=_("contact mobile"),
        required=False,
        help_text=_("Stored encrypted and shown masked; leave empty to keep the stored number."),
    )

    class Meta:
        model = Prospect
        fields = PROSPECT_FIELDS
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, subdistrict: Subdistrict, **kwargs: Any) -> None:
        super().__init__(*args, subdistrict=subdistrict, **kwargs)
        field = self.fields["ambassador"]
        field.queryset = ambassadors(subdistrict, self.instance.ambassador_id)  # type: ignore[attr-defined]

    def clean_credit_code(self) -> str:
        return (self.cleaned_data.get("credit_code") or "").strip().upper()

    def clean_industry_code(self) -> str:
        return (self.cleaned_data.get("industry_code") or "").strip().upper()

    def clean_contact_phone(self) -> str:
        value = self.cleaned_data.get("contact_phone") or ""
        return validate_mobile(value) if value else ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        low, high = cleaned.get("floor_min"), cleaned.get("floor_max")
        if low is not None and high is not None and low > high:
            self.add_error("floor_max", _("The highest floor is below the lowest floor."))
        return cleaned


class VacantUnitBase(TenantModelForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        building, floor = cleaned.get("building"), cleaned.get("floor")
        if building is not None and floor is not None and floor > building.floors:
            self.add_error(
                "floor",
                _("%(building)s has %(floors)s floors.")
                % {"building": building, "floors": building.floors},
            )
        return cleaned


def vacant_unit_form() -> type[TenantModelForm]:
    """Built on demand: a model form's building field queries buildings, which needs the
    tenant scope that only a request (or a task) has."""
    # The factory subclasses ``form``, so the class is a TenantModelForm.
    return cast(
        type[TenantModelForm],
        forms.modelform_factory(
            VacantUnit,
            form=VacantUnitBase,
            fields=UNIT_FIELDS,
            widgets={"available_from": forms.DateInput(attrs={"type": "date"})},
        ),
    )


MOVE_TARGETS = [(s.value, s.label) for s in Stage if s != Stage.REGISTERED]


class MoveForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("move to"), choices=MOVE_TARGETS)
    reason = forms.ChoiceField(
        label=_("reason lost"), choices=[("", "—"), *LostReason.choices], required=False
    )
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ActionForm(forms.Form):
    title = forms.CharField(
        label=_("what to do"), max_length=limits.max_length(NextAction, "title")
    )
    due_on = forms.DateField(label=_("due on"), widget=forms.DateInput(attrs={"type": "date"}))


class RegisterForm(forms.Form):
    credit_code = forms.CharField(
        label=_("Unified Social Credit Code"),
        max_length=limits.max_length(Enterprise, "credit_code"),
    )
    founded_on = forms.DateField(
        label=_("founded on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    building: forms.ModelChoiceField[Building] = forms.ModelChoiceField(
        label=_("building"), queryset=None, required=False
    )
    unit: forms.ModelChoiceField[VacantUnit] = forms.ModelChoiceField(
        label=_("vacant unit"), queryset=None, required=False
    )
    registered_capital = forms.DecimalField(
        label=_("registered capital (10k yuan)"), max_digits=14, decimal_places=2, required=False
    )

    def __init__(self, *args: Any, access: Access, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The choices are what the person may read (the pickers are lists too).
        buildings = Building.objects.visible_to(access)
        units = VacantUnit.objects.visible_to(access).filter(taken_at__isnull=True)
        self.fields["building"].queryset = buildings  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units.select_related("building")  # type: ignore[attr-defined]
