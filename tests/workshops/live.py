"""Real servers and real WebSocket clients for the live-board tests and benchmarks.

`served()` runs uvicorn with conet.asgi in a thread of this process (the test database is shared
through pytest-django's settings); `conet_server()` runs `conet serve` as a separate process with
its own environment (two of them sharing Redis show that a card crosses processes). `BoardClient`
is a phone or a projector speaking the board's protocol with the `websockets` library.
"""

import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import websockets
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parents[2]
SUITE_ONLY = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, timeout: float, process=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stdout.read() if process.stdout else ''}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)  # polling for readiness, not waiting for a result
    raise TimeoutError(f"nothing listens on port {port} after {timeout} s")


@contextlib.contextmanager
def served(port: int | None = None):
    """uvicorn serving conet.asgi in a thread; yields the port."""
    import uvicorn

    port = port or free_port()
    config = uvicorn.Config(
        "conet.asgi:application", host="127.0.0.1", port=port, lifespan="off", log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        _wait_for_port(port, 20)
        yield port
    finally:
        server.should_exit = True
        thread.join(10)


def database_url() -> str:
    """The address of the database this process uses now (the test database under pytest)."""
    from django.db import connection

    settings_dict = connection.settings_dict
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


@contextlib.contextmanager
def conet_server(*, env: dict, port: int | None = None, timeout: float = 60):
    """`conet serve` in a child process; yields (port, process)."""
    port = port or free_port()
    inherited = {key: value for key, value in os.environ.items() if key not in SUITE_ONLY}
    process = subprocess.Popen(
        [sys.executable, "-m", "conet.cli", "serve", "--port", str(port), "--no-tasks"],
        cwd=ROOT,
        env={**inherited, "LOG_LEVEL": "warning", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for_port(port, timeout, process)
        yield port, process
    finally:
        process.terminate()
        try:
            output, _ = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        # Shown by pytest when the test fails: what the server said.
        print(f"--- conet serve on port {port} ---\n{output}")


class Chains:
    """What a screen has heard, as chains of `prev` numbers: the Python twin of board.js's
    chains.js (conet/workshops/events.py, "A phone's gaps"); hello says `since()`."""

    def __init__(self, start: int = 0):
        self.base = start
        self.complete: dict[str, int] = {}
        self.waiting: dict[str, dict[int, int]] = {}

    @staticmethod
    def key(event: dict) -> str:
        return "wide" if event.get("table") is None else f"t{event['table']}"

    def heard(self, event: dict) -> None:
        chain = self.key(event)
        self.complete.setdefault(chain, self.base)
        self.waiting.setdefault(chain, {})[event.get("prev") or 0] = event["seq"]
        self._settle(chain)

    def through(self, seq: int) -> None:
        self.base = max(self.base, seq)
        for chain in self.complete:
            self.complete[chain] = max(self.complete[chain], self.base)
            self._settle(chain)

    def _settle(self, chain: str) -> None:
        waiting = self.waiting[chain]
        while ready := [prev for prev in waiting if prev <= self.complete[chain]]:
            for prev in ready:
                self.complete[chain] = max(self.complete[chain], waiting.pop(prev))

    def since(self) -> int:
        return min(self.complete.values(), default=self.base)


class BoardClient:
    """One screen on the board: connects, says hello with the last number it saw, collects events."""

    def __init__(
        self, port: int, workshop_id: int, *, token=None, session=None, name="", language=""
    ):
        self.port, self.workshop_id, self.name, self.language = port, workshop_id, name, language
        cookies = []
        if token:
            cookies.append(f"conet_workshop_{workshop_id}={token}")
        if session:
            cookies.append(f"sessionid={session}")
        self.headers = {"Cookie": "; ".join(cookies)} if cookies else {}
        self.events: dict[int, dict] = {}  # seq → event
        self.received_at: dict[int, float] = {}  # seq → monotonic time of arrival
        self.replies: list[dict] = []
        self.last_seq = 0  # the highest number heard
        self.heard: Chains | None = None
        self.synced = asyncio.Event()
        self.socket = None
        self._reader = None
        self._changed = asyncio.Condition()

    @property
    def url(self) -> str:
        query = f"?language={self.language}" if self.language else ""
        return f"ws://127.0.0.1:{self.port}/ws/workshops/{self.workshop_id}/board/{query}"

    async def connect(self, since: int | None = None):
        self.synced = asyncio.Event()
        self.socket = await connect(
            self.url,
            additional_headers=self.headers,
            origin=f"http://127.0.0.1:{self.port}",
            compression=None,
            max_queue=None,
            open_timeout=30,
        )
        self._reader = asyncio.create_task(self._read())
        if self.heard is None:
            self.heard = Chains(since or 0)
        await self.send({"type": "hello", "since": self.heard.since() if since is None else since})
        return self

    async def close(self):
        if self.socket is not None:
            await self.socket.close()
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError, websockets.ConnectionClosed):
                await self._reader
        self.socket = None

    async def send(self, message: dict):
        await self.socket.send(json.dumps(message))

    async def send_raw(self, data: str | bytes):
        """Anything at all, as a script or a broken phone might send it."""
        await self.socket.send(data)

    @property
    def is_open(self) -> bool:
        return self.socket is not None and self.socket.close_code is None

    async def _read(self):
        with contextlib.suppress(websockets.ConnectionClosed):
            async for text in self.socket:
                now = time.monotonic()
                message = json.loads(text)
                if message["type"] == "event":
                    if message["seq"] not in self.events:
                        self.events[message["seq"]] = message
                        self.received_at[message["seq"]] = now
                        self.heard.heard(message)
                    self.last_seq = max(self.last_seq, message["seq"])
                elif message["type"] == "synced":
                    self.last_seq = max(self.last_seq, message["seq"])
                    self.heard.through(message["seq"])
                    self.synced.set()
                else:
                    message["at"] = now
                    self.replies.append(message)
                async with self._changed:
                    self._changed.notify_all()

    async def wait_until(self, condition, timeout: float = 10):
        async def until():
            async with self._changed:
                await self._changed.wait_for(condition)

        await asyncio.wait_for(until(), timeout)

    def cards(self) -> list[str]:
        return [e["data"]["text"] for e in self.events.values() if e["kind"] == "card"]

    async def post_card(self, text: str, client_id: str | None = None) -> str:
        client_id = client_id or uuid.uuid4().hex
        await self.send({"type": "card", "client_id": client_id, "text": text, "ref": client_id})
        return client_id

    def reply_to(self, ref: str) -> dict | None:
        return next((r for r in self.replies if r.get("ref") == ref), None)
