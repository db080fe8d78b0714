"""What a link to a public page shows when it is shared, and what search engines read from it.

One place computes, for a request and its page (and, on the ideas exchange, the idea shown
at ``<id>/``), a :class:`Card`: title, description, image (a ``fill-1200x630`` rendition,
around the image's focal point), type, site name, locale, the canonical address and the
``hreflang`` alternates. ``templates/includes/seo.html`` prints it through ``{% seo_meta %}``
(``home/templatetags/seo_tags.py``); the JSON-LD comes from :mod:`home.structured_data`.

What each field falls back to:

- description: ``share_description`` → ``search_description`` → the lead (``intro``, an
  initiative's ``summary``, an idea's ``summary``) → the platform's one-line description;
- image: ``share_image`` → the page's own ``image`` → the initiative's ``logo`` (news,
  events, the initiative itself, an idea of an initiative) → none (a ``summary`` card);
- canonical: the page's own address (a routable page's sub-route included, the query string
  never); for a Russian page served on ``/en/`` (``request.translation_fallback``), the
  Russian page's address.

Queries are constant: the image (one), its rendition (one, none when the rendition cache
has it) and the live translations (one, none while the site has a home page in one language
only); the card is computed once per request.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.templatetags.static import static
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from core.locales import own_addresses

SHARE_RENDITION = "fill-1200x630"
DESCRIPTION_MAX_CHARS = 300
# og:locale values (Open Graph wants language_TERRITORY).
OG_LOCALES = {"ru": "ru_RU", "en": "en_US"}
_CACHE_ATTR = "_seo_cards"


def default_description() -> str:
    return _("Collaboration platform for innovation-industrial cluster initiatives")


def site_name() -> str:
    return getattr(settings, "PLATFORM_NAME", "") or getattr(settings, "WAGTAIL_SITE_NAME", "")


@dataclass(frozen=True)
class CardImage:
    url: str
    width: int
    height: int
    alt: str


@dataclass(frozen=True)
class Alternate:
    hreflang: str
    url: str


@dataclass(frozen=True)
class Card:
    """The link preview of one address; ``page`` and ``idea`` are what it describes."""

    title: str
    description: str
    url: str
    site_name: str
    root_url: str
    type: str = "website"
    locale: str = ""
    locale_alternates: tuple[str, ...] = ()
    image: CardImage | None = None
    alternates: tuple[Alternate, ...] = ()
    published_time: str = ""
    modified_time: str = ""
    # The sub-route of a routable page ("" on its main view): JSON-LD is for main views only.
    subpath: str = ""
    page: Page | None = field(default=None, compare=False, repr=False)
    idea: object | None = field(default=None, compare=False, repr=False)

    @property
    def twitter_card(self) -> str:
        return "summary_large_image" if self.image else "summary"


def _clean(text) -> str:
    return " ".join(str(text or "").split())


def _truncate(text: str, limit: int = DESCRIPTION_MAX_CHARS) -> str:
    return Truncator(text).chars(limit)


def absolute(url: str, root_url: str) -> str:
    """``url`` made absolute against the site's root (storage URLs may be absolute already)."""
    if not url or url.startswith(("http://", "https://")):
        return url
    if url.startswith("//"):
        return root_url.split("//", 1)[0] + url
    return root_url.rstrip("/") + "/" + url.lstrip("/")


def site_root_url(request) -> str:
    """The scheme and host of the site the request is for (Wagtail's ``Site``, cached on the
    request), or ``settings.SITE_URL``: never the Host header, which a visitor controls."""
    site = Site.find_for_request(request) if request is not None else None
    if site is not None:
        return site.root_url.rstrip("/")
    return settings.SITE_URL.rstrip("/")


def full_url(page, request) -> str:
    """The page's absolute address, or "" for a page not in the tree yet (the preview of a
    page being created)."""
    if page is None or not getattr(page, "url_path", None):
        return ""
    # The page's own address (a Russian page's, unprefixed, on /en/ too: the canonical of the
    # fallback and the alternates name each version's own address).
    with own_addresses():
        return page.get_full_url(request) or ""


def platform_logo_url(root_url: str) -> str:
    return absolute(static("img/logo.svg"), root_url)


# --- description and image ---------------------------------------------------------------------


