"""Text as people typed it, made safe to store and show: what every app does with free text
(posts, comments, later chat messages, search queries) before it keeps or uses it."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Control characters other than tab and newline: C0 (NUL, escape), DEL, C1 (the 8-bit CSI
# \x9b starts terminal escapes as \x1b[ does), and the bidi embeddings, overrides and isolates.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_text(text: str) -> str:
    """Plain text as people typed it: newlines normalised, control characters dropped,
    surrounding blank space trimmed."""
    text = str(text or "").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def clean_line(text: str) -> str:
    """One line (a search query, say) with every control and format character dropped, line
    breaks and zero-width characters too (PostgreSQL refuses NUL; invisible characters would
    only hide a match), surrounding space trimmed."""
    return "".join(ch for ch in str(text or "") if unicodedata.category(ch)[0] != "C").strip()


# --- Showing text: plain text to HTML (the feed's posts and comments, chat messages) --------

# An http(s) address up to the next blank, quote or angle bracket; trailing punctuation is
# given back to the sentence afterwards.
_URL = re.compile(r"(?<![\w/.@-])https?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?…»«\"'"
_PAIRS = {")": "(", "]": "[", "}": "{"}
_LINK_TEXT_MAX = 70
_PARAGRAPHS = re.compile(r"\n\s*\n+")


def _trim(url: str) -> tuple[str, str]:
    """(the address, punctuation after it that belongs to the sentence)."""
    tail = ""
    while url:
        last = url[-1]
        unbalanced = last in _PAIRS and url.count(last) > url.count(_PAIRS[last])
        if last not in _TRAILING and not unbalanced:
            break
        url, tail = url[:-1], last + tail
    return url, tail


def _is_safe_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def _link(url: str) -> str:
    shown = url if len(url) <= _LINK_TEXT_MAX else url[: _LINK_TEXT_MAX - 1] + "…"
    return (
        f'<a href="{escape(url)}" rel="nofollow noopener ugc" class="text-link">{escape(shown)}</a>'
    )


def _linkify(text: str) -> str:
    out, position = [], 0
    for match in _URL.finditer(text):
        url, tail = _trim(match.group(0))
        if not _is_safe_url(url):
            continue
        out.append(escape(text[position : match.start()]))
        out.append(_link(url))
        out.append(escape(tail))
        position = match.end()
    out.append(escape(text[position:]))
    return "".join(out)


def text_html(value) -> SafeString | str:
    """Plain text as HTML: escaped, http(s) addresses linked (rel="nofollow noopener ugc"),
    paragraphs at blank lines and line breaks kept. Never renders HTML from the text."""
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    paragraphs = []
    for block in _PARAGRAPHS.split(text):
        lines = [_linkify(line) for line in block.split("\n")]
        paragraphs.append("<p>" + "<br>".join(lines) + "</p>")
    return mark_safe("".join(paragraphs))  # noqa: S308 - every piece of text was escaped above
