"""/api/v1/translations: read an object's texts and their versions, write one, ask a machine.

Writing follows the object's own edit permission, as on the page; a draft's texts are not public."""

import pytest

from conet.core.models import AuditEntry, ContentTranslation, MachineTranslationRequest
from tests.factories import ALLOWED, api_headers, outcome_table
from tests.translation_service import translation_service  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

CHANGE_NETWORK = outcome_table({"platform_admin", "network_coordinator"}, visitor=401)


def _rows() -> list:
    return [
        *ContentTranslation.objects.order_by("pk").values(),
        *MachineTranslationRequest.objects.order_by("pk").values(),
        *AuditEntry.objects.filter(action__startswith="translation").values(),
    ]


def _put(client, network, user, body, language="de"):
    headers = api_headers(user)
    return lambda: client.put(
        f"/api/v1/translations/networks.network/{network.pk}/objectives/{language}",
        data=body,
        content_type="application/json",
        headers=headers,
    )


def test_anyone_reads_the_texts_the_versions_and_what_is_missing(client, network, people):
    _put(client, network, people["network_coordinator"], {"text": "Gemeinsam lernen"})()
    response = client.get(f"/api/v1/translations/networks.network/{network.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["original_language"] == "en"
    objectives = next(f for f in body["fields"] if f["field"] == "objectives")
    assert objectives["original"] == "- Learn together"
    assert "de" not in objectives["missing"] and "it" in objectives["missing"]
    (german,) = body["translations"]
    assert {
        k: german[k] for k in ("field", "language", "text", "origin", "outdated", "version")
    } == {
        "field": "objectives",
        "language": "de",
        "text": "Gemeinsam lernen",
        "origin": "human",
        "outdated": False,
        "version": 1,
    }


@pytest.mark.parametrize(("role", "outcome"), CHANGE_NETWORK.items())
def test_writing_a_version_only_for_who_may_change_the_network(
    role, outcome, people, network, client
):
    request = _put(client, network, people[role], {"text": "Gemeinsam lernen", "version": 0})
    before = _rows()
    response = request()
    if outcome == ALLOWED:
        assert response.status_code == 200
        assert ContentTranslation.objects.get().text == "Gemeinsam lernen"
    else:
        assert response.status_code == outcome
        assert _rows() == before


@pytest.mark.parametrize(("role", "outcome"), CHANGE_NETWORK.items())
def test_asking_a_machine_only_for_who_may_change_the_network(
    role,
    outcome,
    people,
    network,
    client,
    settings,
    translation_service,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    settings.CONET_TRANSLATION_URL = translation_service.deepl_url
    headers = api_headers(people[role])
    before = _rows()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/translations/networks.network/{network.pk}/machine", headers=headers
        )
    if outcome == ALLOWED:
        assert response.status_code == 202
        assert ContentTranslation.objects.filter(origin="machine").count() == 9
    else:
        assert response.status_code == outcome
        assert _rows() == before


def test_writing_from_an_old_version_answers_409_and_changes_nothing(client, network, people):
    coordinator = people["network_coordinator"]
    _put(client, network, coordinator, {"text": "Erste", "version": 0})()
    _put(client, network, coordinator, {"text": "Zweite", "version": 1})()
    response = _put(client, network, coordinator, {"text": "Meine", "version": 1})()
    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    assert ContentTranslation.objects.get().text == "Zweite"


def test_the_originals_own_language_answers_422_naming_it(client, network, people):
    response = _put(client, network, people["network_coordinator"], {"text": "x"}, "en")()
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["language"]


def test_with_machine_translation_off_asking_answers_422(client, network, people, settings):
    settings.CONET_TRANSLATION_URL = ""
    response = client.post(
        f"/api/v1/translations/networks.network/{network.pk}/machine",
        headers=api_headers(people["network_coordinator"]),
    )
    assert response.status_code == 422
    assert not MachineTranslationRequest.objects.exists()


def test_an_unknown_kind_or_a_drafts_texts_answer_404(client, network, city):
    from tests.practices.factories import GoodPracticeFactory

    draft = GoodPracticeFactory(network=network, city=city, status="draft")
    assert client.get(f"/api/v1/translations/networks.nothing/{network.pk}").status_code == 404
    assert client.get(f"/api/v1/translations/practices.goodpractice/{draft.pk}").status_code == 404
