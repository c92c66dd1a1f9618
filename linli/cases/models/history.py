"""What happens to a case: its append-only events, attachments, co-handling organisations and
the marks of reminders sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.cases.models.case import Case
from linli.cases.models.choices import Stage, State
from linli.core import clock as core_clock
from linli.core.models import (
    AppendOnlyModel,
    AppendOnlyQuerySet,
    Organisation,
    TenantModel,
    scoped_manager,
)
from linli.core.visibility import VisibleQuerySet


class CaseEventQuerySet(AppendOnlyQuerySet, VisibleQuerySet):  # type: ignore[override]
    """Append-only, and read through ``visible_to`` like every tenant model."""


class CaseEvent(AppendOnlyModel, TenantModel):
    """One transition or action on a case. Never changed, never deleted."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="events", verbose_name=_("case")
    )
    at = models.DateTimeField(_("time"), default=core_clock.stamp)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=30)
    from_state = models.CharField(_("from"), max_length=25, choices=State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=25, choices=State.choices, blank=True)
    # The organisation answerable for the case at this moment: metrics are counted per it.
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    note = models.TextField(_("note"), max_length=4000, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    late = models.BooleanField(_("after the deadline"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=30, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    objects = scoped_manager(CaseEventQuerySet)  # type: ignore[misc]

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["case", "at"], name="case_event_case_at"),
            models.Index(fields=["subdistrict", "action", "at"], name="case_event_action_at"),
            models.Index(fields=["organisation", "at"], name="case_event_org_at"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


def attachment_path(instance: CaseAttachment, filename: str) -> str:
    return f"cases/{instance.subdistrict_id}/{core_clock.now():%Y/%m}/{filename}"


class CaseAttachment(TenantModel):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        BEFORE = "before", _("Before handling")
        AFTER = "after", _("After handling")
        DOCUMENT = "document", _("Document")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("case")
    )
    event = models.ForeignKey(
        CaseEvent,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
        verbose_name=_("event"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PHOTO)
    field_key = models.CharField(_("extra field"), max_length=40, blank=True)
    file = models.FileField(_("file"), upload_to=attachment_path)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=core_clock.stamp)

    class Meta:
        verbose_name = _("case attachment")
        verbose_name_plural = _("case attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.file.name or ""


class CoHandler(TenantModel):
    """A cooperating organisation on a case, with the part it answers for."""

    class Progress(models.TextChoices):
        PENDING = "pending", _("Working on its part")
        DONE = "done", _("Part done")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="co_handlers", verbose_name=_("case")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    part = models.TextField(_("its part"), max_length=2000)
    state = models.CharField(
        _("state"), max_length=10, choices=Progress.choices, default=Progress.PENDING
    )
    note = models.TextField(_("result"), max_length=4000, blank=True)
    added_at = models.DateTimeField(_("added at"), default=core_clock.stamp)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("co-handler")
        verbose_name_plural = _("co-handlers")
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "case", "organisation"], name="case_co_handler"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.organisation}"


class SlaMark(TenantModel):
    """Proof that a reminder or supervision went out for one clock of a case.

    The sweep inserts this row before it notifies anyone; the unique key makes a second sweep,
    or a second worker, fail the insert and send nothing.
    """

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder (催办)")
        SUPERVISION = "supervision", _("Supervision (督办)")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="sla_marks", verbose_name=_("case")
    )
    clock = models.PositiveIntegerField()
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    deadline = models.DateTimeField(_("deadline"))
    created_at = models.DateTimeField(_("sent at"), default=core_clock.stamp)

    class Meta:
        verbose_name = _("reminder or supervision")
        verbose_name_plural = _("reminders and supervision")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "case", "clock", "kind"], name="case_sla_mark"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.stage}"
