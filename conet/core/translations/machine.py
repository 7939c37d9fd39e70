"""Machine translation backends, chosen by one setting and off by default.

    CONET_TRANSLATION_URL=libretranslate+http://127.0.0.1:5000            a LibreTranslate server
    CONET_TRANSLATION_URL=libretranslate+https://lt.example.org/?key=K     … that wants an API key
    CONET_TRANSLATION_URL=deepl://?key=K                                   DeepL (Free when K ends in :fx)
    CONET_TRANSLATION_URL=deepl+https://api.deepl.com/?key=K               DeepL at a given host

Each backend speaks its service's HTTP protocol with the standard library (no client package to
install); every failure becomes a `TranslationUnavailable` with a code whose sentence is shown in
the reader's language. Requests time out after CONET_TRANSLATION_TIMEOUT seconds (20).
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

MESSAGES = {
    "off": _("Machine translation is not switched on for this platform."),
    "bad_key": _("The translation service refused the access key. Ask the platform's operator."),
    "quota": _(
        "The translation service has reached its limit for now. Nothing was changed; "
        "try again later."
    ),
    "unreachable": _(
        "The translation service cannot be reached. Nothing was changed; try again later."
    ),
    "server": _("The translation service had an error. Nothing was changed; try again later."),
    "rejected": _("The translation service refused the texts or one of the languages."),
    "bad_response": _("The translation service gave an answer CoNet cannot read."),
}


class TranslationUnavailable(Exception):
    """The backend could not translate; `code` is a key of MESSAGES, `detail` is for the log."""

    def __init__(self, code: str, detail: str = ""):
        self.code = code
        self.detail = detail
        super().__init__(f"{code}: {detail}" if detail else code)

    @property
    def message(self) -> str:
        return str(MESSAGES.get(self.code, MESSAGES["server"]))


def _timeout() -> float:
    return float(getattr(settings, "CONET_TRANSLATION_TIMEOUT", 20))


def _post(url: str, body: dict, headers: dict | None = None) -> object:
    """POST JSON, return the decoded JSON answer, or raise TranslationUnavailable."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={
            "Content-Type": "application/json",
            "Accept": "application/json",
            **(headers or {}),
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=_timeout()) as response:
            raw = response.read()
    except urllib.error.HTTPError as error:
        detail = error.read()[:300].decode(errors="replace")
        if error.code in (401, 403):
            raise TranslationUnavailable("bad_key", f"{error.code} {detail}") from error
        if error.code in (429, 456):  # 456: DeepL's "quota exceeded"
            raise TranslationUnavailable("quota", f"{error.code} {detail}") from error
        if 400 <= error.code < 500:
            raise TranslationUnavailable("rejected", f"{error.code} {detail}") from error
        raise TranslationUnavailable("server", f"{error.code} {detail}") from error
    except (TimeoutError, urllib.error.URLError, ConnectionError, OSError) as error:
        raise TranslationUnavailable("unreachable", str(error)) from error
    try:
        return json.loads(raw)
    except ValueError as error:
        raise TranslationUnavailable("bad_response", raw[:200].decode(errors="replace")) from error


@dataclass(frozen=True)
class LibreTranslate:
    """POST /translate {q: [...], source, target, format, api_key} → {translatedText: [...]}."""

    base_url: str
    key: str = ""
    name: str = "LibreTranslate"

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        body = {"q": texts, "source": source, "target": target, "format": "text"}
        if self.key:
            body["api_key"] = self.key
        answer = _post(self.base_url.rstrip("/") + "/translate", body)
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if isinstance(translated, str):
            translated = [translated]
        if not isinstance(translated, list) or len(translated) != len(texts):
            raise TranslationUnavailable("bad_response", str(answer)[:200])
        return [str(text) for text in translated]


# DeepL names English as a target by its variant; the other nine of our languages are plain.
_DEEPL_TARGETS = {"en": "EN-GB"}


@dataclass(frozen=True)
class DeepL:
    """POST /v2/translate {text: [...], source_lang, target_lang}, header
    `Authorization: DeepL-Auth-Key …` → {translations: [{text, detected_source_language}]}."""

    base_url: str
    key: str
    name: str = "DeepL"

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        body = {
            "text": texts,
            "source_lang": source.upper(),
            "target_lang": _DEEPL_TARGETS.get(target, target.upper()),
        }
        answer = _post(
            self.base_url.rstrip("/") + "/v2/translate",
            body,
            {"Authorization": f"DeepL-Auth-Key {self.key}"},
        )
        rows = answer.get("translations") if isinstance(answer, dict) else None
        if not isinstance(rows, list) or len(rows) != len(texts):
            raise TranslationUnavailable("bad_response", str(answer)[:200])
        try:
            return [str(row["text"]) for row in rows]
        except (KeyError, TypeError) as error:
            raise TranslationUnavailable("bad_response", str(answer)[:200]) from error


def backend_from_url(url: str):
    """The backend a CONET_TRANSLATION_URL names, or None when it is empty (machine translation off)."""
    if not url:
        return None
    parts = urllib.parse.urlsplit(url)
    key = urllib.parse.parse_qs(parts.query).get("key", [""])[0]
    scheme, _plus, transport = parts.scheme.partition("+")
    if scheme == "libretranslate":
        if transport not in ("http", "https") or not parts.netloc:
            raise ValueError("CONET_TRANSLATION_URL: write libretranslate+http://host:port")
        return LibreTranslate(f"{transport}://{parts.netloc}{parts.path}", key)
    if scheme == "deepl":
        if not key:
            raise ValueError("CONET_TRANSLATION_URL: DeepL needs ?key=<your authentication key>")
        if transport:
            return DeepL(f"{transport}://{parts.netloc}{parts.path}", key)
        host = "api-free.deepl.com" if key.endswith(":fx") else "api.deepl.com"
        return DeepL(f"https://{host}", key)
    raise ValueError(f"CONET_TRANSLATION_URL: unknown backend {parts.scheme!r}")


def backend():
    """The configured backend, or None. Read each time: tests and operators switch it at run time."""
    return backend_from_url(getattr(settings, "CONET_TRANSLATION_URL", "") or "")


def enabled() -> bool:
    try:
        return backend() is not None
    except ValueError:
        logger.exception("machine translation: CONET_TRANSLATION_URL cannot be read")
        return False
