"""Cases (工单): categories and their time limits, the case itself, its history and its clocks."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from linli.core import clock as core_clock
from linli.core.models import AppendOnlyModel, AppendOnlyQuerySet, Organisation, TenantModel


class Category(TenantModel):
    """A node of the category tree; its kind decides the default resolution limit."""

    class Kind(models.TextChoices):
        INCIDENT = "incident", _("Incident")
        ENTERPRISE_APPEAL = "enterprise_appeal", _("Enterprise appeal")
        RESIDENT_SERVICE = "resident_service", _("Resident service")
        ENQUIRY = "enquiry", _("Enquiry")

    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    allows_anonymous = models.BooleanField(_("anonymous reports allowed"), default=False)
    public_display = models.BooleanField(_("shown publicly"), default=False)
    active = models.BooleanField(_("active"), default=True)
    canned_replies = models.JSONField(_("canned replies"), default=list, blank=True)
    duplicate_radius_m = models.PositiveIntegerField(
        _("duplicate search radius (m)"), null=True, blank=True
    )
    duplicate_days = models.PositiveIntegerField(
        _("duplicate search window (days)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("case category")
        verbose_name_plural = _("case categories")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "code"], name="case_category_code")
        ]

    def __str__(self) -> str:
        return self.name

    def lineage(self) -> list[Category]:
        """This category and its ancestors, nearest first (the tree is a few levels deep)."""
        chain: list[Category] = []
        node: Category | None = self
        seen: set[int] = set()
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain


class CategoryField(TenantModel):
    """A typed extra field of a category; also an Open311 service-definition attribute."""

    class Type(models.TextChoices):
        TEXT = "text", _("Text")
        NUMBER = "number", _("Number")
        CHOICE = "choice", _("Choice")
        DATE = "date", _("Date")
        PHOTO = "photo", _("Photo")

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="fields", verbose_name=_("category")
    )
    key = models.SlugField(_("key"), max_length=40)
    label = models.CharField(_("label"), max_length=100)
    type = models.CharField(_("type"), max_length=10, choices=Type.choices, default=Type.TEXT)
    required = models.BooleanField(_("required"), default=False)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    help_text = models.CharField(_("help text"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category field")
        verbose_name_plural = _("category fields")
        ordering = ["category", "order", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "category", "key"], name="case_category_field_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category.code}.{self.key}"


class Stage(models.TextChoices):
    """Each clock that can run on a case; a case has at most one running at a time."""

    REGISTER = "register", _("Registration")
    DISPATCH = "dispatch", _("Dispatch")
    ACCEPT = "accept", _("Acceptance")
    FIRST_CONTACT = "first_contact", _("First contact with the reporter")
    RESOLVE = "resolve", _("Resolution")
    EXTENSION = "extension", _("Extension")
    REWORK = "rework", _("Rework")
    VERIFY = "verify", _("Verification")
    CALLBACK = "callback", _("Callback")
    REOPEN = "reopen", _("Re-handling after dissatisfaction")


class TimeLimit(TenantModel):
    """A configured limit for one stage of a category (and, unless overridden, its subtree)."""

    class Unit(models.TextChoices):
        WORKING_HOURS = "working_hours", _("working hours")
        WORKING_DAYS = "working_days", _("working days")

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="time_limits", verbose_name=_("category")
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    amount = models.PositiveIntegerField(_("amount"), validators=[MinValueValidator(1)])
    unit = models.CharField(_("unit"), max_length=15, choices=Unit.choices)

    class Meta:
        verbose_name = _("time limit")
        verbose_name_plural = _("time limits")
        ordering = ["category", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "category", "stage"], name="case_time_limit_stage"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category.code} {self.stage}: {self.amount} {self.unit}"


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    HOTLINE_12345 = "hotline_12345", _("12345 hotline")
    PHONE = "phone", _("Phone call")
    WALK_IN = "walk_in", _("Walk-in at the window")
    GRID_PATROL = "grid_patrol", _("Grid patrol")
    BUILDING_MANAGER = "building_manager", _("Building manager")
    API = "api", _("API")
    OPEN311 = "open311", _("Open311")
    BUTLER_VISIT = "butler_visit", _("Butler visit")
    INSPECTION = "inspection", _("Joint inspection")


class State(models.TextChoices):
    RECEIVED = "received", _("Received")
    REGISTERED = "registered", _("Registered")
    REJECTED = "rejected", _("Not registered")
    DISPATCHED = "dispatched", _("Dispatched")
    RETURNED = "returned", _("Returned to the dispatcher")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING_REPORTER = "waiting_reporter", _("Waiting for the reporter")
    EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
    AWAITING_VERIFICATION = "awaiting_verification", _("Awaiting verification")
    REWORK = "rework", _("Rework")
    VERIFIED = "verified", _("Verified")
    CALLBACK = "callback", _("Called back")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")
    LONG_TERM = "long_term", _("Registered as long-term")
    MERGED = "merged", _("Merged into another case")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class RejectReason(models.TextChoices):
    DUPLICATE = "duplicate", _("Duplicate of another case")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope")
    INSUFFICIENT_INFO = "insufficient_info", _("Not enough information")


class RoutingRule(TenantModel):
    """Category × place × channel → organisation; rules are tried in priority order."""

    name = models.CharField(_("name"), max_length=100)
    priority = models.PositiveIntegerField(_("priority"), default=100)
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="routing_rules",
        verbose_name=_("category"),
    )
    include_subcategories = models.BooleanField(_("include subcategories"), default=True)
    grid = models.ForeignKey(
        "registry.Grid", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("grid")
    )
    quarter = models.ForeignKey(
        "registry.Quarter",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        verbose_name=_("residential quarter"),
    )
    building = models.ForeignKey(
        "registry.Building",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        verbose_name=_("building"),
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="routing_rules",
        verbose_name=_("organisation"),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["priority", "id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.name}"

    @property
    def names_a_place(self) -> bool:
        return bool(self.grid_id or self.quarter_id or self.building_id)


class CaseCounter(TenantModel):
    """The last number given out per sub-district and year; locked while a number is taken."""

    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "year"], name="case_counter_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Case(TenantModel):
    number = models.CharField(_("number"), max_length=20)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="cases", verbose_name=_("category")
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    keep_location = models.BooleanField(_("photo locations kept with consent"), default=False)
    grid = models.ForeignKey(
        "registry.Grid", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("grid")
    )
    quarter = models.ForeignKey(
        "registry.Quarter",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("residential quarter"),
    )
    building = models.ForeignKey(
        "registry.Building",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("building"),
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("enterprise"),
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_cases",
        verbose_name=_("reporter"),
    )
    extra = models.JSONField(_("extra fields"), default=dict, blank=True)

    state = models.CharField(
        _("state"), max_length=25, choices=State.choices, default=State.RECEIVED
    )
    lead_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_cases",
        verbose_name=_("lead organisation"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
        verbose_name=_("assignee"),
    )

    # What routing suggested at intake, and why: the dispatcher sees it and usually takes it.
    routed_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("suggested organisation"),
    )
    routed_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("suggested assignee"),
    )
    routing_rule = models.ForeignKey(
        RoutingRule,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("matched routing rule"),
    )
    routing_reason = models.TextField(_("why it was routed there"), blank=True)

    received_at = models.DateTimeField(_("received at"), default=core_clock.stamp)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    # The running clock. ``clock`` counts the clocks started on this case, so reminders are
    # keyed on it: a pause shifts a clock (no new reminder), an approved extension starts one.
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, blank=True)
    clock = models.PositiveIntegerField(default=0, editable=False)
    stage_started_at = models.DateTimeField(_("stage started"), null=True, blank=True)
    stage_deadline = models.DateTimeField(_("stage deadline"), null=True, blank=True)
    reminder_at = models.DateTimeField(_("reminder due"), null=True, blank=True)
    resolve_deadline = models.DateTimeField(_("resolution deadline"), null=True, blank=True)
    paused_since = models.DateTimeField(_("paused since"), null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(_("paused working seconds"), default=0)
    handled_late = models.BooleanField(_("handled after the deadline"), default=False)

    satisfaction = models.CharField(
        _("satisfaction"), max_length=20, choices=Satisfaction.choices, blank=True
    )
    resolved = models.BooleanField(_("resolved, says the reporter"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_cases",
        verbose_name=_("merged into"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "number"], name="case_number")
        ]
        indexes = [
            models.Index(fields=["subdistrict", "state"], name="case_state"),
            models.Index(fields=["lead_organisation", "state"], name="case_org_state"),
            models.Index(fields=["assignee", "state"], name="case_assignee_state"),
            # The SLA sweep reads these two every minute; closed cases hold NULL in both.
            models.Index(fields=["reminder_at"], name="case_reminder_at"),
            models.Index(fields=["stage_deadline"], name="case_stage_deadline"),
            models.Index(fields=["category", "received_at"], name="case_category_received"),
            # The staff list's order, id included: its pages are read from the index alone.
            models.Index(fields=["subdistrict", "-received_at", "-id"], name="case_received_order"),
        ]

    # Set by ``submit_case`` for a reporter without an account: shown once, only its hash kept
    # (on the reporter row, so every reporter of a merged case keeps a working link).
    tracking_token: str = ""

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.state not in FINAL_STATES

    @property
    def is_paused(self) -> bool:
        return self.paused_since is not None


FINAL_STATES = frozenset({State.REJECTED, State.CLOSED, State.MERGED})


class CaseReporter(TenantModel):
    """Everyone who reported this problem: the first reporter, and those of merged duplicates."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="reporters", verbose_name=_("case")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=50, blank=True)
    phone_cipher = models.TextField(blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    email = models.EmailField(_("e-mail"), blank=True)
    tracking_token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    from_case = models.ForeignKey(
        Case,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reported as"),
    )
    added_at = models.DateTimeField(_("added at"), default=core_clock.stamp)

    class Meta:
        verbose_name = _("case reporter")
        verbose_name_plural = _("case reporters")
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "case", "user"],
                condition=models.Q(user__isnull=False),
                name="case_reporter_user",
            )
        ]

    def __str__(self) -> str:
        return str(self.user or self.name or _("anonymous"))

    @property
    def phone(self) -> str:
        from linli.core.pii import decrypt

        return decrypt(self.phone_cipher)


class CaseEventQuerySet(AppendOnlyQuerySet):
    pass


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
    note = models.TextField(_("note"), blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    late = models.BooleanField(_("after the deadline"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=30, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    objects = ScopedManager(  # type: ignore[misc]
        subdistrict="subdistrict", _manager_class=models.Manager.from_queryset(CaseEventQuerySet)
    )

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
    part = models.TextField(_("its part"))
    state = models.CharField(
        _("state"), max_length=10, choices=Progress.choices, default=Progress.PENDING
    )
    note = models.TextField(_("result"), blank=True)
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
