"""The guests' page cache (core/pagecache.py): who gets cached pages, what is stored, purges."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core import pagecache
from tests.events.factories import EventPageFactory, RegistrationFactory, event_index
from tests.factories import (
    MembershipFactory,
    NewsPageFactory,
    OrganisationFactory,
    ProfileFactory,
    StandardPageFactory,
    initiative_index,
    news_index,
)
from tests.ideas_exchange.factories import IdeaCommentFactory, IdeaFactory, ideas_page

pytestmark = pytest.mark.django_db


def _get(client: Client, path: str, **headers):
    response = client.get(path, headers=headers)
    assert response.status_code == 200, (path, response.status_code)
    return response


def _state(response) -> str | None:
    return response.get(pagecache.HIT_HEADER)


@pytest.fixture
def site(gorki):
    """One page of every public kind, with the addresses a guest reads."""
    news = NewsPageFactory(parent=gorki, title="Первая новость Горок")
    event = EventPageFactory(title="Семинар по агробиотехнологиям")
    idea = IdeaFactory(title="Ищем партнёра по сенсорам")
    standard = StandardPageFactory(title="О платформе", slug="about")
    return {
        "home": "/",
        "initiatives": initiative_index().url,
        "initiative": gorki.url,
        "news_index": news_index().url,
        "news": news.url,
        "events": event_index().url,
        "event": event.url,
        "ideas": ideas_page().url,
        "idea": f"{ideas_page().url}{idea.pk}/",
        "standard": standard.url,
        "_objects": {"news": news, "event": event, "idea": idea, "standard": standard},
    }


PUBLIC = [
    "home",
    "initiatives",
    "initiative",
    "news_index",
    "news",
    "events",
    "event",
    "ideas",
    "idea",
    "standard",
]


@pytest.mark.parametrize("name", PUBLIC)
def test_guest_gets_every_public_page_from_the_cache(site, name, django_assert_max_num_queries):
    """The first guest's request renders and stores the page; the next is served from the
    cache without a single database query, byte for byte the same."""
    client = Client()
    first = _get(client, site[name])
    assert _state(first) == "miss"
    with django_assert_max_num_queries(0):
        second = _get(client, site[name])
    assert _state(second) == "hit"
    assert second.content == first.content


@pytest.mark.parametrize("name", PUBLIC)
def test_cached_page_carries_no_cookie_and_no_csrf_token(site, name):
    """Neither the stored response nor the page from the cache sets a cookie or holds a CSRF
    token: nothing of one visitor can reach another."""
    client = Client()
    for response in (_get(client, site[name]), _get(client, site[name])):
        assert not response.cookies, response.cookies
        assert "Set-Cookie" not in response
        assert b"csrfmiddlewaretoken" not in response.content
        assert settings.CSRF_COOKIE_NAME not in client.cookies
        assert settings.SESSION_COOKIE_NAME not in client.cookies


def test_headers_let_shared_caches_keep_it_and_browsers_revalidate(site):
    """A cached page says public with a short s-maxage, varies on Cookie, carries an ETag, and
    a revalidation with that ETag gets 304 without the body."""
    client = Client()
    response = _get(client, site["home"])
    control = response["Cache-Control"]
    assert "public" in control and f"s-maxage={settings.PAGE_CACHE_SHARED_MAX_AGE}" in control
    assert "max-age=0" in control
    assert "Cookie" in response["Vary"]
    etag = response["ETag"]
    again = client.get(site["home"], headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag


@pytest.mark.parametrize("role", ["registered", "member", "initiative_admin", "portal_admin"])
def test_signed_in_person_never_gets_or_fills_the_cache(site, people, client_for, role):
    """A signed-in person's page is rendered for them even when a guest's copy is cached, is
    marked private, and never becomes what guests get."""
    client = client_for(people[role])
    for name in ("home", "initiative", "event", "idea"):
        _get(Client(), site[name])  # a guest's copy is cached
        response = _get(client, site[name])
        assert _state(response) is None
        assert "private" in response["Cache-Control"]
    # What a signed-in person renders is not stored for guests.
    cache.clear()
    mine = _get(client, site["home"])
    guest = _get(Client(), site["home"])
    assert _state(guest) == "miss"
    assert guest.content != mine.content


def test_guest_with_session_or_messages_cookie_is_rendered_fresh(site):
    """A guest with a session (signed out in this browser, or half-way through a form) or a
    message waiting sees the page rendered for them, so the message is shown."""
    _get(Client(), site["home"])
    for cookie in (settings.SESSION_COOKIE_NAME, pagecache.MESSAGES_COOKIE):
        client = Client()
        client.cookies[cookie] = "something"
        assert _state(_get(client, site["home"])) is None


def test_other_language_never_answers(site):
    """The Russian and the English page are separate entries, and a guest whose language
    cookie asks for English is sent to the English page instead of the cached Russian one."""
    client = Client()
    russian = _get(client, site["initiatives"])
    english = _get(client, f"/en{site['initiatives']}")
    assert _state(english) == "miss"
    assert b'lang="ru"' in russian.content and b'lang="en"' in english.content
    assert _state(_get(client, f"/en{site['initiatives']}")) == "hit"
    assert _get(client, site["initiatives"]).content == russian.content

    chooser = Client()
    chooser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = chooser.get(site["initiatives"])
    assert response.status_code == 302
    assert response["Location"] == f"/en{site['initiatives']}"


def test_search_forms_and_personal_routes_are_not_cached(site):
    """Search, the login page and an event's POST routes are never stored: they are not
    opted in, whatever a guest asks."""
    client = Client()
    with translation.override("ru"):
        login = reverse("account_login")
    for path in ("/search/?q=кластер", login):
        first, second = client.get(path), client.get(path)
        assert _state(first) is None and _state(second) is None
        assert "private" in second["Cache-Control"]
    # The login form keeps its CSRF token: only cached pages go without one.
    assert b"csrfmiddlewaretoken" in client.get(login).content
    registration = client.get(f"{site['event']}registration/{'x' * 20}/")
    assert _state(registration) is None


def test_not_found_and_restricted_pages_are_not_cached(site):
    """A 404 is not stored, nor a page behind a password."""
    from wagtail.models import PageViewRestriction

    client = Client()
    assert client.get("/no-such-page/").status_code == 404
    assert _state(client.get("/no-such-page/")) is None
    standard = site["_objects"]["standard"]
    PageViewRestriction.objects.create(
        page=standard, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    for _ in range(2):
        response = client.get(site["standard"])
        assert _state(response) is None


def test_publishing_purges_the_page_and_its_listings(site, django_capture_on_commit_callbacks):
    """A news item's new title shows at once on its page, the initiative page and the news
    index, which a guest had in the cache, and the home page (an ancestor) is purged too."""
    client = Client()
    listings = ["news", "initiative", "news_index"]
    _get(client, site["home"])
    for name in listings:
        _get(client, site[name])
    news = site["_objects"]["news"]
    news.title = "Заголовок после правки"
    with django_capture_on_commit_callbacks(execute=True):
        news.save_revision().publish()
    for name in listings:
        response = _get(client, site[name])
        assert _state(response) == "miss", name
        assert "Заголовок после правки" in response.content.decode(), name
    assert _state(_get(client, site["home"])) == "miss"


def test_new_page_appears_in_listings(site, gorki, django_capture_on_commit_callbacks):
    """Publishing a new news item purges the listings that will show it."""
    client = Client()
    _get(client, site["news_index"])
    _get(client, site["initiative"])
    with django_capture_on_commit_callbacks(execute=True):
        NewsPageFactory(parent=gorki, title="Совсем новая новость")
    assert "Совсем новая новость" in _get(client, site["news_index"]).content.decode()
    assert "Совсем новая новость" in _get(client, site["initiative"]).content.decode()


def test_unpublishing_and_deleting_purge(site, django_capture_on_commit_callbacks):
    """An unpublished page answers 404 and leaves the listings; a deleted one too."""
    client = Client()
    news, event = site["_objects"]["news"], site["_objects"]["event"]
    for name in ("news", "news_index", "event", "events"):
        _get(client, site[name])
    with django_capture_on_commit_callbacks(execute=True):
        news.unpublish()
    assert client.get(site["news"]).status_code == 404
    assert news.title not in _get(client, site["news_index"]).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        event.delete()
    assert client.get(site["event"]).status_code == 404
    assert event.title not in _get(client, site["events"]).content.decode()


def test_moving_purges_everything(site, polotsk, django_capture_on_commit_callbacks):
    """A moved page answers at its new address and not at the old one, and every cached page
    (whose navigation or listings may name it) is purged."""
    client = Client()
    news = site["_objects"]["news"]
    for name in ("news", "standard"):
        _get(client, site[name])
    with django_capture_on_commit_callbacks(execute=True):
        news.move(polotsk, pos="last-child")
    news.refresh_from_db()
    # Wagtail left a redirect at the old address.
    old = client.get(site["news"])
    assert old.status_code == 301 and old["Location"] == news.url
    assert news.title in _get(client, news.url).content.decode()
    assert _state(_get(client, site["standard"])) == "miss"


def test_purge_leaves_unrelated_pages_cached(site, django_capture_on_commit_callbacks):
    """A news item's purge reaches what lists news, not the ideas board or an event."""
    client = Client()
    for name in ("ideas", "event", "standard"):
        _get(client, site[name])
    news = site["_objects"]["news"]
    news.title = "Ещё одна правка"
    with django_capture_on_commit_callbacks(execute=True):
        news.save_revision().publish()
    for name in ("ideas", "event", "standard"):
        assert _state(_get(client, site[name])) == "hit", name


