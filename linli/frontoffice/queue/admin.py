"""Admin for the queue's configuration: halls, services and counters (with the services each
serves). Tickets change only through the service verbs, so they are read-only here."""

from __future__ import annotations

from django.contrib import admin

from linli.core.admin import ReadOnlyTenantAdmin, TenantAdmin
from linli.frontoffice.queue.models import Counter, CounterService, Hall, Service, Ticket


@admin.register(Hall)
class HallAdmin(TenantAdmin):
    list_display = ("name", "organisation")


@admin.register(Service)
class ServiceAdmin(TenantAdmin):
    list_display = (
        "prefix",
        "name",
        "hall",
        "priority_streak",
        "appointment_lead_minutes",
        "appointment_resource",
        "active",
    )
    list_filter = ("hall", "active")


class CounterServiceInline(admin.TabularInline):
    model = CounterService
    extra = 1
    exclude = ("subdistrict",)


@admin.register(Counter)
class CounterAdmin(TenantAdmin):
    list_display = ("hall", "number", "staff", "is_open")
    list_filter = ("hall",)
    raw_id_fields = ("staff",)
    inlines = [CounterServiceInline]


@admin.register(Ticket)
class TicketAdmin(ReadOnlyTenantAdmin):
    list_display = ("day", "code", "service", "kind", "state", "counter", "issued_at")
    list_filter = ("state", "kind", "day")
