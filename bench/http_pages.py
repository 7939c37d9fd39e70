"""The public pages under concurrent clients, each as a ratio to a trivial view in the same run.

    make bench                      # = .venv/bin/python bench/http_pages.py
    .venv/bin/python bench/http_pages.py --requests 500 --workers 1     # quicker

1. Sets up its own database (migrate, the CoNet demo, bench/generate.py at the chosen scale; skipped when
   already there) under var/bench/ — never the demo database under var/. DATABASE_URL from the environment
   is ignored; pass --database-url to bench another database (e.g. PostgreSQL).
2. Starts the real server, `conet serve`, as a subprocess (DEBUG=0, plain HTTP) on a free port.
3. For each page — /robots.txt (the trivial view: the whole middleware stack, no template, no query),
   the home page, the CoNet network page (11 partners), a network with 60 partners — sends a warm-up,
   then a fixed number of GET requests from N concurrent keep-alive clients (asyncio + httpx), bounded in
   time, in interleaved rounds so that background load hits every page alike.
4. Prints a markdown table and writes everything to bench/results/http_pages-<time>.json.

The load generator runs on the same machine as the server and takes CPU from it; the ratios to the
trivial view, measured by the same client in the same run, are the figures to compare across machines.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import platform
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS_DIR = ROOT / "bench" / "results"
DEFAULT_DATA_DIR = ROOT / "var" / "bench"
sys.path.insert(0, str(ROOT / "bench"))

from generate import BIG_SLUG, Scale, scale_arguments, scale_from  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Target:
    label: str
    path: str
    expect: str  # a piece of the body that proves the page is the right one


@dataclass
class Measurement:
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests only
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)  # transport errors by exception name
    elapsed: float = 0.0
    client_cpu: float = 0.0
    server_cpu: float = 0.0
    body_bytes: int = 0

    def add(self, other: Measurement) -> None:
        self.latencies += other.latencies
        self.statuses += other.statuses
        self.errors += other.errors
        self.elapsed += other.elapsed
        self.client_cpu += other.client_cpu
        self.server_cpu += other.server_cpu
        self.body_bytes = other.body_bytes or self.body_bytes

    def summary(self) -> dict:
        done = sum(self.statuses.values()) + sum(self.errors.values())
        ok = len(self.latencies)
        ordered = sorted(self.latencies)
        return {
            "requests": done,
            "ok": ok,
            "failed": done - ok,
            "statuses": {str(code): count for code, count in sorted(self.statuses.items())},
            "errors": dict(self.errors),
            "seconds": round(self.elapsed, 3),
            "median_ms": round(statistics.median(ordered) * 1000, 2) if ok else None,
            "p95_ms": round(_percentile(ordered, 0.95) * 1000, 2) if ok else None,
            "p99_ms": round(_percentile(ordered, 0.99) * 1000, 2) if ok else None,
            "max_ms": round(ordered[-1] * 1000, 2) if ok else None,
            "rps": round(ok / self.elapsed, 1) if self.elapsed else None,
            "server_cpu_ms_per_request": round(self.server_cpu / done * 1000, 2) if done else None,
            "client_cpu_ms_per_request": round(self.client_cpu / done * 1000, 2) if done else None,
            "body_bytes": self.body_bytes,
        }


def _percentile(ordered: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


# --- the server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by `pid` and its live descendants (uvicorn workers)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, ppid in parents.items() if ppid == parent]
        tree.update(children)
        frontier += children
    return sum(times.get(member, 0.0) for member in tree)


class Server:
    """`conet serve` in its own process group; always stopped, even on Ctrl+C or an error."""

    def __init__(self, env: dict, workers: int, log_path: Path):
        self.env, self.workers, self.log_path = env, workers, log_path
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        self.log = self.log_path.open("w")
        command = [str(BIN / "conet"), "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        command += ["--workers", str(self.workers)]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopping it stops its workers too
        )
        try:
            self._wait_ready(timeout=60)
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the server stopped with exit status {self.process.returncode}:\n{self.log_tail()}"
                )
            # Every worker must answer, not only the first one up: ask a few times in a row.
            with contextlib.suppress(httpx.HTTPError):
                if all(
                    httpx.get(f"{self.base_url}/robots.txt", timeout=2).status_code == 200
                    for _ in range(4 * self.workers)
                ):
                    return
            time.sleep(0.25)
        raise RuntimeError(f"the server did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        self.log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def cpu(self) -> float:
        return process_tree_cpu(self.process.pid)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            self._close_log()
            return
        for sig, wait in ((signal.SIGINT, 10), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
        self._close_log()

    def _close_log(self) -> None:
        if getattr(self, "log", None) and not self.log.closed:
            self.log.close()


# --- the load ---------------------------------------------------------------------------------


async def load(
    client: httpx.AsyncClient, path: str, *, requests: int, concurrency: int, max_seconds: float
) -> Measurement:
    """`requests` GETs of `path` from `concurrency` clients, stopping early after `max_seconds`."""
    result = Measurement()
    issued = 0
    deadline = time.perf_counter() + max_seconds

    async def one_client() -> None:
        nonlocal issued
        while issued < requests and time.perf_counter() < deadline:
            issued += 1
            started = time.perf_counter()
            try:
                response = await client.get(path)
            except httpx.HTTPError as exc:
                result.errors[type(exc).__name__] += 1
                continue
            took = time.perf_counter() - started
            result.statuses[response.status_code] += 1
            if response.status_code == 200:
                result.latencies.append(took)
                result.body_bytes = len(response.content)

    started, cpu_started = time.perf_counter(), time.process_time()
    await asyncio.gather(*(one_client() for _ in range(concurrency)))
    result.elapsed = time.perf_counter() - started
    result.client_cpu = time.process_time() - cpu_started
    return result


async def measure_server(
    server: Server, targets: list[Target], args: argparse.Namespace
) -> dict[str, Measurement]:
    limits = httpx.Limits(
        max_connections=args.concurrency, max_keepalive_connections=args.concurrency
    )
    totals = {target.label: Measurement() for target in targets}
    async with httpx.AsyncClient(base_url=server.base_url, limits=limits, timeout=30) as client:
        for target in targets:  # the right page, before anything is timed
            response = await client.get(target.path)
            if response.status_code != 200 or target.expect not in response.text:
                raise RuntimeError(
                    f"{target.path} answered {response.status_code} without {target.expect!r}; "
                    f"is the bench database complete?\n{server.log_tail()}"
                )
        per_round = max(1, args.requests // args.rounds)
        for number in range(1, args.rounds + 1):
            for target in targets:
                await load(
                    client,
                    target.path,
                    requests=args.warmup,
                    concurrency=args.concurrency,
                    max_seconds=10,
                )
                cpu_before = server.cpu()
                measured = await load(
                    client,
                    target.path,
                    requests=per_round,
                    concurrency=args.concurrency,
                    max_seconds=args.max_seconds / args.rounds,
                )
                measured.server_cpu = server.cpu() - cpu_before
                totals[target.label].add(measured)
                summary = measured.summary()
                print(
                    f"  round {number}/{args.rounds} {target.path:<28} {summary['requests']:>5} req "
                    f"{summary['rps'] or 0:>7.1f} req/s  median {summary['median_ms'] or 0:>7.1f} ms",
                    flush=True,
                )
    return totals


def with_ratios(summaries: dict[str, dict], baseline: str) -> dict[str, dict]:
    base = summaries[baseline]
    for summary in summaries.values():
        summary["median_ratio"] = (
            round(summary["median_ms"] / base["median_ms"], 2)
            if summary["median_ms"] and base["median_ms"]
            else None
        )
        summary["p95_ratio"] = (
            round(summary["p95_ms"] / base["p95_ms"], 2)
            if summary["p95_ms"] and base["p95_ms"]
            else None
        )
        summary["rps_ratio"] = (
            round(summary["rps"] / base["rps"], 3) if summary["rps"] and base["rps"] else None
        )
    return summaries


# --- set-up and report ------------------------------------------------------------------------


def bench_env(args: argparse.Namespace) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    env.update(
        DEBUG="0",
        CONET_SSL_REDIRECT="0",
        CONET_DATA_DIR=str(Path(args.data_dir).resolve()),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL=args.log_level.upper(),
        PYTHONUNBUFFERED="1",
    )
    return env


def prepare_database(env: dict, args: argparse.Namespace, scale: Scale) -> dict:
    Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    run = {"cwd": ROOT, "env": env, "capture_output": True, "text": True}
    migrate = subprocess.run([str(BIN / "conet"), "migrate", "--no-input", "-v", "0"], **run)
    if migrate.returncode:
        raise RuntimeError(f"conet migrate failed:\n{migrate.stdout}{migrate.stderr}")
    command = [sys.executable, str(ROOT / "bench" / "generate.py"), "--json"]
    command += ["--data-dir", str(args.data_dir)]
    for name, value in asdict(scale).items():
        command += [f"--{name.replace('_', '-')}", str(value)]
    generated = subprocess.run(command, **run)
    if generated.returncode:
        raise RuntimeError(f"bench/generate.py failed:\n{generated.stdout}{generated.stderr}")
    return json.loads(generated.stdout.strip().splitlines()[-1])


def machine() -> dict:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    import django
    import uvicorn

    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "django": django.get_version(),
        "uvicorn": uvicorn.__version__,
        "httpx": httpx.__version__,
        "platform": platform.platform(),
        "commit": commit or None,
    }


def table(run: dict) -> str:
    lines = [
        "| page | path | requests | errors | median ms | p95 ms | req/s "
        "| median × trivial | req/s ÷ trivial | server CPU ms/req |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, s in run["targets"].items():
        lines.append(
            f"| {label} | `{s['path']}` | {s['requests']} | {s['failed']} | {s['median_ms']} "
            f"| {s['p95_ms']} | {s['rps']} | {s['median_ratio']} | {s['rps_ratio']} "
            f"| {s['server_cpu_ms_per_request']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Public pages under concurrent clients, as ratios to a trivial view."
    )
    parser.add_argument("--requests", type=int, default=2000, help="per page (default %(default)s)")
    parser.add_argument("--concurrency", type=int, default=20, help="clients (default %(default)s)")
    parser.add_argument(
        "--max-seconds", type=float, default=60, help="time bound per page (default %(default)s)"
    )
    parser.add_argument("--warmup", type=int, default=50, help="per page and round")
    parser.add_argument(
        "--rounds",
        type=int,
        default=2,
        help="interleaved passes over the pages; requests and time are split between them",
    )
    parser.add_argument(
        "--workers",
        default="1,2",
        help="server processes, comma-separated for several runs (default %(default)s)",
    )
    parser.add_argument(
        "--handlers",
        default="wsgi",
        help="how `conet serve` runs Django for HTTP, comma-separated for a comparison in one run: "
        "wsgi (the default, ADR 0007) or asgi (Django's ASGI handler) (default %(default)s)",
    )
    parser.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR))
    parser.add_argument(
        "--database-url", help="bench this database instead of SQLite in --data-dir"
    )
    parser.add_argument(
        "--log-level",
        default="WARNING",
        help="server LOG_LEVEL; INFO adds uvicorn's access log (default %(default)s)",
    )
    parser.add_argument("--output", help="JSON file to write (default bench/results/…)")
    scale_arguments(parser)
    args = parser.parse_args(argv)
    handlers = [h.strip() for h in args.handlers.split(",") if h.strip()]
    if not handlers or set(handlers) - {"wsgi", "asgi"}:
        parser.error("--handlers takes wsgi, asgi or both")
    try:
        workers = [int(w) for w in args.workers.split(",") if w.strip()]
        scale = scale_from(args)
        scale.check()
    except ValueError as exc:
        parser.error(str(exc))
    if min(args.requests, args.concurrency, args.rounds, *workers) < 1 or args.max_seconds <= 0:
        parser.error("requests, concurrency, rounds, workers and max-seconds must be positive")
    if not scale.big_partners:
        parser.error("the bench needs the many-partner network: --big-partners must be > 0")

    # SIGTERM (e.g. from a CI timeout) unwinds like Ctrl+C, so the server is always stopped.
    signal.signal(signal.SIGTERM, _interrupt)

    env = bench_env(args)
    print(f"bench: preparing the database in {env['CONET_DATA_DIR']} …", flush=True)
    started = time.monotonic()
    try:
        prepared = prepare_database(env, args, scale)
    except RuntimeError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    print(
        "bench: data "
        + ("generated" if prepared["generated"] else "already present")
        + f" ({time.monotonic() - started:.1f} s): {prepared['scale']}",
        flush=True,
    )

    # Pages carry their language in the address (ADR 0003): the unprefixed ones only redirect.
    targets = [
        Target("trivial view (baseline)", "/robots.txt", "User-agent"),
        Target("home", "/en/", 'class="cards"'),
        Target("network, 11 partners (CoNet)", "/en/networks/conet/", "<small>(11)</small>"),
        Target(
            f"network, {scale.big_partners} partners",
            f"/en/networks/{BIG_SLUG}/",
            f"<small>({scale.big_partners})</small>",
        ),
        Target("good practices", "/en/practices/", "<h1"),
        Target("city hub (Palermo)", "/en/cities/palermo/", "<h1"),
        Target("API: networks", "/api/v1/networks", '"slug"'),
    ]
    baseline = targets[0].label
    report = {
        "benchmark": "http_pages",
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "note": "load generator (httpx, asyncio) on the same machine as the server",
        "settings": {
            "requests_per_page": args.requests,
            "concurrency": args.concurrency,
            "max_seconds_per_page": args.max_seconds,
            "warmup_per_page_and_round": args.warmup,
            "rounds": args.rounds,
            "server_log_level": args.log_level,
            "database": args.database_url or "SQLite in " + env["CONET_DATA_DIR"],
        },
        "scale": prepared["scale"],
        "runs": [],
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    try:
        for count, handler in [(c, h) for c in workers for h in handlers]:
            print(
                f"bench: conet serve --workers {count}, HTTP through {handler}; "
                f"{args.concurrency} clients, {args.requests} requests per page "
                f"in {args.rounds} rounds",
                flush=True,
            )
            load_before = os.getloadavg()
            server_env = {**env, "CONET_HTTP_HANDLER": handler}
            with (
                Server(server_env, count, RESULTS_DIR / f"server-{count}-{handler}.log") as server,
                asyncio.Runner(loop_factory=_loop_factory()) as runner,
            ):
                totals = runner.run(measure_server(server, targets, args))
            summaries = {}
            for target in targets:
                summaries[target.label] = {"path": target.path, **totals[target.label].summary()}
            run = {
                "workers": count,
                "http_handler": handler,
                "loadavg_before": [round(x, 2) for x in load_before],
                "loadavg_after": [round(x, 2) for x in os.getloadavg()],
                "targets": with_ratios(summaries, baseline),
            }
            report["runs"].append(run)
            print(
                f"\n### conet serve --workers {count}, HTTP through {handler}\n\n{table(run)}\n",
                flush=True,
            )
    except KeyboardInterrupt:
        print("bench: interrupted; the server is stopped", file=sys.stderr)
        return 130
    except RuntimeError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    output = Path(args.output) if args.output else RESULTS_DIR / f"http_pages-{stamp}.json"
    output.write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS_DIR / "http_pages-latest.json").write_text(json.dumps(report, indent=2) + "\n")
    print(
        f"bench: results written to {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}"
    )
    failed = sum(s["failed"] for run in report["runs"] for s in run["targets"].values())
    if failed:
        print(
            f"bench: {failed} requests failed; see the statuses and errors in the JSON",
            file=sys.stderr,
        )
        return 1
    return 0


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _loop_factory():
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


if __name__ == "__main__":
    raise SystemExit(main())
