"""The live Future Workshop board under load: simulated phones over real WebSockets.

    python bench/workshop_live.py                          # 300 participants, 5 cards + 5 dots, 120 s
    python bench/workshop_live.py --participants 1000 --tables 50
    python bench/workshop_live.py --sweep 50,100,150,200 --duration 40
    python bench/workshop_live.py --redis                  # channels-redis on redis://…/5

A `conet serve` process (one uvicorn worker; the in-memory channel layer, or channels-redis with
--redis) serves a fresh SQLite database under --data-dir. This process holds every simulated phone
(asyncio + the `websockets` library) and a projector screen, signed in as a facilitator.
Each phone writes its cards at random moments in the first half of the run; then the facilitator
switches the phase to dot voting over HTTP, and each phone puts its dots on distinct clusters in the
second half. For every card and dot, the latency is the time from the phone sending it to the *last*
screen that should show it receiving the event (every phone of its table, and the projector); a
reception that never arrives is a lost message. Server CPU is the server process's user+system time
over the run's wall time (100 % = one core). Phones and server share the machine, so the figures
include the phones' own work of reading every event.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATA_DIR = Path("/tmp/conet-bench-workshops")
CLUSTERS_PER_BOARD = 8


def configure(data_dir: Path, redis_url: str | None, stock_layer: bool) -> dict:
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {
        "DJANGO_SETTINGS_MODULE": "bench.workshop_settings",
        "CONET_BENCH_STOCK_LAYER": "1" if stock_layer else "0",
        "CONET_DATA_DIR": str(data_dir),
        "DATABASE_URL": f"sqlite:///{data_dir / 'bench.sqlite3'}",
        "LOG_LEVEL": "warning",
        "CONET_EMBEDDINGS": "none",
        "CONET_SSL_REDIRECT": "0",
        "CONET_SECURE_COOKIES": "0",
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    os.environ.update(env)
    subprocess.run(
        [sys.executable, "-m", "conet.cli", "migrate", "-v", "0"],
        cwd=ROOT,
        env={**os.environ},
        check=True,
    )
    import django

    django.setup()
    return env


def setup_workshop(participants: int, tables: int, dots: int):
    """A workshop in its critique phase with clusters on every board, N phones, one facilitator."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from conet.accounts.models import User
    from conet.networks.models import City
    from conet.workshops.models import Cluster, Participant, Phase, Table, Workshop

    now = timezone.now()
    user, _ = User.objects.get_or_create(
        email="bench-facilitator@bench.example", defaults={"name": "Bench", "is_staff": True}
    )
    city, _ = City.objects.get_or_create(
        slug="bench-city", defaults={"name": "Bench city", "country": "DE"}
    )
    workshop = Workshop.objects.create(
        city=city,
        title=f"Bench {now:%H:%M:%S}",
        guiding_question="?",
        language="en",
        starts_at=now,
        status=Workshop.Status.RUNNING,
        created_by=user,
    )
    critique = Phase.objects.create(
        workshop=workshop,
        kind="critique",
        order=0,
        state="open",
        step="write",
        opened_at=now,
        dots_per_person=dots,
    )
    boards = [None]
    if tables:
        boards = [
            Table.objects.create(workshop=workshop, name=f"T{n}", order=n) for n in range(tables)
        ]
    clusters = {}
    for table in boards:
        rows = Cluster.objects.bulk_create(
            Cluster(workshop=workshop, phase=critique, table=table, title=f"C{n}", order=n)
            for n in range(CLUSTERS_PER_BOARD)
        )
        clusters[table.pk if table else None] = [c.pk for c in rows]
    tokens, people = [], []
    for n in range(participants):
        raw = secrets.token_urlsafe(24)
        table = boards[n % len(boards)]
        tokens.append((raw, table.pk if table else None))
        people.append(
            Participant(
                workshop=workshop,
                table=table,
                display_name=f"P{n}",
                token_hash=hashlib.sha256(raw.encode()).hexdigest(),
            )
        )
    Participant.objects.bulk_create(people, batch_size=500)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return workshop, critique, tokens, clusters, session.session_key


