"""Link previews (issue 17, part 1): the Open Graph and Twitter tags, canonical and hreflang
of every public page type, read back from the rendered HTML by a small parser (home/seo.py,
templates/seo/meta.html), the card's image as a real 1200×630 rendition, fallbacks, query
budgets and the «Продвижение» tab's preview in Wagtail admin."""

from __future__ import annotations

import datetime
import json
from html.parser import HTMLParser
from io import BytesIO

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.models import Locale, Site

from home import seo
from tests.events.factories import EventPageFactory, event_index
from tests.factories import (
    ImageFactory,
    NewsPageFactory,
    StandardPageFactory,
    initiative_index,
    news_index,
)
from tests.ideas_exchange.factories import IdeaFactory, ideas_page

pytestmark = pytest.mark.django_db

ROOT = "http://localhost"  # the default Site of the tests (tests/factories.ensure_home_page)


# --- reading the head back ----------------------------------------------------------------------


class HeadParser(HTMLParser):
    """Collects <meta property|name>, <link rel=canonical|alternate hreflang> and the
    ``application/ld+json`` scripts (with their attributes) of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.canonical: list[str] = []
        self.hreflang: dict[str, str] = {}
        self.description: list[str] = []
        self.json_ld: list[dict] = []
        self.json_ld_attrs: list[dict] = []
        self._in_ld = False
        self._ld_chunks: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key == "description":
                self.description.append(attrs.get("content", ""))
            elif key and (key.startswith(("og:", "twitter:", "article:"))):
                self.meta.setdefault(key, []).append(attrs.get("content", ""))
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs.get("href", ""))
        elif tag == "link" and attrs.get("rel") == "alternate" and attrs.get("hreflang"):
            self.hreflang[attrs["hreflang"]] = attrs.get("href", "")
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld = True
            self._ld_chunks = []
            self.json_ld_attrs.append(attrs)

    def handle_data(self, data):
        if self._in_ld:
            self._ld_chunks.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._in_ld:
            self._in_ld = False
            self.json_ld.append(json.loads("".join(self._ld_chunks)))

    def one(self, key: str) -> str:
        values = self.meta.get(key, [])
        assert len(values) == 1, f"{key}: {values}"
        return values[0]

    def of_type(self, schema_type: str) -> dict:
        found = [item for item in self.json_ld if item.get("@type") == schema_type]
        assert len(found) == 1, f"{schema_type} in {[i.get('@type') for i in self.json_ld]}"
        return found[0]


def read_head(response) -> HeadParser:
    assert response.status_code == 200, response.status_code
    parser = HeadParser()
    parser.feed(response.content.decode())
    parser.close()
    return parser


def get_head(client, url: str) -> HeadParser:
    return read_head(client.get(url))


# Every page with a card carries these (Open Graph's required four, and the rest of ours).
CARD_TAGS = (
    "og:title",
    "og:type",
    "og:url",
    "og:description",
    "og:site_name",
    "og:locale",
    "twitter:card",
    "twitter:title",
    "twitter:description",
)
IMAGE_TAGS = (
    "og:image",
    "og:image:width",
    "og:image:height",
    "og:image:alt",
    "twitter:image",
)


def assert_card(head: HeadParser, *, title: str, url: str, image: bool):
    for key in CARD_TAGS:
        assert head.one(key), key
    assert head.one("og:title") == title
    assert head.one("og:url") == url
    assert head.canonical == [url]
    assert head.one("og:site_name") == settings.PLATFORM_NAME
    assert head.description == [head.one("og:description")], "meta description agrees"
    if image:
        for key in IMAGE_TAGS:
            assert head.one(key), key
        assert head.one("twitter:card") == "summary_large_image"
        assert head.one("og:image:width") == "1200"
        assert head.one("og:image:height") == "630"
        assert head.one("og:image").startswith(ROOT + settings.MEDIA_URL)
    else:
        assert not any(key in head.meta for key in IMAGE_TAGS)
        assert head.one("twitter:card") == "summary"


def stored_image(url: str) -> PILImage.Image:
    """The image a card's absolute URL names, opened from the media storage (the test server
    does not serve /media/; the web server does)."""
    prefix = ROOT + settings.MEDIA_URL
    assert url.startswith(prefix), url
    name = url[len(prefix) :]
    assert default_storage.exists(name), name
    with default_storage.open(name) as handle:
        image = PILImage.open(BytesIO(handle.read()))
        image.load()
    return image


def big_image(title="Фото", colour=(200, 120, 40), size=(1600, 1000)):
    """A Wagtail image large enough for a 1200×630 crop (fill never enlarges)."""
    buffer = BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "PNG")
    return ImageFactory(title=title, file=ImageFile(buffer, name=f"{title}.png"))


# --- fixtures -----------------------------------------------------------------------------------


@pytest.fixture
def news(gorki):
    return NewsPageFactory(
        parent=gorki,
        title="Технопарк «Горки» открыл лабораторию",
        slug="lab",
        intro="Лаборатория биотехнологий открыта для участников кластера.",
        image=big_image("Лаборатория"),
    )


@pytest.fixture
def events(home_page, gorki):
    index = event_index()
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=10)
    return {
        "index": index,
        "offline": EventPageFactory(
            index=index, slug="offline", title="Семинар офлайн", initiative=gorki
        ),
        "online": EventPageFactory(
            index=index,
            slug="online",
            title="Вебинар",
            format="online",
            venue="",
            address="",
            online_url="https://meet.example.org/secret-room-42",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
        ),
        "hybrid": EventPageFactory(
            index=index,
            slug="hybrid",
            title="Конференция",
            format="hybrid",
            online_url="https://meet.example.org/secret-room-43",
            initiative=gorki,
            image=big_image("Конференция"),
        ),
        "cancelled": EventPageFactory(
            index=index, slug="cancelled", title="Отменённый семинар", cancelled=True
        ),
    }


# --- each page type -----------------------------------------------------------------------------


def test_home_page_card(client, home_page):
    """The home page: a website card with the platform's title, the default description, no
    image (a «summary» card), canonical at the site's root."""
    head = get_head(client, "/")
    assert_card(head, title=home_page.title, url=ROOT + "/", image=False)
    assert head.one("og:type") == "website"
    assert head.one("og:locale") == "ru_RU"
    assert head.one("og:description") == seo.default_description()
    assert head.hreflang == {}, "no translation: no hreflang"


