"""What can be done with a case now, and by whom: one answer for the verbs and every surface.

An action is possible when the state table allows it in the case's state (``workflow``), the
actor's rule allows it (``rules.ACTION_RULES``) and, for a few actions, a condition on the case
holds:

- ``resume``: the case is paused;
- ``submit_for_verification``: no co-handling organisation is still working on its part;
- ``reopen``: the reporter was dissatisfied at the callback;
- ``complete_co_handling``: a co-handling organisation of the actor's still has its part to do.

What an action is given is its input, checked by the verb as such (a field error): the case to
merge into must be open, the organisation to add must not already work on the case, and so on.

The verbs call ``require`` on the locked case; the case page and the API list
``allowed_actions``. Both read the same table, so no surface offers an action its verb refuses,
and a refused action always says why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from linli.cases import rules, workflow
from linli.cases.models import Case, CoHandler, Satisfaction
from linli.cases.workflow import InvalidTransition
from linli.core.access import Access


@dataclass
class Facts:
    """What the conditions read about one case, each read at most once."""

    access: Access
    case: Case

    @cached_property
    def pending(self) -> list[CoHandler]:
        return list(
            CoHandler.objects.filter(case=self.case, state=CoHandler.Progress.PENDING)
            .select_related("organisation")
            .order_by("added_at", "id")
        )

    @cached_property
    def mine_pending(self) -> list[CoHandler]:
        """The pending parts the actor may finish."""
        return [c for c in self.pending if rules.may_complete_co_handling(self.access, c)]


Condition = Callable[[Facts], InvalidTransition | None]


def _paused(facts: Facts) -> InvalidTransition | None:
    if facts.case.is_paused:
        return None
    return InvalidTransition(_("This case is not waiting for the reporter."), code="not_paused")


def _co_handling_done(facts: Facts) -> InvalidTransition | None:
    if not facts.pending:
        return None
    return InvalidTransition(
        _("These organisations have not finished their part yet: %(organisations)s.")
        % {"organisations": _("; ").join(str(c.organisation) for c in facts.pending)},
        code="co_handling_pending",
    )


def _dissatisfied(facts: Facts) -> InvalidTransition | None:
    if facts.case.satisfaction == Satisfaction.DISSATISFIED:
        return None
    return InvalidTransition(
        _("Only a case whose reporter was dissatisfied at the callback can be reopened."),
        code="not_dissatisfied",
    )


def _part_to_finish(facts: Facts) -> InvalidTransition | None:
    if facts.mine_pending:
        return None
    return InvalidTransition(
        _("No co-handling organisation of yours has a part still to finish."),
        code="already_done",
    )


CONDITIONS: dict[str, Condition] = {
    "resume": _paused,
    "submit_for_verification": _co_handling_done,
    "reopen": _dissatisfied,
    "complete_co_handling": _part_to_finish,
}


def refusal(
    access: Access, case: Case, action: str, facts: Facts | None = None
) -> Exception | None:
    """Why ``access`` may not take ``action`` on ``case`` now (``PermissionDenied`` when it is
    not theirs to take, ``InvalidTransition`` when the case does not allow it), or None."""
    if not rules.may(access, action, case):
        return PermissionDenied(_("You are not allowed to do this."))
    try:
        workflow.check(case.state, action)
    except InvalidTransition as exc:
        return exc
    condition = CONDITIONS.get(action)
    if condition is None:
        return None
    return condition(facts or Facts(access, case))


def require(access: Access, case: Case, action: str) -> None:
    """Raise the refusal, if any: a verb calls this on the case it has locked."""
    found = refusal(access, case, action)
    if found is not None:
        raise found


def allowed_actions(access: Access, case: Case) -> list[str]:
    """Every action ``access`` may take on ``case`` now, in the state table's order."""
    facts = Facts(access, case)
    return [
        action
        for action in workflow.TRANSITIONS.get(case.state, {})
        if refusal(access, case, action, facts) is None
    ]


# Two verbs in one submit (``triage.register_and_dispatch``): offered when the first is allowed
# now and the actor may take the second in the state the first leads to.
COMBINED: dict[str, tuple[str, str]] = {"register_dispatch": ("register", "dispatch")}


def combined_actions(access: Access, case: Case, allowed: list[str]) -> list[str]:
    """The combined actions ``access`` may take on ``case`` now, given its ``allowed``."""
    return [
        name
        for name, (first, second) in COMBINED.items()
        if first in allowed
        and second in workflow.TRANSITIONS[workflow.target_state(case.state, first)]
        and rules.may(access, second, case)
    ]
