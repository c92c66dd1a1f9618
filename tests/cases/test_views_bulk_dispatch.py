"""Bulk dispatch sent without what it needs: the workbench says what is missing, in words."""

from __future__ import annotations

from django.urls import reverse

from linli.cases.models import State


def test_bulk_dispatch_without_an_organisation_says_so_and_dispatches_nothing(
    office, report, client_for, now
):
    case = report()
    response = client_for(office.dispatcher).post(
        reverse("cases:bulk_dispatch"),
        {"cases": [case.number], "organisation": "", "query": "queue=triage"},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("cases:workbench") + "?queue=triage", 302)]
    assert [str(m) for m in response.context["messages"]] == ["This field is required."]
    case.refresh_from_db()
    assert case.state == State.RECEIVED
