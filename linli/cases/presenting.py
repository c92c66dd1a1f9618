"""How a case's history reads: for staff, every event with who, which office and how late; for
the people who reported it, what happened in plain words, without names of civil servants or
internal steps (reminders, returns between offices, refused extensions)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from linli.cases.models import Case, CaseAttachment, CaseEvent, Channel, RejectReason, Satisfaction

# What each event is called on the staff timeline.
EVENT_LABELS: dict[str, Promise] = {
    "submit": pgettext_lazy("case event", "Reported"),
    "register": pgettext_lazy("case event", "Registered"),
    "reject": pgettext_lazy("case event", "Not registered"),
    "dispatch": pgettext_lazy("case event", "Dispatched"),
    "accept": pgettext_lazy("case event", "Accepted"),
    "return": pgettext_lazy("case event", "Returned to the dispatcher"),
    "start_handling": pgettext_lazy("case event", "Handling started"),
    "wait_for_reporter": pgettext_lazy("case event", "Waiting for the reporter"),
    "resume": pgettext_lazy("case event", "Resumed"),
    "request_extension": pgettext_lazy("case event", "Extension requested"),
    "approve_extension": pgettext_lazy("case event", "Extension granted"),
    "deny_extension": pgettext_lazy("case event", "Extension refused"),
    "submit_for_verification": pgettext_lazy("case event", "Submitted for verification"),
    "rework": pgettext_lazy("case event", "Sent back for rework"),
    "verify": pgettext_lazy("case event", "Verified on site"),
    "record_callback": pgettext_lazy("case event", "Reporter called back"),
    "close": pgettext_lazy("case event", "Closed"),
    "reopen": pgettext_lazy("case event", "Reopened"),
    "register_long_term": pgettext_lazy("case event", "Registered as long-term"),
    "merge": pgettext_lazy("case event", "Merged into another case"),
    "absorb": pgettext_lazy("case event", "Duplicate merged in"),
    "add_co_handler": pgettext_lazy("case event", "Co-handler added"),
    "complete_co_handling": pgettext_lazy("case event", "Co-handler's part done"),
    "reminder": pgettext_lazy("case event", "Reminder (催办)"),
    "supervision": pgettext_lazy("case event", "Supervision (督办)"),
    "rate": pgettext_lazy("case event", "Rated by the reporter"),
}
# What each action's button says on the case page.
ACTION_LABELS: dict[str, Promise] = {
    "register_dispatch": pgettext_lazy("case action button", "Register and dispatch"),
    "register": pgettext_lazy("case action button", "Register"),
    "reject": pgettext_lazy("case action button", "Do not register"),
    "dispatch": pgettext_lazy("case action button", "Dispatch"),
    "accept": pgettext_lazy("case action button", "Accept"),
    "return": pgettext_lazy("case action button", "Return to the dispatcher"),
    "start_handling": pgettext_lazy("case action button", "Start handling"),
    "wait_for_reporter": pgettext_lazy("case action button", "Wait for the reporter"),
    "resume": pgettext_lazy("case action button", "Resume"),
    "request_extension": pgettext_lazy("case action button", "Ask for an extension"),
    "approve_extension": pgettext_lazy("case action button", "Grant the extension"),
    "deny_extension": pgettext_lazy("case action button", "Refuse the extension"),
    "submit_for_verification": pgettext_lazy("case action button", "Submit for verification"),
    "rework": pgettext_lazy("case action button", "Send back for rework"),
    "verify": pgettext_lazy("case action button", "Verify"),
    "record_callback": pgettext_lazy("case action button", "Record the callback"),
    "close": pgettext_lazy("case action button", "Close"),
    "reopen": pgettext_lazy("case action button", "Reopen"),
    "register_long_term": pgettext_lazy("case action button", "Register as long-term"),
    "merge": pgettext_lazy("case action button", "Merge into another case"),
    "add_co_handler": pgettext_lazy("case action button", "Add a co-handler"),
    "complete_co_handling": pgettext_lazy("case action button", "Our part is done"),
}
# Events the reporters are not shown: internal chasing and back-and-forth between offices.
HIDDEN_FROM_REPORTERS = {
    "return",
    "reminder",
    "supervision",
    "deny_extension",
    "request_extension",
    "complete_co_handling",
}


@dataclass
class Line:
    at: Any
    text: str
    note: str = ""
    tone: str = ""  # ok, warn, err or "" — a badge colour
    label: str = ""
    actor: str = ""
    organisation: str = ""
    late: bool | None = None
    attachments: list[CaseAttachment] = field(default_factory=list)


def _org(event: CaseEvent) -> str:
    return str(event.organisation) if event.organisation_id and event.organisation else ""


def _satisfaction(value: str) -> str:
    return str(Satisfaction(value).label) if value in Satisfaction.values else value


def plain(event: CaseEvent, case: Case) -> str | None:
    """One event in plain words for the reporter, or None if it is not theirs to see."""
    action = event.action
    org = _org(event) or _("the office in charge")
    if action in HIDDEN_FROM_REPORTERS:
        return None
    if action == "submit":
        channel = event.data.get("channel", case.channel)
        label = Channel(channel).label if channel in Channel.values else channel
        return _("The problem was reported (%(channel)s).") % {"channel": label}
    texts = {
        "register": _("The dispatch centre registered the report."),
        "dispatch": _("It was sent to %(organisation)s to deal with.") % {"organisation": org},
        "accept": _("%(organisation)s took it on.") % {"organisation": org},
        "start_handling": _("%(organisation)s is working on it.") % {"organisation": org},
        "wait_for_reporter": _("We need something from you before we can go on."),
        "resume": _("Work went on."),
        "approve_extension": _("More time was granted, because the work takes longer."),
        "submit_for_verification": _(
            "%(organisation)s says the work is done; someone will check on site."
        )
        % {"organisation": org},
        "rework": _("The check on site found more to do; work goes on."),
        "verify": _("The result was checked on site."),
        "close": _("The case was closed."),
        "reopen": _("The case was reopened."),
        "register_long_term": _(
            "It cannot be solved for now and stays on the books (挂账) until it can."
        ),
        "add_co_handler": _("%(organisation)s helps with part of it.") % {"organisation": org},
        "absorb": _("Someone else reported the same problem; the reports were put together."),
    }
    if action in texts:
        return texts[action]
    if action == "reject":
        reason = event.reason
        label = RejectReason(reason).label if reason in RejectReason.values else reason
        return _("The report was not registered: %(reason)s.") % {"reason": label}
    if action == "record_callback":
        return _("We called to ask how it went: %(answer)s.") % {
            "answer": _satisfaction(event.outcome)
        }
    if action == "merge":
        return _("It reports the same problem as case %(number)s; they are handled together.") % {
            "number": event.data.get("into", "")
        }
    if action == "rate":
        return _("Rated: %(answer)s.") % {"answer": _satisfaction(event.outcome)}
    return None


# Notes reporters see: what they are asked for, what was done, why it was reopened or kept.
NOTE_FOR_REPORTERS = {
    "wait_for_reporter",
    "submit_for_verification",
    "close",
    "reject",
    "reopen",
    "register_long_term",
    "rate",
}


def reporter_timeline(case: Case, events: list[CaseEvent]) -> list[Line]:
    lines = []
    for event in events:
        text = plain(event, case)
        if text is None:
            continue
        note = event.note if event.action in NOTE_FOR_REPORTERS else ""
        lines.append(Line(at=event.at, text=text, note=note, tone=tone_of(event.action)))
    return lines


def staff_timeline(events: list[CaseEvent], attachments: list[CaseAttachment]) -> list[Line]:
    by_event: dict[int, list[CaseAttachment]] = {}
    for attachment in attachments:
        if attachment.event_id is not None:
            by_event.setdefault(attachment.event_id, []).append(attachment)
    lines = []
    for event in events:
        label = str(EVENT_LABELS.get(event.action, event.action))
        detail = ""
        if event.action == "dispatch" and event.organisation_id:
            detail = _("to %(organisation)s") % {"organisation": _org(event)}
        elif event.action == "record_callback" or event.action == "rate":
            detail = _satisfaction(event.outcome)
        elif event.action == "merge":
            detail = _("into %(number)s") % {"number": event.data.get("into", "")}
        elif event.action == "absorb":
            detail = str(event.data.get("duplicate", ""))
        elif event.action in ("request_extension", "approve_extension") and event.data.get(
            "amount"
        ):
            detail = _("%(amount)s working days") % {"amount": event.data["amount"]}
            if event.data.get("unit") == "working_hours":
                detail = _("%(amount)s working hours") % {"amount": event.data["amount"]}
        elif event.action == "reject" and event.reason in RejectReason.values:
            detail = str(RejectReason(event.reason).label)
        text = f"{label} {detail}".strip()
        note = event.note or (event.reason if event.reason not in RejectReason.values else "")
        lines.append(
            Line(
                at=event.at,
                text=text,
                label=label,
                note=note,
                actor=str(event.actor) if event.actor_id and event.actor else "",
                organisation=_org(event),
                late=event.late,
                tone="err" if event.late else tone_of(event.action),
                # The reporter's photos are shown with the description already.
                attachments=[] if event.action == "submit" else by_event.get(event.pk, []),
            )
        )
    return lines


def tone_of(action: str) -> str:
    if action in ("close", "verify", "rate"):
        return "ok"
    if action in ("reject", "rework", "reopen", "supervision", "return"):
        return "err"
    if action in ("wait_for_reporter", "reminder", "register_long_term", "request_extension"):
        return "warn"
    return ""


STATE_TONES = {
    "closed": "ok",
    "verified": "ok",
    "callback": "ok",
    "rejected": "muted",
    "merged": "muted",
    "waiting_reporter": "warn",
    "extension_requested": "warn",
    "long_term": "warn",
    "rework": "err",
    "reopened": "err",
    "returned": "err",
}
