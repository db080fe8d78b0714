"""Template helpers of the feed: members' text rendered safely, authors (file icons are
core's: ``{% load file_tags %}``).

Nothing people typed is ever rendered as HTML: :func:`feed_text` escapes everything and only
adds the markup it makes itself (links to http(s) addresses, line breaks, paragraphs).
"""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext

from core.text import text_html
from extranet.members.profiles import DELETED_USER_LABEL

register = template.Library()


@register.filter(is_safe=False)
def feed_text(value) -> str:
    """Plain text as HTML (core.text.text_html): escaped, http(s) addresses linked,
    paragraphs and line breaks kept. Never renders HTML from the text."""
    return text_html(value)


# --- People ------------------------------------------------------------------------------------


@register.filter
def person_name(user) -> str:
    """The author's name as the feed shows it; «Deleted user» for a deleted account."""
    if user is None:
        return str(DELETED_USER_LABEL)
    return user.get_full_name() or gettext("Member")


@register.simple_tag
def person_label(user) -> str:
    """``{% person_label post.author as name %}``: :func:`person_name` as a tag."""
    return person_name(user)


@register.simple_tag
def person_url(user, visible, group_slug: str = "") -> str:
    """The member card of ``user`` («Назад в группу» leads back to ``group_slug``) when the
    viewer may open it (``visible``: the ids
    extranet.members.permissions.people_with_visible_data gave for the page), else "" — also for a
    deleted account and while the directory's URLs are not there."""
    if user is None or user.pk not in (visible or ()):
        return ""
    try:
        url = reverse("person", kwargs={"user_id": user.pk})
    except NoReverseMatch:
        return ""
    return f"{url}?group={group_slug}" if group_slug else url


@register.filter
def initials(name: str) -> str:
    return "".join(part[:1].upper() for part in str(name or "").split()[:2])
