"""English versions of pages (issue 17, home/translation.py, core/locales.py): /en/ serves the
English version, or the Russian page with a notice; the language switch lands on the same page;
lists, search, feeds and the sitemap are per language; the page cache is purged per translation.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from wagtail.models import Locale

from core import pagecache
from tests.factories import NewsPageFactory, initiative_index, news_index, translate_page

pytestmark = pytest.mark.django_db

NOTICE = "has not been translated into English yet"


@pytest.fixture
def news(gorki):
    """Three Горки news items; the first has an English version with a slug of its own."""
    items = [
        NewsPageFactory(parent=gorki, title=f"Новость Горок {n}", slug=f"gorki-news-{n}")
        for n in range(3)
    ]
    english = translate_page(
        items[0], title="Gorki opens a seed laboratory", slug="seed-laboratory", intro="In English."
    )
    return {"items": items, "english": english}


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_english_version_is_served_at_its_en_address(client, news):
    """/en/<its path> shows the English version, in an English page, with no notice; the Russian
    address still shows the Russian original."""
    english = news["english"]
    assert english.url.startswith("/en/")
    page = _text(client.get(english.url))
    assert "Gorki opens a seed laboratory" in page
    assert '<html lang="en"' in page
    assert NOTICE not in page
    russian = _text(client.get(news["items"][0].url))
    assert "Новость Горок 0" in russian
    assert "Gorki opens a seed laboratory" not in russian


def test_untranslated_page_falls_back_to_russian_with_a_notice(client, news):
    """A page with no English version answers at /en/ with the Russian content, the notice, and
    its content marked lang="ru" (screen readers switch voice)."""
    untranslated = news["items"][1]
    page = _text(client.get(f"/en{untranslated.url}"))
    assert "Новость Горок 1" in page
    assert NOTICE in page
    assert re.search(r'<main[^>]* lang="ru"', page)
    assert NOTICE not in _text(client.get(untranslated.url))


def test_alias_parent_shows_the_original_with_the_notice(client, news, gorki):
    """Translating a news item made English aliases of its parents (the initiative); /en/ of the
    initiative serves the Russian original (its members and news are keyed on it), with the
    notice, not the alias."""
    alias = gorki.get_translation(Locale.objects.get(language_code="en"))
    assert alias.alias_of_id == gorki.pk
    page = _text(client.get(f"/en{gorki.url}"))
    assert NOTICE in page
    assert gorki.title in page


def test_old_path_of_a_translated_slug_redirects_to_the_english_address(client, news):
    """/en/ + the Russian path of a page whose English version has its own slug redirects there."""
    original = news["items"][0]
    response = client.get(f"/en{original.url}")
    assert response.status_code == 301
    assert response["Location"] == news["english"].url


@pytest.mark.parametrize("direction", ["ru-to-en", "en-to-ru"])
def test_language_switch_lands_on_the_translation(client, news, direction):
    """The switch posts the current address; it answers with the same page in the other
    language: the English version's own address, and back to the Russian original."""
    original, english = news["items"][0], news["english"]
    current, language, expected = (
        (original.url, "en", english.url)
        if direction == "ru-to-en"
        else (english.url, "ru", original.url)
    )
    response = client.post("/i18n/setlang/", {"language": language, "next": current})
    assert response.status_code == 302
    assert response["Location"] == expected


def test_language_switch_on_an_untranslated_page_keeps_the_path(client, news):
    """Without an English version the switch goes to the same path under /en/ (the fallback)."""
    untranslated = news["items"][1]
    response = client.post("/i18n/setlang/", {"language": "en", "next": untranslated.url})
    assert response["Location"] == f"/en{untranslated.url}"


def test_news_list_shows_each_item_once_in_the_active_language(client, news):
    """/en/news/ lists the English version of a translated item and the Russian others; /news/
    lists the Russian originals only: no item twice in either."""
    english_list = _text(client.get(f"/en{news_index().url}"))
    assert "Gorki opens a seed laboratory" in english_list
    assert "Новость Горок 0" not in english_list
    assert "Новость Горок 1" in english_list and "Новость Горок 2" in english_list
    russian_list = _text(client.get(news_index().url))
    assert "Gorki opens a seed laboratory" not in russian_list
    assert russian_list.count("Новость Горок 0") >= 1


def test_initiatives_list_and_registry_count_an_initiative_once(client, gorki, polotsk):
    """An English version of an initiative is no second initiative: /initiatives/ lists the
    originals, /en/initiatives/ shows the English card in its place."""
    translate_page(gorki, title="Gorki Agricultural Biotechnology Cluster", short_name="Gorki")
    russian = _text(client.get(initiative_index().url))
    assert "Gorki Agricultural Biotechnology Cluster" not in russian
    assert russian.count(f'href="{gorki.url}"') >= 1
    english = _text(client.get(f"/en{initiative_index().url}"))
    assert "Gorki Agricultural Biotechnology Cluster" in english
    assert polotsk.title in english


def test_english_initiative_shows_the_originals_members_news_and_join_box(
    client_for, people, gorki
):
    """The English version of an initiative reads memberships and news of the original: its
    member sees «their» group link, and the news of the original are listed."""
    NewsPageFactory(parent=gorki, title="Новость для английской страницы")
    english = translate_page(gorki, title="Gorki cluster", short_name="Gorki")
    page = _text(client_for(people["member"]).get(english.url))
    assert "Gorki cluster" in page
    assert "Новость для английской страницы" in page
    assert f"/cabinet/groups/{gorki.slug}/" in page


