"""Two writes at once, each on its own database connection, made to meet where a lock must keep
them apart (tests/*/test_concurrency.py).

`at_once(monkeypatch, actions, pause_after=[(module, "function")], ...)` runs each action in a
thread. Right after one of them returns from a named function (reading the seats taken, the plan's
highest number…), it waits up to a second for the other to get there too. Without the lock both get
there together and the test fails with `together`; with it the second cannot get there before the
first has committed, so the first's wait times out and it goes on alone."""

import threading
from collections.abc import Callable

from django.db import connection


def at_once(
    monkeypatch,
    actions: dict[str, Callable],
    *,
    pause_after: list[tuple[object, str]],
    together: str,
    when: Callable[..., bool] | None = None,
) -> dict:
    """{name: what the action returned, or the exception it raised}. `when(*args, **kwargs)`
    chooses the calls that pause (all of them by default)."""
    met = threading.Barrier(len(actions))
    met_together = []

    def pausing(real):
        def wrapper(*args, **kwargs):
            result = real(*args, **kwargs)
            if when is None or when(*args, **kwargs):
                try:
                    met.wait(timeout=1)
                    met_together.append(True)
                except threading.BrokenBarrierError:
                    pass
            return result

        return wrapper

    for module, name in pause_after:
        monkeypatch.setattr(module, name, pausing(getattr(module, name)))
    outcomes = run_together(actions)
    assert not met_together, together
    return outcomes


def run_together(actions: dict[str, Callable]) -> dict:
    """Start every action in its own thread and connection at the same moment; {name: what it
    returned, or the exception it raised}."""
    outcomes: dict = {}
    start = threading.Barrier(len(actions))

    def run(name, action):
        try:
            connection.ensure_connection()  # opening a connection is not part of the race
            start.wait(timeout=10)
            outcomes[name] = action()
        except Exception as error:
            outcomes[name] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in actions.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes
