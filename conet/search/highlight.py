"""Matches shown as `<mark>`: every character of the stored text is escaped, only our tags are not."""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from conet.search.fulltext import _fold

WORD = re.compile(r"\w+")


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    folded = _fold(char)
    return folded if len(folded) == 1 else char


def _folded(text: str) -> str:
    """The text folded as query terms are (case, accents), one character for one character, so
    positions in it are positions in the text."""
    return "".join(map(_fold_char, text))


@lru_cache(maxsize=256)
def _pattern(terms: tuple[str, ...]) -> re.Pattern | None:
    if not terms:
        return None
    alternatives = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})\w*")


def highlight(text: str, terms: list[str]) -> SafeString:
    """The whole text, escaped, with the words the query's terms match wrapped in <mark>."""
    pattern = _pattern(tuple(terms))
    parts: list[str] = []
    position = 0
    if pattern is not None:
        for match in pattern.finditer(_folded(text)):
            parts.append(escape(text[position : match.start()]))
            parts.append(f"<mark>{escape(text[match.start() : match.end()])}</mark>")
            position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # every piece above is escaped


def snippet(texts: list[str], terms: list[str], words: int = 40) -> SafeString:
    """About `words` words around the first match in the first text that has one (summary before
    body); without a match, the beginning of the first non-empty text."""
    pattern = _pattern(tuple(terms))
    if pattern is not None:
        for text in texts:
            if not text:
                continue
            match = pattern.search(_folded(text))
            if match is not None:
                found = list(WORD.finditer(text))
                first = max(0, bisect_right([m.start() for m in found], match.start()) - 1)
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
