"""Writes of the ideas exchange: posting and editing ideas, moderation, the discussion,
partnerships, a project's stages and «Откликнуться». Views and the admin call these.

Each function asks ``permissions`` again (a view's check is only the first), validates what
it is given, does all of its work in one transaction or none of it (files stored for an idea
that then fails to save are removed again), and tells the rest of the platform through the
signals of ``ideas_exchange.signals`` once the change is committed.

Errors are :class:`IdeaError` with a sentence for the person (``field`` names the form field
it belongs to, when there is one); a refused permission is :class:`IdeaDenied`, which is
also Django's ``PermissionDenied`` (a 403 when no view catches it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.locales import originals
from core.pagecache import purge
from core.text import clean_text
from core.uploads import CheckedUpload, atomic_with_files

from . import extensions, permissions, signals
from .models import (
    COMMENT_MAX_LENGTH,
    MAX_TAGS,
    NOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Idea,
    IdeaAttachment,
    IdeaComment,
    IdeaStageChange,
    Partnership,
)

TAG_MAX_LENGTH = 50
# Roles a person asks for; «Лидер» is the author's organisation, never asked for.
PARTNER_ROLES = [
    Partnership.Role.PARTNER,
    Partnership.Role.SUPPLIER,
    Partnership.Role.RESEARCH,
]
MODERATION_ACTIONS = ("approve", "hide", "close")
_LIVE = (Partnership.Status.PENDING, Partnership.Status.ACCEPTED)


def max_attachments() -> int:
    """How many files an idea may have (``settings.IDEAS_MAX_ATTACHMENTS``)."""
    return settings.IDEAS_MAX_ATTACHMENTS


class IdeaError(Exception):
    """A change that cannot be made: ``message`` is the sentence to show, ``field`` the form
    field it belongs to (or None)."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class IdeaDenied(IdeaError, PermissionDenied):
    """The person may not do this (``permissions`` said no)."""


def _on_commit(signal, **kwargs) -> None:
    transaction.on_commit(lambda: signal.send(sender=Idea, **kwargs))


# --- checks ------------------------------------------------------------------------------------


def _text(value, *, field: str, limit: int, required: bool = True, empty: str = "") -> str:
    text = clean_text(value)
    if required and not text:
        raise IdeaError(empty or _("This field cannot be empty."), field=field)
    if len(text) > limit:
        raise IdeaError(
            _("The text is too long: %(length)s characters, at most %(limit)s.")
            % {"length": len(text), "limit": limit},
            field=field,
        )
    return text


def clean_tags(names: Iterable[str]) -> list[str]:
    """Tag names trimmed, empty ones dropped, duplicates (ignoring case) once; at most
    ``MAX_TAGS``, each up to ``TAG_MAX_LENGTH`` characters (``IdeaError`` otherwise)."""
    seen: dict[str, str] = {}
    for raw in names:
        name = " ".join(clean_text(raw).split())
        if not name:
            continue
        if len(name) > TAG_MAX_LENGTH:
            raise IdeaError(
                _("The tag «%(tag)s…» is too long: at most %(limit)s characters.")
                % {"tag": name[:20], "limit": TAG_MAX_LENGTH},
                field="tags",
            )
        seen.setdefault(name.casefold(), name)
    if len(seen) > MAX_TAGS:
        raise IdeaError(
            _("Too many tags: %(count)s, at most %(limit)s.")
            % {"count": len(seen), "limit": MAX_TAGS},
            field="tags",
        )
    return list(seen.values())


def allowed_initiatives():
    """The initiatives an idea may belong to: live ones with the ideas exchange switched on."""
    from initiatives.models import InitiativePage

    return originals(InitiativePage.objects.live()).filter(ideas_enabled=True).order_by("title")


def _check_idea_data(*, author, data: dict, current: Idea | None = None) -> dict:
    kind = data.get("kind")
    if kind not in Idea.Kind.values:
        raise IdeaError(_("Choose the kind of the idea from the list."), field="kind")
    visibility = data.get("visibility") or Idea.Visibility.PUBLIC
    if visibility not in Idea.Visibility.values:
        raise IdeaError(_("Choose who can see the idea from the list."), field="visibility")
    initiative = data.get("initiative")
    if initiative is not None:
        keep = current is not None and current.initiative_id == initiative.pk
        if not keep and not allowed_initiatives().filter(pk=initiative.pk).exists():
            raise IdeaError(
                _("This initiative does not take ideas: choose one from the list."),
                field="initiative",
            )
    if visibility == Idea.Visibility.MEMBERS:
        if initiative is None:
            raise IdeaError(
                _("An idea for one initiative's members needs that initiative."),
                field="initiative",
            )
        if initiative.pk not in extensions.member_initiative_ids(author):
            raise IdeaError(
                _("Only the members of an initiative may post for its members only."),
                field="visibility",
            )
    return {
        "kind": kind,
        "visibility": visibility,
        "initiative": initiative,
        "title": _text(
            data.get("title"),
            field="title",
            limit=TITLE_MAX_LENGTH,
            empty=_("Give the idea a title."),
        ),
        "summary": _text(
            data.get("summary"),
            field="summary",
            limit=SUMMARY_MAX_LENGTH,
            empty=_("Write a short text for the board's card."),
        ),
        "text": _text(
            data.get("text"),
            field="text",
            limit=TEXT_MAX_LENGTH,
            empty=_("Write the idea's text."),
        ),
        "tags": clean_tags(data.get("tags") or ()),
    }


