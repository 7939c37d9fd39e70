"""A local stand-in for LibreTranslate and DeepL: a real HTTP server in a thread that speaks both
services' protocols (requests, answers and error answers), so the backends are tested over HTTP.

    service = FakeTranslationService(key="secret").start()
    settings.CONET_TRANSLATION_URL = service.libretranslate_url   # or service.deepl_url
    service.fail_with = 456                                       # DeepL's "quota exceeded"

A translation is the text with the target language in front of each line ("- [de] …"), so a test
can tell a machine's text from a person's and see which language was asked for.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

# What each service accepts as languages (a subset of the real lists; enough for ours).
LIBRE_LANGUAGES = {"en", "de", "it", "fr", "bg", "ro", "nl", "pl", "sv", "es"}
DEEPL_SOURCES = {"EN", "DE", "IT", "FR", "BG", "RO", "NL", "PL", "SV", "ES"}
DEEPL_TARGETS = {"EN-GB", "EN-US", "DE", "IT", "FR", "BG", "RO", "NL", "PL", "SV", "ES"}


_MARKDOWN_LINE = re.compile(r"^(\s*(?:[-*+]|\d+\.|#+)\s+)?(.*)$")


def machine_text(text: str, target: str) -> str:
    """Each line with the language in front of its words; Markdown's list and heading marks stay
    where they were, as a real service keeps them."""
    lines = []
    for line in text.split("\n"):
        mark, words = _MARKDOWN_LINE.match(line).groups()
        lines.append(f"{mark or ''}[{target.lower()}] {words}" if words.strip() else line)
    return "\n".join(lines)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args):  # keep the test output quiet
        pass

    def _answer(self, status: int, body: dict) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def _body(self) -> dict:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        if self.headers.get("Content-Type", "").startswith("application/json"):
            return json.loads(raw or "{}")
        # Both services take form bodies too (DeepL repeats `text`, LibreTranslate one `q`).
        form = urllib.parse.parse_qs(raw)
        return {
            name: values if name in ("text", "q") and len(values) > 1 else values[0]
            for name, values in form.items()
        }

    def do_POST(self):
        service = self.server.service
        if service.answer_after:
            service.slow.wait(service.answer_after)  # a service that takes too long to answer
        body = self._body()
        service.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
        if self.path == "/translate":
            self._libretranslate(service, body)
        elif self.path == "/v2/translate":
            self._deepl(service, body)
        else:
            self._answer(404, {"error": "Not Found"})

    def _libretranslate(self, service, body):
        if service.key and body.get("api_key") != service.key:
            return self._answer(
                403,
                {"error": "Invalid API key. Visit https://portal.libretranslate.com to get one."},
            )
        if service.fail_with == 429:
            return self._answer(429, {"error": "Too many request limits violation"})
        if service.fail_with:
            return self._answer(service.fail_with, {"error": "Internal server error"})
        source, target = body.get("source"), body.get("target")
        for code in (source, target):
            if code not in LIBRE_LANGUAGES:
                return self._answer(400, {"error": f"{code} is not supported"})
        if body.get("format", "text") not in ("text", "html"):
            return self._answer(400, {"error": "Invalid request: format"})
        q = body.get("q")
        if isinstance(q, list):
            return self._answer(200, {"translatedText": [machine_text(t, target) for t in q]})
        return self._answer(200, {"translatedText": machine_text(q or "", target)})

    def _deepl(self, service, body):
        header = self.headers.get("Authorization", "")
        if header != f"DeepL-Auth-Key {service.key}":
            return self._answer(403, {"message": "Wrong endpoint. Use https://api-free.deepl.com"})
        if service.fail_with == 456:
            return self._answer(456, {"message": "Quota exceeded"})
        if service.fail_with == 429:
            return self._answer(429, {"message": "Too many requests"})
        if service.fail_with:
            return self._answer(service.fail_with, {"message": "Internal error"})
        texts = body.get("text")
        if isinstance(texts, str):
            texts = [texts]
        if not texts:
            return self._answer(400, {"message": "Parameter 'text' not specified."})
        source, target = body.get("source_lang"), body.get("target_lang")
        if target not in DEEPL_TARGETS:
            return self._answer(400, {"message": "Value for 'target_lang' not supported."})
        if source is not None and source not in DEEPL_SOURCES:
            return self._answer(400, {"message": "Value for 'source_lang' not supported."})
        return self._answer(
            200,
            {
                "translations": [
                    {"detected_source_language": source or "EN", "text": machine_text(t, target)}
                    for t in texts
                ]
            },
        )


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    service: FakeTranslationService


class FakeTranslationService:
    def __init__(self, key: str = "test-key"):
        self.key = key
        self.fail_with: int | None = None  # answer every request with this status
        self.answer_after: float = 0  # seconds before answering
        self.slow = threading.Event()  # set() lets slow answers go at once (at stop)
        self.requests: list[dict] = []
        self._server: _Server | None = None

    def start(self) -> FakeTranslationService:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.service = self
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.slow.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def libretranslate_url(self) -> str:
        return f"libretranslate+{self.base}/?key={self.key}"

    @property
    def deepl_url(self) -> str:
        return f"deepl+{self.base}/?key={self.key}"


def closed_port() -> int:
    """A port nothing listens on: a connection to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def translation_service():
    service = FakeTranslationService().start()
    yield service
    service.stop()
