"""Forms of the Park Assistant. They read input; the verbs check it and their errors come back
onto the field they name (``linli.core.http.show_errors``)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.cases.forms import category_choices, leaf_categories
from linli.cases.models import Category
from linli.core import limits
from linli.enterprise.park.models import BuildingRequest, Notice
from linli.registry.models import Building, Enterprise


class NoticeForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=limits.max_length(Notice, "title"), required=False
    )
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    audience = forms.ChoiceField(
        label=_("Send to"),
        choices=Notice.Audience.choices,
        initial=Notice.Audience.ALL,
        widget=forms.RadioSelect,
    )
    enterprises: forms.ModelMultipleChoiceField[Enterprise] = forms.ModelMultipleChoiceField(
        Enterprise.objects.none(),
        label=_("Enterprises"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only when sending to chosen enterprises."),
    )

    def __init__(self, *args: Any, building: Building, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Declared above as a ModelMultipleChoiceField; ``fields`` only knows it as a Field.
        field = cast("forms.ModelMultipleChoiceField[Enterprise]", self.fields["enterprises"])
        field.queryset = (
            Enterprise.objects.filter(building=building)
            .exclude(status=Enterprise.Status.CLOSED)
            .order_by("name")
        )

    def chosen_enterprise_ids(self) -> list[int] | None:
        if self.cleaned_data["audience"] == Notice.Audience.ALL:
            return None
        return [e.pk for e in self.cleaned_data["enterprises"]]


class RequestForm(forms.Form):
    enterprise: forms.ModelChoiceField[Enterprise] = forms.ModelChoiceField(
        Enterprise.objects.none(), label=_("On behalf of")
    )
    title = forms.CharField(
        label=_("What do you need?"),
        max_length=limits.max_length(BuildingRequest, "title"),
        required=False,
    )
    description = forms.CharField(
        label=_("Details"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )

    def __init__(self, *args: Any, enterprises: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Declared above as a ModelChoiceField; ``fields`` only knows it as a Field.
        field = cast("forms.ModelChoiceField[Enterprise]", self.fields["enterprise"])
        field.queryset = enterprises
        if enterprises.count() == 1:
            field.initial = enterprises.first()
            field.widget = forms.HiddenInput()


class ForwardForm(forms.Form):
    """Forwarding takes the case categories of the cases app's own intake form."""

    category = forms.ChoiceField(label=_("Case category"))
    note = forms.CharField(
        label=_("Note for the case handler"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.categories = {c.code: c for c in leaf_categories()}
        # Declared above as a ChoiceField; ``fields`` only knows it as a Field.
        cast(forms.ChoiceField, self.fields["category"]).choices = category_choices(
            list(self.categories.values())
        )

    def chosen_category(self) -> Category | None:
        return self.categories.get(self.cleaned_data.get("category") or "")


class DeclineForm(forms.Form):
    reply = forms.CharField(
        label=_("Answer to the enterprise"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
