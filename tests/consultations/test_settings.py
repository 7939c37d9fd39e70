"""The consultation's knobs are settings: read once from the environment in conet/settings.py (see
docs/operations.md), and read by the code as `settings.X`, so a test overrides them with the
`settings` fixture and an operator with the environment."""

import json
import os
import subprocess
import sys

from tests.processes import ROOT, SUITE_ONLY

KNOBS = {
    "CONET_CONSULTATION_RECOMPUTE_SECONDS": ("10", "7"),
    "CONET_CONSULTATION_RECOMPUTE_VOTES": ("50", "120"),
    "CONET_CONSULTATION_REFRESH_SECONDS": ("15", "30"),
    "CONET_CONSULTATION_PROOF_BITS": ("16", "18"),
    "CONET_CONSULTATION_TICKET_SECONDS": ("3600", "600"),
    "CONET_CONSULTATION_NEW_PARTICIPANTS_WINDOW": ("3600", "900"),
}


def _settings_with(env: dict) -> dict:
    inherited = {
        key: value
        for key, value in os.environ.items()
        if key not in SUITE_ONLY and key not in KNOBS
    }
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{name: getattr(settings, name) for name in {list(KNOBS)!r}}}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**inherited, "DJANGO_SETTINGS_MODULE": "conet.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_consultation_settings_come_from_the_environment_with_their_documented_defaults():
    defaults = _settings_with({})
    assert defaults == {name: int(default) for name, (default, _set) in KNOBS.items()}
    chosen = _settings_with({name: value for name, (_default, value) in KNOBS.items()})
    assert chosen == {name: int(value) for name, (_default, value) in KNOBS.items()}


def test_the_documented_settings_are_in_the_operators_table():
    table = (ROOT / "docs" / "operations.md").read_text()
    for name in KNOBS:
        assert f"`{name}`" in table, name
