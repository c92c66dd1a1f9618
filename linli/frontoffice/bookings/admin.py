"""Admin: no-show rules and suspensions are edited here (audited); bookings are read-only,
since they change only through the verbs (which check overlap under a lock)."""

from __future__ import annotations

from django.contrib import admin

from linli.core.admin import ReadOnlyAdmin, TenantAdmin
from linli.frontoffice.bookings.models import Booking, Strike, StrikeRule, Suspension


@admin.register(StrikeRule)
class StrikeRuleAdmin(TenantAdmin):
    list_display = ("resource_kind", "strikes", "period_days", "suspension_days")


@admin.register(Suspension)
class SuspensionAdmin(TenantAdmin):
    list_display = ("enterprise", "resource_kind", "starts_at", "ends_at", "strikes")
    raw_id_fields = ("enterprise",)


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ("resource", "start", "end", "state", "enterprise", "booker")
    list_filter = ("state", "resource__kind")
    date_hierarchy = "start"


@admin.register(Strike)
class StrikeAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "resource_kind", "at")
