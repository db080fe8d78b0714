"""Template helpers of the chat: messages' text rendered safely, people's names and roles
(file icons are core's: ``{% load file_tags %}``).

Nothing people typed is ever rendered as HTML: :func:`message_html` escapes everything and
only adds the markup :func:`core.text.text_html` makes itself (safe links, line breaks).
"""

from __future__ import annotations

from django import template
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
