"""Structured data (issue 17, part 2): the JSON-LD of each page type, read back from the
rendered page and checked against what the search engines' documentation asks for
(home/structured_data.py)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from initiatives.extensions import OrganisationItem
from tests.events.factories import EventPageFactory, RegistrationFactory, event_index
from tests.factories import ProfileFactory, StandardPageFactory, initiative_index, news_index
from tests.home.test_seo import ROOT, big_image, get_head, stored_image
from tests.ideas_exchange.factories import IdeaFactory, ideas_page

pytestmark = pytest.mark.django_db

# What each type must carry, from the documentation of the search engines:
# - Google Search Central, "Article" structured data
#   (developers.google.com/search/docs/appearance/structured-data/article): no property is
#   strictly required; headline, image (several URLs), datePublished, dateModified and author
#   (with name and url) are the recommended ones; the older AMP article rules add publisher
#   with a logo. Yandex reads schema.org Article/NewsArticle the same way (Yandex Webmaster,
#   «Микроразметка», schema.org).
# - Google Search Central, "Event" (…/structured-data/event): required name, startDate and
#   location (Place with address, or VirtualLocation with url); recommended description,
#   endDate, eventAttendanceMode, eventStatus, image, offers (price, priceCurrency,
#   availability, validFrom, url), organizer (name, url).
# - Google Search Central, "Organization" (…/structured-data/organization): no property
#   required; name, url, logo, description, email, telephone, address, sameAs recommended.
#   Yandex's organisation snippets ask for name, address and telephone.
# - Google Search Central, "Sitelinks search box" (…/structured-data/sitelinks-searchbox,
#   retired in 2024 but still read): WebSite with url and potentialAction SearchAction whose
#   target.urlTemplate carries {search_term_string} and query-input names it.
REQUIRED = {
    "NewsArticle": {
        "headline",
        "image",
        "datePublished",
        "dateModified",
        "author",
        "publisher",
        "mainEntityOfPage",
    },
    "Event": {
        "name",
        "startDate",
        "endDate",
        "location",
        "eventStatus",
        "eventAttendanceMode",
        "organizer",
        "image",
        "description",
    },
    "Organization": {"name", "url", "logo", "description", "email", "telephone", "address"},
    "WebSite": {"name", "url", "potentialAction"},
    "WebPage": {"name", "url", "breadcrumb"},
}
OFFER_REQUIRED = {"price", "priceCurrency", "availability", "validFrom", "url"}


def assert_required(item: dict):
    assert item["@context"] == "https://schema.org"
    missing = REQUIRED[item["@type"]] - set(item)
    assert not missing, f"{item['@type']} lacks {missing}"
    for key in REQUIRED[item["@type"]]:
        assert item[key] not in ("", None, [], {}), key


def assert_aware_iso(value: str) -> datetime.datetime:
    moment = datetime.datetime.fromisoformat(value)
    assert moment.tzinfo is not None, value
    return moment


@pytest.fixture
def gorki_logo(gorki):
    gorki.logo = big_image("Логотип Горки")
    gorki.save_revision().publish()
    return gorki


# --- news ---------------------------------------------------------------------------------------


def test_news_article(client, gorki_logo):
    """A news item is a NewsArticle: a headline of at most 110 characters, an array of image
    URLs that exist, aware ISO dates, its initiative as author, the platform as publisher
    with a logo, the page as main entity."""
    from tests.factories import NewsPageFactory

    news = NewsPageFactory(
        parent=gorki_logo, slug="long", title="Очень длинный заголовок новости " * 6
    )
    head = get_head(client, "/initiatives/gorki/long/")
    article = head.of_type("NewsArticle")
    assert_required(article)
    assert len(article["headline"]) <= 110
    assert news.title.startswith(article["headline"].rstrip())
    assert isinstance(article["image"], list)
    assert stored_image(article["image"][0]).size == (1200, 630)
    published = assert_aware_iso(article["datePublished"])
    assert published.date() == news.date
    assert assert_aware_iso(article["dateModified"]) >= published
    assert article["author"] == [
        {"@type": "Organization", "name": gorki_logo.title, "url": ROOT + "/initiatives/gorki/"}
    ]
    publisher = article["publisher"]
    assert publisher["@type"] == "Organization" and publisher["name"]
    assert publisher["logo"]["@type"] == "ImageObject"
    assert publisher["logo"]["url"].startswith(ROOT + "/")
    assert article["mainEntityOfPage"] == {"@type": "WebPage", "@id": head.one("og:url")}


def test_platform_news_is_by_the_platform(client, home_page):
    """A news item under /news/ (no initiative) is authored by the platform; without any
    image the platform's logo stands in for the required image."""
    from tests.factories import NewsPageFactory

    NewsPageFactory(parent=news_index(), slug="platform")
    article = get_head(client, "/news/platform/").of_type("NewsArticle")
    assert_required(article)
    assert article["author"][0]["url"] == ROOT + "/"
    assert article["image"] == [article["publisher"]["logo"]["url"]]