def _store(idea: Idea, uploads: Sequence[CheckedUpload], stored: list) -> None:
    for upload in uploads:
        attachment = IdeaAttachment(
            idea=idea, name=upload.name, content_type=upload.content_type, size=upload.size
        )
        attachment.file.save(upload.storage_name, upload.file, save=False)
        stored.append((attachment.file.storage, attachment.file.name))
        attachment.save()


def _too_many_files(count: int) -> IdeaError:
    return IdeaError(
        _("Too many files: at most %(limit)s per idea.") % {"limit": max_attachments()},
        field="attachments",
    )


_STATE_FIELDS = (
    "moderation",
    "moderation_reason",
    "moderated_by_id",
    "moderated_at",
    "published_at",
    "status",
    "stage",
    "closed_at",
    "updated_at",
)


def _sync(idea: Idea, saved: Idea) -> Idea:
    """The caller's ``idea`` object tells what was saved (views render it afterwards)."""
    for name in _STATE_FIELDS:
        setattr(idea, name, getattr(saved, name))
    return saved


def _record_stage(idea: Idea, stage: str, actor, now) -> None:
    IdeaStageChange.objects.create(idea=idea, stage=stage, changed_at=now, changed_by=actor)


def _open_status(idea: Idea) -> str:
    """The status of an idea that is not closed, from what happened to it."""
    if idea.partnerships.filter(status=Partnership.Status.ACCEPTED).exists():
        return Idea.Status.PARTNERS_FOUND
    others = idea.comments.exclude(author_id=idea.author_id) if idea.author_id else idea.comments
    if others.exists():
        return Idea.Status.DISCUSSION
    return Idea.Status.OPEN


# --- ideas -------------------------------------------------------------------------------------


def idea_create(*, author, data: dict, uploads: Sequence[CheckedUpload] = ()) -> Idea:
    """Post an idea. ``data``: title, kind, summary, text, tags (names), initiative (an
    ``InitiativePage`` or None), visibility. It waits for moderation when
    ``permissions.needs_moderation(author)``; otherwise it is published at once."""
    if not permissions.can_post(author):
        raise IdeaDenied(_("Sign in to post an idea."))
    clean = _check_idea_data(author=author, data=data)
    uploads = list(uploads)
    if len(uploads) > max_attachments():
        raise _too_many_files(len(uploads))
    now = timezone.now()
    pending = permissions.needs_moderation(author)
    tags = clean.pop("tags")

    def work(stored):
        idea = Idea.objects.create(
            **clean,
            author=author,
            organisation_name=(extensions.author_details(author).get("organisation") or "")[:255],
            moderation=Idea.Moderation.PENDING if pending else Idea.Moderation.APPROVED,
            published_at=None if pending else now,
            stage=Idea.Stage.IDEA if clean["kind"] == Idea.Kind.PROJECT else "",
            created_at=now,
        )
        if tags:
            idea.tags.set(tags)
        if idea.is_project:
            _record_stage(idea, Idea.Stage.IDEA, author, now)
        _store(idea, uploads, stored)
        return idea

    idea = atomic_with_files(work)
    if not pending:
        _on_commit(signals.idea_published, idea=idea)
    return idea


