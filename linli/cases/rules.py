"""Who may do what with a case, and who sees which cases.

- The dispatch centre (anyone working in a ``dispatch_centre`` organisation), leaders and
  administrators triage: register, reject, dispatch, merge, call back, close, reopen.
- The lead organisation's people and the assignee handle: accept, return, handle, pause,
  ask for an extension, submit for verification, co-handling, long-term registration.
- A co-handling organisation's people finish their organisation's part.
- Leaders, administrators and the dispatch centre approve extensions.
- Grid workers (of the case's grid, or without a grid of their own) and the dispatch centre
  verify the work on site.
- Staff see every case of their sub-district; everybody else sees the cases they reported
  (merged duplicates' reporters included: their rows move to the surviving case), those
  assigned to them, and those their organisation leads or co-handles (a building manager:
  those of their building's management committee).

A membership's organisation makes someone one of "the organisation's people" only with a role
that works there: a resident linked to their neighbourhood committee lives there, and handles
nothing.

Which of these actions a person may take on a case *now* (its state, and the conditions some
actions have) is decided in ``actions.py`` from ``ACTION_RULES`` and the state table, for the
verbs and for every surface that lists actions.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models

from linli.cases.models import (
    Case,
    CaseAttachment,
    CaseCounter,
    CaseEvent,
    CaseReporter,
    CaseSettings,
    Category,
    CategoryField,
    Channel,
    CoHandler,
    RoutingRule,
    SlaMark,
    TimeLimit,
)
from linli.core import visibility
from linli.core.access import Access
from linli.core.models import Organisation
from linli.core.roles import ADMINS, STAFF, Role
from linli.core.visibility import Condition
from linli.registry.rules import enterprises

SUPERVISORS = ADMINS | {Role.LEADER}
HANDLING_ROLES = STAFF | {Role.BUILDING_MANAGER}

# Channels only staff enter cases through, on behalf of a caller or a visitor.
STAFF_CHANNELS: dict[str, frozenset[str]] = {
    Channel.HOTLINE_12345: ADMINS | {Role.WINDOW_STAFF, Role.HANDLER, Role.LEADER},
    Channel.PHONE: ADMINS | {Role.WINDOW_STAFF, Role.HANDLER, Role.LEADER},
    Channel.WALK_IN: ADMINS | {Role.WINDOW_STAFF, Role.HANDLER, Role.LEADER},
    Channel.GRID_PATROL: ADMINS | {Role.GRID_WORKER},
    Channel.BUILDING_MANAGER: ADMINS | {Role.BUILDING_MANAGER},
    Channel.BUTLER_VISIT: ADMINS | {Role.BUTLER, Role.AMBASSADOR},
    # The follow-up of a joint inspection, opened by whoever records the department's result:
    # its handlers, or a coordinator on its behalf (see enterprise/inspections/rules.py).
    Channel.INSPECTION: ADMINS | {Role.HANDLER, Role.LEADER},
}


def in_dispatch_centre(access: Access) -> bool:
    return any(
        m.organisation is not None
        and m.organisation.kind == Organisation.Kind.DISPATCH_CENTRE
        and m.role in HANDLING_ROLES
        for m in access.memberships
    )


def is_dispatcher(access: Access) -> bool:
    return access.has_any(SUPERVISORS) or in_dispatch_centre(access)


def working_organisations(access: Access) -> set[int]:
    """The organisations the actor works for (not those a resident merely belongs to)."""
    return {
        m.organisation_id
        for m in access.memberships
        if m.organisation_id is not None and m.role in HANDLING_ROLES
    }


def is_handler(access: Access, case: Case) -> bool:
    if access.has_any(ADMINS):
        return True
    if access.user is not None and case.assignee_id == access.user.pk:
        return True
    return (
        case.lead_organisation_id is not None
        and case.lead_organisation_id in working_organisations(access)
    )


def may_approve_extension(access: Access, case: Case) -> bool:
    return is_dispatcher(access)


def may_verify(access: Access, case: Case) -> bool:
    if is_dispatcher(access):
        return True
    return any(
        m.role == Role.GRID_WORKER and (m.grid_id is None or m.grid_id == case.grid_id)
        for m in access.memberships
    )


def verifiable(access: Access) -> models.Q | None:
    """The cases whose work ``access`` may verify (``may_verify`` as a filter): all for the
    dispatch centre and grid workers without a grid, their grids' for the others, None for
    nobody."""
    if is_dispatcher(access):
        return models.Q()
    grids = {m.grid_id for m in access.memberships if m.role == Role.GRID_WORKER}
    if not grids:
        return None
    if None in grids:
        return models.Q()
    return models.Q(grid_id__in=sorted(g for g in grids if g is not None))


def may_submit(access: Access, channel: str) -> bool:
    """Anyone may report through the web, API and Open311; the other channels are staff's."""
    if channel in STAFF_CHANNELS:
        return access.has_any(STAFF_CHANNELS[channel])
    return True


def offered_enterprise_categories(access: Access) -> bool:
    """Whether the web form offers enterprises' categories (appeals and the like): to an
    enterprise's people only; residents and the public get the residents' ones."""
    return access.has_any({Role.ENTERPRISE_MEMBER}) or bool(access.linked_ids("enterprise"))


