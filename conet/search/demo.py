"""The demo's search index: every registered kind indexed once the other apps' demos are loaded
(their saves index themselves too; this catches rows a loader wrote in bulk). Embeddings are
queued for the worker, never waited for. Running it twice changes nothing."""

from conet.search import services


def load_search_demo() -> dict[str, int]:
    return services.rebuild()


def describe_search_demo(counts: dict[str, int]) -> list[str]:
    found = ", ".join(f"{count} {kind}" for kind, count in sorted(counts.items())) or "nothing"
    return [f"search: indexed {found} (meaning search follows in the background)"]