def idea_update(
    *,
    idea: Idea,
    user,
    data: dict,
    uploads: Sequence[CheckedUpload] = (),
    remove_attachment_ids: Iterable[int] = (),
) -> Idea:
    """The author's edit: the same fields as posting, files removed (only the idea's own) and
    added. A change of kind to or from a project starts or ends its stages."""
    if not permissions.can_edit_idea(user, idea):
        raise IdeaDenied(_("Only the author may edit this idea."))
    clean = _check_idea_data(author=user, data=data, current=idea)
    tags = clean.pop("tags")
    uploads = list(uploads)
    remove_ids = {int(pk) for pk in remove_attachment_ids}
    now = timezone.now()
    removed_files: list = []

    def work(stored):
        locked = Idea.objects.select_for_update().get(pk=idea.pk)
        attachments = list(locked.attachments.all())
        removed = [a for a in attachments if a.pk in remove_ids]
        if len(attachments) - len(removed) + len(uploads) > max_attachments():
            raise _too_many_files(len(attachments) - len(removed) + len(uploads))
        was_project = locked.is_project
        for name, value in clean.items():
            setattr(locked, name, value)
        organisation = extensions.author_details(user).get("organisation") or ""
        if organisation:
            locked.organisation_name = organisation[:255]
        if locked.is_project and not was_project:
            locked.stage = Idea.Stage.IDEA
            _record_stage(locked, Idea.Stage.IDEA, user, now)
        elif not locked.is_project:
            locked.stage = ""
        locked.save()
        locked.tags.set(tags)
        removed_files.extend((a.file.storage, a.file.name) for a in removed)
        IdeaAttachment.objects.filter(pk__in=[a.pk for a in removed]).delete()
        _store(locked, uploads, stored)
        return locked

    updated = atomic_with_files(work)

    def remove_files():
        for storage, name in removed_files:
            storage.delete(name)

    transaction.on_commit(remove_files)
    return updated


def idea_moderate(*, idea: Idea, actor, action: str, reason: str = "") -> Idea:
    """A moderator approves (publishing it the first time), hides (with a reason the author
    is shown) or closes an idea."""
    if not permissions.can_moderate(actor, idea):
        raise IdeaDenied(_("You do not moderate this idea."))
    if action not in MODERATION_ACTIONS:
        raise IdeaError(_("Choose what to do with the idea."), field="action")
    reason = _text(
        reason,
        field="reason",
        limit=REASON_MAX_LENGTH,
        required=action == "hide",
        empty=_("Say why the idea is hidden: the author is shown the reason."),
    )
    now = timezone.now()
    first_publication = False
    with transaction.atomic():
        locked = Idea.objects.select_for_update().get(pk=idea.pk)
        if action == "approve":
            locked.moderation = Idea.Moderation.APPROVED
            locked.moderation_reason = ""
            if locked.published_at is None:
                locked.published_at = now
                first_publication = True
        elif action == "hide":
            locked.moderation = Idea.Moderation.HIDDEN
            locked.moderation_reason = reason
        else:
            locked.status = Idea.Status.CLOSED
            locked.closed_at = locked.closed_at or now
            locked.moderation_reason = reason
            if locked.is_project and locked.stage not in (Idea.Stage.CLOSED, Idea.Stage.FUNDED):
                locked.stage = Idea.Stage.CLOSED
                _record_stage(locked, Idea.Stage.CLOSED, actor, now)
        locked.moderated_by = actor
        locked.moderated_at = now
        locked.save()
    _sync(idea, locked)
    _on_commit(signals.idea_moderated, idea=locked, actor=actor)
    if first_publication:
        _on_commit(signals.idea_published, idea=locked)
    return locked


# --- discussion --------------------------------------------------------------------------------


def comment_create(
    *, idea: Idea, author, text: str, parent: IdeaComment | None = None
) -> IdeaComment:
    """A comment, or a reply (a reply to a reply joins its top-level comment). The first
    comment by someone other than the author moves an open idea into discussion."""
    if not permissions.can_comment(author, idea):
        raise IdeaDenied(_("Comments on this idea are closed."))
    text = _text(
        text,
        field="text",
        limit=COMMENT_MAX_LENGTH,
        empty=_("Write something first: the comment is empty."),
    )
    if parent is not None:
        if parent.idea_id != idea.pk or parent.hidden:
            raise IdeaError(
                _("The comment you answer is not in this discussion (any more)."), field="parent"
            )
        if parent.parent_id is not None:
            parent = IdeaComment.objects.get(pk=parent.parent_id)
    with transaction.atomic():
        comment = IdeaComment.objects.create(idea=idea, author=author, parent=parent, text=text)
        if author.pk != idea.author_id:
            moved = Idea.objects.filter(pk=idea.pk, status=Idea.Status.OPEN).update(
                status=Idea.Status.DISCUSSION
            )
            if moved:
                idea.status = Idea.Status.DISCUSSION
    _on_commit(signals.idea_commented, comment=comment)
    return comment


def comment_hide(*, comment: IdeaComment, actor) -> IdeaComment:
    """A moderator hides a comment (its replies stay, the thread keeps its shape)."""
    if not permissions.can_moderate(actor, comment.idea):
        raise IdeaDenied(_("You do not moderate this discussion."))
    with transaction.atomic():
        IdeaComment.objects.filter(pk=comment.pk).update(hidden=True)
        purge("ideas")  # update() sends no signal (ideas_exchange/apps.py purges on those)
    comment.hidden = True
    return comment


