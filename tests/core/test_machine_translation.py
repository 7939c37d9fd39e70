"""Machine translation against a local server speaking LibreTranslate's and DeepL's protocols.

The backends are exercised over real HTTP, failures included (a refused key, a used-up quota,
a server error, nothing listening); a failure changes nothing and tells the coordinator why in
their language. A machine never overwrites a person's version; a person's replaces a machine's.
"""

import pytest
from django.urls import reverse
from django.utils import translation

from conet.core.models import ContentTranslation, MachineTranslationRequest
from conet.core.translations import machine, services
from conet.core.translations.machine import DeepL, LibreTranslate, TranslationUnavailable
from tests.translation_service import closed_port, translation_service  # noqa: F401

# Backends and the setting ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("", None),
        ("libretranslate+http://127.0.0.1:5000", LibreTranslate("http://127.0.0.1:5000", "")),
        (
            "libretranslate+https://lt.example.org/?key=abc",
            LibreTranslate("https://lt.example.org/", "abc"),
        ),
        ("deepl://?key=abc:fx", DeepL("https://api-free.deepl.com", "abc:fx")),
        ("deepl://?key=abc", DeepL("https://api.deepl.com", "abc")),
        ("deepl+http://127.0.0.1:9000/?key=k", DeepL("http://127.0.0.1:9000/", "k")),
    ],
)
def test_the_setting_names_the_backend(url, expected):
    assert machine.backend_from_url(url) == expected


@pytest.mark.parametrize("url", ["deepl://", "google://x", "libretranslate://host"])
def test_a_setting_that_cannot_work_is_refused_with_the_reason(url):
    with pytest.raises(ValueError, match="CONET_TRANSLATION_URL"):
        machine.backend_from_url(url)


def test_libretranslate_is_asked_in_its_own_format(translation_service):  # noqa: F811
    backend = machine.backend_from_url(translation_service.libretranslate_url)
    assert backend.translate(["Learn together", "Act"], "en", "de") == [
        "[de] Learn together",
        "[de] Act",
    ]
    (sent,) = translation_service.requests
    assert sent["path"] == "/translate"
    assert sent["body"] == {
        "q": ["Learn together", "Act"],
        "source": "en",
        "target": "de",
        "format": "text",
        "api_key": "test-key",
    }


def test_deepl_is_asked_in_its_own_format(translation_service):  # noqa: F811
    backend = machine.backend_from_url(translation_service.deepl_url)
    assert backend.translate(["Imparare insieme"], "it", "en") == ["[en-gb] Imparare insieme"]
    (sent,) = translation_service.requests
    assert sent["path"] == "/v2/translate"
    assert sent["headers"]["Authorization"] == "DeepL-Auth-Key test-key"
    assert sent["body"] == {
        "text": ["Imparare insieme"],
        "source_lang": "IT",
        "target_lang": "EN-GB",
    }


@pytest.mark.parametrize("protocol", ["libretranslate_url", "deepl_url"])
@pytest.mark.parametrize(
    ("status", "code"),
    [(429, "quota"), (500, "server"), (503, "server")],
)
def test_a_refusing_service_is_reported_by_its_reason(
    translation_service,  # noqa: F811
    protocol,
    status,
    code,
):
    translation_service.fail_with = status
    backend = machine.backend_from_url(getattr(translation_service, protocol))
    with pytest.raises(TranslationUnavailable) as error:
        backend.translate(["Learn together"], "en", "de")
    assert error.value.code == code


def test_deepls_quota_answer_456_means_the_quota_is_used_up(translation_service):  # noqa: F811
    translation_service.fail_with = 456
    with pytest.raises(TranslationUnavailable) as error:
        machine.backend_from_url(translation_service.deepl_url).translate(["x"], "en", "de")
    assert error.value.code == "quota"


@pytest.mark.parametrize("protocol", ["libretranslate_url", "deepl_url"])
def test_a_wrong_key_is_reported_as_such(translation_service, protocol):  # noqa: F811
    url = getattr(translation_service, protocol).replace("test-key", "wrong-key")
    with pytest.raises(TranslationUnavailable) as error:
        machine.backend_from_url(url).translate(["Learn together"], "en", "de")
    assert error.value.code == "bad_key"


@pytest.mark.parametrize("scheme", ["libretranslate+http", "deepl+http"])
def test_a_service_that_is_down_is_reported_as_unreachable(scheme):
    backend = machine.backend_from_url(f"{scheme}://127.0.0.1:{closed_port()}/?key=k")
    with pytest.raises(TranslationUnavailable) as error:
        backend.translate(["Learn together"], "en", "de")
    assert error.value.code == "unreachable"


def test_a_service_that_answers_too_late_counts_as_unreachable(
    translation_service,  # noqa: F811
    settings,
):
    settings.CONET_TRANSLATION_TIMEOUT = 0.3
    translation_service.answer_after = 5
    backend = machine.backend_from_url(translation_service.deepl_url)
    with pytest.raises(TranslationUnavailable) as error:
        backend.translate(["Learn together"], "en", "de")
    assert error.value.code == "unreachable"


def test_a_language_the_service_does_not_offer_is_a_refusal(translation_service):  # noqa: F811
    backend = machine.backend_from_url(translation_service.libretranslate_url)
    with pytest.raises(TranslationUnavailable) as error:
        backend.translate(["Learn together"], "en", "xx")
    assert error.value.code == "rejected"


# The background work ----------------------------------------------------------------------------


@pytest.fixture
def switched_on(settings, translation_service):  # noqa: F811
    settings.CONET_TRANSLATION_URL = translation_service.libretranslate_url
    return translation_service


