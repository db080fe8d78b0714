"""Template helpers of the chat: messages' text rendered safely, people's names and roles,
file icons.

Nothing people typed is ever rendered as HTML: :func:`message_html` escapes everything and
only adds the markup :func:`core.text.text_html` makes itself (safe links, line breaks).
"""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext

from core.text import text_html
from extranet.members.profiles import DELETED_USER_LABEL

from ..selectors import Role

register = template.Library()


@register.filter(is_safe=False)
def message_html(value) -> str:
    """Plain text as HTML: escaped, http(s) addresses linked (rel="nofollow noopener ugc"),
    paragraphs and line breaks kept."""
    return text_html(value)


@register.filter
def chat_name(user) -> str:
    """A person's name as the chat shows it; «Удалённый пользователь» for a deleted account."""
    if user is None:
        return str(DELETED_USER_LABEL)
    return user.get_full_name() or gettext("Member")


def role_label(role: str | None) -> str:
    return {
        Role.PORTAL_ADMIN: pgettext("chat role", "Portal administrator"),
        Role.INITIATIVE_ADMIN: pgettext("chat role", "Cluster initiative administrator"),
        Role.MEMBER: pgettext("chat role", "Cluster initiative member"),
        Role.APPLICANT: pgettext("chat role", "Applicant"),
    }.get(role or "", "")


@register.simple_tag
def chat_role(roles, user) -> str:
    """``{% chat_role roles person %}``: the person's role label from the page's
    :func:`~extranet.chat.selectors.people_roles` answer ("" when none)."""
    if user is None or not roles:
        return ""
    return role_label(roles.get(user.pk))


@register.filter
def initials(name: str) -> str:
    return "".join(part[:1].upper() for part in str(name or "").split()[:2])


# The same icons as the feed's attachments (their CSS is feed.css's .file-icon, loaded on every
# page); the chat draws its own because feature apps do not load each other's tag libraries.
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


def file_icon_svg(family: str) -> str:
    label, family = _ICON_LABELS.get(family, _ICON_LABELS["file"])
    glyph = _GLYPHS.get(family) or (
        f'<text class="file-icon__label" x="16" y="30" text-anchor="middle">{label}</text>'
    )
    return _ICON.format(family=family, glyph=glyph)


@register.simple_tag
def chat_file_icon(family: str) -> str:
    """An inline SVG icon for a file family (core.uploads.file_family)."""
    return mark_safe(file_icon_svg(family))  # noqa: S308 - constants only


@register.simple_tag
def chat_file_icons() -> str:
    """Every family's icon in ``<span data-family>``s, for chat.js to copy into live
    messages (inside a ``<template>``)."""
    return mark_safe(  # noqa: S308 - constants only
        "".join(
            f'<span data-family="{family}">{file_icon_svg(family)}</span>'
            for family in _ICON_LABELS
        )
    )


@register.simple_tag
def chat_message_url(conversation_id: int, message_id: int) -> str:
    """The page of conversation ``conversation_id`` that ends with message ``message_id``,
    scrolled to it (a search hit, a shared file's «Go to the message»)."""
    from django.urls import reverse

    from ..selectors import message_cursor

    url = reverse("chat:conversation", args=[conversation_id])
    return f"{url}?before={message_cursor(message_id)}#message-{message_id}"


@register.simple_tag
def chat_strings() -> dict:
    """What chat.js writes itself, in the page's language (``|json_script``)."""
    return {
        "unread": gettext("Unread"),
        "you": gettext("You:"),
        "file": gettext("File: %(name)s"),
        "sendFailed": gettext("The message was not sent. Check the connection and try again."),
        "unreadCount": gettext("%(counter)s unread"),
    }
