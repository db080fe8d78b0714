"""Hypothesis strategies for hostile input: text people (or scripts) could send, values of
the wrong type, missing and extra fields, and the raw request bodies that carry them.

Lone surrogates cannot be encoded as UTF-8; the form bodies here are built by hand and
encode them with ``surrogatepass``, so the server receives the invalid byte sequences a
broken client would send (Django decodes them as U+FFFD), not a test-side crash.
"""

from __future__ import annotations

from urllib.parse import quote_from_bytes

from hypothesis import strategies as st

MISSING = object()

# Characters that have broken web applications: NUL (PostgreSQL refuses it in text), other
# C0/C1 controls, bidi overrides and marks, zero-width and BOM, a combining mark alone,
# emoji with joiners and modifiers, line and paragraph separators, quotes and angle brackets.
NASTY = [
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "\x9b",
    "\u202e",
    "\u200f\u200e",
    "\u2066x\u2069",
    "\u200b",
    "\ufeff",
    "\u0301",
    "👩‍👩‍👧‍👦",
    "👍🏽",
    "\u2028\u2029",
    "\r\n\r\n",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "../../etc/passwd",
    "{{ 7*7 }}",
    "${jndi:ldap://x}",
    "ﷺ" * 20,
    "Ω" * 300,
]
SURROGATES = ["\ud800", "x\udfffy", "\udc80\udc81"]
NUMBERS = ["0", "-1", "1e309", "NaN", "-0", "99999999999999999999999", "0x10", "1,5", "١٢٣", "½"]
DATES = ["2023-02-30", "0000-00-00", "9999-12-31", "2024-13-01", "31.02.2024", "-1-01-01"]
HUGE = ["x" * 100_000, "я" * 50_000, ("\u202e😀" * 25_000)]

any_char = st.characters(codec=None)  # surrogates included
printable_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
raw_text = st.text(any_char, max_size=40)

scalar = st.one_of(
    printable_text,
    raw_text,
    st.sampled_from(NASTY),
    st.sampled_from(SURROGATES),
    st.sampled_from(NUMBERS),
    st.sampled_from(DATES),
    st.sampled_from(HUGE),
    st.lists(st.sampled_from(NASTY), min_size=1, max_size=6).map("".join),
)


def field_value(valid=None):
    """A value for one field: missing, one hostile string, several values for the one name
    (a list where one was expected), or, when ``valid`` is given, a value the form accepts."""
    options = [
        st.just(MISSING),
        scalar,
        st.lists(scalar, min_size=2, max_size=3),
    ]
    if valid is not None:
        valid = valid if isinstance(valid, st.SearchStrategy) else st.sampled_from(valid)
        options.insert(0, valid)
        options.append(st.lists(valid, min_size=2, max_size=2))
    return st.one_of(*options)


extra_fields = st.dictionaries(
    st.one_of(st.text(max_size=10), st.sampled_from(["csrfmiddlewaretoken", "id", "pk", "user"])),
    scalar,
    max_size=3,
)


@st.composite
def form_data(draw, fields: dict):
    """{name: value or [values]} for ``fields`` ({name: valid values or None}), fields drawn
    as missing left out, plus extra fields the form does not know."""
    data = {}
    for name, valid in fields.items():
        value = draw(field_value(valid))
        if value is not MISSING:
            data[name] = value
    for name, value in draw(extra_fields).items():
        data.setdefault(name, value)
    return data


def _encode(text) -> bytes:
    return str(text).encode("utf-8", "surrogatepass")


def urlencoded(data: dict) -> bytes:
    """``data`` as an application/x-www-form-urlencoded body (lists as repeated names)."""
    pairs = []
    for name, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append(quote_from_bytes(_encode(name)) + "=" + quote_from_bytes(_encode(item)))
    return "&".join(pairs).encode("ascii")


def query_string(data: dict) -> str:
    return urlencoded(data).decode("ascii")