def test_participating_organisations_purge_initiative_pages(site, gorki):
    """An approved member's organisation appears on the initiative page and the index at once."""
    client = Client()
    _get(client, site["initiative"])
    _get(client, site["initiatives"])
    organisation = OrganisationFactory(name="ОАО «Новый участник»")
    user = ProfileFactory(organisation=organisation).user
    MembershipFactory(initiative=gorki, user=user)
    assert "Новый участник" in _get(client, site["initiative"]).content.decode()
    assert _state(_get(client, site["initiatives"])) == "miss"


def test_idea_comment_and_event_registration_purge(site):
    """A comment on an idea purges the board and the idea's page; a registration purges the
    event's page (whether seats are left)."""
    client = Client()
    for name in ("ideas", "idea", "event", "events"):
        _get(client, site[name])
    IdeaCommentFactory(idea=site["_objects"]["idea"])
    assert _state(_get(client, site["idea"])) == "miss"
    assert _state(_get(client, site["ideas"])) == "miss"
    RegistrationFactory(event=site["_objects"]["event"])
    assert _state(_get(client, site["event"])) == "miss"
    assert _state(_get(client, site["events"])) == "hit"


def test_purge_during_a_render_keeps_the_old_page_out(site, monkeypatch):
    """A page rendered while a purge happened (it may hold the data from before the change)
    is served but not stored."""
    from wagtail.models import Page

    original = Page.serve

    def serve_then_purge(self, request, *args, **kwargs):
        response = original(self, request, *args, **kwargs)
        pagecache.purge_now(["unrelated"])
        return response

    monkeypatch.setattr(Page, "serve", serve_then_purge)
    client = Client()
    assert _state(_get(client, site["standard"])) == "miss"
    monkeypatch.setattr(Page, "serve", original)
    assert _state(_get(client, site["standard"])) == "miss"
    assert _state(_get(client, site["standard"])) == "hit"


