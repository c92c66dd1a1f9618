"""Signing in and out, password reset, lockout, hashing, session timeouts and TOTP."""

from __future__ import annotations

import re
import time

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from linli import settings as project_settings
from linli.core.models import AuditEntry, User
from tests.conftest import PASSWORD


@pytest.fixture
def person(subdistrict, make_user) -> User:
    return make_user("handler", subdistrict, username="ann")


def sign_in(client: Client, username: str = "ann", password: str = PASSWORD, **extra):
    return client.post(
        reverse("login"), {"username": username, "password": password, **extra}, **extra_meta(extra)
    )


def extra_meta(extra: dict) -> dict:
    return {"REMOTE_ADDR": extra.pop("ip")} if "ip" in extra else {}


def signed_in(client: Client) -> bool:
    return client.get(reverse("home")).status_code == 200


def test_sign_in_through_the_form_and_out_again(person) -> None:
    client = Client()
    assert not signed_in(client)

    response = sign_in(client)

    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert signed_in(client)
    assert AuditEntry.objects.filter(action="core.session.login", actor=person).exists()

    assert client.get(reverse("logout")).status_code == 405  # only POST signs out
    response = client.post(reverse("logout"))

    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert not signed_in(client)
    assert AuditEntry.objects.filter(action="core.session.logout", actor=person).exists()


def test_a_wrong_password_is_refused_with_a_message(person) -> None:
    response = sign_in(Client(), password="wrong-password")
    assert response.status_code == 200
    assert "correct username and password" in response.text


