"""The choices a case is made of: its channels, states, clocks and outcomes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Stage(models.TextChoices):
    """Each clock that can run on a case; a case has at most one running at a time."""

    REGISTER = "register", pgettext_lazy("case step", "Registration")
    DISPATCH = "dispatch", _("Dispatch")
    ACCEPT = "accept", _("Acceptance")
    FIRST_CONTACT = "first_contact", _("First contact with the reporter")
    RESOLVE = "resolve", pgettext_lazy("case step", "Resolution")
    EXTENSION = "extension", _("Extension")
    REWORK = "rework", _("Rework")
    VERIFY = "verify", _("Verification")
    CALLBACK = "callback", _("Callback")
    REOPEN = "reopen", _("Re-handling after dissatisfaction")


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
    RECEIVED = "received", pgettext_lazy("case state", "Received")
    REGISTERED = "registered", pgettext_lazy("case state", "Registered")
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
    CLOSED = "closed", pgettext_lazy("case state", "Closed")
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


FINAL_STATES = frozenset({State.REJECTED, State.CLOSED, State.MERGED})
