from django.core.management.base import BaseCommand, CommandError

from conet.core.progress import ProgressBar
from conet.search import embeddings, registry, services
from conet.search.models import SearchDocument


class Command(BaseCommand):
    help = (
        "Rebuild the search index from every registered kind (or one, with --kind). Texts are "
        "indexed at once; embeddings are queued for the background worker, or computed here "
        "with --now."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kind", help="only this kind (practice, plan, meeting, …)")
        parser.add_argument(
            "--now", action="store_true", help="compute the embeddings in this process"
        )

    def handle(self, *args, kind=None, now=False, **options):
        kinds = [s.kind for s in registry.searchables()]
        if kind and kind not in kinds:
            raise CommandError(f"unknown kind {kind!r}; registered: {', '.join(kinds) or 'none'}")
        bar = ProgressBar(self.stderr._out)  # the raw stream: the bar writes its own line ends
        counts = (
            self._rebuild_now(kind, bar) if now else services.rebuild(kind, progress=_by_kind(bar))
        )
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count} documents")
        backend = embeddings.backend()
        if not backend.enabled:
            self.stdout.write("meaning search is off (CONET_EMBEDDINGS=none): full text only")
        elif not now:
            self.stdout.write("embeddings are queued: the background worker computes them")

    def _rebuild_now(self, kind, bar):
        counts = services.rebuild(kind, progress=_by_kind(bar), queue=False)
        if not embeddings.backend().enabled:
            return counts
        documents = SearchDocument.objects.all()
        if kind:
            documents = documents.filter(kind=kind)
        ids = list(documents.values_list("pk", flat=True))
        for done, pk in enumerate(ids, start=1):
            services.embed_short(pk)
            bar("short", done, len(ids))
        for done, pk in enumerate(ids, start=1):
            services.embed_body(pk)
            bar("body", done, len(ids))
        return counts


def _by_kind(bar):
    """services.rebuild reports `(done, total, kind)`."""
    return lambda done, total, kind: bar(kind, done, total)
