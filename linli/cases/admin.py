"""Admin for configuration (categories, fields, limits, routing). Cases change only through
the service verbs, so their history stays complete: here they are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from linli.cases.models import (
    Case,
    CaseEvent,
    CaseReporter,
    CaseSettings,
    Category,
    CategoryField,
    CoHandler,
    RoutingRule,
    SlaMark,
    TimeLimit,
)
from linli.core.admin import ReadOnlyTenantAdmin, TenantAdmin


class CategoryFieldInline(admin.TabularInline):
    model = CategoryField
    extra = 0
    exclude = ("subdistrict",)


class TimeLimitInline(admin.TabularInline):
    model = TimeLimit
    extra = 0
    exclude = ("subdistrict",)


@admin.register(Category)
class CategoryAdmin(TenantAdmin):
    list_display = (
        "code",
        "name",
        "kind",
        "audience",
        "parent",
        "allows_anonymous",
        "public_display",
        "active",
    )
    list_filter = ("kind", "audience", "active")
    search_fields = ("code", "name", "name_en", "synonyms")
    inlines = [CategoryFieldInline, TimeLimitInline]


@admin.register(CaseSettings)
class CaseSettingsAdmin(TenantAdmin):
    """One row per sub-district: added once (the public map creates it when first shown)."""

    list_display = ("__str__", "public_map")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not CaseSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RoutingRule)
class RoutingRuleAdmin(TenantAdmin):
    list_display = ("priority", "name", "category", "grid", "quarter", "building", "channel")
    list_display_links = ("name",)
    list_filter = ("active", "channel")
    ordering = ("priority", "id")


@admin.register(Case)
class CaseAdmin(ReadOnlyTenantAdmin):
    list_display = ("number", "title", "category", "state", "lead_organisation", "stage_deadline")
    list_filter = ("state", "channel", "category")
    search_fields = ("number", "title")
    date_hierarchy = "received_at"


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyTenantAdmin):
    list_display = ("at", "case", "action", "from_state", "to_state", "actor", "organisation")
    list_filter = ("action",)
    search_fields = ("case__number",)


@admin.register(CaseReporter)
class CaseReporterAdmin(ReadOnlyTenantAdmin):
    list_display = ("case", "user", "name", "added_at")
    exclude = ("subdistrict", "phone_cipher", "phone_hash", "tracking_token_hash")


@admin.register(CoHandler)
class CoHandlerAdmin(ReadOnlyTenantAdmin):
    list_display = ("case", "organisation", "state", "done_at")


@admin.register(SlaMark)
class SlaMarkAdmin(ReadOnlyTenantAdmin):
    list_display = ("created_at", "case", "kind", "stage", "deadline")
    list_filter = ("kind", "stage")
