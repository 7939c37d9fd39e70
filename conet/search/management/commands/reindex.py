from django.core.management.base import BaseCommand, CommandError

from conet.search import embeddings, registry, services
from conet.search.models import SearchDocument


class ProgressBar:
    """One line that redraws itself: `practice [########------] 60/97`."""

    def __init__(self, stream, width: int = 30):
        self.stream = stream
        self.width = width
        self.interactive = getattr(stream, "isatty", lambda: False)()
        self.last = None

    def __call__(self, done: int, total: int, label: str) -> None:
        filled = int(self.width * done / total) if total else self.width
        line = f"{label:<10} [{'#' * filled}{'-' * (self.width - filled)}] {done}/{total}"
        if self.interactive:
            self.stream.write("\r" + line + ("\n" if done >= total else ""))
        elif done >= total or (self.last != label and done == 1):
            # Not a terminal (a log file): the start and end of each kind, not every redraw.
            self.stream.write(line + "\n")
        self.last = label
        self.stream.flush()


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
        counts = self._rebuild_now(kind, bar) if now else services.rebuild(kind, progress=bar)
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count} documents")
        backend = embeddings.backend()
        if not backend.enabled:
            self.stdout.write("meaning search is off (CONET_EMBEDDINGS=none): full text only")
        elif not now:
            self.stdout.write("embeddings are queued: the background worker computes them")

    def _rebuild_now(self, kind, bar):
        counts = services.rebuild(kind, progress=bar, queue=False)
        if not embeddings.backend().enabled:
            return counts
        documents = SearchDocument.objects.all()
        if kind:
            documents = documents.filter(kind=kind)
        ids = list(documents.values_list("pk", flat=True))
        for done, pk in enumerate(ids, start=1):
            services.embed_short(pk)
            bar(done, len(ids), "short")
        for done, pk in enumerate(ids, start=1):
            services.embed_body(pk)
            bar(done, len(ids), "body")
        return counts
