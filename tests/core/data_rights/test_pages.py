"""The pages of personal-data rights: "My data" (download, consents) and the administrators'
page for a person's request (show, download, correct, erase), with errors on the form."""

from __future__ import annotations

import io
import json

from django.urls import reverse
from openpyxl import load_workbook

from linli.cases.data_rights import PROGRESS_MESSAGES
from linli.core.models import AuditEntry, Consent, User
from linli.registry.models import Enterprise
from tests.core.data_rights.conftest import NAME, PHONE, REASON


def test_my_data_downloads_my_own_data_and_lists_my_consents(office, person, client_for):
    client = client_for(office.resident)
    page = client.get(reverse("my_data"))
    assert page.status_code == 200
    assert f'data-purpose="{PROGRESS_MESSAGES}"' in page.content.decode()
    answer = client.get(reverse("my_data_export"), {"format": "json"})
    assert answer.status_code == 200 and "attachment" in answer["Content-Disposition"]
    data = json.loads(answer.content)
    text = json.dumps(data, ensure_ascii=False)
    assert person["own"].number in text and person["theirs"].number not in text
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("my_data_export"), {"format": "xlsx"}).content)
    )
    assert "cases.reporter" in workbook.sheetnames
    assert AuditEntry.objects.filter(action="core.person.export").count() == 2


def test_a_resident_withdraws_consent_on_the_page(office, person, client_for):
    client = client_for(office.resident)
    url = reverse("my_consent", kwargs={"purpose": PROGRESS_MESSAGES})
    assert client.post(url, {"given": "0"}).status_code == 302
    assert Consent.objects.get(user=office.resident, purpose=PROGRESS_MESSAGES).given is False
    assert "Withdrawn" in client.get(reverse("my_data")).content.decode()
    bad = reverse("my_consent", kwargs={"purpose": "nothing.like.this"})
    assert client.post(bad, {"given": "1"}).status_code == 404


def test_a_resident_cannot_use_the_request_page(office, person, client_for):
    client = client_for(office.resident)
    assert client.get(reverse("data_rights")).status_code == 403
    refused = client.post(reverse("data_rights"), {"username": "x", "reason": "mine"})
    assert refused.status_code == 403
    assert client.post(reverse("data_rights_erase"), {"reason": "x"}).status_code == 403


def test_the_request_page_shows_field_errors_never_a_server_error(office, person, client_for):
    client = client_for(person["admin"].user)
    page = client.post(reverse("data_rights"), {"phone": "12345", "reason": ""})
    assert page.status_code == 200
    form = page.context["lookup"]
    assert "phone" in form.errors and "reason" in form.errors
    nobody = client.post(reverse("data_rights"), {"reason": REASON})
    assert nobody.context["lookup"].non_field_errors()
    unknown = client.post(reverse("data_rights"), {"username": "nobody-here", "reason": REASON})
    assert "username" in unknown.context["lookup"].errors
    garbage = client.post(
        reverse("data_rights_correct"),
        {"phone": PHONE, "reason": REASON, "holder": "no.such", "row": "x", "attribute": "?"},
    )
    assert garbage.status_code == 200 and garbage.context["correction"].errors
    unconfirmed = client.post(reverse("data_rights_erase"), {"phone": PHONE, "reason": REASON})
    assert unconfirmed.status_code == 200 and "confirm" in unconfirmed.context["erase"].errors
    assert not AuditEntry.objects.filter(action__startswith="core.person.").exists()


def test_an_administrator_answers_a_request_on_the_page(office, person, client_for):
    client = client_for(person["admin"].user)
    who = {"username": office.resident.username, "phone": PHONE, "reason": REASON}
    page = client.post(reverse("data_rights"), who)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-holder="registry.enterprise_contact"' in html and NAME in html
    assert person["theirs"].number not in html
    download = client.post(reverse("data_rights"), {**who, "download": "json"})
    assert PHONE in download.content.decode()

    firm = person["enterprise"]
    wrong = client.post(
        reverse("data_rights_correct"),
        {
            **who,
            "holder": "registry.enterprise_contact",
            "row": firm.pk,
            "attribute": "contact_phone",
            "value": "999",
        },
    )
    assert wrong.status_code == 200 and wrong.context["correction"].errors["value"]
    fixed = client.post(
        reverse("data_rights_correct"),
        {
            **who,
            "holder": "registry.enterprise_contact",
            "row": firm.pk,
            "attribute": "contact_name",
            "value": "Wang Fang-Li",
        },
    )
    assert fixed.status_code == 200
    assert Enterprise.objects.get(pk=firm.pk).contact_name == "Wang Fang-Li"

    erased = client.post(reverse("data_rights_erase"), {**who, "confirm": "on"})
    assert erased.status_code == 302
    user = User.objects.get(pk=office.resident.pk)
    assert not user.is_active and user.display_name == ""
    assert Enterprise.objects.get(pk=firm.pk).contact_name == ""