def test_a_protected_page_sends_visitors_to_sign_in(db) -> None:
    response = Client().get(reverse("inbox"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('inbox')}"


def test_password_reset_by_email(person, settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client = Client()

    response = client.post(reverse("password_reset"), {"email": person.email})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [person.email]
    link = re.search(r"https?://testserver(/accounts/reset/\S+/)", message.body).group(1)

    form = client.get(link, follow=True)
    assert form.status_code == 200 and "new_password1" in form.text
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"},
    )
    assert done.status_code == 302

    assert not signed_in(client)
    sign_in(client, password="a-brand-new-passphrase")
    assert signed_in(client)
    # The link works once only.
    assert "new_password1" not in Client().get(link, follow=True).text


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(
    db, settings
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = Client().post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_lockout_is_per_username_and_ip_together(subdistrict, make_user) -> None:
    make_user("handler", subdistrict, username="ann")
    make_user("handler", subdistrict, username="bob")
    limit = django_settings.AXES_FAILURE_LIMIT
    attacker = Client()
    for _ in range(limit - 1):
        response = sign_in(attacker, password="wrong", ip="10.0.0.1")
        assert response.status_code == 200
    assert sign_in(attacker, password="wrong", ip="10.0.0.1").status_code == 429

    locked = sign_in(attacker, ip="10.0.0.1")  # even the right password is refused now

    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.text
    assert not signed_in(attacker)
    # Ann from her own desk still gets in; Bob from the attacker's address too.
    ann = Client()
    assert sign_in(ann, ip="10.0.0.2").status_code == 302 and signed_in(ann)
    bob = Client()
    assert sign_in(bob, username="bob", ip="10.0.0.1").status_code == 302 and signed_in(bob)


def test_one_address_guessing_many_accounts_is_throttled(subdistrict, make_user, settings) -> None:
    settings.LOCKOUT_IP_FAILURES = 8
    names = [f"user{n}" for n in range(6)]
    for name in names:
        make_user("resident", subdistrict, username=name)
    attacker = Client()
    for name in names[:4]:  # two wrong passwords per account: under the per-account limit
        for _ in range(2):
            assert (
                sign_in(attacker, username=name, password="wrong", ip="10.0.0.9").status_code == 200
            )
    refused = sign_in(attacker, username=names[5], ip="10.0.0.9")  # the right password, even
    assert "Too many failed sign-ins from this network" in refused.text
    assert not signed_in(attacker)
    elsewhere = Client()
    assert sign_in(elsewhere, username=names[5], ip="10.0.0.10").status_code == 302


def test_behind_the_proxy_the_lockout_sees_the_client_not_the_proxy(
    subdistrict, make_user, settings
) -> None:
    settings.PROXY_COUNT = 1
    make_user("handler", subdistrict, username="ann")
    limit = django_settings.AXES_FAILURE_LIMIT
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    for _ in range(limit):
        attacker.post(reverse("login"), {"username": "ann", "password": "wrong"})
    # Writing another address in front of the header does not get the attacker out.
    spoofing = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    response = spoofing.post(reverse("login"), {"username": "ann", "password": PASSWORD})
    assert response.status_code == 429
    ann = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4")
    response = ann.post(reverse("login"), {"username": "ann", "password": PASSWORD})
    assert response.status_code == 302 and signed_in(ann)


def test_password_reset_mails_are_rate_limited(person, settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_RESET_PER_EMAIL = 2
    settings.PASSWORD_RESET_PER_IP = 4
    client = Client()
    for _ in range(4):
        response = client.post(reverse("password_reset"), {"email": person.email})
        assert response.status_code == 302  # the same answer, whether a mail left or not
    assert len(mail.outbox) == 2
    refused = client.post(reverse("password_reset"), {"email": "other@example.org"})
    assert refused.status_code == 200
    assert "Too many password-reset requests from here" in refused.text


def test_new_passwords_are_hashed_with_argon2(person, settings) -> None:
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    person.set_password("a-new-passphrase")
    person.save()
    assert person.password.startswith("argon2")


def test_an_older_hash_still_works_and_is_upgraded_to_argon2(person, settings) -> None:
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    person.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    person.save()

    assert sign_in(Client()).status_code == 302

    person.refresh_from_db()
    assert person.password.startswith("argon2")


@pytest.mark.parametrize(
    ("seen_ago", "started_ago", "still_in"),
    [
        (60, 3600, True),
        (django_settings.SESSION_IDLE_TIMEOUT + 5, 3600, False),  # idle too long
        (60, django_settings.SESSION_ABSOLUTE_TIMEOUT + 5, False),  # signed in too long ago
    ],
)
def test_sessions_time_out(person, client_for, seen_ago, started_ago, still_in) -> None:
    client = client_for(person)
    assert signed_in(client)
    session = client.session
    now = int(time.time())
    session["linli_seen"] = now - seen_ago
    session["linli_started"] = now - started_ago
    session.save()

    assert signed_in(client) is still_in
    if not still_in:
        assert client.get(reverse("inbox"))["Location"].startswith(reverse("login"))
        assert AuditEntry.objects.filter(action="core.session.logout", actor=person).exists()


def test_activity_keeps_an_idle_session_alive(person, client_for) -> None:
    client = client_for(person)
    signed_in(client)
    session = client.session
    session["linli_seen"] = int(time.time()) - django_settings.SESSION_IDLE_TIMEOUT + 60
    session.save()

    assert signed_in(client)  # within the idle limit: this visit counts as activity
    assert client.session["linli_seen"] >= int(time.time()) - 5


# --- TOTP ---------------------------------------------------------------------------------------


@pytest.fixture
def device(person) -> TOTPDevice:
    return TOTPDevice.objects.create(user=person, name="phone", confirmed=True)


def code(device: TOTPDevice, drift: int = 0) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):06d}"


def test_totp_users_need_a_code(device) -> None:
    client = Client()
    response = sign_in(client)
    assert response.status_code == 200
    assert "Enter the code from your authenticator app" in response.text
    assert not signed_in(client)


def test_totp_users_cannot_sign_in_with_a_wrong_code(device) -> None:
    wrong = f"{(int(code(device)) + 1) % 1_000_000:06d}"
    client = Client()
    response = sign_in(client, otp_token=wrong)
    assert "wrong or has expired" in response.text
    assert not signed_in(client)


def test_totp_users_sign_in_with_a_valid_code(device) -> None:
    client = Client()
    response = sign_in(client, otp_token=code(device))
    assert response.status_code == 302
    assert signed_in(client)
    request = client.get(reverse("home")).wsgi_request
    assert request.user.is_verified()


def test_a_user_turns_on_totp(person, client_for) -> None:
    client = client_for(person)
    page = client.get(reverse("totp_setup"))
    assert page.status_code == 200 and "<svg" in page.text
    device = TOTPDevice.objects.get(user=person, confirmed=False)

    ok = client.post(reverse("totp_setup"), {"token": code(device)})

    assert ok.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    # From now on, signing in needs a code.
    assert "Enter the code" in sign_in(Client()).text


def test_a_wrong_code_does_not_turn_on_totp(person, client_for) -> None:
    client = client_for(person)
    client.get(reverse("totp_setup"))
    device = TOTPDevice.objects.get(user=person, confirmed=False)
    wrong = f"{(int(code(device)) + 1) % 1_000_000:06d}"

    response = client.post(reverse("totp_setup"), {"token": wrong})

    assert response.status_code == 200 and "wrong or has expired" in response.text
    device.refresh_from_db()
    assert not device.confirmed
    assert sign_in(Client()).status_code == 302  # no code needed yet