def test_snippet_or_site_setting_change_purges_everything(site):
    """Saving a site setting (the footer's contacts) purges every cached page."""
    from wagtail.models import Site

    from home.models import SiteSettings

    client = Client()
    _get(client, site["standard"])
    SiteSettings.for_site(Site.objects.get(is_default_site=True)).save()
    assert _state(_get(client, site["standard"])) == "miss"


def test_turned_off_renders_every_request(site, settings):
    """PAGE_CACHE_ENABLED=0: every request is rendered, nothing says it was cached."""
    settings.PAGE_CACHE_ENABLED = False
    client = Client()
    _get(client, site["home"])
    assert _state(_get(client, site["home"])) is None


def test_a_failing_cache_still_serves_pages(site, monkeypatch):
    """With the page cache's backend failing to read or to write, guests get rendered pages,
    not errors."""

    def broken(*args, **kwargs):
        raise ConnectionError("cache is down")

    monkeypatch.setattr(pagecache, "_lookup", broken)
    assert _state(_get(Client(), site["home"])) is None
    monkeypatch.undo()
    monkeypatch.setattr(pagecache, "_store", broken)
    response = _get(Client(), site["home"])
    assert response.status_code == 200
    assert _state(_get(Client(), site["home"])) == "miss"


def test_csrf_token_endpoint_and_token_free_language_switch(site):
    """A form on a cached page gets its token from /csrf-token (not cached, sets the cookie);
    the language switch works without one (a guest without JavaScript)."""
    client = Client(enforce_csrf_checks=True)
    response = client.get("/csrf-token")
    assert response.status_code == 200
    assert response.json()["token"]
    assert settings.CSRF_COOKIE_NAME in response.cookies
    assert "no-cache" in response["Cache-Control"]
    switched = Client(enforce_csrf_checks=True).post(
        "/i18n/setlang/", {"language": "en", "next": site["initiatives"]}
    )
    assert switched.status_code == 302
    assert switched["Location"] == f"/en{site['initiatives']}"


