"""JSON-LD (schema.org) for the public pages, built from the page's :class:`home.seo.Card`.

- ``NewsPage`` → ``NewsArticle`` (headline, image, dates, author, publisher);
- ``EventPage`` → ``Event`` (dates with the event's UTC offset, status, attendance mode,
  ``Place`` and/or ``VirtualLocation`` — the page's address, never the private online link —,
  organiser, ``Offer`` while guests may register);
- ``InitiativePage`` → ``Organization`` (public contact card, region, the participating
  organisations' names through ``initiatives.selectors.participating_organisations``);
- ``HomePage`` → ``WebSite`` with a ``SearchAction``, and the platform's ``Organization``;
- any other page → ``WebPage`` with a ``BreadcrumbList``.

Only a page's main view carries JSON-LD (a routable page's sub-routes, the board's ideas and
the views that are not pages carry none). This module reads the other public apps' models by
their labels; the two functions it needs from them (open registration and seats of an event,
an initiative's organisations) are imported where they are used, so ``home`` loads without
them.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from core import locales

from .seo import Card, absolute, article_dates, full_url, platform_logo_url

SCHEMA = "https://schema.org"
HEADLINE_MAX_CHARS = 110
PRICE_CURRENCY = "BYN"
LOGO_RENDITION = "max-600x600"

_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def dumps(data: dict) -> str:
    """JSON safe inside ``<script>``: <, > and & escaped as ``json_script`` does, so no
    ``</script>`` in a title can end the element."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)


def _label(page) -> str:
    return page._meta.label


def platform_organization(card: Card) -> dict:
    return {
        "@type": "Organization",
        "name": card.site_name,
        "url": card.root_url + "/",
        "logo": {"@type": "ImageObject", "url": platform_logo_url(card.root_url)},
    }


def _page_url(page, request) -> str:
    return full_url(page, request)


def _images(card: Card) -> list[str]:
    # Google asks for an image on articles and events: the platform's logo stands in.
    return [card.image.url] if card.image else [platform_logo_url(card.root_url)]


def _initiative_organization(initiative, request) -> dict:
    url = _page_url(initiative, request)
    return {"@type": "Organization", "name": initiative.title, "url": url}


# --- news -------------------------------------------------------------------------------------


def news_article(card: Card, request) -> dict:
    page = card.page
    published, modified = article_dates(page)
    author = (
        _initiative_organization(page.initiative, request)
        if page.initiative_id
        else {"@type": "Organization", "name": card.site_name, "url": card.root_url + "/"}
    )
    data = {
        "@context": SCHEMA,
        "@type": "NewsArticle",
        "headline": card.title[:HEADLINE_MAX_CHARS],
        "description": card.description,
        "image": _images(card),
        "author": [author],
        "publisher": platform_organization(card),
        "mainEntityOfPage": {"@type": "WebPage", "@id": card.url},
        "url": card.url,
        "inLanguage": card.locale.split("_")[0],
    }
    if published:
        data["datePublished"] = published.isoformat()
        data["dateModified"] = (modified or published).isoformat()
    return data


# --- events -----------------------------------------------------------------------------------

_ATTENDANCE = {
    "offline": "OfflineEventAttendanceMode",
    "online": "OnlineEventAttendanceMode",
    "hybrid": "MixedEventAttendanceMode",
}


def _place(event) -> dict | None:
    if not (event.venue or event.address):
        return None
    address = {"@type": "PostalAddress", "streetAddress": event.address or event.venue}
    region = getattr(event.initiative, "region", None) if event.initiative_id else None
    if region is not None:
        address["addressRegion"] = region.name
    return {"@type": "Place", "name": event.venue or event.address, "address": address}


def _location(event, card: Card):
    # The online link is for registered participants only: the virtual location is the page.
    virtual = {"@type": "VirtualLocation", "url": card.url}
    place = _place(event)
    if event.format == "online":
        return virtual
    if event.format == "hybrid":
        return [place, virtual] if place else virtual
    return place


def _organizer(event, card: Card, request) -> dict:
    if event.initiative_id:
        return _initiative_organization(event.initiative, request)
    if event.organisers:
        return {"@type": "Organization", "name": event.organisers}
    return {"@type": "Organization", "name": card.site_name, "url": card.root_url + "/"}


def _offer(event, card: Card, now) -> dict | None:
    """The free ticket, while a guest may register right now (events' own rule); sold out
    when the seats are taken (waiting list)."""
    # The event page answers (events' own rule, on the original event's registrations):
    # home imports no other app.
    open_to_guests, sold_out = event.guest_registration_state(now=now)
    if not open_to_guests:
        return None
    event = locales.canonical(event)
    offer = {
        "@type": "Offer",
        "price": "0",
        "priceCurrency": PRICE_CURRENCY,
        "availability": f"{SCHEMA}/{'SoldOut' if sold_out else 'InStock'}",
        "url": card.url,
    }
    if event.first_published_at:
        offer["validFrom"] = timezone.localtime(event.first_published_at, event.zone).isoformat()
    return offer


