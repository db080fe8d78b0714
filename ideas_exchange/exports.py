"""The person's ideas, comments, partnership requests and followed tags in their data export
(/cabinet/data.json).

Registered by the hook's name (``members_account_export``, the members app's
``ACCOUNT_EXPORT_HOOK``) so this public app imports nothing from the extranet; imported by
``wagtail_hooks``. Four queries whatever the person wrote.
"""

from __future__ import annotations

from wagtail import hooks

from .models import Idea, IdeaComment, Partnership, TagSubscription

ACCOUNT_EXPORT_HOOK = "members_account_export"


def ideas_export(*, user) -> dict:
    ideas = Idea.objects.filter(author_id=user.pk).prefetch_related("tags").order_by("pk")
    comments = IdeaComment.objects.filter(author_id=user.pk).select_related("idea").order_by("pk")
    partnerships = Partnership.objects.filter(user_id=user.pk).select_related("idea").order_by("pk")
    follows = TagSubscription.objects.filter(user_id=user.pk).select_related("tag")
    return {
        "ideas": [
            {
                "id": idea.pk,
                "kind": idea.kind,
                "title": idea.title,
                "summary": idea.summary,
                "text": idea.text,
                "organisation": idea.organisation_name,
                "initiative_id": idea.initiative_id,
                "visibility": idea.visibility,
                "status": idea.status,
                "stage": idea.stage,
                "moderation": idea.moderation,
                "moderation_reason": idea.moderation_reason,
                "tags": sorted(tag.name for tag in idea.tags.all()),
                "created_at": idea.created_at,
                "published_at": idea.published_at,
            }
            for idea in ideas
        ],
        "comments": [
            {
                "idea": comment.idea.title,
                "text": comment.text,
                "reply_to": comment.parent_id,
                "created_at": comment.created_at,
                "hidden": comment.hidden,
            }
            for comment in comments
        ],
        "partnerships": [
            {
                "project": partnership.idea.title,
                "organisation": partnership.organisation_name,
                "role": partnership.role,
                "note": partnership.note,
                "status": partnership.status,
                "created_at": partnership.created_at,
                "decided_at": partnership.decided_at,
            }
            for partnership in partnerships
        ],
        "followed_tags": sorted(follow.tag.name for follow in follows),
    }


@hooks.register(ACCOUNT_EXPORT_HOOK)
def ideas_account_export(*, user) -> dict:
    return {"ideas_exchange": ideas_export(user=user)}
