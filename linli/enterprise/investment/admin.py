from django.contrib import admin

from linli.core.admin import TenantAdmin
from linli.enterprise.investment.models import NextAction, Prospect, VacantUnit


@admin.register(VacantUnit)
class VacantUnitAdmin(TenantAdmin):
    list_display = ("building", "label", "floor", "area_m2", "rent_per_m2_day", "available_from")
    list_filter = ("building",)
    search_fields = ("label", "building__name")


@admin.register(Prospect)
class ProspectAdmin(TenantAdmin):
    """Details only: stages move through the pipeline's verbs, which keep the history."""

    list_display = ("name", "stage", "source", "ambassador", "expected_tax")
    list_filter = ("stage", "source")
    search_fields = ("name", "credit_code")
    readonly_fields = ("stage", "lost_reason", "enterprise", "unit")


@admin.register(NextAction)
class NextActionAdmin(TenantAdmin):
    list_display = ("title", "prospect", "due_on", "done_at")
