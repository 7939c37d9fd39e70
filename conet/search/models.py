"""The search index: one row per findable thing, its vectors, and a counter that tells every
process when its in-memory copy of the vectors is stale.

The full-text side lives next to `SearchDocument` and is created by migration 0002: an FTS5 table
kept in step by triggers on SQLite, a generated `tsvector` column with a GIN index on PostgreSQL.
(On SQLite a later migration that rebuilds `search_searchdocument` drops the triggers: such a
migration must create them again, see `conet.search.fulltext.SQLITE_TRIGGERS`.)
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CitySize(models.TextChoices):
    """URBACT's size classes of cities."""

    SMALL = "small", _("small city (under 50,000)")
    MEDIUM = "medium", _("medium city (50,000 to 250,000)")
    LARGE = "large", _("large city (over 250,000)")

    @classmethod
    def of(cls, population: int | None) -> str:
        if not population:
            return ""
        if population < 50_000:
            return cls.SMALL
        if population <= 250_000:
            return cls.MEDIUM
        return cls.LARGE


class SearchDocument(models.Model):
    """One findable thing (a practice, a launched plan, a meeting …) as the index sees it."""

    kind = models.CharField(_("kind"), max_length=32)
    object_id = models.PositiveBigIntegerField(_("object"))
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(_("address"), max_length=500)
    language = models.CharField(_("language"), max_length=8, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("text"), blank=True)
    network = models.CharField(_("network"), max_length=80, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    city_population = models.PositiveIntegerField(_("city population"), null=True, blank=True)
    city_size = models.CharField(_("city size"), max_length=8, choices=CitySize.choices, blank=True)
    # "|1|3|": one LIKE '%|3|%' finds a core task on SQLite and PostgreSQL alike.
    core_tasks = models.CharField(_("core tasks"), max_length=200, blank=True)
    extra = models.JSONField(_("extra"), default=dict, blank=True)
    # Hashes of what was embedded (text and backend): an unchanged text is never embedded again.
    short_hash = models.CharField(max_length=64, blank=True)
    body_hash = models.CharField(max_length=64, blank=True)
    short_embedded = models.CharField(max_length=64, blank=True)
    body_embedded = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="unique_search_document")
        ]
        indexes = [
            models.Index(fields=["kind", "language"], name="search_doc_kind_lang"),
            models.Index(fields=["country"], name="search_doc_country"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.title}"

    @property
    def core_task_list(self) -> list[str]:
        return [task for task in self.core_tasks.split("|") if task]


class SearchVector(models.Model):
    """One embedding of a document: chunk 0 is title and summary, chunks 1… are the body's windows."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="vectors")
    chunk = models.PositiveSmallIntegerField()
    backend = models.CharField(max_length=200)
    vector = models.BinaryField()  # float32 little-endian, embeddings.to_bytes

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document", "backend", "chunk"], name="unique_search_vector_chunk"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id}#{self.chunk}"


class IndexCounter(models.Model):
    """Bumped on every change of the index; a process reloads its vector matrix when it moved."""

    name = models.CharField(max_length=32, primary_key=True)
    value = models.PositiveBigIntegerField(default=0)
    # A fresh random token with every bump: a bump rolled back and made again by another change
    # gives the same value but never the same token.
    token = models.CharField(max_length=32, blank=True)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"
