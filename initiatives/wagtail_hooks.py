"""Initiatives in Wagtail admin and on the home page."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks

from core.locales import localize, originals
from home import sections

from . import selectors
from .extensions import delete_refusal_reasons
from .models import InitiativeIndexPage, InitiativePage, NewsIndexPage


def _initiatives_in(pages) -> list[InitiativePage]:
    """The initiatives among ``pages`` and below them (deleting a parent deletes its subtree)."""
    found = {}
    for page in pages:
        if isinstance(page.specific, InitiativePage):
            found[page.pk] = page.specific
        for initiative in InitiativePage.objects.descendant_of(page):
            found[initiative.pk] = initiative
    return list(found.values())


def _refusal(pages) -> str | None:
    for initiative in _initiatives_in(pages):
        reasons = delete_refusal_reasons(initiative)
        if reasons:
            return _(
                "«%(name)s» cannot be deleted: %(reasons)s. Unpublish it instead, so no "
                "member data is lost."
            ) % {"name": initiative.title, "reasons": "; ".join(reasons)}
    return None


@hooks.register("before_delete_page")
def refuse_deleting_initiatives_with_members(request, page):
    refusal = _refusal([page])
    if refusal:
        messages.error(request, refusal)
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_initiatives_with_members(request, action_type, objects, action):
    if action_type != "delete":
        return None
    refusal = _refusal([obj for obj in objects if hasattr(obj, "specific")])
    if refusal:
        messages.error(request, refusal)
        return redirect(action.next_url or "wagtailadmin_home")
    return None


def _initiative_cards(request, limit):
    return [
        sections.CardItem(
            title=card.page.title,
            url=card.page.get_url(request=request),
            summary=card.page.summary,
            meta=" · ".join(
                part
                for part in (
                    card.page.region.name if card.page.region else "",
                    card.page.get_stage_display(),
                )
                if part
            ),
            image=card.page.logo,
            image_is_logo=True,
        )
        for card in selectors.initiative_cards()[:limit]
    ]


def _index_url(model):
    def index_url(request):
        page = originals(model.objects.live()).first()
        if page is None:
            return None
        # The English version's address in English, where there is one.
        return localize([page], queryset=model.objects.all())[0].get_url(request=request)

    return index_url


@hooks.register(sections.HOOK_NAME)
def initiatives_section():
    return sections.SectionSource(
        kind=sections.INITIATIVES,
        items=_initiative_cards,
        index_url=_index_url(InitiativeIndexPage),
    )


def _news_cards(request, limit):
    from django.utils.formats import date_format

    return [
        sections.CardItem(
            title=item.title,
            url=item.get_url(request=request),
            summary=item.intro,
            meta=" · ".join(
                part
                for part in (
                    date_format(item.date, "j E Y"),
                    item.initiative.short_name if item.initiative else "",
                )
                if part
            ),
            image=item.image,
        )
        for item in localize(selectors.news_list()[:limit], queryset=selectors.news_loaded())
    ]


@hooks.register(sections.HOOK_NAME)
def news_section():
    return sections.SectionSource(
        kind=sections.NEWS, items=_news_cards, index_url=_index_url(NewsIndexPage)
    )
