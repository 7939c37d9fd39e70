"""Which part of CoNet may import which: the one table, checked by tests/core/test_architecture.py.

An app may import an app of a LOWER layer, never one of its own layer or a higher one; an import
that would go up is replaced by a plug-in point (a registry the higher app fills from its
AppConfig.ready(), see docs/architecture.md). The checker reads every module under conet/ with
`ast`, imports inside functions included, so an import moved into a function to dodge a cycle
still counts. Dotted paths in strings (`register_demo(load="conet.x.demo.load")`, INSTALLED_APPS)
are not imports and are not checked.

Nothing at run time reads this module; it is here, beside the code, so that moving an app is a
reviewed change to one table that docs/architecture.md quotes.
"""

# Lowest first. Names in one layer are independent of each other.
LAYERS: list[tuple[str, ...]] = [
    ("core", "formats"),
    ("accounts",),
    ("api",),  # the API's shared pieces: auth, errors, pagination, photo and translation routers
    ("networks",),
    ("localgroups", "monitoring", "search", "notifications", "follows"),
    ("actionplans", "practices"),
    ("workshops", "meetings", "consultations"),
    ("exchange",),
]

# Plug-in hosts: apps that others register with. They know only these apps, even where the
# layers would allow more, so that a new capability never has to change them.
HOSTS: dict[str, frozenset[str]] = {
    "search": frozenset({"core", "accounts", "api"}),
    "notifications": frozenset({"core", "accounts", "api"}),
}

# The modules directly under conet/ put the apps together (settings, URLs, ASGI, the command
# line): they may import any app, and no app may import them.
ROOTS = frozenset({"__init__", "architecture", "asgi", "cli", "settings", "urls"})

# Imports that break the rules today: (importing module, imported app) → why, and how to fix it.
# The test fails on any violation not listed here, and on a listed one that is gone, so this
# list only shrinks. Issue 18, item 5, is about emptying it.
KNOWN_VIOLATIONS: dict[tuple[str, str], str] = {
    ("conet.localgroups.views", "actionplans"): (
        "borrows actionplans.selectors.partnership_for (a get-or-404 of a Partnership); "
        "to fix: move partnership_for to networks.selectors and import it from there in both."
    ),
    ("conet.search.forms", "networks"): (
        "the filters' choices (core tasks, countries, networks) come from networks' models; "
        "to fix: let the view pass the choices in, or let registered kinds declare their facets."
    ),
    **{
        ("conet.api.api", app): (
            "the API document imports every app's router back up; to fix: a router registry in "
            "conet.api that each app fills from ready(), as search.registry does."
        )
        for app in (
            "actionplans",
            "consultations",
            "exchange",
            "meetings",
            "monitoring",
            "networks",
            "notifications",
            "practices",
            "search",
            "workshops",
        )
    },
}


def layer_of(app: str) -> int | None:
    for number, names in enumerate(LAYERS):
        if app in names:
            return number
    return None
