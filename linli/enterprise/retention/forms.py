"""Forms of the retention pages; the verbs validate again, these give per-field messages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.cases.forms import ExtraForm
from linli.cases.models import FINAL_STATES, Case, Category, CategoryField
from linli.core import clock, limits
from linli.core.models import Organisation, User
from linli.enterprise.retention.models import Visit, VisitPlan
from linli.enterprise.retention.queries import appeal_categories
from linli.enterprise.retention.services import BUTLER_ROLES
from linli.registry.models import Building, Enterprise

# Organisations that take a part of a case; committees and grid stations have their own channels.
DEPARTMENT_KINDS = (
    Organisation.Kind.DEPARTMENT,
    Organisation.Kind.SERVICE_CENTRE,
    Organisation.Kind.AGENCY,
)
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Date of the visit"), widget=DATE)
    people_met = forms.CharField(
        label=_("People met"), max_length=limits.max_length(Visit, "people_met")
    )
    topics = forms.CharField(label=_("Topics"), max_length=limits.max_length(Visit, "topics"))
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For staff only; plans to move or shrink count towards the risk score."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = clock.today()


class DemandExtraForm(ExtraForm):
    """One category's extra questions inside one demand row (prefixed, so rows do not clash).
    Photo questions are left out: the visit log takes no uploads, the case page does."""

    def __init__(self, category: Category, *args: Any, **kwargs: Any) -> None:
        super().__init__(category, *args, **kwargs)
        self.category = category
        self.specs = [s for s in self.specs if s.type != CategoryField.Type.PHOTO]
        for name in [n for n in self.fields if n.removeprefix("extra_") not in self.keys]:
            del self.fields[name]

    @property
    def keys(self) -> set[str]:
        return {s.key for s in self.specs}

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for spec in self.specs:
            value = self.data.get(self.add_prefix(f"extra_{spec.key}"), "")
            if isinstance(value, str):
                value = value.strip()
            if value != "":
                out[spec.key] = value
        return out


class DemandForm(forms.Form):
    category: forms.ModelChoiceField[Category] = forms.ModelChoiceField(
        label=_("Appeal category"), queryset=None, required=False
    )
    description = forms.CharField(
        label=_("Demand"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, categories: list[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = appeal_categories()  # type: ignore[attr-defined]
        self.extras = {
            c.pk: DemandExtraForm(c, self.data or None, prefix=f"{self.prefix}-c{c.pk}")
            for c in categories
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("category") and not (data.get("description") or "").strip():
            self.add_error("description", _("Describe the demand."))
        if (data.get("description") or "").strip() and not data.get("category"):
            self.add_error("category", _("Choose the appeal category."))
        return data

    def extra_values(self) -> dict[str, Any]:
        category = self.cleaned_data.get("category")
        return self.extras[category.pk].values() if category else {}

    def extra_error(self, key: str, message: str) -> None:
        """Show an engine error about ``extra.<key>`` next to that question."""
        extra = self.extras[self.cleaned_data["category"].pk]
        extra.is_valid()  # every question is optional here: this only sets cleaned_data
        name = f"extra_{key}"
        extra.add_error(name if name in extra.fields else None, message)


DemandFormSet = forms.formset_factory(DemandForm, extra=3, max_num=10)


def demand_formset(data: Any = None) -> Any:
    categories = list(appeal_categories())
    return DemandFormSet(data, prefix="demands", form_kwargs={"categories": categories})


def butlers(subdistrict: Any) -> Any:
    return (
        User.objects.filter(
            memberships__subdistrict=subdistrict, memberships__role__in=BUTLER_ROLES
        )
        .distinct()
        .order_by("username")
    )


class AssignForm(forms.Form):
    butler = forms.ModelChoiceField(label=_("Butler"), queryset=User.objects.none())
    building: forms.ModelChoiceField[Building] = forms.ModelChoiceField(
        label=_("Every enterprise of the building"), queryset=None, required=False
    )
    industry = forms.CharField(
        label=_("Or every enterprise of the industry"),
        max_length=limits.max_length(Enterprise, "industry_code"),
        required=False,
        help_text=_("A GB/T 4754 code or its beginning, e.g. I or I65."),
    )

    def __init__(self, *args: Any, subdistrict: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["butler"].queryset = butlers(subdistrict)  # type: ignore[attr-defined]
        self.fields["building"].queryset = Building.objects.all()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("building")) == bool((data.get("industry") or "").strip()):
            raise forms.ValidationError(_("Choose a building or an industry, not both."))
        return data


class PlanForm(forms.ModelForm):
    class Meta:
        model = VisitPlan
        fields = ["name", "tag", "every_months"]


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class GroupServiceForm(forms.Form):
    case: forms.ModelChoiceField[Case] = forms.ModelChoiceField(label=_("Case"), queryset=None)
    organisations: forms.ModelMultipleChoiceField[Organisation] = forms.ModelMultipleChoiceField(
        label=_("Departments to pull in"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )
    part = forms.CharField(label=_("What they take on"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, enterprise: Enterprise, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = (  # type: ignore[attr-defined]
            Case.objects.filter(enterprise=enterprise).exclude(state__in=FINAL_STATES)
        )
        self.fields["organisations"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            kind__in=DEPARTMENT_KINDS
        ).order_by("code")