def test_standard_page_card_uses_share_fields(client, home_page):
    """A standard page's share image and share description win over its lead; the image is a
    1200×630 rendition stored in the media storage."""
    page = StandardPageFactory(
        title="О платформе",
        slug="about",
        intro="Лид страницы.",
        share_description="Описание для соцсетей.",
        share_image=big_image("Обложка"),
    )
    head = get_head(client, "/about/")
    assert_card(head, title=page.title, url=ROOT + "/about/", image=True)
    assert head.one("og:description") == "Описание для соцсетей."
    assert head.one("og:image:alt") == "Обложка"
    assert stored_image(head.one("og:image")).size == (1200, 630)


def test_standard_page_lead_and_search_description(client, home_page):
    """Without a share description the search description is used, then the lead."""
    StandardPageFactory(slug="a", intro="Лид А.", search_description="Поиск А.")
    StandardPageFactory(slug="b", intro="Лид Б.")
    assert get_head(client, "/a/").one("og:description") == "Поиск А."
    assert get_head(client, "/b/").one("og:description") == "Лид Б."


def test_seo_title_is_the_card_title(client, home_page):
    """An editor's «SEO title» is the card's title."""
    StandardPageFactory(slug="seo", title="Длинное название", seo_title="Короткое")
    head = get_head(client, "/seo/")
    assert head.one("og:title") == "Короткое"
    assert head.one("twitter:title") == "Короткое"


def test_initiative_index_card(client, gorki):
    """/initiatives/ carries a card; a query string is not part of its canonical."""
    index = initiative_index()
    head = get_head(client, "/initiatives/?region=mogilev")
    assert_card(head, title=index.title, url=ROOT + "/initiatives/", image=False)


def test_initiative_card_uses_summary_and_logo(client, gorki, organisations_provider):
    """An initiative: its summary, its logo cropped to 1200×630."""
    gorki.logo = big_image("Логотип Горки")
    gorki.save_revision().publish()
    head = get_head(client, "/initiatives/gorki/")
    assert_card(head, title=gorki.title, url=ROOT + "/initiatives/gorki/", image=True)
    assert head.one("og:description") == gorki.summary
    assert stored_image(head.one("og:image")).size == (1200, 630)


def test_news_index_card(client, gorki):
    """/news/ carries a card, canonical without the filters."""
    index = news_index()
    head = get_head(client, "/news/?tag=x&page=2")
    assert_card(head, title=index.title, url=ROOT + "/news/", image=False)


def test_news_card_is_an_article_with_its_image(client, news):
    """A news item: og:type article with its publication time, its lead, its own image as a
    1200×630 rendition that exists in the storage."""
    head = get_head(client, "/initiatives/gorki/lab/")
    assert_card(head, title=news.title, url=ROOT + "/initiatives/gorki/lab/", image=True)
    assert head.one("og:type") == "article"
    assert head.one("og:description") == news.intro
    published = datetime.datetime.fromisoformat(head.one("article:published_time"))
    assert published.tzinfo is not None
    assert published.date() == news.date
    assert stored_image(head.one("og:image")).size == (1200, 630)


