"""Admin: tenant models are limited to the current sub-district and every change is audited."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from linli.core import audit
from linli.core.http import access_of
from linli.core.models import (
    ApiToken,
    AuditEntry,
    District,
    DistrictMembership,
    Membership,
    Notification,
    Organisation,
    Subdistrict,
    User,
    WorkDay,
)


class AuditedAdmin(admin.ModelAdmin):
    """Writes made in the admin land in the audit log like those made through the services."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = {}
        if change:
            old = type(obj)._base_manager.filter(pk=obj.pk).first()
            before = audit.snapshot(old) if old is not None else {}
        super().save_model(request, obj, form, change)
        old_values, new_values = audit.changes(before, audit.snapshot(obj))
        audit.record(
            access_of(request),
            "core.admin.update" if change else "core.admin.create",
            obj,
            before=old_values or None,
            after=new_values,
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit.record(access_of(request), "core.admin.delete", obj, before=audit.snapshot(obj))
        super().delete_model(request, obj)


class TenantAdmin(AuditedAdmin):
    """The sub-district is the one being worked in; it is never picked by hand."""

    exclude: ClassVar[tuple[str, ...]] = ("subdistrict",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.subdistrict = access_of(request).subdistrict
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Inline rows of tenant models (their ``subdistrict`` excluded) join the same one."""
        for row in formset.save(commit=False):
            row.subdistrict = access_of(request).subdistrict
            row.save()
        for row in formset.deleted_objects:
            row.delete()


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that change only through the service verbs (or never): shown, not edited."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyTenantAdmin(ReadOnlyAdmin, TenantAdmin):
    pass


@admin.register(District)
class DistrictAdmin(AuditedAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(DistrictMembership)
class DistrictMembershipAdmin(AuditedAdmin):
    """Who sees a district's roll-up: granted one by one, each grant in the audit log."""

    list_display = ("user", "district")
    list_filter = ("district",)
    autocomplete_fields = ("user", "district")


@admin.register(Subdistrict)
class SubdistrictAdmin(AuditedAdmin):
    list_display = ("code", "name", "name_en", "district", "is_synthetic")
    search_fields = ("code", "name", "name_en")


@admin.register(Organisation)
class OrganisationAdmin(TenantAdmin):
    list_display = ("code", "name", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("code", "name")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "email", "is_active", "is_superuser")
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        ("linli", {"fields": ("display_name", "home_subdistrict")}),
    )


@admin.register(Membership)
class MembershipAdmin(TenantAdmin):
    list_display = ("user", "role", "organisation", "building", "enterprise", "grid")
    list_filter = ("role",)
    search_fields = ("user__username", "user__display_name")
    raw_id_fields = ("user", "enterprise")


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "action", "object_type", "object_repr")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "object_id")

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return super().get_queryset(request).filter(subdistrict=access_of(request).subdistrict)


@admin.register(WorkDay)
class WorkDayAdmin(AuditedAdmin):
    """Next year's schedule is published each November: correct days here until the package
    catches up. A day edited here is marked manual and never overwritten by a refresh."""

    list_display = ("date", "is_workday", "shown_name", "source")
    list_filter = ("is_workday", "source")
    date_hierarchy = "date"
    fields = ("date", "is_workday", "name")

    @admin.display(description=_("holiday or note"), ordering="name")
    def shown_name(self, obj: WorkDay) -> str:
        return obj.label

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.source = WorkDay.Source.MANUAL
        super().save_model(request, obj, form, change)


@admin.register(Notification)
class NotificationAdmin(TenantAdmin):
    list_display = ("created_at", "user", "title", "read_at")
    search_fields = ("title",)
    raw_id_fields = ("user",)


@admin.register(ApiToken)
class ApiTokenAdmin(TenantAdmin):
    """Tokens are made on the API tokens page (``/accounts/tokens/``), which shows the key once;
    the admin only lists and revokes them."""

    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "name", "prefix", "key_hash", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