def _ask(network, user, capture):
    with capture(execute=True):
        services.request_machine_translations(network, by=user)
    return MachineTranslationRequest.objects.latest("pk")


def _texts(network) -> dict[str, tuple[str, str]]:
    return {
        row.language: (row.text, row.origin)
        for row in ContentTranslation.objects.filter(object_id=network.pk, field="objectives")
    }


@pytest.mark.django_db
def test_missing_translations_are_made_in_the_background_and_marked(
    network, people, switched_on, django_capture_on_commit_callbacks
):
    network.results = "Two plans"
    network.save()
    done = _ask(network, people["network_coordinator"], django_capture_on_commit_callbacks)
    assert (done.status, done.written, done.error) == ("done", 18, "")
    assert _texts(network)["it"] == ("- [it] Learn together", "machine")
    # one request per language, every text of that language in it
    assert len(switched_on.requests) == 9
    assert switched_on.requests[0]["body"]["q"] == ["- Learn together", "Two plans"]


@pytest.mark.django_db
def test_a_machine_never_overwrites_a_persons_version(
    network, people, switched_on, django_capture_on_commit_callbacks
):
    coordinator = people["network_coordinator"]
    services.save_translation(
        network, "objectives", "de", "Gemeinsam lernen", by=coordinator, expected_version=0
    )
    _ask(network, coordinator, django_capture_on_commit_callbacks)
    texts = _texts(network)
    assert texts["de"] == ("Gemeinsam lernen", "human")
    assert texts["fr"] == ("- [fr] Learn together", "machine")
    assert all(request["body"]["target"] != "de" for request in switched_on.requests)


@pytest.mark.django_db
def test_not_even_an_outdated_persons_version(
    network, people, switched_on, django_capture_on_commit_callbacks
):
    coordinator = people["network_coordinator"]
    services.save_translation(
        network, "objectives", "de", "Gemeinsam lernen", by=coordinator, expected_version=0
    )
    _ask(network, coordinator, django_capture_on_commit_callbacks)
    network.objectives = "- Learn and act together"
    network.save()
    _ask(network, coordinator, django_capture_on_commit_callbacks)
    texts = _texts(network)
    assert texts["de"] == ("Gemeinsam lernen", "human")  # outdated, shown so to its editors
    assert texts["fr"] == ("- [fr] Learn and act together", "machine")  # redone from the new text


@pytest.mark.django_db
def test_a_persons_edit_replaces_the_machines_version(
    network, people, switched_on, django_capture_on_commit_callbacks
):
    coordinator = people["network_coordinator"]
    _ask(network, coordinator, django_capture_on_commit_callbacks)
    machine_row = ContentTranslation.objects.get(object_id=network.pk, language="de")
    services.save_translation(
        network,
        "objectives",
        "de",
        "Gemeinsam lernen",
        by=coordinator,
        expected_version=machine_row.version,
    )
    assert _texts(network)["de"] == ("Gemeinsam lernen", "human")


@pytest.mark.django_db
@pytest.mark.parametrize("status", [403, 429, 500])
def test_a_failing_service_changes_nothing_and_the_request_says_why(
    network, people, switched_on, django_capture_on_commit_callbacks, status
):
    if status == 403:
        switched_on.key = "another-key"  # ours is refused
    else:
        switched_on.fail_with = status
    failed = _ask(network, people["network_coordinator"], django_capture_on_commit_callbacks)
    assert failed.status == "failed"
    assert failed.error == {403: "bad_key", 429: "quota", 500: "server"}[status]
    assert not ContentTranslation.objects.exists()


@pytest.mark.django_db
def test_a_service_failing_half_way_writes_none_of_the_texts(
    network, people, settings, django_capture_on_commit_callbacks, monkeypatch
):
    calls = []

    class HalfWay:
        def translate(self, texts, source, target):
            calls.append(target)
            if len(calls) == 3:
                raise TranslationUnavailable("quota", "456")
            return [f"[{target}] {text}" for text in texts]

    settings.CONET_TRANSLATION_URL = "libretranslate+http://127.0.0.1:1"
    monkeypatch.setattr(machine, "backend", lambda: HalfWay())
    failed = _ask(network, people["network_coordinator"], django_capture_on_commit_callbacks)
    assert (failed.status, failed.error) == ("failed", "quota")
    assert not ContentTranslation.objects.exists()


@pytest.mark.django_db
def test_the_coordinator_reads_the_failure_in_their_language(
    network, people, client_as, settings, django_capture_on_commit_callbacks
):
    settings.CONET_TRANSLATION_URL = f"libretranslate+http://127.0.0.1:{closed_port()}"
    client = client_as(people["network_coordinator"])
    with translation.override("de"):
        url = reverse("core:translations_machine", args=["networks.network", network.pk])
        overview = reverse("core:translations", args=["networks.network", network.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, HTTP_ACCEPT_LANGUAGE="de")
    page = client.get(overview, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Der Übersetzungsdienst ist nicht erreichbar." in page
    assert not ContentTranslation.objects.exists()


@pytest.mark.django_db
def test_with_machine_translation_off_asking_is_refused_with_a_reason(
    network, people, client_as, settings
):
    settings.CONET_TRANSLATION_URL = ""
    client = client_as(people["network_coordinator"])
    with translation.override("it"):
        url = reverse("core:translations_machine", args=["networks.network", network.pk])
    response = client.post(url, HTTP_ACCEPT_LANGUAGE="it", follow=True)
    assert (
        "La traduzione automatica non è attiva su questa piattaforma." in response.content.decode()
    )
    assert not MachineTranslationRequest.objects.exists()
