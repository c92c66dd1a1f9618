"""Getting an API token: made on a page, shown once, stored as a hash, usable at once, revoked
by its owner or an administrator; an administrator makes one for an integration's account."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from linli.core.models import ApiToken, AuditEntry

KEY = re.compile(r'<code id="new-token" class="token">(ll_[^<]+)</code>')


@pytest.fixture
def resident(subdistrict, make_user):
    return make_user("resident", subdistrict, username="mei")


def create(client, name: str, **extra):
    return client.post(reverse("api_tokens"), {"name": name, **extra})


def test_a_person_makes_a_token_sees_it_once_and_uses_it(resident, client_for) -> None:
    client = client_for(resident)
    page = create(client, "my script", user=resident.pk)
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    key = KEY.search(page.text).group(1)
    with scopes_disabled():
        token = ApiToken.objects.get(user=resident)
    assert key not in token.key_hash  # only its fingerprint is kept
    assert KEY.search(client.get(reverse("api_tokens")).text) is None  # never shown again

    api = client_for(resident).__class__()
    mine = api.get(reverse("api:list_facilities"), HTTP_AUTHORIZATION=f"Bearer {key}")
    assert mine.status_code == 200
    assert AuditEntry.objects.filter(action="core.token.create", object_id=str(token.pk)).exists()

    client.post(reverse("revoke_api_token", kwargs={"pk": token.pk}))
    after = api.get(reverse("api:list_facilities"), HTTP_AUTHORIZATION=f"Bearer {key}")
    assert after.status_code == 401


def test_a_name_is_needed_and_an_overlong_one_is_refused(resident, client_for) -> None:
    client = client_for(resident)
    assert "This field is required." in create(client, "", user=resident.pk).text
    long = create(client, "x" * 101, user=resident.pk)
    assert long.status_code == 200 and KEY.search(long.text) is None
    with scopes_disabled():
        assert not ApiToken.objects.exists()


def test_only_an_administrator_makes_tokens_for_others(
    subdistrict, other_subdistrict, resident, make_user, client_for
) -> None:
    admin = make_user("subdistrict_admin", subdistrict)
    bridge = make_user("handler", subdistrict, username="hotline-bridge")
    stranger = make_user("handler", other_subdistrict)

    for_bridge = create(client_for(admin), "12345 bridge", user=bridge.pk)
    assert KEY.search(for_bridge.text)
    with scopes_disabled():
        assert ApiToken.objects.get().user == bridge
    # Not for someone of another sub-district, and a resident only for themselves.
    assert KEY.search(create(client_for(admin), "x", user=stranger.pk).text) is None
    assert KEY.search(create(client_for(resident), "x", user=bridge.pk).text) is None


def test_a_token_is_revoked_only_by_its_owner_or_an_administrator(
    subdistrict, resident, make_user, client_for
) -> None:
    create(client_for(resident), "mine", user=resident.pk)
    with scopes_disabled():
        token = ApiToken.objects.get()
    other = make_user("resident", subdistrict)
    url = reverse("revoke_api_token", kwargs={"pk": token.pk})
    assert client_for(other).post(url).status_code == 404
    admin = make_user("subdistrict_admin", subdistrict)
    assert client_for(admin).post(url).status_code == 302
    with scopes_disabled():
        token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_admin_no_longer_makes_keyless_tokens(subdistrict, make_user, client_for) -> None:
    admin = make_user("platform_admin", subdistrict)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    response = client_for(admin).get(reverse("admin:core_apitoken_add"))
    assert response.status_code == 403


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_noting_a_tokens_use_leaves_the_requests_own_commits_durable(subdistrict, make_user):
    """The last-use note commits without waiting for the disk; the request's own writes after
    it (a registration, a report) must still wait, so the relaxed setting may not outlive it."""
    from django.db import connection

    from linli.core.tokens import authenticate_token, issue_token

    person = make_user("resident", subdistrict, username="lan")
    token, key = issue_token(person, subdistrict, "script")

    assert authenticate_token(key) == token
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        (after,) = cursor.fetchone()
    with scopes_disabled():
        token.refresh_from_db()
    assert token.last_used_at is not None
    assert after == "on"
