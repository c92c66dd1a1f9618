"""The admin of residents and homes: the tag kinds, which are data a platform administrator
extends (a new kind of tag needs no code). Residents and homes change through their verbs; the
retention years are rule parameters (``people/parameters.py``, page ``/parameters/``)."""

from django.contrib import admin

from linli.core.admin import AuditedAdmin
from linli.people.models import TagKind


@admin.register(TagKind)
class TagKindAdmin(AuditedAdmin):
    list_display = ("code", "name", "name_en", "sensitive", "has_grade", "from_age", "order")
    list_editable = ("order",)
    list_filter = ("sensitive", "has_grade")
