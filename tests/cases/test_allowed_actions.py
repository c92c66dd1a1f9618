"""No surface offers what its verb refuses.

For every case state (each built by walking the real verbs) and every role: the case page and
``GET /api/v1/cases/{number}`` list the same actions; every listed action succeeds when posted
with valid input, through the API and through the page; and every action of the state's row of
the table that is not listed is refused by its verb, given that same valid input.

Each attempt runs in a savepoint that is rolled back, so every action is tried on the case as
the state built it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django_scopes import scopes_disabled

from linli.cases import services as s
from linli.cases.actions import COMBINED
from linli.cases.models import Case, CaseEvent, CoHandler, Satisfaction
from linli.cases.workflow import TRANSITIONS, InvalidTransition
from linli.core.models import Organisation
from linli.core.roles import Role
from tests.cases.conftest import png_bytes
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

ACTION_ON_PAGE = re.compile(r'id="action-([a-z_]+)"')

# How each state is reached from a new report: a list of steps, each ``step(world, case)``.
Step = Callable[[Any, Case], Any]


def _by(role: str) -> Callable[[Any], Any]:
    return lambda w: w.access(w.users[role])


STEPS: dict[str, Step] = {
    "register": lambda w, c: s.register_case(c, actor=_by("dispatcher")(w)),
    "reject": lambda w, c: s.reject_case(c, actor=_by("dispatcher")(w), reason="out_of_scope"),
    "dispatch": lambda w, c: s.dispatch_case(c, w.office.dept_a, actor=_by("dispatcher")(w)),
    "return": lambda w, c: s.return_case(c, actor=_by("handler")(w), reason="Not ours"),
    "accept": lambda w, c: s.accept_case(c, actor=_by("handler")(w)),
    "co_handlers": lambda w, c: (
        s.add_co_handler(c, w.office.dept_b, actor=_by("handler")(w), part="Lights"),
        s.add_co_handler(c, w.committee, actor=_by("handler")(w), part="Stairwell door"),
    ),
    "start": lambda w, c: s.start_handling(c, actor=_by("handler")(w)),
    "wait": lambda w, c: s.wait_for_reporter(c, actor=_by("handler")(w), note="Which floor?"),
    "extension": lambda w, c: s.request_extension(c, actor=_by("handler")(w), reason="Parts"),
    "submit": lambda w, c: s.submit_for_verification(
        c, actor=_by("handler")(w), note="Done", after=[png_bytes("green")]
    ),
    "rework": lambda w, c: s.rework_case(c, actor=_by("grid_worker")(w), reason="Still there"),
    "verify": lambda w, c: s.verify_case(c, actor=_by("grid_worker")(w), note="Seen"),
    "satisfied": lambda w, c: s.record_callback(
        c, actor=_by("dispatcher")(w), satisfaction=Satisfaction.SATISFIED
    ),
    "dissatisfied": lambda w, c: s.record_callback(
        c, actor=_by("dispatcher")(w), satisfaction=Satisfaction.DISSATISFIED
    ),
    "close": lambda w, c: s.close_case(c, actor=_by("dispatcher")(w)),
    "reopen": lambda w, c: s.reopen_case(c, actor=_by("dispatcher")(w), reason="Unhappy"),
    "long_term": lambda w, c: s.register_long_term(c, actor=_by("handler")(w), reason="Funds"),
    "merge": lambda w, c: s.merge_cases(c, w.target, actor=_by("dispatcher")(w)),
}
DISPATCHED = ["register", "dispatch"]
IN_PROGRESS = [*DISPATCHED, "accept", "start"]
VERIFIED = [*IN_PROGRESS, "submit", "verify"]
STATES: dict[str, list[str]] = {
    "received": [],
    "registered": ["register"],
    "dispatched": DISPATCHED,
    "returned": [*DISPATCHED, "return"],
    "accepted": [*DISPATCHED, "accept"],
    "accepted_with_co_handlers": [*DISPATCHED, "accept", "co_handlers"],
    "in_progress": IN_PROGRESS,
    "in_progress_with_co_handlers": [*DISPATCHED, "accept", "co_handlers", "start"],
    "waiting_reporter": [*IN_PROGRESS, "wait"],
    "extension_requested": [*IN_PROGRESS, "extension"],
    "awaiting_verification": [*IN_PROGRESS, "submit"],
    "rework": [*IN_PROGRESS, "submit", "rework"],
    "verified": VERIFIED,
    "callback_satisfied": [*VERIFIED, "satisfied"],
    "callback_dissatisfied": [*VERIFIED, "dissatisfied"],
    "closed": [*VERIFIED, "satisfied", "close"],
    "closed_after_dissatisfaction": [*VERIFIED, "dissatisfied", "close"],
    "reopened": [*VERIFIED, "dissatisfied", "reopen"],
    "long_term": [*IN_PROGRESS, "long_term"],
    "rejected": ["reject"],
    "merged": ["merge"],
}

# Everyone who might try: one person per role, the dispatch centre, a second department's
# handler and a building manager whose committee co-handles, and a resident who did not report.
ROLES = [
    *(r.value for r in Role),
    "dispatcher",
    "handler_b",
    "neighbour",
]


class World:
    def __init__(self, office: Any) -> None:
        self.office = office
        sub = office.subdistrict
        self.committee = OrganisationFactory(
            subdistrict=sub, code="BMC", name="Tower committee", kind="building_committee"
        )
        self.dept_c = OrganisationFactory(subdistrict=sub, code="PRK", name="Parks office")
        self.users: dict[str, Any] = {
            Role.HANDLER: office.handler_a,
            Role.LEADER: office.leader,
            Role.GRID_WORKER: office.grid_worker,
            Role.RESIDENT: office.resident,
            "dispatcher": office.dispatcher,
            "handler_b": office.handler_b,
            "neighbour": office.neighbour,
        }
        links = {Role.BUILDING_MANAGER: {"organisation": self.committee}}
        for role in (
            Role.PLATFORM_ADMIN,
            Role.SUBDISTRICT_ADMIN,
            Role.WINDOW_STAFF,
            Role.BUTLER,
            Role.AMBASSADOR,
            Role.BUILDING_MANAGER,
            Role.ENTERPRISE_MEMBER,
            Role.CAREGIVER,
            Role.VOLUNTEER,
            Role.MEAL_OPERATOR,
        ):
            user = UserFactory()
            with scopes_disabled():
                MembershipFactory(user=user, subdistrict=sub, role=role, **links.get(role, {}))
            self.users[role] = user
        self.target: Case | None = None

    def access(self, user: Any) -> Any:
        return self.office.access(user)


# --- valid input per action, for the verb, the API and the page ----------------------------


def _row_for(case: Case, access: Any) -> CoHandler | None:
    """The co-handling part the actor would finish: their organisation's, else any."""
    from linli.cases import rules

    rows = list(CoHandler.objects.filter(case=case).order_by("state", "id"))
    mine = [r for r in rows if rules.may_complete_co_handling(access, r)]
    return (mine or rows or [None])[0]


