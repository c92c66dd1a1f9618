"""Case verbs, by concern: intake (``intake``), triage (``triage``), handling (``handling``),
verification, callback and closure (``closure``), merging and co-handling (``cooperation``) and
the reporter's own word (``reporters``). This module is where the rest of linli finds them.

Every verb locks the case row, checks who is acting and whether the case allows the action
(``actions``: the same answer the case page and the API list), changes the case in one
transaction, appends a ``CaseEvent``, writes the audit log and tells the people who care
(in-app at once; e-mail and SMS once the transaction has committed, see ``notices``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from linli.cases.attachments import Photo
from linli.cases.closure import close_case, record_callback, reopen_case, rework_case, verify_case
from linli.cases.cooperation import add_co_handler, complete_co_handling, merge_cases
from linli.cases.handling import (
    accept_case,
    approve_extension,
    deny_extension,
    register_long_term,
    request_extension,
    resume_case,
    return_case,
    start_handling,
    submit_for_verification,
    wait_for_reporter,
)
from linli.cases.intake import ON_BEHALF_CHANNELS, Contact, Report, submit, submit_case
from linli.cases.reporters import (
    case_for_tracking_token,
    rate_case,
    rating_of,
    reporter_of,
    token_hash,
)
from linli.cases.triage import dispatch_case, register_and_dispatch, register_case, reject_case

__all__ = [
    "ON_BEHALF_CHANNELS",
    "VERBS",
    "Contact",
    "Photo",
    "Report",
    "accept_case",
    "add_co_handler",
    "approve_extension",
    "case_for_tracking_token",
    "close_case",
    "complete_co_handling",
    "deny_extension",
    "dispatch_case",
    "merge_cases",
    "rate_case",
    "rating_of",
    "record_callback",
    "register_and_dispatch",
    "register_case",
    "register_long_term",
    "reject_case",
    "reopen_case",
    "reporter_of",
    "request_extension",
    "resume_case",
    "return_case",
    "rework_case",
    "start_handling",
    "submit",
    "submit_case",
    "submit_for_verification",
    "token_hash",
    "verify_case",
    "wait_for_reporter",
]

# Every verb by the action name of the state table, for the API and bulk actions.
VERBS: dict[str, Callable[..., Any]] = {
    "register": register_case,
    "reject": reject_case,
    "dispatch": dispatch_case,
    "accept": accept_case,
    "return": return_case,
    "start_handling": start_handling,
    "wait_for_reporter": wait_for_reporter,
    "resume": resume_case,
    "request_extension": request_extension,
    "approve_extension": approve_extension,
    "deny_extension": deny_extension,
    "submit_for_verification": submit_for_verification,
    "rework": rework_case,
    "verify": verify_case,
    "record_callback": record_callback,
    "close": close_case,
    "reopen": reopen_case,
    "register_long_term": register_long_term,
    "merge": merge_cases,
    "add_co_handler": add_co_handler,
    "complete_co_handling": complete_co_handling,
}
