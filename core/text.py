"""Text as people typed it, made safe to store and show: what every app does with free text
(posts, comments, later chat messages, search queries) before it keeps or uses it."""

from __future__ import annotations

import re
import unicodedata

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
