"""What the ideas exchange tells the rest of the platform, sent after the change commits.

``extranet/members/idea_notices.py`` turns them into notices.

- ``idea_published(sender, idea)``: an idea became visible for the first time (posted by an
  approved member, or approved by a moderator): followers of its tags are told.
- ``idea_moderated(sender, idea, actor)``: a moderator approved, hid or closed it: its
  author is told the outcome (``idea.moderation``, ``idea.moderation_reason``).
- ``idea_commented(sender, comment)``: a comment on an idea (or a reply to a comment).
- ``partnership_requested(sender, partnership)``: someone asked to join a project.
- ``partnership_decided(sender, partnership)``: the author accepted or declined.
"""

from django.dispatch import Signal

idea_published = Signal()
idea_moderated = Signal()
idea_commented = Signal()
partnership_requested = Signal()
partnership_decided = Signal()
