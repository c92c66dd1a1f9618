"""Refuse, never cut: a policy file, a fact's source or a revocation reason longer than its
column is refused, naming what is too long, and nothing is written."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from linli.core.access import Access
from linli.core.roles import Role
from linli.policies.models import EnterpriseFact, Grant, PolicyVersion
from linli.policies.services import record_fact, revoke_grant
from tests.factories import EnterpriseFactory
from tests.policies.support import ELIGIBLE, load, policy_text, screen, three_policies, write

pytestmark = pytest.mark.django_db


def test_a_policy_file_with_an_over_long_title_is_not_loaded(tmp_path):
    write(tmp_path, "good.v1.yaml", policy_text("test-good", ELIGIBLE))
    write(tmp_path, "long.v1.yaml", policy_text("test-long", ELIGIBLE, en="T" * 195))
    with pytest.raises(ValidationError) as caught:
        load(tmp_path)
    (message,) = caught.value.messages
    assert "long.v1.yaml" in message and "title_en" in message
    assert "At most 200 characters (this has 205)." in message  # with " (example)"
    assert not PolicyVersion.objects.exists()  # all or nothing


def test_a_fact_with_an_over_long_source_is_refused(subdistrict):
    firm = EnterpriseFactory(subdistrict=subdistrict)
    with scope(subdistrict=subdistrict), pytest.raises(ValidationError) as caught:
        record_fact(
            firm, "tax_credit_grade", "A", actor=Access.system(subdistrict), source="s" * 101
        )
    assert set(caught.value.message_dict) == {"source"}
    with scope(subdistrict=subdistrict):
        assert not EnterpriseFact.objects.exists()


def test_an_over_long_revocation_reason_is_refused(subdistrict, make_user, tmp_path):
    EnterpriseFactory(subdistrict=subdistrict, headcount=20, tags=["high_tech"])
    load(three_policies(tmp_path, auto=True))
    screen(subdistrict)
    admin = Access.for_user(make_user(Role.SUBDISTRICT_ADMIN, subdistrict), subdistrict)
    with scope(subdistrict=subdistrict):
        grant = Grant.objects.get()
        with pytest.raises(ValidationError) as caught:
            revoke_grant(grant, actor=admin, reason="r" * 201)
        assert set(caught.value.message_dict) == {"reason"}
        grant.refresh_from_db()
        assert grant.status == Grant.Status.GRANTED
