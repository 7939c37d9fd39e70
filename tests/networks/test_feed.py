"""The Atom feed of a network's activity."""

import xml.etree.ElementTree as ET

from conet.networks import services
from tests.factories import CityFactory, UserFactory, activity

ATOM = "{http://www.w3.org/2005/Atom}"


def test_feed_is_valid_atom_with_one_entry_per_public_event(network, client):
    admin = UserFactory(is_staff=True, name="Ana Admin")
    services.add_partnership(network, CityFactory(name="Sofia"), by=admin)
    services.post_update(
        network, by=admin, text="Thematic meeting <in> Sofia & more", language="en"
    )
    activity(network, text="Only for coordinators", public=False)

    response = client.get("/networks/testnet/feed/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}title") == "Test Network in action"
    entries = feed.findall(f"{ATOM}entry")
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert titles == ["Thematic meeting <in> Sofia & more", "Sofia joined the network as partner"]
    for entry in entries:
        assert entry.findtext(f"{ATOM}id").startswith("conet-activity-")
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/")
        assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Ana Admin"


def test_feed_of_a_quiet_network_is_valid_and_empty(network, client):
    feed = ET.fromstring(client.get("/networks/testnet/feed/").content)
    assert feed.findall(f"{ATOM}entry") == []


def test_feed_of_an_unknown_network_is_not_found(db, client):
    assert client.get("/networks/nowhere/feed/").status_code == 404
