"""Matches shown as `<mark>`: every character of the stored text is escaped, only our tags are not."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from conet.search.fulltext import term_matches

WORD = re.compile(r"\w+")


def highlight(text: str, terms: list[str]) -> SafeString:
    """The whole text, escaped, with the words the query's terms match wrapped in <mark>."""
    parts: list[str] = []
    position = 0
    if terms:
        for match in WORD.finditer(text):
            if term_matches(match.group(), terms):
                parts.append(escape(text[position : match.start()]))
                parts.append(f"<mark>{escape(match.group())}</mark>")
                position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # every piece above is escaped


def snippet(texts: list[str], terms: list[str], words: int = 40) -> SafeString:
    """About `words` words around the first match in the first text that has one (summary before
    body); without a match, the beginning of the first non-empty text."""
    for text in texts:
        if not text or not terms:
            continue
        found = list(WORD.finditer(text))
        first = next((i for i, m in enumerate(found) if term_matches(m.group(), terms)), None)
        if first is not None:
            return _window(text, found, max(0, first - 8), words, terms)
    for text in texts:
        if text:
            return _window(text, list(WORD.finditer(text)), 0, words, terms)
    return mark_safe("")


def _window(text: str, found: list, start: int, words: int, terms: list[str]) -> SafeString:
    if not found:
        return highlight(text[:300], terms)
    end = min(len(found), start + words)
    begin = 0 if start == 0 else found[start].start()
    finish = len(text) if end == len(found) else found[end - 1].end()
    lead = "… " if start > 0 else ""
    tail = " …" if end < len(found) else ""
    body = highlight(text[begin:finish].strip(), terms)
    return mark_safe(f"{escape(lead)}{body}{escape(tail)}")
