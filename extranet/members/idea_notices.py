"""The ideas exchange's signals turned into notices (``extranet.notices.services.notify``).

``ideas_exchange`` is a public app and knows nothing of the extranet: it sends the signals of
``ideas_exchange.signals`` after its changes commit, and this module (imported by
``MembersConfig.ready``) decides who is told, all under «Биржа идей» in the preferences:

- a comment on my idea (to its author), a reply to my comment (to the comment's author);
- a partnership request on my project (to its author);
- the author's decision on my partnership request (to the person who asked);
- a new idea with a tag I follow (to the followers who may see it, the author excepted,
  once per idea);
- a moderator's decision on my idea (published, hidden with the reason, closed).

Nobody is told about an idea they may not see (``ideas_exchange.permissions.can_view_idea``),
and nobody of their own action (``notify`` drops the actor).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.dispatch import receiver
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from notifications.models import Notification

from extranet.notices.kinds import Category, NoticeKind, register_kind
from extranet.notices.services import notify
from ideas_exchange import permissions, signals
from ideas_exchange.models import Idea, Partnership, TagSubscription

from .models import Membership

EXCERPT_LENGTH = 200

IDEA_COMMENTED = register_kind(
    NoticeKind(
        key="ideas.commented",
        category=Category.IDEAS,
        text=_("%(actor)s commented on your idea «%(title)s»"),
    )
)
IDEA_REPLIED = register_kind(
    NoticeKind(
        key="ideas.replied",
        category=Category.IDEAS,
        text=_("%(actor)s replied to your comment on «%(title)s»"),
    )
)
PARTNERSHIP_REQUESTED = register_kind(
    NoticeKind(
        key="ideas.partnership_requested",
        category=Category.IDEAS,
        text=_("%(actor)s (%(organisation)s) asks to join your project «%(title)s»"),
    )
)
PARTNERSHIP_ACCEPTED = register_kind(
    NoticeKind(
        key="ideas.partnership_accepted",
        category=Category.IDEAS,
        text=_("You are a partner of the project «%(title)s» now"),
    )
)
PARTNERSHIP_DECLINED = register_kind(
    NoticeKind(
        key="ideas.partnership_declined",
        category=Category.IDEAS,
        text=_("Your request to join the project «%(title)s» was declined"),
    )
)
IDEA_MATCHING = register_kind(
    NoticeKind(
        key="ideas.matching",
        category=Category.IDEAS,
        text=_("New in the ideas exchange for your tags (%(tags)s): «%(title)s»"),
    )
)
IDEA_APPROVED = register_kind(
    NoticeKind(
        key="ideas.approved",
        category=Category.IDEAS,
        text=_("Your idea «%(title)s» is published"),
    )
)
IDEA_HIDDEN = register_kind(
    NoticeKind(
        key="ideas.hidden",
        category=Category.IDEAS,
        text=_("Your idea «%(title)s» was hidden by a moderator: %(reason)s"),
    )
)
IDEA_CLOSED = register_kind(
    NoticeKind(
        key="ideas.closed",
        category=Category.IDEAS,
        text=_("Your idea «%(title)s» was closed by a moderator"),
    )
)


def idea_path(idea: Idea, anchor: str = "") -> str:
    """The idea's address without a language prefix (each reader's link gets theirs)."""
    with translation.override(settings.LANGUAGE_CODE):
        path = idea.get_absolute_url()
    return f"{path}#{anchor}" if path and anchor else path


def _who_may_see(idea: Idea, user_ids) -> list[int]:
    """Of ``user_ids``, the active accounts that may see ``idea`` (its permission rule).

    A published idea for everyone or for registered users is seen by every active account,
    and a members-only one by its initiative's approved members: those are answered for the
    whole list in a query or two (a popular tag may have thousands of followers). Whoever
    is left (a moderator, the author of a waiting idea) is asked the rule one by one."""
    ids = {pk for pk in user_ids if pk is not None}
    if not ids:
        return []
    active = set(
        get_user_model().objects.filter(pk__in=ids, is_active=True).values_list("pk", flat=True)
    )
    seen: set[int] = set()
    if idea.moderation == Idea.Moderation.APPROVED:
        if idea.visibility in (Idea.Visibility.PUBLIC, Idea.Visibility.REGISTERED):
            return sorted(active)
        seen = set(
            Membership.objects.filter(
                user_id__in=active,
                initiative_id=idea.initiative_id,
                status=Membership.Status.APPROVED,
            ).values_list("user_id", flat=True)
        )
    rest = get_user_model().objects.filter(pk__in=active - seen)
    seen |= {user.pk for user in rest if permissions.can_view_idea(user, idea)}
    return sorted(seen)


def _excerpt(text: str) -> str:
    return Truncator(text or "").chars(EXCERPT_LENGTH)


@receiver(signals.idea_commented, dispatch_uid="members.notify_idea_commented")
def idea_commented(sender, comment, **kwargs):
    idea = comment.idea
    actor = comment.author
    parent_author_id = comment.parent.author_id if comment.parent_id else None
    allowed = set(_who_may_see(idea, [idea.author_id, parent_author_id]))
    common = {
        "target": idea,
        "actor": actor,
        "initiative": idea.initiative,
        "url": idea_path(idea, f"comment-{comment.pk}"),
        "params": {"title": idea.title},
        "excerpt": _excerpt(comment.text),
    }
    if idea.author_id in allowed:
        notify(kind=IDEA_COMMENTED.key, recipients=[idea.author_id], **common)
    # The replied-to person, unless they are the idea's author (told once, above).
    if parent_author_id in allowed and parent_author_id != idea.author_id:
        notify(kind=IDEA_REPLIED.key, recipients=[parent_author_id], **common)


@receiver(signals.partnership_requested, dispatch_uid="members.notify_partnership_requested")
def partnership_requested(sender, partnership, **kwargs):
    idea = partnership.idea
    recipients = _who_may_see(idea, [idea.author_id])
    if not recipients:
        return
    notify(
        kind=PARTNERSHIP_REQUESTED.key,
        recipients=recipients,
        target=idea,
        actor=partnership.user,
        initiative=idea.initiative,
        url=idea_path(idea, "partners"),
        params={
            "title": idea.title,
            "organisation": partnership.organisation_name or partnership.get_role_display(),
        },
        excerpt=_excerpt(partnership.note),
    )


@receiver(signals.partnership_decided, dispatch_uid="members.notify_partnership_decided")
def partnership_decided(sender, partnership, **kwargs):
    if partnership.status == Partnership.Status.ACCEPTED:
        kind = PARTNERSHIP_ACCEPTED
    elif partnership.status == Partnership.Status.DECLINED:
        kind = PARTNERSHIP_DECLINED
    else:
        return
    idea = partnership.idea
    recipients = _who_may_see(idea, [partnership.user_id])
    if not recipients:
        return
    notify(
        kind=kind.key,
        recipients=recipients,
        target=idea,
        actor=idea.author,
        initiative=idea.initiative,
        url=idea_path(idea, "partners"),
        params={"title": idea.title},
    )


@receiver(signals.idea_published, dispatch_uid="members.notify_idea_published")
def idea_published(sender, idea, **kwargs):
    """Followers of any of the idea's tags who may see it, once per idea."""
    tags = {tag.pk: tag.name for tag in idea.tags.all()}
    if not tags:
        return
    followers: dict[int, set[str]] = {}
    for user_id, tag_id in TagSubscription.objects.filter(tag_id__in=list(tags)).values_list(
        "user_id", "tag_id"
    ):
        if user_id != idea.author_id:
            followers.setdefault(user_id, set()).add(tags[tag_id])
    if not followers:
        return
    already = set(
        Notification.objects.filter(
            verb=IDEA_MATCHING.key,
            target_content_type=ContentType.objects.get_for_model(Idea),
            target_object_id=str(idea.pk),
            recipient_id__in=list(followers),
        ).values_list("recipient_id", flat=True)
    )
    allowed = [pk for pk in _who_may_see(idea, followers) if pk not in already]
    # One notice per set of followed tags, so each follower reads the tags they follow.
    by_tags: dict[tuple[str, ...], list[int]] = {}
    for pk in allowed:
        by_tags.setdefault(tuple(sorted(followers[pk])), []).append(pk)
    for names, recipients in by_tags.items():
        notify(
            kind=IDEA_MATCHING.key,
            recipients=recipients,
            target=idea,
            actor=idea.author,
            initiative=idea.initiative,
            url=idea_path(idea),
            params={"title": idea.title, "tags": ", ".join(names)},
            excerpt=idea.summary,
        )


@receiver(signals.idea_moderated, dispatch_uid="members.notify_idea_moderated")
def idea_moderated(sender, idea, actor=None, **kwargs):
    """The author learns the outcome: published, hidden (with the reason) or closed."""
    if idea.author_id is None:
        return
    if idea.moderation == Idea.Moderation.HIDDEN:
        kind = IDEA_HIDDEN
    elif idea.status == Idea.Status.CLOSED:
        kind = IDEA_CLOSED
    elif idea.moderation == Idea.Moderation.APPROVED:
        kind = IDEA_APPROVED
    else:
        return
    notify(
        kind=kind.key,
        recipients=[idea.author_id],
        target=idea,
        actor=actor,
        initiative=idea.initiative,
        url=idea_path(idea),
        params={"title": idea.title, "reason": idea.moderation_reason},
    )
