"""The admin of residents and homes: the tag kinds, which are data a platform administrator
extends (a new kind of tag needs no code), and each sub-district's retention rule. Residents
and homes change through their verbs."""

from django.contrib import admin

from linli.core.admin import AuditedAdmin, TenantAdmin
from linli.people.models import RetentionRule, TagKind


@admin.register(TagKind)
class TagKindAdmin(AuditedAdmin):
    list_display = ("code", "name", "name_en", "sensitive", "has_grade", "from_age", "order")
    list_editable = ("order",)
    list_filter = ("sensitive", "has_grade")


@admin.register(RetentionRule)
class RetentionRuleAdmin(TenantAdmin):
    list_display = ("years", "valid_from", "source")
