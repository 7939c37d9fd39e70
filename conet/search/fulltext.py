"""Full-text search on the database in use: SQLite FTS5, or PostgreSQL's tsvector with a GIN index.

Both sides see the same query: the words a person typed, lower-cased, without a short list of
function words in the ten languages, each matched as a prefix when it is long enough
("participation" → "particip*" also finds "participatory", "participative"). That crude stemming is
the same for all ten languages; the meaning side of search covers what it misses (a query in
Italian for a practice written in English). PostgreSQL uses the 'simple' configuration for that
reason: a language's stemmer would be wrong for nine of the ten languages of the stored texts.
"""

from __future__ import annotations

import re
import unicodedata

from django.db import connection

# SQLite: an FTS5 table on the document table's rows ("external content"), kept in step by triggers,
# so every write path (ORM, bulk, raw SQL, cascades) updates it. unicode61 folds case and accents.
SQLITE_SCHEMA = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title, summary, body,
        content='search_searchdocument', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, title, summary, body)
        VALUES (new.id, new.title, new.summary, new.body);
    END""",
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, summary, body)
        VALUES ('delete', old.id, old.title, old.summary, old.body);
    END""",
    """CREATE TRIGGER search_fts_update AFTER UPDATE OF title, summary, body
        ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, summary, body)
        VALUES ('delete', old.id, old.title, old.summary, old.body);
        INSERT INTO search_fts(rowid, title, summary, body)
        VALUES (new.id, new.title, new.summary, new.body);
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]


# PostgreSQL: a generated column, so it can never disagree with the row. Title weighs most. Accents
# are folded as the query's words are (`_fold`), with translate() because `unaccent` is an extension
# a managed database may not offer; 'simple' because no one language's stemmer suits ten.
def _accent_map() -> tuple[str, str]:
    import unicodedata

    source, target = [], []
    for code in [*range(0xC0, 0x180), ord("й")]:
        char = chr(code).lower()
        folded = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        if len(folded) == 1 and folded != char and char not in source:
            source.append(char)
            target.append(folded)
    return "".join(source), "".join(target)


ACCENTED, PLAIN = _accent_map()


def _folded(column: str) -> str:
    return f"translate(lower(coalesce({column}, '')), '{ACCENTED}', '{PLAIN}')"


POSTGRES_SCHEMA = [
    f"""ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('simple', {_folded("title")}), 'A')
            || setweight(to_tsvector('simple', {_folded("summary")}), 'B')
            || setweight(to_tsvector('simple', left({_folded("body")}, 200000)), 'C')
        ) STORED""",
    "CREATE INDEX search_document_fts ON search_searchdocument USING GIN (search_vector)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS search_document_fts",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
]

# Articles, prepositions and conjunctions of the ten languages: they match nearly every text.
_FUNCTION_WORDS = """
    a an and are as at be by for from how in into is it of on or the to with what which who
    der die das den dem des ein eine einer eines und oder mit von zu zum zur im in auf für fur
    ist sind wie was wer bei aus nach über uber
    il lo la i gli le un uno una di da del della dei delle degli nel nella per con su tra fra e o
    che come chi sono al alla ai alle dal dalla
    le la les un une des du de d l et ou en dans pour par sur avec au aux qui que quoi comment est
    el la los las un una unos unas y o de del en para por con que como al es son
    de het een en of in op voor met van te aan bij hoe wat wie is zijn
    i och eller en ett att av för med på till som hur vad är den det de
    și si sau un o ale al cu în in pe la din pentru de ce cum este sunt
    i a w we z ze na do od dla jak co o czy jest są
    и или на в във за с със от до как що е са
