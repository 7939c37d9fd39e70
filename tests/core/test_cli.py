"""The `conet` command: a wrong DATABASE_URL stops `conet serve` with one line, not a traceback."""

import pytest

from tests.processes import run_conet


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


def test_demo_runs_twice_and_prints_credentials(tmp_path):
    env = {"CONET_DATA_DIR": str(tmp_path)}
    assert _conet("migrate", "--no-input", "-v", "0", env=env, timeout=180).returncode == 0
    first = _conet("demo", env=env)
    second = _conet("demo", env=env)
    assert first.returncode == second.returncode == 0
    assert "Loaded the CoNet network with its 11 partner cities" in first.stdout
    assert "nothing changed" in second.stdout
    assert "coordinator@conet.example" in first.stdout
    assert "password for all" in first.stdout
