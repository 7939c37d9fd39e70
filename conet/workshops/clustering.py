"""Suggested clustering of workshop cards by meaning, across languages.

After the writing time of a phase the facilitator groups the cards. A suggestion saves most of that
work: the cards are embedded with the multilingual backend (`conet.search.embeddings`, passage
side) and grouped by average-linkage agglomerative clustering on cosine distance. Each group gets a
proposed title taken from the cards themselves, the card nearest the group's centre, because a
title in the participants' own words is one the facilitator can accept without rewriting; the
facilitator accepts, edits or ignores the suggestion (`followup.accept_suggestion`).

Two details matter for the (4-bit, small) e5 vectors:

- they are anisotropic (any two sentences have a cosine of ~0.75), and the language of a card
  moves its vector as much as its topic: on the labelled set a card's nearest neighbour is in the
  same language 2 times out of 3 but on the same topic only 1 time out of 2. So each card's
  language is guessed from its small words and letters (`guess_language`), and the vectors are
  centred on the board's mean *and* on their language's mean (shrunk towards the board's mean for
  languages with few cards) before distances are taken; the nearest neighbour then shares the
  topic 9 times out of 10 (bench/workshop_clustering.py);
- the number of groups is not known in advance: merging stops at a distance threshold
  (`DEFAULT_THRESHOLD`, chosen on tests/data/workshop_cards.json, so it is tuned to that set), or,
  with `threshold=None`, at the cut with the best mean silhouette (no tuning, but it prefers many
  small groups on these vectors).

Pure numpy (no scikit-learn): boards hold tens to a few hundred cards, and the O(n²) merge loop
takes milliseconds next to the embedding itself (~12 ms a card on two cores).

`adjusted_rand_index` is here too: it scores a suggestion against a facilitator's grouping
(tests/data/workshop_cards.json, bench/workshop_clustering.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext_lazy as _

from conet.search.embeddings import EmbeddingBackend
from conet.search.embeddings import backend as embedding_backend

TITLE_MAX_CHARS = 80
MIN_CARDS = 3
DEFAULT_THRESHOLD = 0.8
# A language seen on n cards has its mean moved n / (n + LANGUAGE_SHRINK) of the way to its own.
LANGUAGE_SHRINK = 2

# Short, frequent words of the ten interface languages (Bulgarian is told by its alphabet).
_SMALL_WORDS = {
    "en": "the and is are of to in no not for there from with at on after do does have has too "
    "most people when they our we it this",
    "de": "die der das und ist sind nicht kein keine es gibt für mit im in auf den dem ein eine man "
    "viele zu von seit wird werden",
    "it": "il la le lo gli i di del della e è non ci sono per nel nella un una che da al alla dei "
    "delle troppo manca mancano",
    "fr": "le la les de des du et est sont pas ne il y a pour dans un une que qui au aux sur trop nous",
    "ro": "și este sunt nu de la din în pe cu un o ce care mai au sa să se ne noi pentru după "
    "toată niciun nicio există",
    "nl": "de het een en is zijn niet geen er voor met in op van te veel wij ons",
    "pl": "i w na nie jest są z do się dla że jak po od brak przez",
    "sv": "och är inte det en ett att för med på av till som har finns inga ingen vi",
    "es": "el la los las de del y es son no hay para en con un una que por muy al",
}
_SMALL_WORD_SETS = {language: set(words.split()) for language, words in _SMALL_WORDS.items()}
_LETTERS = {
    "ro": "ăâîșțşţ",
    "de": "äöüß",
    "pl": "ąćęłńśźż",
    "sv": "åäö",
    "es": "ñ¿¡",
    "fr": "çœèêëù",
    "it": "àèìòù",
}
_WORD = re.compile(r"[^\W\d_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")


@dataclass(frozen=True)
class SuggestedGroup:
    """Cards that seem to say the same thing, and a title proposed from one of them."""

    card_ids: tuple[int, ...]
    title: str
    title_card_id: int


@dataclass(frozen=True)
class Suggestion:
    """A proposed grouping. `groups` is empty and `reason` says why when nothing is suggested."""

    groups: list[SuggestedGroup] = field(default_factory=list)
    ungrouped: tuple[int, ...] = ()  # cards that resemble no other card
    reason: str = ""
    method: str = ""

    @property
    def available(self) -> bool:
        return bool(self.groups)

    def labels(self, card_ids: Sequence[int]) -> list[int]:
        """A group number per card id (each ungrouped card alone), in the order given."""
        label_of: dict[int, int] = {}
        for number, group in enumerate(self.groups):
            for card_id in group.card_ids:
                label_of[card_id] = number
        next_label = len(self.groups)
        labels = []
        for card_id in card_ids:
            if card_id not in label_of:
                label_of[card_id] = next_label
                next_label += 1
            labels.append(label_of[card_id])
        return labels


def suggest_clusters(
    cards: Sequence[tuple[int, str]],
    *,
    threshold: float | None = DEFAULT_THRESHOLD,
    embedder: EmbeddingBackend | None = None,
) -> Suggestion:
    """Group `(card id, text)` pairs by meaning.

    `threshold` is a cosine distance between centred vectors at which merging stops; None picks
    the number of groups by silhouette. Cards with empty text are left out.
    """
    embedder = embedder or embedding_backend()
    if not embedder.enabled:
        return Suggestion(
            reason=str(
                _("Meaning search is switched off on this server, so no grouping can be suggested.")
            )
        )
    cards = [(card_id, text.strip()) for card_id, text in cards if text and text.strip()]
    if len(cards) < MIN_CARDS:
        return Suggestion(
            reason=str(
                _("At least %(count)s cards are needed for a suggestion.") % {"count": MIN_CARDS}
            )
        )
    ids = [card_id for card_id, _text in cards]
    texts = [text for _card_id, text in cards]
    vectors = centred(embedder.passages(texts), [guess_language(text) for text in texts])
    distances = cosine_distances(vectors)
    if threshold is None:
        labels = cut_by_silhouette(distances)
        method = "silhouette"
    else:
        labels = cut_at_threshold(distances, threshold)
        method = f"threshold {threshold:g}"
    return _suggestion(ids, texts, vectors, labels, method)


def guess_language(text: str) -> str:
    """The card's language among the ten interface languages, or "" when the words do not tell."""
    if _CYRILLIC.search(text):
        return "bg"
    lowered = text.lower()
    words = _WORD.findall(lowered)
    scores = {
        language: sum(word in small for word in words)
        + 2 * sum(letter in _LETTERS.get(language, "") for letter in lowered)
        for language, small in _SMALL_WORD_SETS.items()
    }
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    if ranked[0][1] == 0 or ranked[0][1] == ranked[1][1]:
        return ""
    return ranked[0][0]


