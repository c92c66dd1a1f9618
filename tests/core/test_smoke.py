from django.urls import reverse

from tests.factories import EnterpriseFactory


def test_a_handler_sees_the_enterprise_list_of_their_subdistrict(
    subdistrict, other_subdistrict, make_user, client_for
):
    mine = EnterpriseFactory(subdistrict=subdistrict, name="Mine Ltd")
    EnterpriseFactory(subdistrict=other_subdistrict, name="Theirs Ltd")
    client = client_for(make_user("handler", subdistrict))

    response = client.get(reverse("registry:list", kwargs={"kind": "enterprise"}))

    assert response.status_code == 200
    assert mine.name in response.text
    assert "Theirs Ltd" not in response.text