def progress(text: str) -> None:
    print(f"  {time.strftime('%H:%M:%S')} {text}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict, port: int) -> subprocess.Popen:
    log = open(Path(env["CONET_DATA_DIR"]) / "server.log", "w")  # noqa: SIM115
    profile = (
        ["-m", "cProfile", "-o", os.environ["CONET_BENCH_PROFILE"]]
        if os.environ.get("CONET_BENCH_PROFILE")
        else []
    )
    process = subprocess.Popen(
        [sys.executable, *profile, "-m", "conet.cli", "serve", "--port", str(port), "--no-tasks"],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError((Path(env["CONET_DATA_DIR"]) / "server.log").read_text())
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    raise TimeoutError("server did not start")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Screen:
    """A phone (token) or the projector (session), recording when each event arrives."""

    def __init__(self, port, workshop_id, *, token=None, session=None, table=None):
        from websockets.asyncio.client import connect

        self._connect = connect
        self.url = f"ws://127.0.0.1:{port}/ws/workshops/{workshop_id}/board/"
        cookie = f"conet_workshop_{workshop_id}={token}" if token else f"sessionid={session}"
        self.headers = {"Cookie": cookie}
        self.origin = f"http://127.0.0.1:{port}"
        self.table = table
        self.arrivals: dict[str, float] = {}  # client_id / ref → arrival time
        self.errors: list[dict] = []
        self.synced = asyncio.Event()
        self.voting = asyncio.Event()
        self.closed_sends = 0

    async def open(self, since: int):
        self.socket = await self._connect(
            self.url,
            additional_headers=self.headers,
            origin=self.origin,
            compression=None,
            max_queue=None,
            open_timeout=60,
            ping_interval=None,
        )
        self.reader = asyncio.create_task(self.read())
        await self.socket.send(json.dumps({"type": "hello", "since": since}))

    async def post(self, message: dict) -> None:
        """Send, or count the post as failed when the server has closed this phone's socket."""
        import websockets

        try:
            await self.socket.send(json.dumps(message))
        except websockets.ConnectionClosed:
            self.closed_sends += 1

    async def read(self):
        import websockets

        arrivals, monotonic, loads = self.arrivals, time.monotonic, json.loads
        try:
            async for text in self.socket:
                now = monotonic()
                # Only the key is needed to time a card or a dot: find it without parsing the JSON
                # (the phones share one process with hundreds of others; parsing would slow it).
                at = text.find('"client_id":"') if text.startswith('{"type":"event"') else -1
                if at == -1 and text.startswith('{"type":"event"'):
                    at = text.find('"ref":"')
                    start = at + 7
                else:
                    start = at + 13
                if at != -1 and start < len(text) and text[start] != '"':
                    arrivals.setdefault(text[start : text.index('"', start)], now)
                    continue
                message = loads(text)
                kind = message["type"]
                if kind == "event":
                    if message["kind"] == "phase" and message["data"]["step"] == "vote":
                        self.voting.set()
                elif kind == "synced":
                    self.synced.set()
                elif kind == "error":
                    self.errors.append(message)
        except websockets.ConnectionClosed:
            pass


async def run(args, env, prepared) -> dict:
    import httpx

    workshop, critique, tokens, clusters, session = prepared
    port = free_port()
    server = start_server(env, port)
    try:
        base = f"http://127.0.0.1:{port}"
        http = httpx.AsyncClient(base_url=base, cookies={"sessionid": session}, timeout=60)
        await http.get("/join/")  # a light page, for the CSRF cookie
        csrf = http.cookies.get("csrftoken")

        # Warm the server up (its first request imports and compiles what the views need).
        step_url = f"/workshops/{workshop.pk}/phases/{critique.pk}/step/"
        headers = {"X-CSRFToken": csrf, "Accept": "application/json"}
        (await http.post(step_url, data={"step": "write"}, headers=headers)).raise_for_status()
        projector = Screen(port, workshop.pk, session=session)
        phones = [Screen(port, workshop.pk, token=raw, table=table) for raw, table in tokens]
        since = workshop.last_event_seq
        await projector.open(since)
        for start in range(0, len(phones), 50):
            await asyncio.gather(*(phone.open(since) for phone in phones[start : start + 50]))
        await asyncio.wait_for(
            asyncio.gather(*(s.synced.wait() for s in [projector, *phones])), 120
        )
        progress(f"{len(phones)} phones and the projector connected")
        sent: dict[str, tuple[float, object]] = {}  # key → (sent at, table)
        half = args.duration / 2
        loop_start = time.monotonic()
        cpu_start = cpu_seconds(server.pid)
        own_start = cpu_seconds(os.getpid())

        async def phone_writes(phone: Screen, n: int):
            moments = sorted(random.uniform(0, half - 2) for _ in range(args.cards))
            for k, moment in enumerate(moments):
                await asyncio.sleep(max(0, loop_start + moment - time.monotonic()))
                key = uuid.uuid4().hex
                sent[key] = (time.monotonic(), phone.table)
                await phone.post({"type": "card", "client_id": key, "text": f"card {n}.{k}"})

        async def phone_dots(phone: Screen):
            # A phone shows the dot buttons once it has heard that voting began.
            try:
                await asyncio.wait_for(phone.voting.wait(), args.duration)
            except TimeoutError:
                return
            targets = random.sample(clusters[phone.table], args.dots)
            moments = sorted(random.uniform(half + 2, args.duration - 2) for _ in targets)
            for cluster, moment in zip(targets, moments, strict=True):
                await asyncio.sleep(max(0, loop_start + moment - time.monotonic()))
                key = uuid.uuid4().hex
                sent[key] = (time.monotonic(), phone.table)
                await phone.post({"type": "dot", "cluster": cluster, "ref": key})

        async def facilitator_switches_to_voting():
            await asyncio.sleep(max(0, loop_start + half - time.monotonic()))
            response = await http.post(step_url, data={"step": "vote"}, headers=headers)
            response.raise_for_status()
            progress("voting began")

        await asyncio.gather(
            facilitator_switches_to_voting(),
            *(phone_writes(p, n) for n, p in enumerate(phones)),
            *(phone_dots(p) for p in phones),
        )
        wall = time.monotonic() - loop_start
        progress(f"{len(sent)} posts sent; waiting for the last deliveries")

        by_table = {}
        for screen in phones:
            by_table.setdefault(screen.table, []).append(screen)

        def expected(table):
            if table is None or not args.tables:
                return [projector, *phones]
            return [projector, *by_table[table]]

        # Grace: wait until every expected reception arrived, or 20 s.
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            missing = sum(
                1
                for key, (_t, table) in sent.items()
                for s in expected(table)
                if key not in s.arrivals
            )
            if not missing:
                break
            await asyncio.sleep(0.25)
        cpu = cpu_seconds(server.pid) - cpu_start
        own_cpu = cpu_seconds(os.getpid()) - own_start
        latencies, lost = [], 0
        for key, (at, table) in sent.items():
            arrivals = [s.arrivals.get(key) for s in expected(table)]
            lost += sum(1 for a in arrivals if a is None)
            received = [a for a in arrivals if a is not None]
            if received:
                latencies.append((max(received) - at) * 1000)
        # A phone must hear nothing from another table's board.
        cross_table = sum(
            1
            for phone in phones
            if phone.table is not None
            for key in phone.arrivals
            if key in sent and sent[key][1] not in (None, phone.table)
        )
        errors = sum(len(s.errors) for s in [projector, *phones])
        dropped = sum(1 for s in [projector, *phones] if s.socket.state.name != "OPEN")
        codes = {}
        for screen in [projector, *phones]:
            for error in screen.errors:
                codes[error.get("code")] = codes.get(error.get("code"), 0) + 1
        buckets = {}
        for key, (at, table) in sent.items():
            received = [s.arrivals.get(key) for s in expected(table)]
            if all(received):
                buckets.setdefault(int((at - loop_start) // 5) * 5, []).append(
                    (max(received) - at) * 1000
                )
        by_second = {k: round(statistics.median(v)) for k, v in sorted(buckets.items())}
        latencies.sort()
        deliveries = sum(len(expected(table)) for _at, table in sent.values())
        await http.aclose()
        for screen in [projector, *phones]:
            await screen.socket.close()
        return {
            "participants": args.participants,
            "tables": args.tables,
            "posts": len(sent),
            "deliveries": deliveries,
            "median_ms": round(statistics.median(latencies), 1) if latencies else None,
            "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1) if latencies else None,
            "max_ms": round(latencies[-1], 1) if latencies else None,
            "by_second": by_second,
            "lost": lost,
            "cross_table_deliveries": cross_table,
            "refused": errors,
            "refusals": codes,
            "sockets_closed_by_server": dropped,
            "sends_on_closed_socket": sum(s.closed_sends for s in phones),
            "server_cpu_pct": round(100 * cpu / wall, 1),
            "phones_cpu_pct": round(100 * own_cpu / wall, 1),
            "wall_s": round(wall, 1),
            "load_avg": os.getloadavg()[0],
            "layer": ("redis" if args.redis else "in-memory")
            + (" (stock)" if args.stock_layer else ""),
        }
    finally:
        server.send_signal(2)  # Ctrl+C: uvicorn stops cleanly (and a profile gets written)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--tables", type=int, default=0, help="working groups (0: one board)")
    parser.add_argument("--cards", type=int, default=5)
    parser.add_argument("--dots", type=int, default=5)
    parser.add_argument("--duration", type=float, default=120, help="seconds")
    parser.add_argument("--sweep", default="", help="comma-separated participant counts")
    parser.add_argument("--redis", action="store_true", help="channels-redis on db 5")
    parser.add_argument(
        "--stock-layer", action="store_true", help="Channels' own in-memory layer (the baseline)"
    )
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    random.seed(args.seed)
    env = configure(
        args.data_dir, "redis://127.0.0.1:6379/5" if args.redis else None, args.stock_layer
    )
    counts = [int(n) for n in args.sweep.split(",") if n] or [args.participants]
    print(f"load average before: {os.getloadavg()}", flush=True)
    for count in counts:
        args.participants = count
        prepared = setup_workshop(count, args.tables, args.dots)
        progress(f"workshop with {count} participants set up")
        result = asyncio.run(run(args, env, prepared))
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
