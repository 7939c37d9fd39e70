"""Imports between apps run one way (conet/architecture.py, docs/architecture.md).

Every module under conet/ is read with `ast` (nothing is imported, no package is needed), each
`import conet.<app>…` of another app becomes an edge, and the edges are held against the layer
table: no import from a lower layer to a higher one or between two apps of one layer, no cycle
between apps. Violations that exist today are listed in KNOWN_VIOLATIONS; a new one fails, and so
does a listed one that has been fixed (strike it from the list).
"""

import ast
from dataclasses import dataclass
from pathlib import Path

from conet import architecture

CONET = Path(architecture.__file__).parent


@dataclass(frozen=True)
class Edge:
    module: str  # the importing module, "conet.localgroups.views"
    source: str  # its app, or a root module's name
    target: str  # the imported app
    line: int

    def __str__(self) -> str:
        return f"{self.module}:{self.line} imports conet.{self.target}"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(CONET.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported(node: ast.AST, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = node.module or ""
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join(package + ([base] if base else []))
    if base == "conet":  # from conet import workshops
        return [f"conet.{alias.name}" for alias in node.names]
    return [base]


def edges_of(source_code: str, module: str, is_package: bool = False) -> list[Edge]:
    """The imports of other parts of conet in one module, those inside functions included."""
    source = module.split(".")[1] if module.count(".") else "__init__"
    found = []
    for node in ast.walk(ast.parse(source_code)):
        for name in _imported(node, module, is_package):
            parts = name.split(".")
            if len(parts) > 1 and parts[0] == "conet" and parts[1] != source:
                found.append(Edge(module, source, parts[1], node.lineno))
    return found


def all_edges() -> list[Edge]:
    edges = []
    for path in sorted(CONET.rglob("*.py")):
        edges += edges_of(path.read_text(), _module_name(path), path.name == "__init__.py")
    return edges


def breaks_rules(edge: Edge) -> str | None:
    """Why `edge` goes against the table, or None when it goes down as it should."""
    if edge.target in architecture.ROOTS:
        return "imports a root module, which puts the apps together"
    if edge.source in architecture.ROOTS:
        return None
    allowed = architecture.HOSTS.get(edge.source)
    if allowed is not None and edge.target not in allowed:
        return f"{edge.source} is a plug-in host and knows only {', '.join(sorted(allowed))}"
    source, target = architecture.layer_of(edge.source), architecture.layer_of(edge.target)
    if source is None or target is None:
        return "an app missing from architecture.LAYERS"
    if target == source:
        return "imports an app of its own layer"
    if target > source:
        return "imports a higher layer"
    return None


def cycles(edges: list[Edge]) -> list[list[str]]:
    """The groups of apps that import each other, round and round (Tarjan's components)."""
    graph: dict[str, set[str]] = {}
    for edge in edges:
        graph.setdefault(edge.source, set()).add(edge.target)
        graph.setdefault(edge.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups = []

    def visit(app: str) -> None:
        index[app] = low[app] = len(index)
        stack.append(app)
        for other in sorted(graph[app]):
            if other not in index:
                visit(other)
                low[app] = min(low[app], low[other])
            elif other in stack:
                low[app] = min(low[app], index[other])
        if low[app] == index[app]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == app:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for app in sorted(graph):
        if app not in index:
            visit(app)
    return groups


def _unlisted(edges: list[Edge]) -> list[Edge]:
    return [e for e in edges if (e.module, e.target) not in architecture.KNOWN_VIOLATIONS]


def test_every_app_has_a_layer():
    packages = {p.parent.name for p in CONET.glob("*/__init__.py")}
    placed = {app for layer in architecture.LAYERS for app in layer}
    assert packages - placed == set(), "add the new app to architecture.LAYERS"
    assert placed - packages == set(), "an app in architecture.LAYERS that is gone"


def test_no_import_goes_up_or_sideways():
    new = [f"{e} — {why}" for e in _unlisted(all_edges()) if (why := breaks_rules(e))]
    assert new == [], (
        "Imports against the layering (docs/architecture.md). Use a plug-in point instead:\n"
        + "\n".join(new)
    )


def test_known_violations_are_still_there():
    """A fixed violation leaves the list, so that the list only shrinks."""
    present = {(e.module, e.target) for e in all_edges() if breaks_rules(e)}
    fixed = sorted(set(architecture.KNOWN_VIOLATIONS) - present)
    assert fixed == [], f"Fixed, strike from architecture.KNOWN_VIOLATIONS: {fixed}"


def test_no_cycle_between_apps():
    edges = _unlisted(all_edges())
    found = cycles(edges)
    inside = [str(e) for g in found for e in edges if e.source in g and e.target in g]
    assert found == [], "Apps that import each other:\n" + "\n".join(sorted(inside))


# The checker itself: each rule refuses what it should, so the tests above can fail.


def test_an_upward_import_inside_a_function_is_refused():
    code = "def f():\n    from conet.workshops.models import Workshop\n"
    (edge,) = edges_of(code, "conet.networks.selectors")
    assert edge == Edge("conet.networks.selectors", "networks", "workshops", 2)
    assert breaks_rules(edge) == "imports a higher layer"


def test_an_import_between_apps_of_one_layer_is_refused():
    (edge,) = edges_of("from conet.meetings import models\n", "conet.workshops.views")
    assert breaks_rules(edge) == "imports an app of its own layer"


def test_a_plug_in_host_may_not_import_a_lower_feature_app():
    (edge,) = edges_of("import conet.networks.models\n", "conet.search.views")
    assert "plug-in host" in breaks_rules(edge)


def test_relative_imports_and_roots_are_resolved():
    assert edges_of("from ..workshops import models\n", "conet.networks.views") == [
        Edge("conet.networks.views", "networks", "workshops", 1)
    ]
    assert edges_of("from . import selectors\n", "conet.networks.views") == []
    (edge,) = edges_of("from conet import urls\n", "conet.networks.views")
    assert breaks_rules(edge) == "imports a root module, which puts the apps together"
    (edge,) = edges_of("from conet.workshops.routing import x\n", "conet.asgi")
    assert breaks_rules(edge) is None


def test_a_downward_import_is_accepted():
    (edge,) = edges_of("from conet.networks.models import City\n", "conet.workshops.models")
    assert breaks_rules(edge) is None


def test_a_cycle_is_found():
    edges = [
        Edge("conet.a.x", "a", "b", 1),
        Edge("conet.b.x", "b", "c", 1),
        Edge("conet.c.x", "c", "a", 1),
        Edge("conet.c.x", "c", "d", 2),
    ]
    assert cycles(edges) == [["a", "b", "c"]]