def run_verb(w: World, case: Case, action: str, access: Any) -> None:
    org, part, photo = w.dept_c, "Lighting", [png_bytes("green")]
    calls: dict[str, Callable[[], Any]] = {
        "register": lambda: s.register_case(case, actor=access),
        "reject": lambda: s.reject_case(case, actor=access, reason="out_of_scope"),
        "dispatch": lambda: s.dispatch_case(case, w.office.dept_a, actor=access),
        "accept": lambda: s.accept_case(case, actor=access),
        "return": lambda: s.return_case(case, actor=access, reason="Not ours"),
        "start_handling": lambda: s.start_handling(case, actor=access),
        "wait_for_reporter": lambda: s.wait_for_reporter(case, actor=access, note="Floor?"),
        "resume": lambda: s.resume_case(case, actor=access),
        "request_extension": lambda: s.request_extension(case, actor=access, reason="Parts"),
        "approve_extension": lambda: s.approve_extension(case, actor=access),
        "deny_extension": lambda: s.deny_extension(case, actor=access, reason="No"),
        "submit_for_verification": lambda: s.submit_for_verification(
            case, actor=access, note="Done", after=photo
        ),
        "rework": lambda: s.rework_case(case, actor=access, reason="Still there"),
        "verify": lambda: s.verify_case(case, actor=access, note="Seen"),
        "record_callback": lambda: s.record_callback(
            case, actor=access, satisfaction=Satisfaction.SATISFIED
        ),
        "close": lambda: s.close_case(case, actor=access),
        "reopen": lambda: s.reopen_case(case, actor=access, reason="Unhappy"),
        "register_long_term": lambda: s.register_long_term(case, actor=access, reason="Funds"),
        "merge": lambda: s.merge_cases(case, w.target, actor=access),
        "add_co_handler": lambda: s.add_co_handler(case, org, actor=access, part=part),
    }
    if action == "complete_co_handling":
        row = _row_for(case, access)
        if row is None:
            raise InvalidTransition("no co-handler to finish")
        s.complete_co_handling(row, actor=access, note="Our part is done")
        return
    calls[action]()