def page_lead(page) -> str:
    """The page's own lead: ``intro`` (most pages) or an initiative's ``summary``."""
    return _clean(getattr(page, "intro", "") or getattr(page, "summary", ""))


def description_for(page, idea=None) -> str:
    if idea is not None:
        text = _clean(getattr(idea, "summary", ""))
    else:
        text = (
            _clean(getattr(page, "share_description", ""))
            or _clean(getattr(page, "search_description", ""))
            or page_lead(page)
        )
    return _truncate(text or default_description())


def _initiative_of(page, idea=None):
    """The initiative a page (or idea) belongs to, for its logo; the page itself when it is
    one (it has a ``logo`` field)."""
    if idea is not None:
        return getattr(idea, "initiative", None) if getattr(idea, "initiative_id", None) else None
    if hasattr(page, "logo_id"):
        return page
    if getattr(page, "initiative_id", None):
        return page.initiative
    return None


def image_candidate(page, idea=None):
    """(image id, the object whose foreign key it is, the field name) of the card's image, or
    None. Ids are read first so that only the chosen image is fetched."""
    chain = []
    if idea is None:
        chain.append((page, "share_image"))
        chain.append((page, "image"))
    initiative = _initiative_of(page, idea)
    if initiative is not None:
        chain.append((initiative, "logo"))
    if idea is not None:
        # The board's own share image stands in for an idea without an initiative's logo.
        chain.append((page, "share_image"))
    for owner, name in chain:
        image_id = getattr(owner, f"{name}_id", None)
        if image_id:
            return owner, name
    return None


def share_image(page, idea=None, *, root_url: str, spec: str = SHARE_RENDITION):
    """The card's image rendition as a :class:`CardImage`, or None."""
    candidate = image_candidate(page, idea)
    if candidate is None:
        return None
    owner, name = candidate
    image = getattr(owner, name)  # one query, unless the page already loaded it
    if image is None:
        return None
    try:
        rendition = image.get_rendition(spec)
    except Exception:  # noqa: BLE001 - a missing or broken file must not fail the page
        return None
    return CardImage(
        url=absolute(rendition.url, root_url),
        width=rendition.width,
        height=rendition.height,
        alt=_clean(getattr(rendition, "alt", "") or image.title),
    )


# --- addresses ------------------------------------------------------------------------------


def subpath_of(request, page) -> str:
    """The sub-route of a routable page this request is on ("" for its main view)."""
    match = getattr(request, "routable_resolver_match", None)
    if match is None or not hasattr(page, "reverse_subpage"):
        return ""
    try:
        return page.reverse_subpage(match.url_name, args=match.args, kwargs=match.kwargs)
    except NoReverseMatch:
        return ""


def _site_languages(page) -> tuple[str, set[str]]:
    """(the page's language, the languages the site has a home page in), from Wagtail's site
    root paths (kept in the cache: no query when warm)."""
    roots = Site.get_site_root_paths()
    url_path = getattr(page, "url_path", None) or ""
    own = next((r for r in roots if url_path.startswith(r.root_path)), None)
    site_id = own.site_id if own else None
    languages = {r.language_code for r in roots if r.site_id == site_id}
    return (own.language_code if own else settings.LANGUAGE_CODE), languages


def translations_of(page) -> list[Page]:
    """The page's live translations, itself included, with their locales: one query, and none
    while the site exists in one language only (a translation lives under a translated home
    page)."""
    if page.pk is None or len(_site_languages(page)[1]) < 2:
        return [page]
    return list(
        page.get_translations(inclusive=True).live().select_related("locale").order_by("pk")
    )


def _language_of(page) -> str:
    """A page's language: its locale when loaded with it, else its site root's."""
    locale = page._state.fields_cache.get("locale") if hasattr(page, "_state") else None
    if locale is not None:
        return locale.language_code
    return _site_languages(page)[0]


def _locale_alternates(own: str, translations: list[Page]) -> tuple[str, ...]:
    codes = {_language_of(t) for t in translations} - {own}
    return tuple(OG_LOCALES.get(code, code) for code in sorted(codes))


