from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from linli.core.admin import TenantAdmin
from linli.lifecircle.models import FacilityStandard, LifeCircleSettings, WalkNetworkVersion


@admin.register(WalkNetworkVersion)
class WalkNetworkVersionAdmin(TenantAdmin):
    """Read-only: a network is imported through its page, which checks and clips the file."""

    list_display = ("pk", "source", "file_name", "node_count", "edge_count", "created_at")
    list_filter = ("source", "is_current")
    exclude = ("subdistrict", "data")
    readonly_fields = (
        "source",
        "file_name",
        "node_count",
        "edge_count",
        "bridge_count",
        "length_km",
        "bbox",
        "sha256",
        "created_at",
        "created_by",
        "is_current",
    )

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).defer("data", "basemap")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(FacilityStandard)
class FacilityStandardAdmin(TenantAdmin):
    list_display = ("facility_type", "tier_minutes", "threshold_m", "weighting", "capacity_unit")
    list_filter = ("tier_minutes", "weighting")
    list_editable = ("threshold_m",)


@admin.register(LifeCircleSettings)
class LifeCircleSettingsAdmin(TenantAdmin):
    list_display = ("__str__", "speed_all", "speed_elderly")