"""

MAX_TERMS = 12


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


STOPWORDS = frozenset(_fold(word) for word in _FUNCTION_WORDS.split())


def query_terms(query: str) -> list[str]:
    """The words of a query as the index matches them: folded, without function words, stemmed
    to a prefix: a word of six letters or more loses its last two, and keeps at most seven."""
    terms: list[str] = []
    for word in re.findall(r"\w+", query):
        folded = _fold(word)
        if folded in STOPWORDS or len(folded) < 2 or (folded.isdigit() and len(folded) < 3):
            continue
        term = folded[: max(4, min(len(folded) - 2, 7))] if len(folded) >= 6 else folded
        if term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def term_matches(word: str, terms: list[str]) -> bool:
    """Whether a word of a text is one the query's terms match (for highlighting)."""
    folded = _fold(word)
    return any(folded.startswith(term) for term in terms)


def filter_sql(filters: dict, alias: str = "d") -> tuple[str, list]:
    """WHERE conditions for the facets of `SearchDocument` (`selectors.normalise_filters` output)."""
    clauses: list[str] = []
    params: list = []
    if filters.get("kind"):
        kinds = list(filters["kind"])
        clauses.append(f"{alias}.kind IN ({', '.join(['%s'] * len(kinds))})")
        params.extend(kinds)
    for field in ("language", "country", "network", "city_size"):
        if filters.get(field):
            clauses.append(f"{alias}.{field} = %s")
            params.append(filters[field])
    if filters.get("core_task"):
        clauses.append(f"{alias}.core_tasks LIKE %s")
        params.append(f"%|{filters['core_task']}|%")
    return ("".join(f" AND {clause}" for clause in clauses), params)


# Below this many documents with every word, documents with any word in title or summary are added.
FEW = 20


def ranked_ids(terms: list[str], filters: dict, limit: int, fallback: bool = True) -> list[int]:
    """Document ids by words, best first (BM25 on SQLite, ts_rank_cd on PostgreSQL): first the
    documents that contain every word; when they are few, then those whose title or summary has any.

    Ranking every document that has *any* word anywhere costs ~100 ms over 20,000 practices on two
    cores, since common words ("urban") match half of them; requiring every word, and falling back
    to the short fields, keeps it to a few milliseconds, and meaning search covers the rest."""
    if not terms:
        return []
    ranked = _ranked(terms, filters, limit, every=True)
    if fallback and len(terms) > 1 and len(ranked) < FEW:
        seen = set(ranked)
        more = _ranked(terms, filters, limit, every=False)
        ranked += [doc_id for doc_id in more if doc_id not in seen][: limit - len(ranked)]
    return ranked


def _ranked(terms: list[str], filters: dict, limit: int, every: bool) -> list[int]:
    where, params = filter_sql(filters)
    if connection.vendor == "postgresql":
        words = [f"{term}:*" if len(term) >= 4 else term for term in terms]
        if every:
            tsquery = " & ".join(words)
        else:  # title (A) or summary (B) only
            tsquery = " | ".join(f"{word}AB" if ":*" in word else f"{word}:AB" for word in words)
        sql = (
            "SELECT d.id FROM search_searchdocument d, to_tsquery('simple', %s) q "
            f"WHERE d.search_vector @@ q{where} "
            "ORDER BY ts_rank_cd(d.search_vector, q) DESC, d.id LIMIT %s"
        )
        args = [tsquery, *params, limit]
    else:
        words = [f'"{term}"*' if len(term) >= 4 else f'"{term}"' for term in terms]
        match = " AND ".join(words) if every else "{title summary} : (" + " OR ".join(words) + ")"
        rank = "bm25(search_fts, 10.0, 4.0, 1.0)"
        if where:
            sql = (
                "SELECT d.id FROM search_fts JOIN search_searchdocument d ON d.id = search_fts.rowid "
                f"WHERE search_fts MATCH %s{where} ORDER BY {rank}, d.id LIMIT %s"
            )
        else:  # no facet to check: the FTS table alone
            sql = f"SELECT rowid FROM search_fts WHERE search_fts MATCH %s ORDER BY {rank}, rowid LIMIT %s"
        args = [match, *params, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return [row[0] for row in cursor.fetchall()]