def centred(vectors: np.ndarray, languages: Sequence[str] | None = None) -> np.ndarray:
    """Remove what all cards share, and what the cards of one language share, then renormalise.

    A language's own mean is trusted in proportion to its number of cards, so three English
    cards on one topic among forty Romanian ones keep most of their topic.
    """
    if len(vectors) < 2:
        return vectors
    board_mean = vectors.mean(axis=0, keepdims=True)
    shifted = vectors - board_mean
    if languages is not None:
        codes = np.asarray(languages, dtype=object)
        for language in set(languages) - {""}:
            rows = codes == language
            count = int(rows.sum())
            weight = count / (count + LANGUAGE_SHRINK)
            shifted[rows] -= weight * (vectors[rows].mean(axis=0) - board_mean[0])
    norms = np.linalg.norm(shifted, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (shifted / norms).astype(np.float32)


def cosine_distances(vectors: np.ndarray) -> np.ndarray:
    distances = 1.0 - (vectors @ vectors.T).astype(np.float64)
    np.fill_diagonal(distances, 0.0)
    return np.clip(distances, 0.0, 2.0)


def merge_history(distances: np.ndarray) -> list[tuple[int, int, float]]:
    """Average-linkage merges as (kept cluster, absorbed cluster, distance), closest first.

    Clusters are named by the index of their first member; the Lance–Williams update keeps the
    average distance between every pair of live clusters in one matrix.
    """
    n = len(distances)
    current = distances.astype(np.float64).copy()
    np.fill_diagonal(current, np.inf)
    sizes = np.ones(n)
    alive = np.ones(n, dtype=bool)
    merges: list[tuple[int, int, float]] = []
    for _step in range(n - 1):
        masked = np.where(alive[:, None] & alive[None, :], current, np.inf)
        flat = int(np.argmin(masked))
        a, b = divmod(flat, n)
        if a > b:
            a, b = b, a
        distance = float(masked[a, b])
        merges.append((a, b, distance))
        total = sizes[a] + sizes[b]
        current[a, :] = (sizes[a] * current[a, :] + sizes[b] * current[b, :]) / total
        current[:, a] = current[a, :]
        current[a, a] = np.inf
        sizes[a] = total
        alive[b] = False
        current[b, :] = np.inf
        current[:, b] = np.inf
    return merges


def labels_after(n: int, merges: list[tuple[int, int, float]], steps: int) -> np.ndarray:
    """Cluster labels (0..k-1, by first appearance) after the first `steps` merges."""
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b, _distance in merges[:steps]:
        parent[root(b)] = root(a)
    renumber: dict[int, int] = {}
    return np.array([renumber.setdefault(root(i), len(renumber)) for i in range(n)])


def cut_at_threshold(distances: np.ndarray, threshold: float) -> np.ndarray:
    merges = merge_history(distances)
    steps = sum(1 for _a, _b, distance in merges if distance <= threshold)
    return labels_after(len(distances), merges, steps)


def cut_by_silhouette(distances: np.ndarray) -> np.ndarray:
    """The cut of the merge tree with the highest mean silhouette, from 2 to n/2 groups."""
    n = len(distances)
    merges = merge_history(distances)
    best_labels = labels_after(n, merges, n - 1)
    best_score = -np.inf
    for groups in range(2, max(2, n // 2) + 1):
        labels = labels_after(n, merges, n - groups)
        score = silhouette(distances, labels)
        if score > best_score:
            best_score, best_labels = score, labels
    return best_labels


def silhouette(distances: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette coefficient (a singleton scores 0, as in Rousseeuw 1987)."""
    labels = np.asarray(labels)
    clusters = np.unique(labels)
    if len(clusters) < 2 or len(clusters) >= len(labels):
        return -1.0
    member = labels[None, :] == clusters[:, None]  # clusters × cards
    sizes = member.sum(axis=1)
    mean_to = (distances @ member.T.astype(np.float64)) / sizes  # cards × clusters
    own = np.searchsorted(clusters, labels)
    own_size = sizes[own]
    rows = np.arange(len(labels))
    a = np.where(own_size > 1, mean_to[rows, own] * own_size / np.maximum(own_size - 1, 1), 0.0)
    other = mean_to.copy()
    other[rows, own] = np.inf
    b = other.min(axis=1)
    scores = np.where(own_size > 1, (b - a) / np.maximum(np.maximum(a, b), 1e-12), 0.0)
    return float(scores.mean())


def proposed_title(text: str) -> str:
    """A card's text, shortened at a word boundary to fit a cluster title."""
    text = " ".join(text.split())
    if len(text) <= TITLE_MAX_CHARS:
        return text
    cut = text[: TITLE_MAX_CHARS - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-") + "…"


def _suggestion(
    ids: list[int], texts: list[str], vectors: np.ndarray, labels: np.ndarray, method: str
) -> Suggestion:
    groups: list[SuggestedGroup] = []
    ungrouped: list[int] = []
    for label in range(int(labels.max()) + 1):
        members = np.flatnonzero(labels == label)
        if len(members) == 1:
            ungrouped.append(ids[members[0]])
            continue
        centre = vectors[members].mean(axis=0)
        nearest = int(members[int(np.argmax(vectors[members] @ centre))])
        groups.append(
            SuggestedGroup(
                card_ids=tuple(ids[i] for i in members),
                title=proposed_title(texts[nearest]),
                title_card_id=ids[nearest],
            )
        )
    groups.sort(key=lambda group: (-len(group.card_ids), group.card_ids[0]))
    reason = "" if groups else str(_("The cards are too different from each other to group."))
    return Suggestion(groups=groups, ungrouped=tuple(ungrouped), reason=reason, method=method)


def adjusted_rand_index(truth: Sequence, predicted: Sequence) -> float:
    """Hubert & Arabie's adjusted Rand index of two labellings of the same items.

    1 for identical partitions (up to renaming), about 0 for a random one, negative when worse
    than chance. Two partitions that are both all-in-one or both all-singletons score 1.
    """
    if len(truth) != len(predicted):
        raise ValueError("both labellings must cover the same items")
    n = len(truth)
    if n < 2:
        return 1.0
    _values, truth_codes = np.unique(
        np.asarray(truth, dtype=object).astype(str), return_inverse=True
    )
    _values, predicted_codes = np.unique(
        np.asarray(predicted, dtype=object).astype(str), return_inverse=True
    )
    table = np.zeros((truth_codes.max() + 1, predicted_codes.max() + 1), dtype=np.int64)
    np.add.at(table, (truth_codes, predicted_codes), 1)

    def pairs(counts: np.ndarray) -> float:
        return float((counts * (counts - 1) // 2).sum())

    index = pairs(table)
    truth_pairs = pairs(table.sum(axis=1))
    predicted_pairs = pairs(table.sum(axis=0))
    expected = truth_pairs * predicted_pairs / (n * (n - 1) / 2)
    maximum = (truth_pairs + predicted_pairs) / 2
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)