def test_feeds_are_per_language(client, news):
    """The English RSS lists only the items that have an English version; the Russian one only
    Russian originals."""
    english = _text(client.get(f"/en{news_index().url}feed/"))
    assert "Gorki opens a seed laboratory" in english
    assert "Новость Горок 1" not in english
    russian = _text(client.get(f"{news_index().url}feed/"))
    assert "Новость Горок 1" in russian
    assert "Gorki opens a seed laboratory" not in russian


def test_search_is_per_language(client, news):
    """A search in English finds the English version; in Russian it never returns English pages."""
    assert "Gorki opens a seed laboratory" in _text(client.get("/en/search/?q=laboratory"))
    assert "Gorki opens a seed laboratory" not in _text(client.get("/search/?q=laboratory"))
    assert "Новость Горок 1" in _text(client.get("/search/?q=Горок"))


def test_sitemap_lists_both_languages_with_alternates(client, news):
    """sitemap.xml lists the English version too, and both carry hreflang alternates (ru, en,
    x-default); the English aliases of untranslated parents are not listed."""
    xml = _text(client.get("/sitemap.xml"))
    english_url = news["english"].get_full_url()
    russian_url = news["items"][0].get_full_url()
    assert f"<loc>{english_url}</loc>" in xml
    assert f'hreflang="en" href="{english_url}"' in xml
    assert f'hreflang="x-default" href="{russian_url}"' in xml
    assert (
        f"<loc>{russian_url.rsplit('/initiatives/', 1)[0]}/en/initiatives/gorki/</loc>" not in xml
    )


def test_publishing_an_english_version_purges_its_address_only(
    news, django_capture_on_commit_callbacks
):
    """A guest's /en/ address that showed the Russian fallback is purged when the English
    version is published, and the Russian page's cached copy is kept."""
    guest = Client()
    original = news["items"][2]
    fallback_url = f"/en{original.url}"
    for url in (fallback_url, original.url):
        guest.get(url)
        assert guest.get(url)[pagecache.HIT_HEADER] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        translate_page(original, title="English news two")
    fresh = guest.get(fallback_url)
    assert fresh[pagecache.HIT_HEADER] == "miss"
    assert "English news two" in fresh.content.decode()
    assert guest.get(original.url)[pagecache.HIT_HEADER] == "hit"


def test_english_news_list_keeps_a_constant_number_of_queries(client, gorki):
    """/en/news/ costs the same number of queries with 3 and with 12 items, a third of them
    translated: the English versions are fetched in one go, not one per item."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(n):
        for i in range(n):
            item = NewsPageFactory(parent=gorki, title=f"Q{n}-{i}", slug=f"q{n}-{i}")
            if i % 3 == 0:
                translate_page(item, title=f"English Q{n}-{i}")
        client.get(f"/en{news_index().url}")  # warm: the site's root paths, settings rows
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/en{news_index().url}").status_code == 200
        return len(queries)

    assert count(9) <= count(3)


def test_links_on_english_addresses_stay_in_english(client, news, gorki):
    """On an /en/ address, links to Russian pages (cards, breadcrumbs) lead to their /en/
    address, so the visitor stays in English; on the Russian address they stay unprefixed, and
    sitemap.xml names each page's own address."""
    untranslated = news["items"][1]
    english_list = _text(client.get(f"/en{news_index().url}"))
    assert f'href="/en{untranslated.url}"' in english_list
    assert f'href="{news["english"].url}"' in english_list
    assert "/en/en/" not in english_list
    english_item = _text(client.get(f"/en{untranslated.url}"))
    assert f'href="/en{gorki.url}"' in english_item  # the breadcrumb to the initiative
    russian_list = _text(client.get(news_index().url))
    assert f'href="{untranslated.url}"' in russian_list
    assert f"/en{untranslated.url}" not in _text(client.get("/sitemap.xml"))


@pytest.mark.parametrize(
    "next_url",
    [
        "//evil.example/initiatives/gorki/",
        "https://evil.example/initiatives/gorki/",
        "/\\evil.example/",
        "/initiatives/gorki/\x00",
        "/" + "x/" * 2000,
        "",
    ],
)
def test_language_switch_never_leaves_the_site_on_a_strange_next(client, news, next_url):
    """The page-aware switch reads ``next`` as a path on this site or not at all: another
    host, a NUL or a huge path ends on this site (Django's own check), never in an error."""
    response = client.post("/i18n/setlang/", {"language": "en", "next": next_url})
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\"))


def test_sitemap_keeps_a_constant_number_of_queries(client, gorki):
    """sitemap.xml with its alternates costs the same with 3 and with 12 news items, a third of
    them translated: the versions are read for the whole page of the sitemap at once."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(n):
        for i in range(n):
            item = NewsPageFactory(parent=gorki, title=f"S{n}-{i}", slug=f"s{n}-{i}")
            if i % 3 == 0:
                translate_page(item, title=f"English S{n}-{i}")
        client.get("/sitemap.xml")
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/sitemap.xml").status_code == 200
        return len(queries)

    assert count(9) <= count(3)
