"""The demo as a manifest: each app declares its loader, `conet demo` runs them in order.

    register_demo("monitoring", load="conet.monitoring.demo.load_monitoring_demo", order=20)

`core` imports no feature app: loaders are named by their dotted path and imported when the demo
runs. Every loader creates what is missing and changes nothing that exists, so running the demo
twice changes nothing. An optional `describe` turns a loader's report into lines for the console.
"""

from dataclasses import dataclass

from django.utils.module_loading import import_string


@dataclass(frozen=True)
class DemoLoader:
    name: str
    load: str
    order: int
    describe: str | None = None


_LOADERS: dict[str, DemoLoader] = {}


def register_demo(name: str, *, load: str, order: int, describe: str | None = None) -> None:
    _LOADERS[name] = DemoLoader(name, load, order, describe)


def run_demo() -> list[str]:
    """Run every registered loader in order; returns the lines they want shown."""
    lines = []
    for loader in sorted(_LOADERS.values(), key=lambda loader: (loader.order, loader.name)):
        report = import_string(loader.load)()
        if loader.describe:
            lines.extend(import_string(loader.describe)(report))
    return lines