def idea_respond(*, idea: Idea, sender, text: str) -> str:
    """«Откликнуться»: a private message to the idea's author; the conversation's address."""
    if not permissions.can_respond(sender, idea):
        raise IdeaDenied(_("You cannot respond to this idea."))
    text = _text(
        text,
        field="text",
        limit=COMMENT_MAX_LENGTH,
        empty=_("Write a few words to the author first."),
    )
    try:
        with transaction.atomic():
            return extensions.respond(sender=sender, recipient=idea.author, text=text, idea=idea)
    except extensions.RespondError as exc:
        raise IdeaError(str(exc), field="text") from exc


# --- partnerships ------------------------------------------------------------------------------


def partnership_request(*, idea: Idea, user, role: str, note: str) -> Partnership:
    """«Стать партнёром»: ask to join a project as partner, supplier or research."""
    if not permissions.can_ask_partnership(user, idea):
        raise IdeaDenied(_("You cannot ask to join this project."))
    if role not in PARTNER_ROLES:
        raise IdeaError(_("Choose your role from the list."), field="role")
    note = _text(note, field="note", limit=NOTE_MAX_LENGTH, required=False)
    already = _(
        "You have asked to join this project already: the author has not answered yet, "
        "or you are a partner."
    )
    if Partnership.objects.filter(idea=idea, user=user, status__in=_LIVE).exists():
        raise IdeaError(already)
    organisation = extensions.author_details(user).get("organisation") or ""
    try:
        with transaction.atomic():
            partnership = Partnership.objects.create(
                idea=idea, user=user, organisation_name=organisation[:255], role=role, note=note
            )
    except IntegrityError as exc:
        raise IdeaError(already) from exc
    _on_commit(signals.partnership_requested, partnership=partnership)
    return partnership


def partnership_decide(*, partnership: Partnership, actor, accept: bool) -> Partnership:
    """The project's author accepts or declines a waiting request; the first partner
    accepted marks the project «partners found»."""
    idea = partnership.idea
    if not permissions.can_decide_partnership(actor, idea):
        raise IdeaDenied(_("Only the project's author accepts or declines partners."))
    now = timezone.now()
    with transaction.atomic():
        locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
        if locked.status != Partnership.Status.PENDING:
            raise IdeaError(_("This request has been answered or withdrawn already."))
        locked.status = Partnership.Status.ACCEPTED if accept else Partnership.Status.DECLINED
        locked.decided_at = now
        locked.save(update_fields=["status", "decided_at"])
        if accept:
            moved = Idea.objects.filter(
                pk=idea.pk, status__in=[Idea.Status.OPEN, Idea.Status.DISCUSSION]
            ).update(status=Idea.Status.PARTNERS_FOUND)
            if moved:
                idea.status = Idea.Status.PARTNERS_FOUND
    locked.idea = idea
    _on_commit(signals.partnership_decided, partnership=locked)
    return locked


def partnership_withdraw(*, partnership: Partnership, user) -> Partnership:
    """The person takes back their request (or leaves the consortium)."""
    if not permissions.signed_in(user) or partnership.user_id != user.pk:
        raise IdeaDenied(_("Only the person who asked may withdraw the request."))
    with transaction.atomic():
        locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
        if locked.status not in _LIVE:
            raise IdeaError(_("This request has been answered or withdrawn already."))
        was_accepted = locked.status == Partnership.Status.ACCEPTED
        locked.status = Partnership.Status.WITHDRAWN
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_at"])
        idea = Idea.objects.select_for_update().get(pk=locked.idea_id)
        if was_accepted and idea.status == Idea.Status.PARTNERS_FOUND:
            idea.status = _open_status(idea)
            idea.save(update_fields=["status", "updated_at"])
    return locked


# --- project stages ----------------------------------------------------------------------------


def idea_stage_change(*, idea: Idea, actor, stage: str) -> Idea:
    """The author moves a project to ``stage`` (dated): funded or closed closes it, a
    consortium marks partners found; back to an open stage reopens it."""
    if not permissions.can_change_stage(actor, idea):
        raise IdeaDenied(_("Only the project's author changes its stage."))
    if stage not in Idea.Stage.values:
        raise IdeaError(_("Choose the stage from the list."), field="stage")
    if stage == idea.stage:
        raise IdeaError(_("The project is at this stage already."), field="stage")
    now = timezone.now()
    with transaction.atomic():
        locked = Idea.objects.select_for_update().get(pk=idea.pk)
        locked.stage = stage
        if stage in (Idea.Stage.CLOSED, Idea.Stage.FUNDED):
            locked.status = Idea.Status.CLOSED
            locked.closed_at = now
        elif stage == Idea.Stage.CONSORTIUM:
            locked.status = Idea.Status.PARTNERS_FOUND
            locked.closed_at = None
        elif locked.status == Idea.Status.CLOSED:
            locked.closed_at = None
            locked.status = _open_status(locked)
        locked.save()
        _record_stage(locked, stage, actor, now)
    return _sync(idea, locked)