def hreflang_alternates(request, translations: list[Page], subpath: str) -> tuple[Alternate, ...]:
    """Each real translation's address, plus ``x-default`` for the default language; none
    when the page exists in one language only."""
    if len(translations) < 2:
        return ()
    alternates = []
    default_url = ""
    for translation in translations:
        url = full_url(translation, request)
        if not url:
            continue
        code = _language_of(translation)
        alternates.append(Alternate(hreflang=code, url=url + subpath))
        if code == settings.LANGUAGE_CODE:
            default_url = url + subpath
    if len(alternates) < 2:
        return ()
    if default_url:
        alternates.append(Alternate(hreflang="x-default", url=default_url))
    return tuple(alternates)


# --- the card ---------------------------------------------------------------------------------


def article_dates(page) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    """(published, modified) of a news item in the site's zone. Published is the item's date
    as editors set it: the moment of first publication when that fell on the same day,
    otherwise the day's start (a back-dated item); modified is the last publication, never
    before it."""
    zone = timezone.get_default_timezone()
    first = page.first_published_at
    date = getattr(page, "date", None)
    if first is not None and (date is None or timezone.localtime(first, zone).date() == date):
        published = timezone.localtime(first, zone)
    elif date is not None:
        published = datetime.datetime.combine(date, datetime.time(), tzinfo=zone)
    else:
        published = None
    last = page.last_published_at or first
    modified = timezone.localtime(last, zone) if last else published
    if published and modified and modified < published:
        modified = published
    # Whole seconds: what feeds and sitemaps print too.
    return (
        published.replace(microsecond=0) if published else None,
        modified.replace(microsecond=0) if modified else None,
    )


def is_article(page) -> bool:
    return page is not None and page._meta.label == "initiatives.NewsPage"


def card_for(request, page, *, idea=None, canonical_url: str = "") -> Card:
    """The card of ``page`` (or of ``idea`` on the ideas exchange) for this request; computed
    once per request and address."""
    cache = getattr(request, _CACHE_ATTR, None)
    if cache is None:
        cache = {}
        if request is not None:
            setattr(request, _CACHE_ATTR, cache)
    key = (page.pk, getattr(idea, "pk", None), canonical_url)
    if key not in cache:
        cache[key] = _build_card(request, page, idea=idea, canonical_url=canonical_url)
    return cache[key]


def _build_card(request, page, *, idea, canonical_url: str) -> Card:
    root_url = site_root_url(request)
    fallback = getattr(request, "translation_fallback", None)
    own = fallback or page
    subpath = subpath_of(request, page)
    translations = translations_of(own)
    by_pk = {t.pk: t for t in translations}
    language = _language_of(by_pk.get(own.pk, own))
    url = canonical_url or (full_url(own, request) + subpath)
    if idea is not None:
        title = _clean(idea.title)
    else:
        title = _clean(getattr(page, "seo_title", "") or page.title)
    published = modified = ""
    kind = "website"
    if idea is None and is_article(page):
        kind = "article"
        published_at, modified_at = article_dates(page)
        published = published_at.isoformat() if published_at else ""
        modified = modified_at.isoformat() if modified_at else ""
    return Card(
        title=title,
        description=description_for(page, idea),
        url=url,
        site_name=site_name(),
        root_url=root_url,
        type=kind,
        locale=OG_LOCALES.get(language, language),
        locale_alternates=_locale_alternates(language, translations),
        image=share_image(page, idea, root_url=root_url),
        alternates=hreflang_alternates(request, translations, subpath),
        published_time=published,
        modified_time=modified,
        subpath=subpath,
        page=page,
        idea=idea,
    )


def basic_card(request) -> Card:
    """A view that is not a page (search, the cabinet, sign-in): the site's name and the
    address without its query string; no image, no alternates."""
    root_url = site_root_url(request)
    return Card(
        title="",
        description="",
        url=root_url + request.path if request is not None else root_url + "/",
        site_name=site_name(),
        root_url=root_url,
    )


def context_card(context) -> Card | None:
    """The card of a template context: its ``page`` (a Wagtail page) and, on the ideas
    exchange, its ``idea``; a basic card without a page; None without a request."""
    request = context.get("request")
    # No request, or an error page (Django's 404 and 500 views pass the exception): no card.
    if request is None or "exception" in context:
        return None
    page = context.get("page")
    if not isinstance(page, Page):
        return basic_card(request)
    idea = context.get("idea") if page._meta.label == "ideas_exchange.IdeasExchangePage" else None
    return card_for(request, page, idea=idea, canonical_url=context.get("canonical_url") or "")
