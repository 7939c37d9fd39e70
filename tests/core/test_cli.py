"""The `conet` command: a wrong DATABASE_URL stops `conet serve` with one line, not a traceback;
`conet demo` and `conet serve` end with the address and the demo accounts."""

import os
import socket
import subprocess
import sys
import time

import pytest

from tests.processes import ROOT, SUITE_ONLY, run_conet


def _conet(*args: str, env: dict, timeout: int = 60):
    return run_conet(*args, env=env, timeout=timeout)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "postgres://nobody:secret@127.0.0.1:1/nothing",
            "conet: cannot use the database at DATABASE_URL=postgres://nobody:***@127.0.0.1:1/nothing",
        ),
        (
            "nonsense://somewhere/db",
            "conet: configuration error: DATABASE_URL is not a database address",
        ),
    ],
)
def test_serve_with_a_wrong_database_url_explains_in_one_line(tmp_path, url, expected):
    result = _conet(
        "serve", "--port", "0", env={"DATABASE_URL": url, "CONET_DATA_DIR": str(tmp_path)}
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(expected)
    assert "Traceback" not in result.stderr
    assert "secret" not in result.stderr


def test_serve_on_an_unmigrated_database_says_to_migrate(tmp_path):
    result = _conet("serve", "--port", "0", env={"CONET_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2
    assert "run `conet migrate` first" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_demo_runs_twice_and_prints_every_account_each_time_then_serve_prints_them_last(
    tmp_path,
):
    env = {"CONET_DATA_DIR": str(tmp_path), "CONET_EMBEDDINGS": "none"}
    assert _conet("migrate", "--no-input", "-v", "0", env=env, timeout=180).returncode == 0
    first = _conet("demo", env=env)
    second = _conet("demo", env=env)
    assert first.returncode == second.returncode == 0
    assert "Loaded the CoNet network with its 11 partner cities" in first.stdout
    assert "nothing changed" in second.stdout
    for run in (first, second):
        accounts = run.stdout.split("Demo accounts (password for all: conet-demo-2008):")[1]
        for email in [
            "admin@conet.example",
            "coordinator@conet.example",
            "weeber@conet.example",
            "palermo@conet.example",
            "sofia@conet.example",
            "giulia.ferrante@conet.example",
            "lucia.fernandez@conet.example",
        ]:
            assert email in accounts
    lines = _serve_until_accounts(env)
    address = next(i for i, line in enumerate(lines) if line.startswith("CoNet is serving on"))
    # The address and the accounts come after uvicorn's own start-up lines, and last.
    assert any("Uvicorn running" in line for line in lines[:address])
    assert "lucia.fernandez@conet.example" in lines[-1]
    # The task queue works through the demo's tasks without a line each.
    assert not [line for line in lines if " INFO huey" in line]


def _serve_until_accounts(env: dict) -> list[str]:
    """Start `conet serve` on a free port; its output up to the last demo account, then stop it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inherited = {key: value for key, value in os.environ.items() if key not in SUITE_ONLY}
    process = subprocess.Popen(
        [sys.executable, "-m", "conet.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env={**inherited, **env, "CONET_TASKS_IMMEDIATE": "0"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
            if "lucia.fernandez@conet.example" in line:
                break
    finally:
        process.terminate()
        process.wait(timeout=20)
    return lines