def test_news_without_image_falls_back_to_the_initiative_logo(client, gorki):
    """A news item without its own image shows its initiative's logo; without either, none."""
    NewsPageFactory(parent=gorki, slug="plain")
    assert "og:image" not in get_head(client, "/initiatives/gorki/plain/").meta
    logo = big_image("Логотип")
    gorki.logo = logo
    gorki.save_revision().publish()
    cache.clear()  # the news item's cached copy is not purged by its initiative's change
    head = get_head(client, "/initiatives/gorki/plain/")
    assert head.one("og:image:alt") == "Логотип"
    assert f"images/{logo.file.name.split('/')[-1].rsplit('.', 1)[0]}" in head.one("og:image")


def test_event_index_card(client, events):
    """/events/ carries a card; the calendar view's query is not in the canonical."""
    head = get_head(client, "/events/?view=calendar")
    assert_card(head, title=events["index"].title, url=ROOT + "/events/", image=False)


@pytest.mark.parametrize("kind", ["offline", "online", "hybrid", "cancelled"])
def test_event_cards(client, events, kind):
    """Each kind of event has a card; the hybrid one shows its image; an offline one of an
    initiative without a logo has none."""
    event = events[kind]
    head = get_head(client, f"/events/{kind}/")
    assert_card(head, title=event.title, url=ROOT + f"/events/{kind}/", image=kind == "hybrid")
    assert head.one("og:description") == event.intro


def test_private_online_link_never_in_the_head(client, events):
    """The online link is for registered participants: no tag or JSON-LD carries it."""
    for kind in ("online", "hybrid"):
        html = client.get(f"/events/{kind}/").content.decode()
        assert "secret-room" not in html


def test_ideas_board_and_one_idea(client, home_page, gorki):
    """The board has the page's card; an idea has its own title and summary, its address
    (the board's route) as canonical, and its initiative's logo."""
    board = ideas_page()
    gorki.logo = big_image("Логотип")
    gorki.save_revision().publish()
    idea = IdeaFactory(title="Общая лаборатория", summary="Ищем партнёров.", initiative=gorki)
    head = get_head(client, "/ideas/")
    assert_card(head, title=board.title, url=ROOT + "/ideas/", image=False)
    head = get_head(client, f"/ideas/{idea.pk}/")
    assert_card(head, title="Общая лаборатория", url=ROOT + f"/ideas/{idea.pk}/", image=True)
    assert head.one("og:description") == "Ищем партнёров."


def test_non_page_views_get_basic_tags(client, home_page):
    """Search (not a page) gets the site name and a canonical without its query; no card."""
    head = get_head(client, "/search/?q=кластер")
    assert head.canonical == [ROOT + "/search/"]
    assert head.one("og:site_name") == settings.PLATFORM_NAME
    assert "og:title" not in head.meta
    assert head.json_ld == []


def test_error_page_has_no_card(client, home_page):
    """A 404 names no canonical address and carries no card."""
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    head = HeadParser()
    head.feed(response.content.decode())
    assert head.canonical == [] and head.meta == {}


def test_unsaved_page_has_a_card_without_address(rf, gorki):
    """A page not in the tree yet (the preview of a page being created) gets a card with no
    address instead of an error."""
    from initiatives.models import NewsPage

    page = NewsPage(title="Черновик", intro="Лид.", locale=gorki.locale)
    card = seo.card_for(rf.get("/"), page)
    assert (card.title, card.description, card.url) == ("Черновик", "Лид.", "")


def test_markup_in_a_title_is_escaped(client, home_page):
    """A title with markup is text in the tags and cannot end the JSON-LD script."""
    StandardPageFactory(slug="x", title='Кластер </script><script>alert(1)</script> "A&B"')
    response = client.get("/x/")
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    head = read_head(response)
    assert head.one("og:title") == 'Кластер </script><script>alert(1)</script> "A&B"'
    assert head.of_type("WebPage")["name"] == head.one("og:title")


# --- translations -------------------------------------------------------------------------------


def english(page):
    """The page's English translation (its ancestors translated too), published."""
    translated = page.copy_for_translation(
        Locale.objects.get(language_code="en"), copy_parents=True
    )
    translated.title = f"EN {page.title}"
    translated.save_revision().publish()
    for ancestor in translated.get_ancestors().filter(depth__gt=1).specific():
        if not ancestor.live:
            ancestor.save_revision().publish()
    return translated


