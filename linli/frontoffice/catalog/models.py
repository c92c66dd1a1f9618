"""The service catalog: every item the Enterprise Service Center serves, with its guide.

An item belongs to one affairs group (government, social or business affairs), is handled by
one department, is served at a place in the centre and/or in the building sub-centres, and says
through which channels it can be done. Applying online opens a case of the linked case
category through the cases intake form, so the window and the web take the same path.

``search_name``, ``search_keywords`` and ``search_body`` are derived (``search.index_fields``),
written by the verbs in ``services`` whenever an item is saved; nobody edits them by hand.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from linli.core.models import Organisation, TenantModel


class Affairs(models.TextChoices):
    GOVERNMENT = "government", _("Government affairs")
    SOCIAL = "social", _("Social affairs")
    BUSINESS = "business", _("Business affairs")


class ServiceItem(TenantModel):
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    affairs = models.CharField(_("affairs"), max_length=20, choices=Affairs.choices)
    topic = models.CharField(
        _("topic"), max_length=50, blank=True, help_text=_("A heading within the affairs group.")
    )
    summary = models.TextField(_("summary"), blank=True)
    keywords = models.CharField(
        _("keywords and other names"),
        max_length=300,
        blank=True,
        help_text=_("Other words people use for this item, separated by spaces or commas."),
    )
    conditions = models.TextField(_("conditions"))
    materials = models.JSONField(_("materials"), default=list, blank=True)
    steps = models.JSONField(_("steps"), default=list, blank=True)
    legal_days = models.PositiveSmallIntegerField(
        _("legal time limit (working days)"), help_text=_("0 means done on the spot.")
    )
    promised_days = models.PositiveSmallIntegerField(
        _("promised time limit (working days)"), help_text=_("0 means done on the spot.")
    )
    fee = models.CharField(_("fee"), max_length=200, default="", blank=True)
    by_terminal = models.BooleanField(_("at a self-service terminal"), default=False)
    terminal_place = models.CharField(
        _("which terminal"),
        max_length=100,
        blank=True,
        help_text=_("Where the self-service terminal that does it stands."),
    )
    by_window = models.BooleanField(_("at a window"), default=True)
    by_online = models.BooleanField(_("online"), default=False)
    online_url = models.URLField(
        _("online service address"),
        blank=True,
        help_text=_("Where to do it online outside linli, e.g. the city's one-stop portal."),
    )
    department = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="catalog_items",
        verbose_name=_("department"),
    )
    centre_place = models.CharField(
        _("place in the centre"),
        max_length=100,
        blank=True,
        help_text=_("E.g. “Window 3” or “Self-service area”."),
    )
    subcentres = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="catalog_items_served",
        limit_choices_to={"kind": Organisation.Kind.SUBCENTRE},
        verbose_name=_("served at sub-centres"),
    )
    category = models.ForeignKey(
        "cases.Category",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("case category for applying online"),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("shown in the catalog"), default=True)
    search_name = models.TextField(editable=False, default="")
    search_keywords = models.TextField(editable=False, default="")
    search_body = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        ordering = ["affairs", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "code"], name="catalog_item_code")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name

    @property
    def can_apply_online(self) -> bool:
        return self.by_online and self.category_id is not None
