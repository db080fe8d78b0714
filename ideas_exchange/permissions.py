"""Who may see and do what in the ideas exchange: the one place views, templates, downloads,
feeds, matching and notices ask.

- **Seeing an idea**: an approved idea is shown by its ``visibility``: everyone
  (``public``), signed-in people (``registered``), or the approved members of its initiative
  (``members``). An idea waiting for moderation or hidden is seen only by its author and its
  moderators. Moderators see every idea they moderate.
- **Moderators**: editors and the portal admin for every idea (``extensions.is_moderator``);
  an initiative's admins for that initiative's ideas.
- **Names**: guests see the author's organisation, never a person's name
  (:func:`can_see_names`).
- **Posting and discussing**: signed-in, active accounts. An author approved in no
  initiative posts through moderation (:func:`needs_moderation`).
- **Files**: an idea's attachments are downloaded by whoever may see the idea, so they are
  public only when the author made the idea public.
- **Partners**: only the author of a project accepts or declines; anyone else signed in who
  may see it asks, once at a time.

:func:`visible_ideas` is the same rule as a queryset filter, for lists (the board, the home
page, an initiative page, matching, the RSS feed).
"""

from __future__ import annotations

from django.db.models import Q

from .extensions import admin_initiative_ids, is_moderator, member_initiative_ids
from .models import Idea


def signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


class Viewer:
    """What the rule needs to know about one person, looked up once per request."""

    def __init__(self, user):
        self.user = user
        self.signed_in = signed_in(user)
        self.pk = user.pk if self.signed_in else None
        self.moderator = is_moderator(user) if self.signed_in else False
        self.member_of = frozenset(member_initiative_ids(user)) if self.signed_in else frozenset()
        self.admin_of = frozenset(admin_initiative_ids(user)) if self.signed_in else frozenset()


def viewer_for(user) -> Viewer:
    """The per-request :class:`Viewer`, cached on the user object (a request's lifetime)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Viewer(None)
    cached = getattr(user, "_ideas_viewer", None)
    if cached is None:
        cached = Viewer(user)
        user._ideas_viewer = cached
    return cached


def _as_viewer(user_or_viewer) -> Viewer:
    if isinstance(user_or_viewer, Viewer):
        return user_or_viewer
    return viewer_for(user_or_viewer)


def can_moderate(user, idea: Idea) -> bool:
    viewer = _as_viewer(user)
    if not viewer.signed_in:
        return False
    return viewer.moderator or (
        idea.initiative_id is not None and idea.initiative_id in viewer.admin_of
    )


def _audience_admits(viewer: Viewer, idea: Idea) -> bool:
    if idea.visibility == Idea.Visibility.PUBLIC:
        return True
    if not viewer.signed_in:
        return False
    if idea.visibility == Idea.Visibility.REGISTERED:
        return True
    return idea.initiative_id in viewer.member_of or idea.initiative_id in viewer.admin_of


def can_view_idea(user, idea: Idea) -> bool:
    viewer = _as_viewer(user)
    if viewer.signed_in and idea.author_id == viewer.pk:
        return True
    if can_moderate(viewer, idea):
        return True
    return idea.moderation == Idea.Moderation.APPROVED and _audience_admits(viewer, idea)


def visible_ideas(user, queryset=None):
    """``queryset`` (all ideas by default) narrowed to what ``user`` may see as approved ideas
    on lists. Authors' own waiting or hidden ideas are not listed on the board (they have
    «Мои идеи»), so lists look the same to everyone with the same rights."""
    viewer = _as_viewer(user)
    queryset = Idea.objects.all() if queryset is None else queryset
    approved = queryset.filter(moderation=Idea.Moderation.APPROVED)
    if not viewer.signed_in:
        return approved.filter(visibility=Idea.Visibility.PUBLIC)
    if viewer.moderator:
        return approved
    initiatives = viewer.member_of | viewer.admin_of
    return approved.filter(
        Q(visibility__in=[Idea.Visibility.PUBLIC, Idea.Visibility.REGISTERED])
        | Q(visibility=Idea.Visibility.MEMBERS, initiative_id__in=initiatives)
    )


def visibility_scope(user) -> str:
    """A key equal for everyone to whom :func:`visible_ideas` gives the same ideas (guests;
    moderators; signed-in people with the same initiatives), for data cached per audience."""
    viewer = _as_viewer(user)
    if not viewer.signed_in:
        return "guest"
    if viewer.moderator:
        return "moderator"
    return "in:" + ",".join(str(pk) for pk in sorted(viewer.member_of | viewer.admin_of))


def can_see_names(user) -> bool:
    """People's names (authors, commenters, partners) are shown to signed-in users only."""
    return _as_viewer(user).signed_in


def can_post(user) -> bool:
    return _as_viewer(user).signed_in


def needs_moderation(user) -> bool:
    """A new idea waits for a moderator unless its author is an approved member somewhere
    (or a moderator)."""
    viewer = _as_viewer(user)
    return not (viewer.moderator or viewer.member_of)


def can_edit_idea(user, idea: Idea) -> bool:
    """The author edits their idea (also while it waits, not after a moderator hid it)."""
    viewer = _as_viewer(user)
    return (
        viewer.signed_in
        and idea.author_id == viewer.pk
        and idea.moderation != Idea.Moderation.HIDDEN
    )


def can_comment(user, idea: Idea) -> bool:
    return (
        _as_viewer(user).signed_in
        and idea.moderation == Idea.Moderation.APPROVED
        and idea.status != Idea.Status.CLOSED
        and can_view_idea(user, idea)
    )


def can_respond(user, idea: Idea) -> bool:
    """«Откликнуться»: requests and offers, by someone else who may see the open idea."""
    viewer = _as_viewer(user)
    return (
        viewer.signed_in
        and idea.kind in (Idea.Kind.REQUEST, Idea.Kind.OFFER)
        and idea.author_id is not None
        and idea.author_id != viewer.pk
        and idea.moderation == Idea.Moderation.APPROVED
        and idea.status != Idea.Status.CLOSED
        and can_view_idea(viewer, idea)
    )


def can_ask_partnership(user, idea: Idea) -> bool:
    """«Стать партнёром»: projects, by someone else who may see the open project."""
    viewer = _as_viewer(user)
    return (
        viewer.signed_in
        and idea.kind == Idea.Kind.PROJECT
        and idea.author_id is not None
        and idea.author_id != viewer.pk
        and idea.moderation == Idea.Moderation.APPROVED
        and idea.status != Idea.Status.CLOSED
        and idea.stage not in (Idea.Stage.FUNDED, Idea.Stage.CLOSED)
        and can_view_idea(viewer, idea)
    )


def can_decide_partnership(user, idea: Idea) -> bool:
    """Only the project's author accepts or declines partners."""
    viewer = _as_viewer(user)
    return viewer.signed_in and idea.kind == Idea.Kind.PROJECT and idea.author_id == viewer.pk


def can_change_stage(user, idea: Idea) -> bool:
    return can_decide_partnership(user, idea) and idea.moderation != Idea.Moderation.HIDDEN


def can_download(user, idea: Idea) -> bool:
    return can_view_idea(user, idea)
