from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from linli.core.models import Subdistrict, User
from linli.core.pii import validate_mobile
from linli.core.roles import STAFF
from linli.registry.kinds import KINDS
from linli.registry.models import Enterprise


class TenantModelForm(forms.ModelForm):
    """A model form that also checks the unique keys that include the sub-district."""

    def __init__(self, *args: Any, subdistrict: Subdistrict, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.subdistrict = subdistrict

    # This and _update_errors are private ModelForm hooks, which django-stubs does not declare.
    def _get_validation_exclusions(self) -> set[str]:
        return super()._get_validation_exclusions() - {"subdistrict"}  # type: ignore[misc]

    def _update_errors(self, errors: ValidationError) -> None:
        """A clash on a (sub-district, field) key is an error of that field, said plainly:
        the sub-district is implied, and "… with this Sub-district and Code already exists"
        on top of the form tells nobody which box to correct."""
        if hasattr(errors, "error_dict"):
            general = errors.error_dict.get(NON_FIELD_ERRORS, [])
            for error in list(general):
                check = (
                    (error.params or {}).get("unique_check", ())
                    if error.code in ("unique", "unique_together")
                    else ()
                )
                named = [name for name in check if name != "subdistrict"]
                if len(named) == 1 and len(check) == 2 and named[0] in self.fields:
                    general.remove(error)
                    errors.error_dict.setdefault(named[0], []).append(
                        ValidationError(
                            _("This %(field)s is already used in this sub-district.")
                            % {"field": self.fields[named[0]].label},
                            code="unique",
                        )
                    )
            if not general:
                errors.error_dict.pop(NON_FIELD_ERRORS, None)
        super()._update_errors(errors)  # type: ignore[misc]


class EnterpriseForm(TenantModelForm):
    contact_phone = forms.CharField(
        label=_("contact mobile"),
        required=False,
        # Django ignores what a validator returns; this one also returns the normalised number.
        validators=[validate_mobile],  # type: ignore[list-item]
    )
    tags = forms.MultipleChoiceField(
        label=_("qualification tags"),
        choices=Enterprise.Tag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, subdistrict: Subdistrict, **kwargs: Any) -> None:
        super().__init__(*args, subdistrict=subdistrict, **kwargs)
        if "butler" in self.fields:
            # Only staff of this sub-district can be a butler: never list other tenants' people.
            people = User.objects.filter(
                memberships__subdistrict=subdistrict, memberships__role__in=STAFF
            )
            if self.instance.butler_id is not None:
                people = people | User.objects.filter(pk=self.instance.butler_id)
            field = self.fields["butler"]
            field.queryset = people.distinct().order_by("username")  # type: ignore[attr-defined]

    def clean_contact_phone(self) -> str:
        value = self.cleaned_data.get("contact_phone") or ""
        return validate_mobile(value) if value else ""

    def clean_credit_code(self) -> str:
        return self.cleaned_data["credit_code"].strip().upper()


def form_class(kind_key: str) -> type[TenantModelForm]:
    kind = KINDS[kind_key]
    base = EnterpriseForm if kind_key == "enterprise" else TenantModelForm
    # modelform_factory subclasses the form it is given; its stub only promises a ModelForm.
    return cast(
        type[TenantModelForm],
        forms.modelform_factory(kind.model, form=base, fields=list(kind.editable)),
    )
