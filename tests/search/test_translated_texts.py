"""A practice is found by the words of its translations, not only by meaning: the index holds the
versions of its texts in other languages and follows every change of them."""

import pytest

from conet.core.translations import services
from conet.search.models import SearchDocument
from conet.search.selectors import search
from tests.practices.factories import GoodPracticeFactory
from tests.translation_service import translation_service  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def practice(network, city, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return GoodPracticeFactory(
            network=network,
            name="Shared gardens",
            summary="Neighbours grow vegetables together on empty plots.",
        )


def _found(query: str, language: str) -> list[str]:
    return [hit.title for hit in search(query, language=language, mode="fulltext").hits]


def _translate(practice, text, by, capture, *, version=0):
    with capture(execute=True):
        return services.save_translation(
            practice, "summary", "it", text, by=by, expected_version=version
        )


def test_a_practice_is_found_in_italian_by_its_italian_translation(
    practice, people, django_capture_on_commit_callbacks
):
    assert _found("ortaggi vicini", "it") == []
    _translate(
        practice,
        "I vicini coltivano ortaggi insieme su terreni vuoti.",
        people["platform_admin"],
        django_capture_on_commit_callbacks,
    )
    assert _found("ortaggi vicini", "it") == ["Shared gardens"]
    assert _found("vegetables", "en") == ["Shared gardens"]  # the original is still found


def test_a_changed_or_removed_translation_is_indexed_again(
    practice, people, django_capture_on_commit_callbacks
):
    admin = people["platform_admin"]
    capture = django_capture_on_commit_callbacks
    first = _translate(practice, "Orti condivisi nel quartiere.", admin, capture)
    assert _found("orti", "it") == ["Shared gardens"]
    _translate(practice, "Giardini comuni nel quartiere.", admin, capture, version=first.version)
    assert _found("orti", "it") == []
    assert _found("giardini comuni", "it") == ["Shared gardens"]
    _translate(practice, "", admin, capture, version=first.version + 1)
    assert _found("giardini comuni", "it") == []


def test_machine_translations_are_indexed_too(
    practice,
    people,
    settings,
    translation_service,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    settings.CONET_TRANSLATION_URL = translation_service.libretranslate_url
    with django_capture_on_commit_callbacks(execute=True):
        services.request_machine_translations(practice, by=people["platform_admin"])
    document = SearchDocument.objects.get(kind="practice", object_id=practice.pk)
    # the fake service writes "[it] …" in front of each text it translates
    assert "[it] Neighbours grow vegetables together" in document.body
    assert "[sv] A short description" in document.body


def test_a_draft_stays_out_of_the_index_whatever_is_translated(
    network, city, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        draft = GoodPracticeFactory(network=network, city=city, status="draft", name="Secret plan")
    _translate(
        draft, "Un piano segreto.", people["platform_admin"], django_capture_on_commit_callbacks
    )
    assert _found("segreto", "it") == []
