from django.contrib import admin

from linli.core.admin import TenantAdmin
from linli.registry.models import (
    Building,
    BuildingTaxYear,
    Enterprise,
    EnterpriseYear,
    Facility,
    Grid,
    Quarter,
)


@admin.register(Grid)
class GridAdmin(TenantAdmin):
    list_display = ("code", "name", "organisation")
    search_fields = ("code", "name")


@admin.register(Quarter)
class QuarterAdmin(TenantAdmin):
    list_display = ("code", "name", "households", "population", "over_60", "committee")
    search_fields = ("code", "name")


@admin.register(Building)
class BuildingAdmin(TenantAdmin):
    list_display = ("code", "name", "kind", "floors", "floor_area_m2", "vacant_area_m2")
    list_filter = ("kind",)
    search_fields = ("code", "name", "address")


@admin.register(BuildingTaxYear)
class BuildingTaxYearAdmin(TenantAdmin):
    list_display = ("building", "year", "tax")
    list_filter = ("year",)


@admin.register(Enterprise)
class EnterpriseAdmin(TenantAdmin):
    list_display = ("name", "credit_code", "industry_code", "headcount", "building", "status")
    list_filter = ("status",)
    search_fields = ("name", "credit_code")
    raw_id_fields = ("butler", "building")


@admin.register(EnterpriseYear)
class EnterpriseYearAdmin(TenantAdmin):
    list_display = ("enterprise", "year", "revenue", "tax", "headcount")
    list_filter = ("year",)
    raw_id_fields = ("enterprise",)


@admin.register(Facility)
class FacilityAdmin(TenantAdmin):
    list_display = ("code", "name", "category", "capacity")
    list_filter = ("category",)
    search_fields = ("code", "name")
