"""Where a plan's actions came from: the apps above this one (workshops, consultations) declare
here how to find the proposals and statements that led to an action; this app never imports them.

An app registers one function in its AppConfig.ready():

    from conet.actionplans.origins import register_origins

    register_origins("workshops", proposals_behind)   # (actions, user) -> {action id: [Origin]}

Each function reads the origins of all the actions it is given in a fixed number of queries, and
returns only what `user` may see.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Origin:
    kind: str  # what it is, in the reader's language: "Workshop proposal"
    text: str  # its words: the proposal's title, the statement
    url: str  # where it is shown in its own record
    source: str  # the record it belongs to: the workshop's title, the consultation's question
    when: date | datetime | None = None
    language: str = ""  # the language its words are written in


_collectors: dict[str, Callable] = {}


def register_origins(name: str, collect: Callable) -> None:
    _collectors[name] = collect


def origins_of(actions, user) -> dict[int, list[Origin]]:
    """Action id → the origins `user` may see, for every registered app."""
    actions = list(actions)
    found: dict[int, list[Origin]] = defaultdict(list)
    if not actions:
        return found
    for collect in _collectors.values():
        for action_id, origins in collect(actions, user).items():
            found[action_id].extend(origins)
    return found