# --- events -------------------------------------------------------------------------------------


def _event(client, slug) -> dict:
    item = get_head(client, f"/events/{slug}/").of_type("Event")
    assert_required(item)
    return item


def test_offline_event(client, gorki):
    """An offline event: a Place with its postal address, Minsk offsets on both dates,
    scheduled, offline attendance, its initiative as organiser."""
    event = EventPageFactory(index=event_index(), slug="off", initiative=gorki)
    item = _event(client, "off")
    assert item["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert item["eventStatus"] == "https://schema.org/EventScheduled"
    assert item["location"] == {
        "@type": "Place",
        "name": event.venue,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": event.address,
            "addressRegion": "Могилёвская область",
        },
    }
    start = assert_aware_iso(item["startDate"])
    assert start.utcoffset() == datetime.timedelta(hours=3)  # Europe/Minsk
    assert start == event.starts_at
    assert assert_aware_iso(item["endDate"]) == event.ends_at
    assert item["organizer"] == {
        "@type": "Organization",
        "name": gorki.title,
        "url": ROOT + "/initiatives/gorki/",
    }


def test_event_offsets_follow_its_time_zone(client, home_page):
    """An event in Yekaterinburg's zone gives +05:00 offsets."""
    EventPageFactory(index=event_index(), slug="ekb", time_zone="Asia/Yekaterinburg")
    item = _event(client, "ekb")
    assert item["startDate"].endswith("+05:00") and item["endDate"].endswith("+05:00")


