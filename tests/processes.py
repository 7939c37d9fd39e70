"""Running `conet` as a child process, with a configuration of its own."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUITE_ONLY = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def run_conet(*args: str, env: dict, timeout: int = 120) -> subprocess.CompletedProcess:
    """`python -m conet.cli ARGS` with `env` on top of the environment, minus the suite's database."""
    inherited = {key: value for key, value in os.environ.items() if key not in SUITE_ONLY}
    return subprocess.run(
        [sys.executable, "-m", "conet.cli", *args],
        cwd=ROOT,
        env={**inherited, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
