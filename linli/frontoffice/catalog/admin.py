"""Admin: staff keep the guides up to date here. The form shows the same checks as the verb
(``services.problems``) field by field, and saving goes through ``services.save_item``, which
computes the search texts and writes the audit row."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from linli.core.admin import TenantAdmin
from linli.core.http import access_of
from linli.core.models import Organisation
from linli.frontoffice.catalog import rules
from linli.frontoffice.catalog.models import ServiceItem
from linli.frontoffice.catalog.services import problems, save_item


class LinesField(forms.CharField):
    """A list of texts edited one per line (materials, steps)."""

    widget = forms.Textarea(attrs={"rows": 5})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(str(v) for v in value)
        return value

    # The stubs fix CharField's value to a string; this field's value is the list of lines.
    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class ServiceItemForm(forms.ModelForm):
    """The admin builds the model form from this at request time, inside the sub-district's
    scope (a ``Meta.model`` here would query organisations at import, outside any scope)."""

    materials = LinesField(label=_("Materials (one per line)"), required=False)
    steps = LinesField(label=_("Steps (one per line)"), required=False)

    subdistrict: Any = None  # set by the admin for the sub-district being worked in

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]  # private hook, absent from the stubs
        if self.subdistrict is None:
            return
        self.instance.subdistrict = self.subdistrict
        subcentres = self.cleaned_data.get("subcentres") or []
        for name, messages in problems(self.instance, subcentres).items():
            field = name if name in self.fields else None
            if field is not None and field in self.errors:
                continue
            self.add_error(field, messages)


@admin.register(ServiceItem)
class ServiceItemAdmin(TenantAdmin):
    form = ServiceItemForm
    list_display = ("code", "name", "affairs", "topic", "department", "promised_days", "active")
    list_filter = ("affairs", "active", "by_terminal", "by_online")
    search_fields = ("code", "name", "name_en", "keywords")
    list_select_related = ("department",)
    filter_horizontal = ("subcentres",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_module_permission(self, request: HttpRequest) -> bool:
        return rules.may_edit_catalog(access_of(request))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    has_add_permission = has_module_permission

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Items are withdrawn (unticking "shown in the catalog"), never deleted: cases and
        # printed guides refer to them.
        return False

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "department":
            kwargs["queryset"] = Organisation.objects.exclude(
                kind__in=[Organisation.Kind.SUBCENTRE, Organisation.Kind.GRID_STATION]
            ).order_by("kind", "code")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm[Any]]:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.subdistrict = access_of(request).subdistrict  # type: ignore[attr-defined]
        return form

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        save_item(
            obj,
            actor=access_of(request),
            subcentres=form.cleaned_data.get("subcentres") or [],
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """``save_item`` has set the sub-centres (and audited them)."""
