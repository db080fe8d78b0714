"""Redirects when a page moves or its slug changes (issue 17, part 5): Wagtail's
``wagtail.contrib.redirects`` creates them (``WAGTAILREDIRECTS_AUTO_CREATE``) and its
middleware answers an old news address with a permanent redirect to the new one."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from initiatives.models import NewsPage
from tests.factories import NewsPageFactory

pytestmark = pytest.mark.django_db


def test_the_redirect_middleware_is_installed():
    """Without the middleware the redirects Wagtail creates would answer nothing (home's
    subclass of Wagtail's, which also answers the /en/ addresses)."""
    assert "home.redirects.LanguageRedirectMiddleware" in settings.MIDDLEWARE
    assert getattr(settings, "WAGTAILREDIRECTS_AUTO_CREATE", True)


def test_old_address_redirects_after_a_slug_change_in_wagtail_admin(
    gorki, people, client, django_capture_on_commit_callbacks
):
    """The editor publishes the news item with a new slug through Wagtail's edit view: the
    old address answers 301 to the new one, which answers 200 (Wagtail makes the redirect
    once the change has committed)."""
    item = NewsPageFactory(parent=gorki, slug="old-name", title="Новость с адресом")
    old_url = item.url
    client.force_login(people["editor"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=[item.pk]),
            {
                "title": item.title,
                "slug": "new-name",
                "date": item.date.isoformat(),
                "intro": item.intro,
                "body-count": "0",
                "tags": "",
                "action-publish": "1",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    item = NewsPage.objects.get(pk=item.pk)
    assert item.slug == "new-name"
    client.logout()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"].endswith(item.url)
    assert client.get(item.url).status_code == 200


def test_old_address_redirects_after_a_move(gorki, polotsk, client):
    """A news item moved to another initiative: its old address answers 301 to the new one."""
    item = NewsPageFactory(parent=gorki, slug="moving", title="Переезжающая новость")
    old_url = item.url
    item.move(polotsk, pos="last-child")
    item = NewsPage.objects.get(pk=item.pk)
    assert item.url != old_url and item.url.startswith(polotsk.url)
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"].endswith(item.url)
    assert client.get(item.url).status_code == 200


# --- /en/: the Russian page is shown there too (home/translation.py) --------------------------

LANGUAGE_REDIRECTS = "home.redirects.LanguageRedirectMiddleware"


@pytest.fixture
def language_redirects(settings):
    """The settings' MIDDLEWARE answers /en/ redirects (home.redirects)."""
    assert LANGUAGE_REDIRECTS in settings.MIDDLEWARE


def test_old_english_address_redirects_after_a_move(gorki, polotsk, client, language_redirects):
    """A Russian news item is shown at /en/… too; after a move, its old /en/ address answers
    301 to the new /en/ one, which answers 200; the unprefixed old address still redirects."""
    item = NewsPageFactory(parent=gorki, slug="moving", title="Переезжающая новость")
    old_url = item.url
    assert client.get(f"/en{old_url}").status_code == 200
    item.move(polotsk, pos="last-child")
    item = NewsPage.objects.get(pk=item.pk)
    response = client.get(f"/en{old_url}")
    assert response.status_code == 301
    assert response["Location"] == f"/en{item.url}"
    assert client.get(response["Location"]).status_code == 200
    response = client.get(old_url)
    assert response.status_code == 301 and response["Location"] == item.url


def test_unknown_english_address_stays_a_404(gorki, client, language_redirects):
    """No redirect for the path: /en/… is still a 404."""
    assert client.get("/en/initiatives/gorki/no-such-news/").status_code == 404
