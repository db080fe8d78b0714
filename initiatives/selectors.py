"""Reads for the initiative and news pages; each runs a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Prefetch, QuerySet
from wagtail.images import get_image_model

from core.locales import canonical, localize, originals

from . import extensions


def _model(name):
    # Models import this module, so they are looked up lazily here.
    return apps.get_model("initiatives", name)


@dataclass(frozen=True)
class InitiativeFilters:
    region: str = ""
    industry: str = ""
    stage: str = ""

    @classmethod
    def from_query(cls, query) -> InitiativeFilters:
        stages = {value for value, _label in _model("InitiativePage").Stage.choices}
        stage = query.get("stage", "")
        return cls(
            region=query.get("region", "")[:120],
            industry=query.get("industry", "")[:120],
            stage=stage if stage in stages else "",
        )

    @property
    def active(self) -> bool:
        return bool(self.region or self.industry or self.stage)


@dataclass(frozen=True)
class InitiativeCard:
    page: object
    organisations_count: int
    industries: list = field(default_factory=list)


def initiative_filter_options() -> dict:
    """(value, label) pairs for the filter selects (components/filter_select.html)."""
    InitiativePage = _model("InitiativePage")
    live = originals(InitiativePage.objects.live().public())
    return {
        "regions": list(
            _model("Region")
            .objects.filter(initiatives__in=live)
            .distinct()
            .values_list("slug", "name")
        ),
        "industries": list(
            _model("Industry")
            .objects.filter(initiatives__in=live)
            .distinct()
            .values_list("slug", "name")
        ),
        "stages": InitiativePage.Stage.choices,
    }


# The logo sizes the templates render: cards on /initiatives/ and on the home page.
LOGO_RENDITIONS = ("fill-160x160", "max-96x96")


def initiatives_loaded() -> QuerySet:
    """Live public initiatives of every language with what a card shows loaded."""
    images = get_image_model().objects.prefetch_renditions(*LOGO_RENDITIONS)
    return (
        _model("InitiativePage")
        .objects.live()
        .public()
        .select_related("region")
        .prefetch_related("industries", Prefetch("logo", queryset=images))
        .order_by("title")
    )


def initiatives_live(*, filters: InitiativeFilters | None = None) -> QuerySet:
    """The original (Russian) live initiatives; core.locales.localize shows their English
    versions in English."""
    qs = originals(initiatives_loaded())
    if filters is not None:
        if filters.region:
            qs = qs.filter(region__slug=filters.region)
        if filters.industry:
            qs = qs.filter(industries__slug=filters.industry)
        if filters.stage:
            qs = qs.filter(stage=filters.stage)
    return qs.distinct()


def initiative_cards(*, index=None, filters: InitiativeFilters | None = None) -> list:
    qs = initiatives_live(filters=filters)
    if index is not None:
        qs = qs.child_of(canonical(index))
    pages = list(qs)
    counts = extensions.organisation_counts([p.pk for p in pages])
    cards = [
        InitiativeCard(
            page=page,
            organisations_count=counts.get(page.pk, 0),
            industries=list(page.industries.all()),
        )
        for page in pages
    ]
    return localize(cards, queryset=initiatives_loaded(), attr="page")


def participating_organisations(*, initiative) -> list:
    return extensions.organisations_by_initiative([initiative.pk]).get(initiative.pk, [])


# The image sizes news lists render (components/card.html).
NEWS_RENDITIONS = ("fill-480x270",)


@dataclass(frozen=True)
class NewsFilters:
    initiative: str = ""
    tag: str = ""

    @classmethod
    def from_query(cls, query) -> NewsFilters:
        return cls(initiative=query.get("initiative", "")[:255], tag=query.get("tag", "")[:100])

    @property
    def active(self) -> bool:
        return bool(self.initiative or self.tag)


def news_loaded() -> QuerySet:
    """Live public news of every language, newest first, with what a list item shows loaded."""
    return (
        _model("NewsPage")
        .objects.live()
        .public()
        .select_related("initiative")
        .prefetch_related(
            Prefetch("tags"),
            Prefetch(
                "image", queryset=get_image_model().objects.prefetch_renditions(*NEWS_RENDITIONS)
            ),
        )
        .order_by("-date", "-first_published_at", "-pk")
    )


def news_list(*, initiative=None, filters: NewsFilters | None = None) -> QuerySet:
    """The original (Russian) live public news, newest first, with what a list item shows
    loaded; core.locales.localize shows their English versions in English."""
    qs = originals(news_loaded())
    if initiative is not None:
        qs = qs.filter(initiative=initiative)
    if filters is not None:
        if filters.initiative:
            qs = qs.filter(initiative__slug=filters.initiative)
        if filters.tag:
            qs = qs.filter(tags__slug=filters.tag)
    return qs.distinct()


def news_filter_options() -> dict:
    from taggit.models import Tag

    """(value, label) pairs for the filter selects (components/filter_select.html)."""
    live_news = originals(_model("NewsPage").objects.live().public())
    return {
        "initiatives": list(
            originals(_model("InitiativePage").objects.live().public())
            .filter(news_items__in=live_news)
            .distinct()
            .order_by("title")
            .values_list("slug", "short_name")
        ),
        "tags": list(
            Tag.objects.filter(initiatives_newspagetag_items__content_object__in=live_news)
            .distinct()
            .order_by("name")
            .values_list("slug", "name")
        ),
    }
