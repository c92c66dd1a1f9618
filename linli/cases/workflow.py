"""The case state machine as one table: for each state, the actions allowed and where they lead.

发现→立案→派遣→处置→核查→结案→评价 (DESIGN.md §6). An action mapped to ``None`` is allowed in
that state but leaves the state as it is (co-handling). Service verbs consult this table and
nothing else, so a refused transition always says what *is* possible.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy

from linli.cases.models import State

S = State

TRANSITIONS: dict[str, dict[str, str | None]] = {
    S.RECEIVED: {"register": S.REGISTERED, "reject": S.REJECTED, "merge": S.MERGED},
    S.REGISTERED: {"dispatch": S.DISPATCHED, "reject": S.REJECTED, "merge": S.MERGED},
    S.DISPATCHED: {
        "accept": S.ACCEPTED,
        "return": S.RETURNED,
        "dispatch": S.DISPATCHED,
        "merge": S.MERGED,
    },
    S.RETURNED: {"dispatch": S.DISPATCHED, "reject": S.REJECTED, "merge": S.MERGED},
    S.ACCEPTED: {
        "start_handling": S.IN_PROGRESS,
        "return": S.RETURNED,
        "add_co_handler": None,
        "complete_co_handling": None,
    },
    S.IN_PROGRESS: {
        "wait_for_reporter": S.WAITING_REPORTER,
        "request_extension": S.EXTENSION_REQUESTED,
        "submit_for_verification": S.AWAITING_VERIFICATION,
        "register_long_term": S.LONG_TERM,
        "add_co_handler": None,
        "complete_co_handling": None,
    },
    S.WAITING_REPORTER: {"resume": S.IN_PROGRESS, "complete_co_handling": None},
    S.EXTENSION_REQUESTED: {
        "approve_extension": S.IN_PROGRESS,
        "deny_extension": S.IN_PROGRESS,
        "complete_co_handling": None,
    },
    S.AWAITING_VERIFICATION: {"verify": S.VERIFIED, "rework": S.REWORK},
    S.REWORK: {
        "start_handling": S.IN_PROGRESS,
        "submit_for_verification": S.AWAITING_VERIFICATION,
        "add_co_handler": None,
        "complete_co_handling": None,
    },
    S.VERIFIED: {"record_callback": S.CALLBACK},
    S.CALLBACK: {"close": S.CLOSED, "reopen": S.REOPENED},
    S.CLOSED: {"reopen": S.REOPENED},
    S.REOPENED: {
        "start_handling": S.IN_PROGRESS,
        "add_co_handler": None,
        "complete_co_handling": None,
    },
    S.LONG_TERM: {"start_handling": S.IN_PROGRESS, "close": S.CLOSED},
    S.REJECTED: {},
    S.MERGED: {},
}

# How each action reads in "it can only be …": a past participle phrase. The context keeps
# these apart from the same English words used as states and notification titles.
ACTION_DONE: dict[str, Promise] = {
    "register": pgettext_lazy("case action", "registered"),
    "reject": pgettext_lazy("case action", "rejected"),
    "dispatch": pgettext_lazy("case action", "dispatched"),
    "accept": pgettext_lazy("case action", "accepted"),
    "return": pgettext_lazy("case action", "returned to the dispatcher"),
    "start_handling": pgettext_lazy("case action", "taken into handling"),
    "wait_for_reporter": pgettext_lazy("case action", "put on hold for the reporter"),
    "resume": pgettext_lazy("case action", "resumed"),
    "request_extension": pgettext_lazy("case action", "given an extension request"),
    "approve_extension": pgettext_lazy("case action", "granted the extension"),
    "deny_extension": pgettext_lazy("case action", "refused the extension"),
    "submit_for_verification": pgettext_lazy("case action", "submitted for verification"),
    "rework": pgettext_lazy("case action", "sent back for rework"),
    "verify": pgettext_lazy("case action", "verified"),
    "record_callback": pgettext_lazy("case action", "called back"),
    "close": pgettext_lazy("case action", "closed"),
    "reopen": pgettext_lazy("case action", "reopened"),
    "register_long_term": pgettext_lazy("case action", "registered as long-term"),
    "merge": pgettext_lazy("case action", "merged into another case"),
    "add_co_handler": pgettext_lazy("case action", "given a co-handling organisation"),
    "complete_co_handling": pgettext_lazy(
        "case action", "marked done by a co-handling organisation"
    ),
}

# Every state reachable by some action, so the table cannot drift from the State choices.
assert set(TRANSITIONS) == set(State.values)  # noqa: S101
assert all(a in ACTION_DONE for moves in TRANSITIONS.values() for a in moves)  # noqa: S101


class InvalidTransition(Exception):
    """An action the case's state does not allow, or whose condition is not met."""

    def __init__(self, message: str, *, code: str = "invalid_transition") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def allowed_actions(state: str) -> list[str]:
    return list(TRANSITIONS.get(state, {}))


def target_state(state: str, action: str) -> str:
    """The state an allowed action leads to (the same state for in-place actions)."""
    return TRANSITIONS[state][action] or state


def check(state: str, action: str) -> None:
    moves = TRANSITIONS.get(state, {})
    if action in moves:
        return
    label = State(state).label
    if not moves:
        raise InvalidTransition(
            gettext("This case is “%(state)s”; nothing more can be done with it.")
            % {"state": label}
        )
    if len(moves) == 1:
        raise InvalidTransition(
            gettext("This case is “%(state)s”; it can only be %(allowed)s.")
            % {"state": label, "allowed": ACTION_DONE[next(iter(moves))]}
        )
    # The separator is translated too: Chinese lists with "、".
    allowed = gettext("; ").join(str(ACTION_DONE[a]) for a in moves)
    raise InvalidTransition(
        gettext("This case is “%(state)s”, so it cannot be %(action)s now. It can be: %(allowed)s.")
        % {"state": label, "action": ACTION_DONE.get(action, action), "allowed": allowed}
    )
