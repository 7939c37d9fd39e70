"""Follow the links of the demo as one person would, and say where each one leads.

Same-site links only, GET only, never the sign-out form or the bot trap, never the Django admin
(its hundreds of model pages are Django's own). Each URL pattern (route and view) is visited at
most `per_route` times, so 97 good practices do not make 97 visits of one template.
"""

from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils import translation

from conet.core.bottrap import TRAP_PATH
from conet.core.languages import language_of_path, without_language

SKIPPED_PREFIXES = (TRAP_PATH, "/admin/", "/accounts/logout/", "/i18n/")
SITE_HOSTS = {"", "testserver", "localhost", "127.0.0.1"}


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_in(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


def pattern_of(path: str) -> str:
    """The URL pattern a path belongs to: its route and view, or the path itself if none. The
    same page in two languages is one pattern (a language prefix matches only while active)."""
    try:
        with translation.override(language_of_path(path) or settings.LANGUAGE_CODE):
            match = resolve(path)
    except Resolver404:
        return path
    return f"{match.route} → {match.view_name or match.func.__qualname__}"


@dataclass
class Visit:
    url: str
    status: int
    found_on: str
    content_type: str = ""


@dataclass
class Crawl:
    visits: dict[str, Visit] = field(default_factory=dict)

    def dead(self) -> list[Visit]:
        return [visit for visit in self.visits.values() if visit.status >= 400]

    def one_per_pattern(self, *, html_only: bool = True) -> dict[str, str]:
        """A URL that answered 200 for each URL pattern seen (the first found)."""
        chosen: dict[str, str] = {}
        for visit in self.visits.values():
            if visit.status != 200 or (html_only and "text/html" not in visit.content_type):
                continue
            chosen.setdefault(pattern_of(urlsplit(visit.url).path), visit.url)
        return chosen


def _same_site(href: str, page: str) -> str | None:
    if href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    url = urljoin(f"http://testserver{page}", href)
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or parts.hostname not in SITE_HOSTS:
        return None
    if without_language(parts.path).startswith(SKIPPED_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client, start: str, *, per_route: int = 3) -> Crawl:
    result = Crawl()
    per_pattern: Counter[str] = Counter()
    queue = deque([(start, "(start)")])
    queued = {start}
    while queue:
        url, found_on = queue.popleft()
        pattern = pattern_of(urlsplit(url).path)
        if per_pattern[pattern] >= per_route:
            continue
        per_pattern[pattern] += 1
        response = client.get(url)
        content_type = response.get("Content-Type", "")
        result.visits[url] = Visit(url, response.status_code, found_on, content_type)
        targets = []
        if response.status_code in (301, 302, 303, 307, 308):
            targets = [response["Location"]]
        elif response.status_code == 200 and "text/html" in content_type:
            body = b"".join(response.streaming_content) if response.streaming else response.content
            targets = links_in(body.decode("utf-8", "replace"))
        for href in targets:
            target = _same_site(href, urlsplit(url).path)
            if target and target not in queued:
                queued.add(target)
                queue.append((target, url))
    return result


def report(visits: list[Visit]) -> str:
    return "\n".join(
        f"  {visit.status} {visit.url}  (linked from {visit.found_on})" for visit in visits
    )