def api_post(client: Any, w: World, case: Case, action: str, access: Any) -> Any:
    if action == "submit_for_verification":
        url = reverse("api:submit_with_photos", kwargs={"number": case.number})
        return client.post(url, {"note": "Done", "after": [png_bytes("green")]})
    body: dict[str, Any] = {
        "reject": {"reason": "out_of_scope"},
        "dispatch": {"organisation": w.office.dept_a.code},
        "return": {"reason": "Not ours"},
        "wait_for_reporter": {"note": "Floor?"},
        "request_extension": {"reason": "Parts"},
        "deny_extension": {"reason": "No"},
        "rework": {"reason": "Still there"},
        "verify": {"note": "Seen"},
        "record_callback": {"satisfaction": "satisfied"},
        "reopen": {"reason": "Unhappy"},
        "register_long_term": {"reason": "Funds"},
        "merge": {"into": w.target.number if w.target else ""},
        "add_co_handler": {"organisation": w.dept_c.code, "part": "Lighting"},
    }.get(action, {})
    if action == "complete_co_handling":
        row = _row_for(case, access)
        body = {"co_handler": row.pk if row else None, "note": "Our part is done"}
    url = reverse("api:transition", kwargs={"number": case.number, "action": action})
    return client.post(url, data=json.dumps(body), content_type="application/json")


def page_post(client: Any, w: World, case: Case, action: str, access: Any) -> Any:
    data: dict[str, Any] = {
        "reject": {"reason": "out_of_scope"},
        "dispatch": {"organisation": w.office.dept_a.pk},
        "return": {"reason": "Not ours"},
        "wait_for_reporter": {"note": "Floor?"},
        "request_extension": {"reason": "Parts"},
        "deny_extension": {"reason": "No"},
        "submit_for_verification": {"note": "Done", "after": [png_bytes("green")]},
        "rework": {"reason": "Still there"},
        "verify": {"note": "Seen"},
        "record_callback": {"satisfaction": "satisfied"},
        "reopen": {"reason": "Unhappy"},
        "register_long_term": {"reason": "Funds"},
        "merge": {"into": w.target.number if w.target else ""},
        "add_co_handler": {"organisation": w.dept_c.pk, "part": "Lighting"},
    }.get(action, {})
    if action == "complete_co_handling":
        row = _row_for(case, access)
        data = {"co_handler": str(row.pk) if row else "", "note": "Our part is done"}
    url = reverse("cases:act", kwargs={"number": case.number, "action": action})
    return client.post(url, data)


def _events(case: Case, action: str) -> int:
    return CaseEvent.objects.filter(case_id=case.pk, action=action).count()


def _listed(client: Any, case: Case) -> tuple[list[str], list[str]]:
    api = client.get(reverse("api:get_case", kwargs={"number": case.number}))
    page = client.get(reverse("cases:detail", kwargs={"number": case.number}))
    assert api.status_code in (200, 404) and page.status_code in (200, 404)
    assert (api.status_code == 200) == (page.status_code == 200)
    on_api = api.json()["allowed_actions"] if api.status_code == 200 else []
    on_page = ACTION_ON_PAGE.findall(page.content.decode()) if page.status_code == 200 else []
    # The page also offers two verbs in one form (register and dispatch), listed by their parts
    # on the API; tests/cases/test_dispatch_in_one_step.py checks it.
    return on_api, [a for a in on_page if a not in COMBINED]


