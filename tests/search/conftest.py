"""A searchable kind of the tests' own (organisations), and a small embedding backend that knows a
few topics in several languages, so fusion and filters are tested without loading the model."""

import re
import unicodedata

import numpy as np
import pytest

from conet.networks.models import Organisation
from conet.search import embeddings, registry, services, vectors
from conet.search.registry import Searchable, SearchDocumentData

TOPICS = [
    ("housing", "wohnung", "alloggi", "logement", "vivienda", "homeless", "mieszka"),
    ("school", "schule", "scuola", "ecole", "escuela", "educat", "szkol"),
    ("garden", "garten", "giardin", "jardin", "huerto", "ogrod"),
    ("budget", "haushalt", "bilancio", "presupuesto", "budzet"),
]


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in text if not unicodedata.combining(char))


class TopicBackend(embeddings.EmbeddingBackend):
    """One dimension per topic (its words in several languages), one for everything else."""

    name = "topics-for-tests"
    dim = len(TOPICS) + 1

    def __init__(self):
        self.calls: list[tuple[int, bool]] = []

    def _embed(self, texts, is_query):
        self.calls.append((len(texts), is_query))
        rows = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", _fold(text)):
                for topic, stems in enumerate(TOPICS):
                    if any(word.startswith(stem) for stem in stems):
                        rows[row, topic] += 1
            if not rows[row].any():
                rows[row, -1] = 1
        return embeddings._normalised(rows)


@pytest.fixture(autouse=True)
def _fresh_vector_cache():
    # Transactions of earlier tests were rolled back; their matrix must not survive in the process.
    vectors.forget()
    yield
    vectors.forget()


@pytest.fixture
def topics(monkeypatch):
    """Meaning search on, with the topic backend."""
    backend = TopicBackend()
    monkeypatch.setattr(embeddings, "backend", lambda: backend)
    return backend


def organisation_document(organisation):
    if organisation.slug.startswith("private-"):
        return None
    return SearchDocumentData(
        title=organisation.name,
        url=f"/en/organisations/{organisation.slug}/",
        language=organisation.language,
        summary=organisation.description,
        country=organisation.country,
        city=organisation.city_name,
    )


@pytest.fixture
def organisation_kind():
    """Organisations become searchable (kind "organisation") for the length of a test."""
    registry.register(
        Searchable(
            kind="organisation",
            label="Organisation",
            model=Organisation,
            queryset=Organisation.objects.all,
            document=organisation_document,
        )
    )
    yield "organisation"
    registry.unregister("organisation")


@pytest.fixture
def add_document(db):
    """add_document(object_id, title, …) stores a document of kind "practice" directly."""

    def add(object_id, title, *, kind="practice", language="en", **fields):
        data = SearchDocumentData(
            title=title, url=f"/{kind}/{object_id}/", language=language, **fields
        )
        document = services.upsert_document(kind, object_id, data)
        services.queue_embeddings(document)
        return document

    return add
