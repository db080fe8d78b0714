"""Wagtail's search promotions on the site's search (home/promotions.py): the editors' pick
for «Биржа идей», «Мероприятия» or «Вступить» shows above the results, for the query as
typed in any case; unpublished picks are left out; searching writes nothing; the demo
makes the three."""

from __future__ import annotations

import pytest
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from home.demo import SEARCH_PROMOTIONS
from tests.events.factories import event_index
from tests.factories import StandardPageFactory, initiative_index
from tests.ideas_exchange.factories import ideas_page

pytestmark = pytest.mark.django_db


def _promote(text, page, description=""):
    query = Query.get(text)
    return SearchPromotion.objects.create(query=query, page=page, description=description)


def _promoted_block(html: str) -> str:
    start = html.find("search-promotions")
    assert start != -1, "no promotions block"
    return html[start : html.find("</ul>", start)]


def test_promotion_shows_above_the_results(client, home_page):
    """«Мероприятия» (any case, extra spaces) shows the events index first, with the
    editors' description, before the ordinary results."""
    events = event_index()
    _promote("Мероприятия", events, "Календарь мероприятий кластеров")
    StandardPageFactory(parent=home_page, title="Мероприятия прошлого года", slug="past")
    html = client.get("/search/", {"q": "  МЕРОПРИЯТИЯ "}).content.decode()
    block = _promoted_block(html)
    assert events.url in block and "Календарь мероприятий кластеров" in block
    assert html.find("search-promotions") < html.find("Мероприятия прошлого года")


def test_promotion_without_ordinary_results(client, home_page):
    """A promoted query that matches no page text still leads somewhere, without «nothing
    found» under it."""
    _promote("Вступить", initiative_index(), "Выберите инициативу")
    html = client.get("/search/", {"q": "вступить"}).content.decode()
    assert initiative_index().url in _promoted_block(html)
    assert "Ничего не найдено" not in html


def test_other_queries_and_unpublished_picks_show_nothing(client, home_page):
    """Another query has no promotions block; an unpublished promoted page is not shown."""
    draft = StandardPageFactory(parent=home_page, slug="draft", publish=False, live=False)
    _promote("Биржа идей", draft)
    assert "search-promotions" not in client.get("/search/", {"q": "биржа идей"}).content.decode()
    assert "search-promotions" not in client.get("/search/", {"q": "кластер"}).content.decode()


def test_searching_creates_no_query_rows(client, home_page):
    """Wagtail's ``Query.get`` would add a row per new query; the site's search only reads."""
    client.get("/search/", {"q": "что-то новое"})
    assert not Query.objects.exists()


def test_demo_promotions_point_to_existing_pages(home_page):
    """The demo's three promotions are made once, for the ideas exchange, the events index
    and the initiatives' list, and an editor's removal is not undone."""
    from core.demo import DemoContext
    from home.demo import seed_search_promotions

    ideas_page()
    event_index()
    initiative_index()
    ctx = DemoContext()
    ctx.objects["home_page"] = home_page
    seed_search_promotions(ctx)
    seed_search_promotions(ctx)
    picks = {p.query.query_string: p.page.slug for p in SearchPromotion.objects.all()}
    assert picks == {"биржа идей": "ideas", "мероприятия": "events", "вступить": "initiatives"}
    assert [slug for _text, slug, _d in SEARCH_PROMOTIONS] == ["ideas", "events", "initiatives"]
    SearchPromotion.objects.filter(query__query_string="вступить").delete()
    seed_search_promotions(ctx)
    assert not SearchPromotion.objects.filter(query__query_string="вступить").exists()


def test_promotions_on_the_english_search_stay_in_english(client, home_page, gorki):
    """On /en/search/ a promoted page with an English version links to it, and an untranslated
    one to its /en/ address (where the fallback shows it), never to the Russian interface."""
    from tests.factories import translate_page

    events = event_index()
    english_initiatives = translate_page(initiative_index(), title="Cluster initiatives")
    _promote("join", initiative_index())
    _promote("join", events)
    block = _promoted_block(client.get("/en/search/", {"q": "join"}).content.decode())
    assert f'href="{english_initiatives.url}"' in block and "Cluster initiatives" in block
    assert f'href="/en{events.url}"' in block