@pytest.mark.parametrize("state", list(STATES))
def test_listed_actions_succeed_and_refused_ones_are_not_listed(
    state, office, report, client_for, now
):
    w = World(office)
    w.target = report(description="The same batteries, reported again")
    case = report()
    for name in STATES[state]:
        STEPS[name](w, case)
    case = Case.objects.get(pk=case.pk)
    wrong: list[str] = []
    offered_somewhere = set()
    for role in ROLES:
        user = w.users[role]
        access = w.access(user)
        client = client_for(user)
        on_api, on_page = _listed(client, case)
        if on_api != on_page:
            wrong.append(f"{role}: the API lists {on_api}, the page {on_page}")
        offered_somewhere |= set(on_api)
        # An action outside the state's row of the table is never listed (``allowed_actions``
        # reads the row) and its verb refuses it first thing (``workflow.check``).
        assert set(on_api) <= set(TRANSITIONS[case.state])
        for action in TRANSITIONS[case.state]:
            with transaction.atomic():
                fresh = Case.objects.get(pk=case.pk)
                try:
                    run_verb(w, fresh, action, access)
                except (PermissionDenied, InvalidTransition):
                    accepted = False
                except ValidationError as exc:  # the test's input must be valid
                    raise AssertionError(f"{state} {role} {action}: {exc}") from exc
                else:
                    accepted = True
                transaction.set_rollback(True)
            if accepted != (action in on_api):
                said = "accepts" if accepted else "refuses"
                wrong.append(f"{role} {action}: the verb {said} it, listed: {on_api}")
        for action in on_api:
            for surface, post, ok in (("API", api_post, 200), ("page", page_post, 302)):
                with transaction.atomic():
                    before = _events(case, action)
                    response = post(client, w, Case.objects.get(pk=case.pk), action, access)
                    done = response.status_code == ok and _events(case, action) == before + 1
                    transaction.set_rollback(True)
                if not done:
                    wrong.append(
                        f"{role} {action} through the {surface}: {response.status_code} "
                        f"{response.content[:300]!r}"
                    )
    assert not wrong, f"{state} ({case.state}):\n" + "\n".join(wrong)
    # Someone can go on from every state the table goes on from (a case closed after a
    # satisfied callback stays closed: only a dissatisfied one reopens).
    if TRANSITIONS[case.state] and state != "closed":
        assert offered_somewhere, state


def test_the_states_cover_the_table(office):
    from linli.cases.models import State

    reached = {
        "accepted_with_co_handlers": State.ACCEPTED,
        "in_progress_with_co_handlers": State.IN_PROGRESS,
        "callback_satisfied": State.CALLBACK,
        "callback_dissatisfied": State.CALLBACK,
        "closed_after_dissatisfaction": State.CLOSED,
    }
    assert {reached.get(name, name) for name in STATES} == set(State.values)


def test_a_co_handling_building_committee_sees_the_case_and_finishes_its_part(
    office, report, client_for, now
):
    w = World(office)
    case = report()
    for name in [*DISPATCHED, "accept", "co_handlers"]:
        STEPS[name](w, case)
    manager = client_for(w.users[Role.BUILDING_MANAGER])
    on_api, on_page = _listed(manager, case)
    assert on_api == on_page == ["complete_co_handling"]
    # Another building manager, of no committee on the case, sees nothing of it.
    other = UserFactory()
    with scopes_disabled():
        committee = OrganisationFactory(
            subdistrict=office.subdistrict, kind=Organisation.Kind.BUILDING_COMMITTEE
        )
        MembershipFactory(
            user=other,
            subdistrict=office.subdistrict,
            role="building_manager",
            organisation=committee,
        )
    assert _listed(client_for(other), case) == ([], [])
    assert client_for(other).get(reverse("api:get_case", args=[case.number])).status_code == 404
