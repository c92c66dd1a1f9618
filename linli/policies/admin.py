"""Admin: the library and what screening decided are read-only here; they change through
``manage.py policies load`` and the screening. Grants are revoked with a reason, never deleted."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from linli.core.admin import ReadOnlyAdmin, ReadOnlyTenantAdmin
from linli.core.http import access_of
from linli.policies.models import (
    Application,
    Decision,
    EnterpriseFact,
    Grant,
    PolicyVersion,
    ScreeningRun,
)
from linli.policies.services import revoke_grant


@admin.register(PolicyVersion)
class PolicyVersionAdmin(ReadOnlyAdmin):
    list_display = ("policy_id", "version", "title_zh", "mode", "valid_from", "valid_to")
    list_filter = ("is_active", "mode", "benefit")
    search_fields = ("policy_id", "title_zh", "title_en", "rule_hash")


@admin.register(ScreeningRun)
class ScreeningRunAdmin(ReadOnlyTenantAdmin):
    list_display = ("started_at", "trigger", "evaluated_on", "enterprises", "eligible", "grants")
    list_filter = ("trigger",)


@admin.register(Decision)
class DecisionAdmin(ReadOnlyTenantAdmin):
    list_display = ("enterprise", "policy_id", "status", "amount", "evaluated_on")
    list_filter = ("status", "policy_id")
    search_fields = ("enterprise__name", "policy_id")
    list_select_related = ("enterprise",)


@admin.register(Grant)
class GrantAdmin(ReadOnlyTenantAdmin):
    list_display = ("enterprise", "policy_id", "amount", "decided_at", "status")
    list_filter = ("status", "policy_id")
    search_fields = ("enterprise__name", "policy_id")
    list_select_related = ("enterprise",)
    actions = ["revoke"]

    @admin.action(description=_("Revoke the selected grants"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[Grant]) -> None:
        for grant in queryset:
            try:
                revoke_grant(
                    grant,
                    actor=access_of(request),
                    reason=str(_("Revoked in the admin")),
                )
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.WARNING)


@admin.register(Application)
class ApplicationAdmin(ReadOnlyTenantAdmin):
    list_display = ("case_number", "enterprise", "policy_id", "amount", "applied_at")
    search_fields = ("case_number", "enterprise__name", "policy_id")
    list_select_related = ("enterprise",)


@admin.register(EnterpriseFact)
class EnterpriseFactAdmin(ReadOnlyTenantAdmin):
    list_display = ("enterprise", "field", "value", "source", "as_of")
    list_filter = ("field", "source")
    search_fields = ("enterprise__name",)
    list_select_related = ("enterprise",)
