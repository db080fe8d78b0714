"""Tag subscriptions («Подписки на теги»): a registered user follows tags of the ideas
exchange, and new ideas with any of them reach them as notices (``idea_published``, turned
into notices by ``extranet/members/idea_notices.py``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from taggit.models import Tag

from core.text import clean_line

from .models import TaggedIdea, TagSubscription
from .permissions import signed_in

TAG_MAX_LENGTH = 50
MAX_SUBSCRIPTIONS = 30


class SubscriptionError(Exception):
    """The tags cannot be saved; ``str(error)`` is the sentence for the person."""


def clean_tag_names(tag_names: Iterable[str]) -> list[str]:
    """Tag names as typed: trimmed, blanks dropped, each once (case-insensitively), checked
    against the limits (SubscriptionError naming the problem)."""
    names: dict[str, str] = {}
    for raw in tag_names:
        name = " ".join(clean_line(raw).split())
        if not name:
            continue
        if len(name) > TAG_MAX_LENGTH:
            raise SubscriptionError(
                _("A tag is at most %(limit)s characters: «%(tag)s…» is longer.")
                % {"limit": TAG_MAX_LENGTH, "tag": name[:TAG_MAX_LENGTH]}
            )
        names.setdefault(name.casefold(), name)
    if len(names) > MAX_SUBSCRIPTIONS:
        raise SubscriptionError(
            _("You can follow at most %(limit)s tags; %(count)s were chosen.")
            % {"limit": MAX_SUBSCRIPTIONS, "count": len(names)}
        )
    return list(names.values())


def _tag_for(name: str) -> Tag:
    # SQLite's iexact folds ASCII only: the slug (lower case, as taggit makes it) finds
    # «Биотехнологии» for «биотехнологии» there too.
    folded = name.casefold()
    for existing in Tag.objects.filter(Q(name__iexact=name) | Q(slug=Tag().slugify(name))).order_by(
        "pk"
    ):
        if existing.name.casefold() == folded:
            return existing
    tag = Tag(name=name)
    tag.save()  # taggit makes a unique slug
    return tag


def tag_subscriptions_set(*, user, tag_names: Iterable[str]) -> list[Tag]:
    """``user`` follows exactly ``tag_names`` from now on (a tag not used yet is created,
    so the first idea with it is announced). Returns the followed tags, by name."""
    if not signed_in(user):
        raise PermissionDenied
    names = clean_tag_names(tag_names)
    with transaction.atomic():
        tags = {tag.pk: tag for tag in (_tag_for(name) for name in names)}
        TagSubscription.objects.filter(user=user).exclude(tag_id__in=list(tags)).delete()
        have = set(TagSubscription.objects.filter(user=user).values_list("tag_id", flat=True))
        TagSubscription.objects.bulk_create(
            [TagSubscription(user=user, tag_id=pk) for pk in tags if pk not in have],
            ignore_conflicts=True,
        )
    return sorted(tags.values(), key=lambda tag: tag.name.casefold())


def followed_tags(*, user) -> list[Tag]:
    if not signed_in(user):
        return []
    return list(
        Tag.objects.filter(
            pk__in=TagSubscription.objects.filter(user=user).values("tag_id")
        ).order_by("name")
    )


def idea_tags():
    """Every tag some idea carries, by name (the checkboxes of the subscriptions page)."""
    return Tag.objects.filter(pk__in=TaggedIdea.objects.values("tag_id")).order_by("name")
