"""The networks services: versioned updates refuse stale saves; partnerships and updates check their input."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from conet.core.concurrency import EditConflict
from conet.core.models import ActivityEvent
from conet.networks import services
from conet.networks.models import City, Network, Partnership
from tests.factories import CityFactory, PartnershipFactory, UserFactory


@pytest.fixture
def admin(db):
    return UserFactory(is_staff=True)


def row(instance) -> dict:
    return type(instance).objects.filter(pk=instance.pk).values().get()


def test_update_network_bumps_the_version_and_records_a_private_event(admin, network):
    updated = services.update_network(
        network, by=admin, expected_version=1, changes={"theme": "Housing", "slug": "ignored"}
    )
    assert (updated.theme, updated.slug, updated.version) == ("Housing", "testnet", 2)
    event = ActivityEvent.objects.get(kind="network.updated")
    assert event.public is False


def test_update_network_from_a_stale_version_raises_conflict_and_changes_nothing(admin, network):
    services.update_network(network, by=admin, expected_version=1, changes={"theme": "Theirs"})
    before = row(network)
    with pytest.raises(EditConflict) as conflict:
        services.update_network(network, by=admin, expected_version=1, changes={"theme": "Mine"})
    assert conflict.value.current.theme == "Theirs"
    assert conflict.value.current.version == 2
    assert conflict.value.changed_fields == ["theme"]
    assert row(network) == before


def test_update_partnership_from_a_stale_version_raises_conflict_and_changes_nothing(
    admin, network, city
):
    partnership = Partnership.objects.get(network=network, city=city)
    services.update_partnership(
        partnership, by=admin, expected_version=1, changes={"focus_area_name": "Theirs"}
    )
    before = row(partnership)
    events_before = ActivityEvent.objects.count()
    with pytest.raises(EditConflict) as conflict:
        services.update_partnership(
            partnership, by=admin, expected_version=1, changes={"focus_area_name": "Mine"}
        )
    assert conflict.value.current.focus_area_name == "Theirs"
    assert row(partnership) == before
    assert ActivityEvent.objects.count() == events_before


def test_update_city_from_a_stale_version_raises_conflict_and_changes_nothing(admin, city):
    services.update_city(city, by=admin, expected_version=1, changes={"population": 1})
    before = row(city)
    with pytest.raises(EditConflict) as conflict:
        services.update_city(city, by=admin, expected_version=1, changes={"population": 2})
    assert conflict.value.current.population == 1
    assert row(city) == before


def test_update_services_refuse_who_lacks_the_role(people, network, city):
    partnership = Partnership.objects.get(network=network, city=city)
    expert = people["expert"]
    with pytest.raises(PermissionDenied):
        services.update_network(network, by=expert, expected_version=1, changes={"name": "X"})
    with pytest.raises(PermissionDenied):
        services.update_partnership(partnership, by=expert, expected_version=1, changes={})
    with pytest.raises(PermissionDenied):
        services.update_city(city, by=people["lsg_member"], expected_version=1, changes={})
    assert (network.version, partnership.version, city.version) == (1, 1, 1)
    assert Network.objects.get(pk=network.pk).name == "Test Network"


def test_update_network_refuses_an_end_before_the_start(admin, network):
    before = row(network)
    with pytest.raises(ValidationError) as refused:
        services.update_network(
            network,
            by=admin,
            expected_version=1,
            changes={"end_date": network.start_date.replace(year=2000)},
        )
    assert list(refused.value.message_dict) == ["end_date"]
    assert row(network) == before


def test_update_city_refuses_a_latitude_off_the_globe(admin, city):
    before = row(city)
    with pytest.raises(ValidationError) as refused:
        services.update_city(city, by=admin, expected_version=1, changes={"latitude": 200})
    assert list(refused.value.message_dict) == ["latitude"]
    assert row(city) == before


def test_a_second_lead_partner_is_refused(admin, network, city):
    PartnershipFactory(network=network, role=Partnership.Role.LEAD_PARTNER)
    partnership = Partnership.objects.get(network=network, city=city)
    with pytest.raises(ValidationError) as refused:
        services.update_partnership(
            partnership, by=admin, expected_version=1, changes={"role": "lead_partner"}
        )
    assert list(refused.value.message_dict) == ["role"]
    with pytest.raises(ValidationError) as refused:
        services.add_partnership(network, CityFactory(), by=admin, role="lead_partner")
    assert list(refused.value.message_dict) == ["role"]
    assert network.partnerships.filter(role="lead_partner").count() == 1


def test_a_city_cannot_join_the_same_network_twice(admin, network, city):
    with pytest.raises(ValidationError) as refused:
        services.add_partnership(network, city, by=admin)
    assert list(refused.value.message_dict) == ["city"]
    assert network.partnerships.count() == 1


def test_add_and_remove_partnership_are_told_in_the_feed(admin, network):
    city = CityFactory(name="Gijón")
    partnership = services.add_partnership(network, city, by=admin, focus_area_name="El Llano")
    services.remove_partnership(partnership, by=admin)
    kinds = list(ActivityEvent.objects.order_by("pk").values_list("kind", "data"))
    assert kinds == [
        ("partnership.added", {"city": "Gijón", "role": "partner"}),
        ("partnership.removed", {"city": "Gijón"}),
    ]
    assert not Partnership.objects.filter(pk=partnership.pk).exists()


@pytest.mark.parametrize(
    ("text", "language", "field"),
    [("   ", "en", "text"), ("x" * 2001, "en", "text"), ("Hello", "klingon", "language")],
)
def test_post_update_refuses_bad_input_naming_the_field(admin, network, text, language, field):
    with pytest.raises(ValidationError) as refused:
        services.post_update(network, by=admin, text=text, language=language)
    assert list(refused.value.message_dict) == [field]
    assert not ActivityEvent.objects.exists()


def test_create_network_comes_with_the_seven_core_tasks(admin):
    network = services.create_network(by=admin, name="New", slug="new")
    assert list(network.core_tasks.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6, 7]


def test_only_platform_admins_create_networks(people):
    with pytest.raises(PermissionDenied):
        services.create_network(by=people["network_coordinator"], name="New", slug="new")
    assert not Network.objects.filter(slug="new").exists()


def test_two_saves_of_one_partnership_from_the_same_version_let_exactly_one_through(
    transactional_db,
):
    partnership = PartnershipFactory(focus_area_name="Before")
    editors = [UserFactory(is_staff=True), UserFactory(is_staff=True)]
    both_loaded = threading.Barrier(2)
    # SQLite's in-memory test database reaches other threads through its shared cache, where a
    # second writer is refused at once ("database table is locked") instead of waiting as it does
    # on the file database (IMMEDIATE transactions, busy timeout). There the two saves take turns
    # after both have loaded version 1; everywhere else they race.
    take_turns = connection.vendor == "sqlite" and connection.is_in_memory_db()
    turn = threading.Lock()
    outcomes: dict[str, object] = {}

    def save(editor, focus_area: str) -> None:
        try:
            loaded = Partnership.objects.select_related("network", "city").get(pk=partnership.pk)
            both_loaded.wait(timeout=10)
            if take_turns:
                turn.acquire()
            try:
                services.update_partnership(
                    loaded,
                    by=editor,
                    expected_version=loaded.version,
                    changes={"focus_area_name": focus_area},
                )
                outcomes[focus_area] = "saved"
            except EditConflict as conflict:
                outcomes[focus_area] = conflict
            finally:
                if take_turns:
                    turn.release()
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(editor, focus_area))
        for editor, focus_area in zip(editors, ["First", "Second"], strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)

    [winner] = [name for name, outcome in outcomes.items() if outcome == "saved"]
    [loser] = [name for name, outcome in outcomes.items() if isinstance(outcome, EditConflict)]
    assert outcomes[loser].current.focus_area_name == winner
    stored = Partnership.objects.get(pk=partnership.pk)
    assert (stored.focus_area_name, stored.version) == (winner, 2)
    assert ActivityEvent.objects.filter(kind="partnership.updated").count() == 1


def test_update_city_keeps_other_fields(admin, city):
    services.update_city(city, by=admin, expected_version=1, changes={"description": "Harbour"})
    stored = City.objects.get(pk=city.pk)
    assert (stored.description, stored.name, stored.population) == (
        "Harbour",
        "Partner City",
        100_000,
    )
