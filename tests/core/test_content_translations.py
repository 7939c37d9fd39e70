"""Versions of long texts in other languages: the rules of the table and of every write path.

Who may write follows the object's own edit permission (the network's coordinators for the
network's objectives, the city's coordinator for the city's description …), on the editor's form,
on the machine-translation button and in the API alike, and a refusal changes nothing.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import translation

from conet.core.concurrency import EditConflict
from conet.core.models import AuditEntry, ContentTranslation, MachineTranslationRequest
from conet.core.translations import selectors, services
from conet.networks.models import Network
from tests.factories import ALLOWED, NetworkFactory, UserFactory, assert_refused, outcome_table
from tests.translation_service import translation_service  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

CHANGE_NETWORK = outcome_table({"platform_admin", "network_coordinator"})
CHANGE_CITY = outcome_table({"platform_admin", "city_coordinator"})


def _stored() -> list[dict]:
    return [
        *ContentTranslation.objects.order_by("pk").values(),
        *MachineTranslationRequest.objects.order_by("pk").values(),
        *AuditEntry.objects.filter(action__startswith="translation").values("pk", "action"),
    ]


def _save(obj, text, *, by, field="objectives", language="de", version=0):
    return services.save_translation(obj, field, language, text, by=by, expected_version=version)


@pytest.fixture
def coordinator(people):
    return people["network_coordinator"]


# The table ---------------------------------------------------------------------------------------


def test_one_translation_per_text_and_language(network):
    content_type = ContentType.objects.get_for_model(Network)
    fields = dict(
        content_type=content_type, object_id=network.pk, field="objectives", language="de"
    )
    ContentTranslation.objects.create(**fields, text="Gemeinsam lernen", source_hash="x")
    with pytest.raises(IntegrityError):
        ContentTranslation.objects.create(**fields, text="Noch einmal", source_hash="x")


def test_a_person_saves_a_version_and_the_audit_log_says_so(network, coordinator):
    stored = _save(network, "- Gemeinsam lernen", by=coordinator)
    assert (stored.text, stored.origin, stored.version) == ("- Gemeinsam lernen", "human", 1)
    assert stored.source_hash == selectors.source_hash(network.objectives)
    entry = AuditEntry.objects.get(action="translation.saved")
    assert entry.network_id == network.pk
    assert entry.actor == coordinator
    assert entry.data == {
        "object": "networks.network",
        "id": network.pk,
        "field": "objectives",
        "language": "de",
    }


def test_saving_from_an_old_version_is_refused_and_shows_the_other_text(network, coordinator):
    first = _save(network, "Erste Fassung", by=coordinator)
    _save(network, "Zweite Fassung", by=coordinator, version=first.version)
    with pytest.raises(EditConflict) as conflict:
        _save(network, "Meine Fassung", by=coordinator, version=first.version)
    assert conflict.value.current.text == "Zweite Fassung"
    assert ContentTranslation.objects.get().text == "Zweite Fassung"


def test_two_people_adding_the_same_missing_version_cannot_both_win(network, coordinator, people):
    _save(network, "Von der Koordinatorin", by=coordinator, version=0)
    with pytest.raises(EditConflict) as conflict:
        _save(network, "Vom Admin", by=people["platform_admin"], version=0)
    assert conflict.value.current.text == "Von der Koordinatorin"


def test_an_empty_text_removes_the_version(network, coordinator):
    stored = _save(network, "Gemeinsam lernen", by=coordinator)
    assert _save(network, "  ", by=coordinator, version=stored.version) is None
    assert not ContentTranslation.objects.exists()
    assert AuditEntry.objects.filter(action="translation.removed").count() == 1


@pytest.mark.parametrize(
    ("field", "language", "message_field"),
    [
        ("name", "de", "field"),  # not a registered long text
        ("objectives", "xx", "language"),  # not a platform language
        ("objectives", "en", "language"),  # the original's own language
        ("results", "de", "field"),  # the original is empty
    ],
)
def test_bad_input_gets_a_reason_and_changes_nothing(
    network, coordinator, field, language, message_field
):
    network.results = ""
    network.save()
    before = _stored()
    with pytest.raises(ValidationError) as error:
        _save(network, "Text", by=coordinator, field=field, language=language)
    assert message_field in error.value.message_dict
    assert _stored() == before


# What readers see --------------------------------------------------------------------------------


def test_a_reader_sees_their_language_else_the_original(network, coordinator):
    _save(network, "- Gemeinsam lernen", by=coordinator)
    network = Network.objects.get(pk=network.pk)
    with translation.override("de"):
        german = selectors.shown(network, "objectives")
    with translation.override("it"):
        italian = selectors.shown(network, "objectives")
    assert (german.text, german.language, german.translated) == ("- Gemeinsam lernen", "de", True)
    assert (italian.text, italian.language, italian.needs_note) == ("- Learn together", "en", True)


def test_a_translation_of_an_older_original_is_outdated(network, coordinator):
    _save(network, "- Gemeinsam lernen", by=coordinator)
    network.objectives = "- Learn together\n- Act together"
    network.save()
    network = Network.objects.get(pk=network.pk)
    with translation.override("de"):
        shown = selectors.shown(network, "objectives")
    assert shown.translated and shown.outdated
    overview = selectors.overview(network)
    states = {cell.language: cell.state for cell in overview.rows[0][3]}
    assert states["de"] == "outdated"
    assert states["it"] == "missing"
    assert overview.outdated == 1


def test_editors_see_which_languages_are_missing(network, coordinator):
    _save(network, "Gemeinsam lernen", by=coordinator)
    overview = selectors.overview(network)
    assert overview.languages == ["de", "it", "fr", "bg", "ro", "nl", "pl", "sv", "es"]
    objectives = dict((row[0], row[3]) for row in overview.rows)["objectives"]
    assert [cell.state for cell in objectives].count("missing") == 8
    assert [cell.state for cell in objectives if cell.language == "de"] == ["current"]


def test_attach_fetches_the_translations_of_many_objects_in_one_query(
    coordinator, django_assert_num_queries
):
    admin = UserFactory(is_staff=True)
    networks = NetworkFactory.create_batch(5)
    for network in networks[:3]:
        _save(network, f"Ziele von {network.name}", by=admin)
    fresh = list(Network.objects.filter(pk__in=[n.pk for n in networks]).order_by("pk"))
    with translation.override("de"), django_assert_num_queries(1):
        selectors.attach(fresh)
        texts = [selectors.shown(network, "objectives").text for network in fresh]
    assert texts[:3] == [f"Ziele von {n.name}" for n in networks[:3]]
    assert texts[3:] == ["- Learn together", "- Learn together"]


def test_a_reader_of_the_originals_language_costs_no_query(network, django_assert_num_queries):
    fresh = Network.objects.get(pk=network.pk)
    with translation.override("en"), django_assert_num_queries(0):
        selectors.attach([fresh])
        assert selectors.shown(fresh, "objectives").text == "- Learn together"


# Who may write -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "outcome"), CHANGE_NETWORK.items())
def test_the_translation_form_saves_only_for_who_may_change_the_network(
    role, outcome, people, network, client_as
):
    url = reverse(
        "core:translation_edit", args=["networks.network", network.pk, "objectives", "de"]
    )
    before = _stored()
    response = client_as(people[role]).post(url, {"text": "Gemeinsam lernen", "version": 0})
    if outcome == ALLOWED:
        assert response.status_code == 302
        assert ContentTranslation.objects.get().text == "Gemeinsam lernen"
    else:
        assert_refused(response, outcome)
        assert _stored() == before


@pytest.mark.parametrize(("role", "outcome"), CHANGE_CITY.items())
def test_the_city_texts_are_translated_by_the_citys_coordinator(
    role, outcome, people, city, client_as
):
    city.description = "A city by the sea."
    city.languages = "en"
    city.save()
    url = reverse("core:translation_edit", args=["networks.city", city.pk, "description", "it"])
    before = _stored()
    response = client_as(people[role]).post(url, {"text": "Una città sul mare.", "version": 0})
    if outcome == ALLOWED:
        assert response.status_code == 302
        assert ContentTranslation.objects.get().text == "Una città sul mare."
    else:
        assert_refused(response, outcome)
        assert _stored() == before


@pytest.mark.parametrize(("role", "outcome"), CHANGE_NETWORK.items())
def test_the_overview_is_shown_only_to_who_may_change_the_network(
    role, outcome, people, network, client_as
):
    response = client_as(people[role]).get(
        reverse("core:translations", args=["networks.network", network.pk])
    )
    if outcome == ALLOWED:
        assert response.status_code == 200
    else:
        assert_refused(response, outcome)


@pytest.mark.parametrize(("role", "outcome"), CHANGE_NETWORK.items())
def test_asking_for_machine_translation_only_for_who_may_change_the_network(
    role,
    outcome,
    people,
    network,
    client_as,
    settings,
    translation_service,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    settings.CONET_TRANSLATION_URL = translation_service.libretranslate_url
    before = _stored()
    client = client_as(people[role])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("core:translations_machine", args=["networks.network", network.pk])
        )
    if outcome == ALLOWED:
        assert response.status_code == 302
        assert ContentTranslation.objects.filter(origin="machine").count() == 9
    else:
        assert_refused(response, outcome)
        assert _stored() == before
        assert translation_service.requests == []


def test_a_service_refuses_who_may_not_edit_even_when_called_directly(network, people):
    with pytest.raises(PermissionDenied):
        _save(network, "Gemeinsam lernen", by=people["other_network_coordinator"])
    with pytest.raises(PermissionDenied):
        services.request_machine_translations(network, by=people["lead_expert"])
    assert not ContentTranslation.objects.exists()


def test_the_form_shows_the_other_persons_text_on_a_conflict(network, coordinator, client_as):
    _save(network, "Schon gespeichert", by=coordinator)
    url = reverse(
        "core:translation_edit", args=["networks.network", network.pk, "objectives", "de"]
    )
    response = client_as(coordinator).post(url, {"text": "Meine Fassung", "version": 0})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Schon gespeichert" in page and "Meine Fassung" in page
    assert ContentTranslation.objects.get().text == "Schon gespeichert"


def test_deleting_an_object_deletes_its_translations(network, coordinator):
    _save(network, "Gemeinsam lernen", by=coordinator)
    _save(NetworkFactory(), "Andere Ziele", by=UserFactory(is_staff=True))
    network.delete()
    assert list(ContentTranslation.objects.values_list("text", flat=True)) == ["Andere Ziele"]