def may_complete_co_handling(access: Access, co_handler: CoHandler) -> bool:
    """One co-handling organisation's part: its own people finish it (or an administrator)."""
    return access.has_any(ADMINS) or co_handler.organisation_id in working_organisations(access)


def co_handles(access: Access, case: Case) -> bool:
    """Whether the actor works for an organisation that co-handles the case (the rows are read
    when needed: most people work for none)."""
    working = working_organisations(access)
    return bool(working) and case.co_handlers.filter(organisation_id__in=working).exists()


def may_complete_co_handling_on(access: Access, case: Case) -> bool:
    """Who may finish a co-handling part of this case; which part is the verb's input."""
    return access.has_any(ADMINS) or co_handles(access, case)


def works_on(access: Access, case: Case) -> bool:
    """Whoever may act on the case, and so sees its staff page: staff, its handlers (a building
    manager for their committee), the dispatch centre, and co-handling organisations' people."""
    return (
        access.has_any(STAFF)
        or is_handler(access, case)
        or is_dispatcher(access)
        or co_handles(access, case)
    )


def may_see_metrics(access: Access) -> bool:
    return is_dispatcher(access) or access.has_any({Role.HANDLER})


def may_see_canned_replies(access: Access) -> bool:
    return is_dispatcher(access) or access.has_any(STAFF)


# --- who sees which cases ------------------------------------------------------------------


@visibility.policy(Case)
def cases(access: Access, action: str) -> Condition:
    """``view``: the cases a person may open (staff: all of them). ``list_publicly``: what the
    public Open311 listing shows them: staff every case, anyone else the cases of categories
    marked for public display (whoever reported them)."""
    if access.has_any(STAFF):
        return True
    if action == "list_publicly":
        return models.Q(category__public_display=True)
    if access.user is None:
        return False
    reported = CaseReporter.objects.filter(user=access.user).values("case_id")
    mine = models.Q(pk__in=reported) | models.Q(assignee=access.user)
    if working := sorted(working_organisations(access)):
        co_handled = CoHandler.objects.filter(organisation_id__in=working).values("case_id")
        mine |= models.Q(lead_organisation_id__in=working) | models.Q(pk__in=co_handled)
    # An enterprise's appeals are its business: its own people see them, whoever filed them.
    theirs = visibility.through(enterprises(access, "view_full"), "enterprise")
    return visibility.either(mine, theirs)


@visibility.policy(CaseEvent)
@visibility.policy(CaseAttachment)
@visibility.policy(CaseReporter)
@visibility.policy(CoHandler)
def case_rows(access: Access, action: str) -> Condition:
    """A case's events, photos, reporters and co-handlers: for whoever sees the case."""
    return visibility.through(cases(access, "view"), "case")


@visibility.policy(SlaMark)
def sla_marks(access: Access, action: str) -> Condition:
    """Reminders and supervision notices: for whoever sees the case."""
    return visibility.through(cases(access, "view"), "case")


@visibility.policy(Category)
@visibility.policy(CategoryField)
def categories(access: Access, action: str) -> Condition:
    """What one may report about, and what a report asks: everyone reporting needs it."""
    return True


@visibility.policy(CaseSettings)
def case_settings(access: Access, action: str) -> Condition:
    """Whether the public map is on is itself public (the map and the form read it)."""
    return True


@visibility.policy(TimeLimit)
@visibility.policy(RoutingRule)
def case_setup(access: Access, action: str) -> Condition:
    """Time limits and routing rules: how the sub-district works its cases, for its staff."""
    return access.has_any(STAFF)


@visibility.policy(CaseCounter)
def case_counters(access: Access, action: str) -> Condition:
    """The yearly number counters are the engine's own; nobody lists them."""
    return False


# --- the verbs' rules, by action name of the state table -------------------------------


def _dispatcher(access: Access, case: Case) -> bool:
    return is_dispatcher(access)


def _handler(access: Access, case: Case) -> bool:
    return is_handler(access, case)


def _handler_or_dispatcher(access: Access, case: Case) -> bool:
    return is_handler(access, case) or is_dispatcher(access)


ACTION_RULES: dict[str, Callable[[Access, Case], bool]] = {
    "register": _dispatcher,
    "reject": _dispatcher,
    "dispatch": _dispatcher,
    "merge": _dispatcher,
    "accept": _handler,
    "return": _handler,
    "start_handling": _handler,
    "wait_for_reporter": _handler,
    "resume": _handler_or_dispatcher,
    "request_extension": _handler,
    "approve_extension": may_approve_extension,
    "deny_extension": may_approve_extension,
    "submit_for_verification": _handler,
    "rework": may_verify,
    "verify": may_verify,
    "record_callback": _dispatcher,
    "close": _dispatcher,
    "reopen": _dispatcher,
    "register_long_term": _handler_or_dispatcher,
    "add_co_handler": _handler_or_dispatcher,
    "complete_co_handling": may_complete_co_handling_on,
}


def may(access: Access, action: str, case: Case) -> bool:
    return access.is_system or ACTION_RULES[action](access, case)
