"""The home page's «Биржа идей» section (``home.sections``, kind IDEAS).

``home`` knows no ideas; this registers the source its listing block asks for: the latest
approved public ideas as cards (the organisation, never a person's name), and the live
/ideas/ page for «all».
"""

from __future__ import annotations

from wagtail import hooks

from home import sections

from . import selectors


def card_meta(idea) -> str:
    """«УО «БГСХА» · 12 марта 2026»: the organisation and the date."""
    from django.utils import formats

    moment = idea.published_at or idea.created_at
    parts = [idea.organisation_name, formats.date_format(moment, "j E Y")]
    return " · ".join(part for part in parts if part)


def _idea_cards(request, limit):
    page = selectors.board_page()
    if page is None:
        return []
    base = page.get_url(request=request)
    return [
        sections.CardItem(
            title=idea.title,
            url=base + page.reverse_subpage("idea", args=[idea.pk]),
            summary=idea.summary,
            meta=card_meta(idea),
            badge=str(idea.get_kind_display()),
            extra={"kind": idea.kind},
        )
        for idea in selectors.latest_public_ideas(limit=limit)
    ]


def _index_url(request):
    page = selectors.board_page()
    return page.get_url(request=request) if page else None


@hooks.register(sections.HOOK_NAME)
def ideas_section():
    return sections.SectionSource(kind=sections.IDEAS, items=_idea_cards, index_url=_index_url)