def test_online_event_is_a_virtual_location_of_the_page(client, home_page):
    """An online event's location is the page's address, never its private link; its
    organiser is the organisers' text when it has no initiative."""
    EventPageFactory(
        index=event_index(),
        slug="web",
        format="online",
        venue="",
        address="",
        online_url="https://meet.example.org/secret-room-42",
        organisers="ЦКиИР",
    )
    response = client.get("/events/web/")
    assert "secret-room" not in response.content.decode()
    item = _event(client, "web")
    assert item["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert item["location"] == {"@type": "VirtualLocation", "url": ROOT + "/events/web/"}
    assert item["organizer"] == {"@type": "Organization", "name": "ЦКиИР"}


def test_hybrid_event_has_both_locations(client, home_page):
    """A hybrid event: the Place and the VirtualLocation, mixed attendance; without
    organisers or initiative the platform organises."""
    EventPageFactory(
        index=event_index(),
        slug="mix",
        format="hybrid",
        organisers="",
        online_url="https://meet.example.org/secret-room-43",
    )
    item = _event(client, "mix")
    assert item["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert [place["@type"] for place in item["location"]] == ["Place", "VirtualLocation"]
    assert item["organizer"]["url"] == ROOT + "/"


def test_cancelled_event(client, home_page):
    """A cancelled event says so and offers nothing."""
    EventPageFactory(index=event_index(), slug="gone", cancelled=True)
    item = _event(client, "gone")
    assert item["eventStatus"] == "https://schema.org/EventCancelled"
    assert "offers" not in item


def test_open_registration_is_a_free_offer(client, home_page):
    """While guests may register the event offers a free ticket in BYN, in stock."""
    EventPageFactory(index=event_index(), slug="open", capacity=10)
    offer = _event(client, "open")["offers"]
    assert set(offer) >= OFFER_REQUIRED
    assert offer["@type"] == "Offer"
    assert offer["price"] == "0" and offer["priceCurrency"] == "BYN"
    assert offer["availability"] == "https://schema.org/InStock"
    assert offer["url"] == ROOT + "/events/open/"
    assert_aware_iso(offer["validFrom"])


def test_full_event_is_sold_out(client, home_page):
    """When the seats are taken (the waiting list is open) the offer is sold out."""
    event = EventPageFactory(index=event_index(), slug="full", capacity=1)
    RegistrationFactory(event=event)
    assert _event(client, "full")["offers"]["availability"] == "https://schema.org/SoldOut"


def test_english_event_reads_seats_of_the_original(client, home_page):
    """An English version's offer counts the seats of the Russian original (registrations are
    kept there): sold out on both."""
    from tests.home.test_seo import english

    event = EventPageFactory(index=event_index(), slug="full-en", capacity=1)
    RegistrationFactory(event=event)
    translated = english(event)
    item = get_head(client, translated.get_full_url()[len(ROOT) :]).of_type("Event")
    assert item["offers"]["availability"] == "https://schema.org/SoldOut"
    assert item["url"] == translated.get_full_url()


@pytest.mark.parametrize(
    "closed",
    [
        {"registration_enabled": False},
        {"registration_deadline": "past"},
        {"audience": "members"},
        {"starts_at": "past"},
    ],
    ids=["no-registration", "deadline-passed", "members-only", "started"],
)
def test_closed_registration_offers_nothing(client, gorki, closed):
    """No offer when registration is off, past its deadline, for members only (guests may not
    register) or the event has started."""
    now = timezone.now().replace(microsecond=0)
    kwargs = dict(closed)
    if kwargs.get("registration_deadline") == "past":
        kwargs["registration_deadline"] = now - datetime.timedelta(hours=1)
    if kwargs.get("starts_at") == "past":
        kwargs["starts_at"] = now - datetime.timedelta(hours=1)
        kwargs["ends_at"] = now + datetime.timedelta(hours=1)
    EventPageFactory(index=event_index(), slug="closed", initiative=gorki, **kwargs)
    assert "offers" not in _event(client, "closed")


# --- initiatives ----------------------------------------------------------------------------


def test_initiative_is_an_organization_with_member_organisations(
    client, gorki_logo, organisations_provider, people
):
    """An initiative: its names, address, logo, the public contact card's e-mail and phone
    (never the contact person's name), its region, and the participating organisations by
    name only: no member's name or e-mail."""
    organisations_provider[gorki_logo.pk] = [
        OrganisationItem(name="УО «БГСХА»", kind="Университет"),
        OrganisationItem(name="ООО «Технопарк Горки»", kind="Компания"),
    ]
    response = client.get("/initiatives/gorki/")
    head = get_head(client, "/initiatives/gorki/")
    org = head.of_type("Organization")
    assert_required(org)
    assert org["name"] == gorki_logo.title
    assert org["alternateName"] == "Горки"
    assert org["url"] == ROOT + "/initiatives/gorki/"
    assert org["email"] == "contact@cluster.example.org"
    assert org["telephone"] == "+375 29 527 8510"
    assert org["areaServed"] == {"@type": "AdministrativeArea", "name": "Могилёвская область"}
    assert org["address"]["addressRegion"] == "Могилёвская область"
    from initiatives.selectors import participating_organisations

    expected = [item.name for item in participating_organisations(initiative=gorki_logo)]
    assert "УО «БГСХА»" in expected and len(expected) > 2  # the members' own organisations too
    assert org["member"] == [{"@type": "Organization", "name": name} for name in expected]
    assert stored_image(org["logo"]).size[0] <= 600
    json_ld = str(head.json_ld)
    assert gorki_logo.contact_name not in json_ld
    for user in people.values():
        if user is not None:
            assert user.email not in json_ld
            assert user.email not in response.content.decode().split("</head>")[0]


# --- the site -------------------------------------------------------------------------------


def test_home_page_is_a_website_with_search(client, home_page):
    """The home page: a WebSite whose SearchAction points at /search/?q=, and the platform's
    Organization."""
    head = get_head(client, "/")
    site = head.of_type("WebSite")
    assert_required(site)
    assert site["url"] == ROOT + "/"
    action = site["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == ROOT + "/search/?q={search_term_string}"
    assert action["query-input"] == "required name=search_term_string"
    org = head.of_type("Organization")
    assert org["url"] == ROOT + "/" and org["logo"]["url"].endswith(".svg")


@pytest.mark.parametrize("url", ["/about/", "/initiatives/", "/news/", "/events/", "/ideas/"])
def test_other_pages_are_web_pages_with_breadcrumbs(client, gorki, url):
    """Standard and index pages are WebPages with a breadcrumb trail from the home page."""
    StandardPageFactory(slug="about", title="О платформе")
    initiative_index()
    news_index()
    event_index()
    ideas_page()
    page = get_head(client, url).of_type("WebPage")
    assert_required(page)
    items = page["breadcrumb"]["itemListElement"]
    assert [item["position"] for item in items] == [1, 2]
    assert items[0]["item"] == ROOT + "/"
    assert items[-1]["item"] == ROOT + url


def test_ideas_and_sub_routes_carry_no_json_ld(client, home_page):
    """An idea (a route of the board) and a sub-route like the events plan carry tags but no
    JSON-LD of the page they belong to."""
    ideas_page()
    event_index()
    idea = IdeaFactory()
    assert get_head(client, f"/ideas/{idea.pk}/").json_ld == []
    head = get_head(client, "/events/plan/")
    assert head.json_ld == []
    assert head.canonical == [ROOT + "/events/plan/"]


def test_json_ld_scripts_carry_the_nonce(client_for, home_page):
    """A response that is not cached (a signed-in visitor) gives its JSON-LD the CSP nonce."""
    client = client_for(ProfileFactory().user)
    head = get_head(client, "/")
    assert head.json_ld_attrs
    assert all(attrs.get("nonce") for attrs in head.json_ld_attrs)
