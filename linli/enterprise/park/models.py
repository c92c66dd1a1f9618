"""The Park Assistant: a building's notices with read receipts, and its enterprises' requests."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core import clock
from linli.core.models import TenantModel


class Notice(TenantModel):
    """A notice a building manager sends to the building's enterprises (all, or chosen ones)."""

    class Audience(models.TextChoices):
        ALL = "all", _("All enterprises in the building")
        CHOSEN = "chosen", _("Chosen enterprises")

    building = models.ForeignKey(
        "registry.Building",
        on_delete=models.PROTECT,
        related_name="park_notices",
        verbose_name=_("building"),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("notice text"))
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("time published"), default=clock.stamp, db_index=True)
    last_reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)

    class Meta:
        verbose_name = _("building notice")
        verbose_name_plural = _("building notices")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title


class NoticeRecipient(TenantModel):
    """One enterprise a notice is addressed to. "All" is resolved when the notice is published,
    so an enterprise moving in later does not count as having missed it."""

    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="recipients", verbose_name=_("notice")
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("enterprise"),
    )

    class Meta:
        verbose_name = _("notice recipient")
        verbose_name_plural = _("notice recipients")
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "notice", "enterprise"], name="park_notice_recipient"
            )
        ]

    def __str__(self) -> str:
        return f"{self.notice} → {self.enterprise}"


class NoticeReceipt(TenantModel):
    """The first time one person opened a notice, on behalf of one recipient enterprise."""

    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="receipts", verbose_name=_("notice")
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("enterprise"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("reader"),
    )
    read_at = models.DateTimeField(_("read"), default=clock.stamp)

    class Meta:
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")
        ordering = ["read_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "notice", "user"], name="park_notice_receipt"
            )
        ]

    def __str__(self) -> str:
        return f"{self.notice} · {self.user}"


class BuildingRequest(TenantModel):
    """A request an enterprise files with its building manager; forwarded, it becomes a case."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for the building manager")
        FORWARDED = "forwarded", _("Forwarded as a case")
        DECLINED = "declined", _("Answered without a case")

    building = models.ForeignKey(
        "registry.Building",
        on_delete=models.PROTECT,
        related_name="park_requests",
        verbose_name=_("building"),
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        on_delete=models.PROTECT,
        related_name="park_requests",
        verbose_name=_("enterprise"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("time submitted"), default=clock.stamp, db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("case"),
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(_("time handled"), null=True, blank=True)
    reply = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("building request")
        verbose_name_plural = _("building requests")
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return self.title
