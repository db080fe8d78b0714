"""Who may do what in an initiative's feed: the one place that decides (DESIGN.md).

Reading and writing follow the common group's rule (extranet.members.permissions
.can_read_group: approved members and the portal admin). Moderation (pin, delete anyone's
post or comment) belongs to the initiative's admins and the portal admin. Whether the feed
is switched on for the initiative is asked as well: a switched-off feed is closed to all.
"""

from __future__ import annotations

from extranet.members.permissions import can_read_group, is_initiative_admin, is_portal_admin
from initiatives.features import Service, service_enabled


def can_read_feed(user, initiative) -> bool:
    return service_enabled(initiative, Service.FEED) and can_read_group(user, initiative)


def can_post(user, initiative) -> bool:
    return can_read_feed(user, initiative)


def can_moderate(user, initiative) -> bool:
    """Pin posts and delete anyone's posts and comments."""
    return can_read_feed(user, initiative) and (
        is_portal_admin(user) or is_initiative_admin(user, initiative)
    )


def _is_author(user, item) -> bool:
    return bool(user.is_authenticated and item.author_id == user.pk)


def can_edit_post(user, post) -> bool:
    return _is_author(user, post) and can_read_feed(user, post.initiative)


def can_delete_post(user, post) -> bool:
    return can_edit_post(user, post) or can_moderate(user, post.initiative)


def can_pin_post(user, post) -> bool:
    return can_moderate(user, post.initiative)


def can_comment(user, post) -> bool:
    return can_read_feed(user, post.initiative)


def can_edit_comment(user, comment) -> bool:
    return _is_author(user, comment) and can_read_feed(user, comment.post.initiative)


def can_delete_comment(user, comment) -> bool:
    return can_edit_comment(user, comment) or can_moderate(user, comment.post.initiative)


def can_download(user, attachment) -> bool:
    """An attachment is readable by exactly those who may read its post's feed."""
    return can_read_feed(user, attachment.post.initiative)
