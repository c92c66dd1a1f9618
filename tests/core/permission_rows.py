"""Core's rows of the permission matrix: the API-token page and revoking a token, "My data"
and the administrators' page for personal-data requests."""

from __future__ import annotations

from django.urls import reverse
from django_scopes import scopes_disabled

from linli.cases.data_rights import PROGRESS_MESSAGES
from linli.core import parameters
from linli.core.roles import ADMINS, EVERYONE, Role
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
    Endpoint("work_calendar", "GET", fixed("work_calendar"), statuses(ADMINS)),
    Endpoint("parameter_list", "GET", fixed("parameter_list"), statuses(ADMINS | {Role.LEADER})),
    Endpoint(
        "parameter_detail",
        "GET",
        lambda w, who: reverse("parameter_detail", args=[min(parameters.declared())]),
        statuses(ADMINS | {Role.LEADER}),
    ),
    Endpoint(
        "revoke_api_token",
        "POST",
        lambda w, who: reverse("revoke_api_token", kwargs={"pk": w.extra["resident_token"].pk}),
        statuses(ADMINS | {Role.RESIDENT}, 302, denied=404, other=404),
    ),
    # Everyone signed in sees, downloads and answers for their own data only: no URL names
    # anyone else.
    Endpoint("my_data", "GET", fixed("my_data"), statuses()),
    Endpoint("my_data_export", "GET", fixed("my_data_export"), statuses()),
    Endpoint(
        "my_consent",
        "POST",
        fixed("my_consent", purpose=PROGRESS_MESSAGES),
        statuses(EVERYONE, 302),
        data=lambda w, who: {"given": "0"},
    ),
    # A person's request is answered by administrators (an empty form: its errors, 200).
    Endpoint("data_rights", "GET", fixed("data_rights"), statuses(ADMINS)),
    Endpoint("data_rights", "POST", fixed("data_rights"), statuses(ADMINS)),
    Endpoint("data_rights_correct", "POST", fixed("data_rights_correct"), statuses(ADMINS)),
    Endpoint("data_rights_erase", "POST", fixed("data_rights_erase"), statuses(ADMINS)),
]
