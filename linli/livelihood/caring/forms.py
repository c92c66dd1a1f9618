"""The forms of the caring pages; they check the shape of the input, the verbs the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.core.forms import DateInput
from linli.core.models import Membership, User
from linli.core.pii import lookup_hash, normalise_mobile, normalise_resident_id
from linli.core.roles import ADMINS, STAFF, Role
from linli.livelihood.caring.models import Alert, CaringPlan, CaringVisit, ExtremeWeather
from linli.people.models import Person


class VisitForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How did it go?"), choices=CaringVisit.Outcome.choices, widget=forms.RadioSelect
    )
    kind = forms.ChoiceField(
        label=_("Visit or call"),
        choices=CaringVisit.Kind.choices,
        initial=CaringVisit.Kind.HOME,
    )
    on = forms.DateField(label=_("Date"), widget=DateInput, required=False)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A concern opens a case for the residents' committee: say what is wrong."),
    )


def visitors_of(subdistrict_id: int) -> Any:
    """Who may be assigned: volunteers, grid workers and committee staff of the sub-district."""
    members = Membership.objects.filter(subdistrict_id=subdistrict_id).filter(
        Q(role__in=[Role.VOLUNTEER, Role.GRID_WORKER, *ADMINS])
        | Q(role__in=STAFF, organisation__kind="committee")
    )
    return User.objects.filter(pk__in=members.values("user_id"), is_active=True).order_by(
        "display_name", "username"
    )


class VisitorChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name or obj.username


class AssignForm(forms.Form):
    visitor = VisitorChoice(label=_("Visitor"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, subdistrict_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visitor"].queryset = visitors_of(subdistrict_id)  # type: ignore[attr-defined]


class EndForm(forms.Form):
    end_reason = forms.CharField(label=_("Why do the visits end?"), max_length=200)


class WeatherForm(forms.Form):
    reason = forms.ChoiceField(label=_("Weather"), choices=ExtremeWeather.Reason.choices)
    starts_on = forms.DateField(label=_("From"), widget=DateInput)
    ends_on = forms.DateField(label=_("Until"), widget=DateInput)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class AlertForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What happened"),
        choices=[
            (k, label) for k, label in Alert.Kind.choices if k != Alert.Kind.NOT_REACHED_TWICE
        ],
    )
    number = forms.CharField(
        label=_("The elder's resident ID or mobile number (whole)"),
        max_length=30,
        help_text=_("Typed in full, it finds the elder without showing anyone else."),
    )
    caller_name = forms.CharField(label=_("Caller"), max_length=50, required=False)
    note = forms.CharField(
        label=_("What happened"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_number(self) -> Person:
        raw = self.cleaned_data["number"].strip()
        found = None
        for normalise, field in (
            (normalise_resident_id, "resident_id_hash"),
            (normalise_mobile, "mobile_hash"),
        ):
            try:
                value = normalise(raw)
            except ValidationError:
                continue
            if value:
                found = (
                    Person.objects.filter(**{field: lookup_hash(value)})
                    .filter(status=Person.Status.LIVING)
                    .first()
                )
            if found is not None:
                break
        if found is None:
            raise ValidationError(_("No elder of this sub-district has this number."))
        return found


class PlanFilter(forms.Form):
    STATES = [
        ("", _("All open plans")),
        ("overdue", _("Overdue")),
        ("unassigned", _("No visitor")),
    ]
    state = forms.ChoiceField(label=_("Show"), choices=STATES, required=False)
    name = forms.CharField(label=_("Name"), max_length=50, required=False)

    def apply(self, plans: Any, today: Any) -> Any:
        data = self.cleaned_data
        plans = plans.filter(ended_on__isnull=True)
        if data.get("state") == "overdue":
            plans = plans.filter(next_due_on__lt=today)
        elif data.get("state") == "unassigned":
            plans = plans.filter(visitor__isnull=True)
        if data.get("name"):
            plans = plans.filter(person__name__icontains=data["name"])
        return plans


REASONS = CaringPlan.Reason


class FindElderForm(forms.Form):
    """A name to find older elders by, on the group pages."""

    name = forms.CharField(label=_("Find older elders by name"), max_length=50, required=False)


class ElderChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class GroupMembersForm(forms.Form):
    members = ElderChoices(label=_("Older elders"), queryset=Person.objects.none())

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = candidates  # type: ignore[attr-defined]


class LeaderChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class GroupForm(GroupMembersForm):
    leader = LeaderChoice(label=_("Volunteer elder"), queryset=Person.objects.none())
    field_order = ["leader", "members"]

    def __init__(self, *args: Any, leaders: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders  # type: ignore[attr-defined]
