"""The demo: the CoNet network as it was, loaded as often as one likes without changing anything."""

import pytest
from django.apps import apps
from django.urls import reverse

from conet.accounts.models import Membership, Role, User
from conet.networks.demo import DEMO_PASSWORD, load_demo
from conet.networks.models import City, CoreTask, FactSheet, Network, Organisation, Partnership


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.fixture
def demo(db):
    load_demo()
    return Network.objects.get(slug="conet")


def test_loading_the_demo_twice_changes_nothing(db):
    first = load_demo()
    counts = row_counts()
    values = {
        "network": Network.objects.values().get(slug="conet"),
        "palermo": Partnership.objects.values().get(city__slug="palermo"),
        "malmo": City.objects.values().get(slug="malmo"),
        "passwords": dict(User.objects.values_list("email", "password")),
    }

    second = load_demo()

    assert first == {"network": True, "cities": 11, "users": 7}
    assert second == {"network": False, "cities": 0, "users": 0}
    assert row_counts() == counts
    assert Network.objects.values().get(slug="conet") == values["network"]
    assert Partnership.objects.values().get(city__slug="palermo") == values["palermo"]
    assert City.objects.values().get(slug="malmo") == values["malmo"]
    assert dict(User.objects.values_list("email", "password")) == values["passwords"]


def test_loading_the_demo_again_keeps_what_people_changed(demo):
    Partnership.objects.filter(city__slug="palermo").update(focus_area_name="Albergheria")
    load_demo()
    assert Partnership.objects.get(city__slug="palermo").focus_area_name == "Albergheria"


def test_demo_has_eleven_partners_with_berlin_the_only_lead(demo):
    partnerships = demo.partnerships.select_related("city")
    assert partnerships.count() == 11
    leads = [p.city.name for p in partnerships if p.role == Partnership.Role.LEAD_PARTNER]
    assert leads == ["Berlin"]


def test_demo_focus_areas_of_palermo_and_alba_iulia(demo):
    assert demo.partnerships.get(city__slug="palermo").focus_area_name == "Ballarò"
    assert demo.partnerships.get(city__slug="alba-iulia").focus_area_name == "Lumea Nouă"


def test_demo_has_the_seven_core_tasks(demo):
    tasks = CoreTask.objects.filter(network=demo)
    assert list(tasks.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6, 7]
    assert all(task.names.get("en") for task in tasks)


def test_demo_has_cesie_with_its_fact_sheets(demo):
    cesie = Organisation.objects.get(slug="cesie")
    assert demo.contact_organisation == cesie
    sheets = FactSheet.objects.filter(organisation=cesie)
    assert sheets.count() == 6
    assert sheets.filter(network=demo).count() == 1
    assert sheets.filter(title="EUnify 2014").exists()


def test_demo_has_one_person_per_role_who_can_sign_in(demo, client):
    admins = User.objects.filter(is_staff=True)
    assert [admin.email for admin in admins] == ["admin@conet.example"]
    for role in Role:
        holders = Membership.objects.filter(role=role)
        assert holders.exists(), role
    assert Membership.objects.get(role=Role.LEAD_EXPERT).network == demo
    assert Membership.objects.get(role=Role.LSG_MEMBER).city.slug == "palermo"
    response = client.post(
        reverse("accounts:login"),
        {"username": "weeber@conet.example", "password": DEMO_PASSWORD},
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:dashboard")
