"""The chosen-language redirect never sends a visitor to another host (pen test, issue 9)."""

from urllib.parse import urlsplit

import pytest

# Paths a WSGI server hands over as they are (PATH_INFO, already percent-decoded). The test
# client would read a path beginning with // as a host itself, so these go in the environ.
HOSTILE_PATH_INFO = [
    "//evil.example/",
    "//evil.example",
    "///evil.example/",
    "////evil.example/",
    "/\\evil.example/",
    "/\\/evil.example/",
    "//\\evil.example/",
    "/\t/evil.example/",
    "/\n/evil.example/",
    "//evil.example/search/",
]

# The same tricks percent-encoded in the request line (the client decodes them, as a server does).
HOSTILE_REQUEST_LINES = [
    "/%2F%2Fevil.example/",
    "/%2Fevil.example/",
    "/%5Cevil.example",
    "/%5C%5Cevil.example/",
    "/%09/evil.example/",
    "/%2F%2Fevil.example/?q=x",
]


def _assert_stays_on_site(response):
    location = response.get("Location")
    if location is None:
        return
    assert not location.startswith(("//", "/\\", "\\")), location
    parts = urlsplit(location)
    assert parts.netloc == "", location
    assert parts.scheme == "", location
    assert "evil.example" not in urlsplit(location.replace("\\", "/")).netloc, location


@pytest.fixture
def english_client(client, home_page):
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.parametrize("path_info", HOSTILE_PATH_INFO)
def test_redirect_never_names_another_host(english_client, path_info):
    """With the language cookie set to English, a path that a browser would read as another
    host (//host, /\\host, /<tab>/host) is never turned into a Location on that host."""
    response = english_client.get("/", PATH_INFO=path_info)
    _assert_stays_on_site(response)


@pytest.mark.parametrize("url", HOSTILE_REQUEST_LINES)
def test_encoded_forms_never_name_another_host(english_client, url):
    """Percent-encoded slashes, backslashes and tabs give no off-site Location either."""
    response = english_client.get(url)
    _assert_stays_on_site(response)


def test_doubled_slash_redirects_to_the_local_page(english_client):
    """//search/ is this site's /search/: the visitor lands on its English version here."""
    response = english_client.get("/", {"q": "x"}, PATH_INFO="//search/")
    assert response.status_code == 302
    assert response["Location"] == "/en/search/?q=x"