def test_hreflang_with_an_english_translation(client, news):
    """With an English version, both pages list both addresses (the English one under /en/)
    and x-default (the Russian one); og:locale and its alternate follow the page."""
    translated = english(news)
    ru_url = ROOT + "/initiatives/gorki/lab/"
    en_url = translated.get_full_url()
    assert en_url.startswith(ROOT + "/en/")
    expected = {"ru": ru_url, "en": en_url, "x-default": ru_url}
    ru = get_head(client, "/initiatives/gorki/lab/")
    assert ru.hreflang == expected
    assert ru.one("og:locale") == "ru_RU"
    assert ru.one("og:locale:alternate") == "en_US"
    en = get_head(client, en_url[len(ROOT) :])
    assert en.hreflang == expected
    assert en.canonical == [en_url]
    assert en.one("og:locale") == "en_US"
    assert en.one("og:locale:alternate") == "ru_RU"
    assert en.one("og:title") == translated.title


def test_a_draft_translation_is_no_alternate(client, news):
    """Only live translations are alternates: a draft English copy adds nothing."""
    news.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
    head = get_head(client, "/initiatives/gorki/lab/")
    assert head.hreflang == {}
    assert "og:locale:alternate" not in head.meta


def test_fallback_page_canonical_is_the_russian_page(rf, news):
    """A Russian page served on /en/ (no English version; request.translation_fallback) has
    the Russian page's own address as canonical and og:url."""
    request = rf.get("/en/initiatives/gorki/lab/")
    request.translation_fallback = news
    card = seo.card_for(request, news)
    assert card.url == ROOT + "/initiatives/gorki/lab/"
    assert card.locale == "ru_RU"
    assert card.alternates == ()


# --- queries ------------------------------------------------------------------------------------


def _fresh_render(client, url: str) -> int:
    """Queries of one render of ``url``: the page cache emptied (so the page is built), the
    site's root paths warm (Wagtail keeps them in the cache for an hour on a live site)."""
    cache.clear()
    Site.get_site_root_paths()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _cost_of_seo(client, url: str, monkeypatch) -> tuple[int, int]:
    """(queries with the card and JSON-LD, queries of the page as it was before them)."""
    client.get(url)  # renditions generated once, as on a live site
    with_seo = _fresh_render(client, url)
    with monkeypatch.context() as patch:
        patch.setattr(seo, "context_card", lambda context: None)
        without_seo = _fresh_render(client, url)
    return with_seo, without_seo


# Measured on SQLite: the news item takes 19 queries before the tags, 20 with them while the
# site has one language (its image; the rendition came from Wagtail's rendition cache) and 21
# with an English version (the translations); the home page 7 before, 7 and 8 with them.
NEWS_PAGE_BUDGET = 21
HOME_PAGE_BUDGET = 8


@pytest.mark.parametrize("extra_news", [0, 8])
def test_news_page_query_budget(client, news, extra_news, monkeypatch):
    """A news item's card and JSON-LD cost at most three queries (the image, its rendition,
    the translations) whether there are few or many other news items and translations."""
    for n in range(extra_news):
        NewsPageFactory(parent=news.get_parent(), slug=f"n-{n}", image=big_image(f"n{n}"))
    if extra_news:
        english(news)
    with_seo, without_seo = _cost_of_seo(client, "/initiatives/gorki/lab/", monkeypatch)
    assert with_seo - without_seo <= 3, (with_seo, without_seo)
    assert with_seo <= NEWS_PAGE_BUDGET


@pytest.mark.parametrize("extra_pages", [0, 8])
def test_home_page_query_budget(client, home_page, extra_pages, monkeypatch):
    """The home page's card and JSON-LD cost at most one query (its translations, once the
    site has an English version), with few or many pages on the site."""
    for n in range(extra_pages):
        StandardPageFactory(slug=f"p-{n}", share_image=big_image(f"p{n}"))
    if extra_pages:
        english(home_page)
    with_seo, without_seo = _cost_of_seo(client, "/", monkeypatch)
    assert with_seo - without_seo <= 1, (with_seo, without_seo)
    assert with_seo <= HOME_PAGE_BUDGET


# --- the «Продвижение» tab ----------------------------------------------------------------------


def test_admin_edit_view_shows_the_card_preview(client_for, editor, news):
    """The edit view of a news item shows the card's preview with the page's title, its lead
    and its image."""
    client = client_for(editor)
    response = client.get(f"/admin/pages/{news.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-share-preview" in html
    start = html.index("data-share-preview")
    preview = html[start : html.index("</figure>", start)]
    assert news.title in preview
    assert news.intro in preview
    assert "share-preview__image" in preview


def test_admin_create_view_shows_a_placeholder(client_for, editor, gorki):
    """The create view (no page yet, no image) shows the preview with its placeholder."""
    client = client_for(editor)
    response = client.get(f"/admin/pages/add/initiatives/newspage/{gorki.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-share-preview" in html
    assert "share-preview__placeholder" in html
