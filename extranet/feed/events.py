"""Feed events other apps react to (the notifications issue delivers them).

Signals like :mod:`extranet.members.events`: sent by :mod:`extranet.feed.services` after the
change is committed. Receivers must not assume anything about the request.
"""

from django.dispatch import Signal

# sender=Post; kwargs: post, actor (the author)
post_created = Signal()
# sender=Comment; kwargs: comment, post, actor (the commenter). Sent for every comment;
# receivers tell the post's author «a new comment on your post» (the author's own
# comments excepted by the receiver: ``actor == post.author``).
comment_created = Signal()
# sender=Post; kwargs: post, actor (the admin who pinned it)
post_pinned = Signal()
