"""Quick replies: the phrases a case form offers for its step, one click each, for the person
to edit before sending.

Each step has its own standard phrases (an instruction when dispatching, a reason when returning,
what is needed when asking the reporter, …). A category's own replies (``Category.canned_replies``,
set by the sub-district) say what was done about that kind of problem: they are offered only
where the work is reported or the case is closed, never when registering or dispatching.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from linli.cases.models import Case

# The text field each step's phrases fill.
FILLS = {"return": "reason", "rework": "reason", "reopen": "reason", "deny_extension": "reason"}

# The steps that report or close the work: where a category's replies fit.
RESULT_STEPS = frozenset({"submit_for_verification", "verify", "close", "complete_co_handling"})

_INSTRUCTIONS = (
    pgettext_lazy("quick reply", "Please check the situation on site and deal with it promptly."),
    pgettext_lazy("quick reply", "Please deal with it within the time limit and report back."),
    pgettext_lazy("quick reply", "Please contact the reporter first to learn the details."),
    pgettext_lazy("quick reply", "Please work with the departments concerned to deal with it."),
)

STEP_PHRASES: dict[str, tuple[Promise, ...]] = {
    "register": (
        pgettext_lazy("quick reply", "Within our remit and clear enough to act on; registered."),
        pgettext_lazy("quick reply", "Registered after confirming the details with the reporter."),
    ),
    "register_dispatch": _INSTRUCTIONS,
    "dispatch": _INSTRUCTIONS,
    "reject": (
        pgettext_lazy("quick reply", "This problem is already being handled in an earlier case."),
        pgettext_lazy("quick reply", "We could not reach you to complete the address."),
    ),
    "accept": (
        pgettext_lazy("quick reply", "Accepted; we will contact the reporter shortly."),
        pgettext_lazy("quick reply", "Accepted; someone will go on site today."),
    ),
    "return": (
        pgettext_lazy(
            "quick reply", "Not within our remit; please dispatch it to the right department."
        ),
        pgettext_lazy(
            "quick reply", "The place is not in our area; please check and dispatch it again."
        ),
        pgettext_lazy(
            "quick reply",
            "It needs law enforcement, which we do not have; please dispatch it again.",
        ),
    ),
    "start_handling": (pgettext_lazy("quick reply", "Contacted the reporter; work has started."),),
    "wait_for_reporter": (
        pgettext_lazy("quick reply", "Please give the exact house number so we can check on site."),
        pgettext_lazy("quick reply", "Please add a photo of the problem."),
        pgettext_lazy(
            "quick reply", "You were not at home at the agreed time; please suggest another."
        ),
    ),
    "resume": (pgettext_lazy("quick reply", "The reporter has sent what was needed."),),
    "approve_extension": (
        pgettext_lazy("quick reply", "Agreed; please finish within the new time limit."),
    ),
    "deny_extension": (
        pgettext_lazy("quick reply", "The reason is not sufficient; please finish on time."),
    ),
    "rework": (
        pgettext_lazy("quick reply", "The problem is still there on site; please continue."),
        pgettext_lazy("quick reply", "No photo of the result; please add one and submit again."),
    ),
    "verify": (pgettext_lazy("quick reply", "Checked on site: dealt with properly."),),
    "record_callback": (
        pgettext_lazy("quick reply", "The reporter is satisfied."),
        pgettext_lazy("quick reply", "The reporter says the problem is mostly solved."),
        pgettext_lazy("quick reply", "The reporter says the problem is still there."),
    ),
    "reopen": (
        pgettext_lazy(
            "quick reply", "The reporter is dissatisfied: the problem keeps coming back."
        ),
    ),
    "close": (pgettext_lazy("quick reply", "Dealt with and confirmed by the reporter; closed."),),
    "merge": (pgettext_lazy("quick reply", "Same problem as the case it is merged into."),),
}


def quick_replies(case: Case, step: str) -> list[str]:
    """The phrases for ``step`` on ``case``: the step's own, then (where the work is reported
    or closed) the category's replies, nearest category first, each once."""
    replies = [str(phrase) for phrase in STEP_PHRASES.get(step, ())]
    if step in RESULT_STEPS:
        for node in case.category.lineage():
            replies += [str(r) for r in node.canned_replies or [] if str(r) not in replies]
    return replies


def filled_field(step: str) -> str:
    """The name of the text field ``step``'s phrases go into."""
    return FILLS.get(step, "note")
