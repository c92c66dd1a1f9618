"""The mediation demo: forty disputes in every state, with due follow-ups reminded once."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

import pytest
from django_scopes import scope

from linli.core.demo import demo_rng
from linli.core.models import Notification
from linli.core.roles import Role
from linli.governance.mediation import demo
from linli.governance.mediation.models import MediationCase
from tests.factories import MembershipFactory, QuarterFactory, SubdistrictFactory, UserFactory

pytestmark = pytest.mark.django_db


@dataclass
class Home:
    code: str = "310106900"

    def username(self, name: str) -> str:
        return name


@dataclass
class Context:
    subdistrict: object
    home: Home
    seed: int = 7

    def rng(self, part: str) -> random.Random:
        return demo_rng(self.seed, self.home, part)


def test_the_demo_has_disputes_in_every_state() -> None:
    sub = SubdistrictFactory(code="310106952")
    QuarterFactory(subdistrict=sub, code="Q1")
    QuarterFactory(subdistrict=sub, code="Q2")
    handler = UserFactory(username="handler")
    MembershipFactory(user=handler, subdistrict=sub, role=Role.HANDLER)
    with scope(subdistrict=sub):
        assert demo.load(Context(sub, Home())) > 0
        cases = list(MediationCase.objects.all())
        reminders = Notification.objects.filter(user=handler).count()
    states = Counter(c.status for c in cases)
    assert len(cases) == 40
    assert set(states) == set(MediationCase.Status.values)
    assert sum(1 for c in cases if c.signed_on) == 16
    assert sum(1 for c in cases if c.confirmed_on) == 4
    assert sum(1 for c in cases if c.followed_up_on) == 8
    due = [c for c in cases if c.follow_up_reminded_on]
    assert due and reminders == len(due)
