"""chains.js in Chromium: the number a board screen says hello with after a lost connection.

The same cases as the Python twin in tests/workshops/live.py, which the WebSocket tests drive
against a real server (tests/workshops/test_live_websockets.py)."""

import json

import pytest

from tests.workshops.live import Chains

pytestmark = [pytest.mark.browser, pytest.mark.once]  # no database involved

CASES = [
    # (start, [("event", seq, prev, table) | ("synced", seq)], since after each step)
    (10, [("event", 12, 11, 1), ("event", 11, 10, 1)], [10, 12]),
    # A wide event whose predecessor was not heard keeps the hello below it.
    (10, [("event", 11, 0, 1), ("event", 14, 13, None), ("event", 13, 0, None)], [11, 10, 11]),
    # Another table's chain (a projector hears them all): each waits for its own predecessor.
    (5, [("event", 7, 6, 2), ("event", 8, 3, 1), ("event", 6, 0, 2)], [5, 5, 7]),
    # "synced" vouches for everything up to its number; what waits beyond it then settles.
    (5, [("event", 9, 8, 1), ("synced", 8), ("synced", 3)], [5, 9, 9]),
    # The first event of a chain after page load names an event older than the page: complete.
    (20, [("event", 21, 4, 1), ("event", 22, 0, None)], [21, 21]),
]


def _run_python(start, steps):
    chains, answers = Chains(start), []
    for step in steps:
        if step[0] == "event":
            chains.heard({"seq": step[1], "prev": step[2], "table": step[3]})
        else:
            chains.through(step[1])
        answers.append(chains.since())
    return answers


@pytest.mark.parametrize("start,steps,expected", CASES)
def test_the_python_twin(start, steps, expected):
    assert _run_python(start, steps) == expected


def test_chains_js_says_hello_with_the_lowest_complete_number(browser, repo_root):
    page = browser.new_page()
    try:
        page.add_script_tag(path=repo_root / "conet/workshops/static/workshops/chains.js")
        for start, steps, expected in CASES:
            answers = page.evaluate(
                """([start, steps]) => {
                    const chains = new window.ConetChains(start);
                    return steps.map((step) => {
                        if (step[0] === "event") {
                            chains.heard({ seq: step[1], prev: step[2], table: step[3] });
                        } else {
                            chains.through(step[1]);
                        }
                        return chains.since();
                    });
                }""",
                [start, json.loads(json.dumps(steps))],
            )
            assert answers == expected, (start, steps)
    finally:
        page.close()