def event(card: Card, request, now=None) -> dict:
    page = card.page
    now = now or timezone.now()
    status = "EventCancelled" if page.plan_status == "cancelled" else "EventScheduled"
    data = {
        "@context": SCHEMA,
        "@type": "Event",
        "name": card.title,
        "description": card.description,
        "startDate": page.local_start.isoformat(),
        "endDate": page.local_end.isoformat(),
        "eventStatus": f"{SCHEMA}/{status}",
        "eventAttendanceMode": f"{SCHEMA}/{_ATTENDANCE.get(page.format, _ATTENDANCE['offline'])}",
        "image": _images(card),
        "organizer": _organizer(page, card, request),
        "url": card.url,
        "inLanguage": card.locale.split("_")[0],
    }
    location = _location(page, card)
    if location:
        data["location"] = location
    offer = _offer(page, card, now)
    if offer:
        data["offers"] = offer
    return data


# --- initiatives ------------------------------------------------------------------------------


def _logo_url(initiative, root_url: str) -> str:
    if not initiative.logo_id or initiative.logo is None:
        return ""
    try:
        return absolute(initiative.logo.get_rendition(LOGO_RENDITION).url, root_url)
    except Exception:  # noqa: BLE001 - a missing file must not fail the page
        return ""


def organization(card: Card, request, organisations=None) -> dict:
    """The initiative as an ``Organization``: its public contact card (e-mail and phone are
    public by design; the contact person's name is not given) and the names of the
    organisations whose people take part (never the people)."""
    page = card.page
    if organisations is None:
        organisations = page.participating_organisations()
    data = {
        "@context": SCHEMA,
        "@type": "Organization",
        "name": page.title,
        "alternateName": page.short_name,
        "url": card.url,
        "description": card.description,
    }
    logo = _logo_url(page, card.root_url)
    if logo:
        data["logo"] = logo
    if page.contact_email:
        data["email"] = page.contact_email
    if page.contact_phone:
        data["telephone"] = page.contact_phone
    if page.region_id and page.region is not None:
        data["areaServed"] = {"@type": "AdministrativeArea", "name": page.region.name}
        # Yandex's organisation snippets want an address: the region is the public one.
        data["address"] = {"@type": "PostalAddress", "addressRegion": page.region.name}
    if page.website:
        data["sameAs"] = [page.website]
    members = [{"@type": "Organization", "name": item.name} for item in organisations if item.name]
    if members:
        data["member"] = members
    return data


# --- the site ---------------------------------------------------------------------------------


def website(card: Card) -> list[dict]:
    language = card.locale.split("_")[0] or settings.LANGUAGE_CODE
    with translation.override(language):
        search = reverse("search")
    site = {
        "@context": SCHEMA,
        "@type": "WebSite",
        "name": card.site_name,
        "url": card.url,
        "inLanguage": language,
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": absolute(search, card.root_url) + "?q={search_term_string}",
            },
            "query-input": "required name=search_term_string",
        },
    }
    return [site, {"@context": SCHEMA, **platform_organization(card)}]


def web_page(card: Card, request) -> dict:
    page = card.page
    data = {
        "@context": SCHEMA,
        "@type": "WebPage",
        "name": card.title,
        "description": card.description,
        "url": card.url,
        "inLanguage": card.locale.split("_")[0],
    }
    # From the site's home page down: ancestors below the tree's root, live ones (one query).
    ancestors = list(page.get_ancestors().filter(depth__gt=1).live())
    trail = [*ancestors, page]
    if len(trail) > 1:
        items = []
        for position, crumb in enumerate(trail, start=1):
            url = card.url if crumb.pk == page.pk else _page_url(crumb, request)
            if url:
                items.append(
                    {"@type": "ListItem", "position": position, "name": crumb.title, "item": url}
                )
        data["breadcrumb"] = {"@type": "BreadcrumbList", "itemListElement": items}
    return data


def structured_data(card: Card | None, request, *, context=None) -> list[dict]:
    """The JSON-LD objects of a card's page; none for sub-routes, ideas and non-pages."""
    if card is None or card.page is None or card.idea is not None or card.subpath:
        return []
    label = _label(card.page)
    if label == "initiatives.NewsPage":
        return [news_article(card, request)]
    if label == "events.EventPage":
        return [event(card, request)]
    if label == "initiatives.InitiativePage":
        organisations = (context or {}).get("organisations")
        return [organization(card, request, organisations)]
    if label == "home.HomePage":
        return website(card)
    return [web_page(card, request)]
