from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core.models import Subdistrict
from linli.core.pii import validate_mobile
from linli.registry.kinds import KINDS
from linli.registry.models import Enterprise


class TenantModelForm(forms.ModelForm):
    """A model form that also checks the unique keys that include the sub-district."""

    def __init__(self, *args: Any, subdistrict: Subdistrict, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.subdistrict = subdistrict

    def _get_validation_exclusions(self) -> set[str]:
        return super()._get_validation_exclusions() - {"subdistrict"}


class EnterpriseForm(TenantModelForm):
    contact_phone = forms.CharField(
        label=_("contact mobile"), required=False, validators=[validate_mobile]
    )
    tags = forms.MultipleChoiceField(
        label=_("qualification tags"),
        choices=Enterprise.Tag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_contact_phone(self) -> str:
        value = self.cleaned_data.get("contact_phone") or ""
        return validate_mobile(value) if value else ""

    def clean_credit_code(self) -> str:
        return self.cleaned_data["credit_code"].strip().upper()


def form_class(kind_key: str) -> type[TenantModelForm]:
    kind = KINDS[kind_key]
    base = EnterpriseForm if kind_key == "enterprise" else TenantModelForm
    return forms.modelform_factory(kind.model, form=base, fields=list(kind.editable))
