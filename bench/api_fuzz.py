"""Schemathesis at length against the API: tests/api/test_schemathesis.py with many examples per
operation, as a visitor and as a network coordinator, counting every request sent.

    .venv/bin/python bench/api_fuzz.py [--examples 150] [--postgres]

Prints the number of requests, the status codes seen and pytest's verdict (0 server errors and 0
responses that contradict the document, or the first failures). Results go to docs/benchmarks.md.
"""

import argparse
import collections
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=150, help="examples per operation")
    parser.add_argument("-k", default="", help="only the operations whose test id holds this")
    parser.add_argument("--postgres", action="store_true", help="run against PostgreSQL + Redis")
    args = parser.parse_args()
    with tempfile.NamedTemporaryFile("r", suffix=".txt") as counts:
        env = {
            **os.environ,
            "CONET_SCHEMATHESIS_EXAMPLES": str(args.examples),
            "CONET_SCHEMATHESIS_COUNT_FILE": counts.name,
        }
        command = [sys.executable, "-m", "pytest", "tests/api/test_schemathesis.py", "-q",
                   "-p", "no:cacheprovider"]  # fmt: skip
        if args.k:
            command += ["-k", args.k]
        if args.postgres:
            env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/conet_bench_fuzz"
            env["REDIS_URL"] = "redis://127.0.0.1:6379/14"
            command.append("--create-db")
        started = time.perf_counter()
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        lines = Path(counts.name).read_text().splitlines()
    rows = [line.split("\t") for line in lines]
    statuses = collections.Counter(status for status, _who, _operation in rows)
    operations = {operation for _status, _who, operation in rows}
    print(f"{len(rows)} requests in {seconds:.0f} s over {len(operations)} operations")
    print("status codes:", dict(sorted(statuses.items())))
    print("server errors:", sum(n for code, n in statuses.items() if code.startswith("5")))
    print(
        result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr[-2000:]
    )
    if (
        result.returncode != 0
    ):  # each failure: what schemathesis found, and the request to repeat it
        for line in result.stdout.splitlines():
            if line.startswith("  | - ") or line.lstrip(" |").startswith(("curl ", "FAILED")):
                print(line[:400])
    return result.returncode


if __name__ == "__main__":
    raise SystemExit(main())
