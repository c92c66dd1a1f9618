"""Core's rows of the permission matrix: the API-token page and revoking a token."""

from __future__ import annotations

from django.urls import reverse
from django_scopes import scopes_disabled

from linli.core.roles import ADMINS, Role
from linli.core.tokens import issue_token
from tests.core.matrix import Endpoint, everyone, fixed, statuses
from tests.core.world import World


def populate(world: World) -> None:
    with scopes_disabled():
        token, _key = issue_token(world.users[Role.RESIDENT], world.a.subdistrict, "script")
    world.extra["resident_token"] = token


ENDPOINTS = [
    Endpoint("health_live", "GET", fixed("health_live"), everyone(200)),
    # No worker runs in the test world: not ready, for everyone alike.
    Endpoint("health_ready", "GET", fixed("health_ready"), everyone(503)),
    Endpoint("metrics", "GET", fixed("metrics"), everyone(200)),
    Endpoint("api_tokens", "GET", fixed("api_tokens"), statuses()),
    Endpoint(
        "revoke_api_token",
        "POST",
        lambda w, who: reverse("revoke_api_token", kwargs={"pk": w.extra["resident_token"].pk}),
        statuses(ADMINS | {Role.RESIDENT}, 302, denied=404, other=404),
    ),
]
