"""Template helpers of the feed: members' text rendered safely, file icons, authors.

Nothing people typed is ever rendered as HTML: :func:`feed_text` escapes everything and only
adds the markup it makes itself (links to http(s) addresses, line breaks, paragraphs).
"""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from core.text import text_html
from extranet.members.profiles import DELETED_USER_LABEL

register = template.Library()


@register.filter(is_safe=False)
def feed_text(value) -> str:
    """Plain text as HTML (core.text.text_html): escaped, http(s) addresses linked,
    paragraphs and line breaks kept. Never renders HTML from the text."""
    return text_html(value)


# --- Files -----------------------------------------------------------------------------------

_ICON_LABELS = {
    "pdf": ("PDF", "pdf"),
    "document": ("DOC", "document"),
    "spreadsheet": ("XLS", "spreadsheet"),
    "presentation": ("PPT", "presentation"),
    "image": ("IMG", "image"),
    "archive": ("ZIP", "archive"),
    "file": ("", "file"),
}

_ICON = (
    '<svg class="file-icon file-icon--{family}" viewBox="0 0 32 40" width="32" height="40" '
    'aria-hidden="true" focusable="false">'
    '<path class="file-icon__sheet" d="M3 1h18l8 8v28a2 2 0 0 1-2 2H3a2 2 0 0 1-2-2V3a2 2 0 0 '
    '1 2-2z"/>'
    '<path class="file-icon__fold" d="M21 1v6a2 2 0 0 0 2 2h6"/>'
    "{glyph}</svg>"
)
_GLYPHS = {
    "image": '<path class="file-icon__glyph" d="M6 31l6-8 5 6 3-4 6 6z"/>'
    '<circle class="file-icon__glyph" cx="11" cy="17" r="2.5"/>',
    "archive": '<path class="file-icon__glyph" d="M13 3h3v3h-3zM16 6h3v3h-3zM13 9h3v3h-3zM16 '
    '12h3v3h-3zM13 15h3v3h-3z"/><rect class="file-icon__glyph" x="12" y="19" width="8" '
    'height="8" rx="1.5"/>',
    "file": '<path class="file-icon__line" d="M7 17h18M7 22h18M7 27h12"/>',
}


@register.simple_tag
def file_icon(family: str) -> str:
    """An inline SVG icon for a file family (extranet.members.uploads.file_family)."""
    label, family = _ICON_LABELS.get(family, _ICON_LABELS["file"])
    glyph = _GLYPHS.get(family) or (
        f'<text class="file-icon__label" x="16" y="30" text-anchor="middle">{label}</text>'
    )
    return mark_safe(_ICON.format(family=family, glyph=glyph))  # noqa: S308 - constants only


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
