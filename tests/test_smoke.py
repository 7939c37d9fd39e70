import pytest

from conet.networks.demo import load_demo


@pytest.mark.django_db
def test_demo_network_page_lists_eleven_partners(client):
    load_demo()
    response = client.get("/en/networks/conet/")
    assert response.status_code == 200
    assert response.content.decode().count('class="partner"') == 11
