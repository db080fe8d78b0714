"""How ideas read on pages: the card's date and author line, and the initiative page's
«open ideas» section."""

from __future__ import annotations

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def idea_date(idea) -> str:
    """The board's date: when it was published, or posted while it waits."""
    moment = idea.published_at or idea.created_at
    return formats.date_format(moment, "j E Y") if moment else ""


@register.filter
def idea_person(user) -> str:
    """A person's name for signed-in readers (templates check ``see_names`` first)."""
    from ideas_exchange.views import person_name

    return person_name(user)


@register.filter
def idea_scope(idea) -> str:
    """Whose idea it is: the initiative's short name, or «Вся платформа»."""
    if idea.initiative_id and idea.initiative:
        return idea.initiative.short_name or idea.initiative.title
    return _("Whole platform")


@register.inclusion_tag("ideas_exchange/includes/initiative_ideas.html", takes_context=True)
def initiative_ideas(context, initiative, limit: int = 5):
    """The initiative page's section: its open ideas the visitor may see, and the board
    filtered by it."""
    from ideas_exchange import permissions, selectors

    request = context.get("request")
    user = getattr(request, "user", None)
    page = selectors.board_page()
    board_url = page.get_url(request=request) if page else ""
    return {
        "request": request,
        "initiative": initiative,
        "ideas": (
            selectors.initiative_open_ideas(initiative=initiative, user=user, limit=limit)
            if page
            else []
        ),
        "board_url": board_url,
        "new_url": board_url + page.reverse_subpage("new") if page else "",
        "see_names": permissions.can_see_names(user),
    }
