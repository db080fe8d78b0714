"""A messenger reads a news item's link preview: it fetches the page without cookies, parses
the Open Graph tags, downloads og:image (a 1200×630 picture) and draws the card."""

from __future__ import annotations

import html
import re
from io import BytesIO
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import re_path
from django.views.static import serve
from PIL import Image as PILImage

from cms.urls import urlpatterns as site_urlpatterns

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls(__name__)]


def _media(request, path):
    # What the web server in front of the site does in production (nginx serves /media/).
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [
    re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$", _media),
    *site_urlpatterns,
]


@pytest.fixture
def shared_news(live_server, gorki):
    """A published news item of «gorki» with a large image, on a site whose address is the
    live server's (the tags' absolute URLs name the Wagtail site)."""
    from wagtail.models import Site

    from tests.factories import NewsPageFactory
    from tests.home.test_seo import big_image

    address = urlsplit(live_server.url)
    Site.objects.filter(is_default_site=True).update(hostname=address.hostname, port=address.port)
    return NewsPageFactory(
        parent=gorki,
        title="Технопарк «Горки» открыл лабораторию",
        slug="lab",
        intro="Лаборатория биотехнологий открыта для участников кластера.",
        image=big_image("Лаборатория", size=(1800, 1200)),
    )


def test_messenger_reads_and_draws_the_news_card(browser, live_server, shared_news):
    """Without cookies: og:title, og:description, og:url and og:image are read from the
    page; og:image downloads as a 1200×630 image; a card drawn from them shows the title and
    its image loads at its natural width of 1200."""
    from tests.home.test_seo import HeadParser

    context = browser.new_context()  # a fresh context: no cookies, like a link-preview bot
    try:
        url = live_server.url + "/initiatives/gorki/lab/"
        response = context.request.get(url, headers={"User-Agent": "TelegramBot (like TwitterBot)"})
        assert response.ok, response.status
        assert not context.cookies()
        head = HeadParser()
        head.feed(response.text())
        title = head.one("og:title")
        description = head.one("og:description")
        image_url = head.one("og:image")
        assert title == shared_news.title
        assert description == shared_news.intro
        assert head.one("og:url") == url
        assert image_url.startswith(live_server.url + settings.MEDIA_URL)

        image_response = context.request.get(image_url)
        assert image_response.ok, image_response.status
        assert image_response.headers["content-type"].startswith("image/")
        picture = PILImage.open(BytesIO(image_response.body()))
        assert picture.size == (1200, 630)
        assert (head.one("og:image:width"), head.one("og:image:height")) == ("1200", "630")

        card = context.new_page()
        card.set_content(
            f"""<!doctype html><meta charset="utf-8">
            <article id="card" style="width:600px;font-family:sans-serif;border:1px solid #ccc">
              <img id="card-image" src="{html.escape(image_url)}" alt="" style="width:100%">
              <h2 id="card-title">{html.escape(title)}</h2>
              <p>{html.escape(description)}</p>
            </article>"""
        )
        card.wait_for_function(
            "document.getElementById('card-image').complete"
            " && document.getElementById('card-image').naturalWidth > 0"
        )
        assert card.locator("#card-title").inner_text() == shared_news.title
        assert card.evaluate("document.getElementById('card-image').naturalWidth") == 1200
        assert card.evaluate("document.getElementById('card-image').naturalHeight") == 630
    finally:
        context.close()