def test_guest_registration_posts_with_a_fetched_token(site):
    """The guest registration form on a cached event page carries no token; with the token
    from /csrf-token (what csrf.js does) the registration goes through."""
    event = site["_objects"]["event"]
    client = Client(enforce_csrf_checks=True)
    page = _get(client, site["event"]).content.decode()
    assert "guest-registration" in page
    assert "csrfmiddlewaretoken" not in page
    refused = client.post(f"{site['event']}register/", {"name": "Гость", "email": "g@example.org"})
    assert refused.status_code == 403
    token = client.get("/csrf-token").json()["token"]
    response = client.post(
        f"{site['event']}register/",
        {
            "csrfmiddlewaretoken": token,
            "name": "Гость Гостев",
            "email": "guest@example.org",
            "organisation": "ООО «Гость»",
        },
    )
    assert response.status_code == 302
    assert event.registrations.filter(email="guest@example.org").exists()


@pytest.mark.parametrize("role", ["guest", "registered", "editor", "member", "portal_admin"])
def test_ping_answers_every_role(people, client_for, role):
    """/ping, the load balancer's and load test's trivial page, answers everyone."""
    response = client_for(people[role]).get("/ping")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_pages_that_follow_the_clock_are_kept_five_minutes_at_most(site, monkeypatch):
    """Pages listing upcoming events change when an event starts, which no save announces:
    they are stored for CLOCK_SECONDS at most; a news item for PAGE_CACHE_SECONDS."""
    stored = {}
    original = pagecache.cache.set

    def spy(key, value, timeout=None, **kwargs):
        if key.startswith(f"{pagecache.KEY_PREFIX}:page:"):
            stored.setdefault("_all", []).append(timeout)
        return original(key, value, timeout, **kwargs)

    monkeypatch.setattr(pagecache.cache, "set", spy)
    for name in ("events", "event", "home", "initiative"):
        stored.clear()
        _get(Client(), site[name])
        assert stored["_all"] == [pagecache.CLOCK_SECONDS], name
    stored.clear()
    _get(Client(), site["news"])
    assert stored["_all"] == [settings.PAGE_CACHE_SECONDS]


def test_approving_another_member_of_a_listed_organisation_keeps_the_cache(site, gorki):
    """The pages list organisations, not people: a second member of an organisation listed
    already changes nothing a guest sees and purges nothing; the first member of another
    organisation purges."""
    organisation = OrganisationFactory(name="ОАО «Уже в списке»")
    MembershipFactory(initiative=gorki, user=ProfileFactory(organisation=organisation).user)
    client = Client()
    _get(client, site["initiative"])
    MembershipFactory(initiative=gorki, user=ProfileFactory(organisation=organisation).user)
    assert _state(_get(client, site["initiative"])) == "hit"
    newcomer = OrganisationFactory(name="ООО «Новичок»")
    _get(client, site["initiative"])
    user = ProfileFactory(organisation=newcomer).user
    MembershipFactory(initiative=gorki, user=user)
    response = _get(client, site["initiative"])
    assert _state(response) == "miss"
    assert "Новичок" in response.content.decode()


def test_signed_in_renders_reuse_the_organisations_until_they_change(
    site, gorki, people, client_for, monkeypatch
):
    """The participating organisations are read once and reused by later renders, a signed-in
    person's too, until a change purges them."""
    from initiatives import extensions

    calls = []
    original = extensions._ask

    def counting(ids):
        calls.append(list(ids))
        return original(ids)

    monkeypatch.setattr(extensions, "_ask", counting)
    client = client_for(people["member"])
    _get(client, site["initiatives"])
    _get(client, site["initiative"])
    before = len(calls)
    _get(client, site["initiatives"])
    _get(client, site["initiative"])
    assert len(calls) == before
    user = ProfileFactory(organisation=OrganisationFactory(name="ЗАО «Позже»")).user
    MembershipFactory(initiative=gorki, user=user)
    assert "Позже" in _get(client, site["initiative"]).content.decode()
    assert len(calls) > before
