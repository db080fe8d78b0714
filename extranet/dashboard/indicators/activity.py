"""Activity (issue 14): posts and comments per group, documents shared, chat messages, active
members.

Definitions (every date in the platform's time zone; an initiative's scope is its group's
feed, the platform's every feed):
- posts: posts written in the period; comments: comments written in the period (on posts of
  any date); documents: files attached to the posts written in the period;
- chat messages: messages sent in the period, counted only (never read). Copies of a message
  to everyone (``Message.broadcast``) are left out: they are one message of the portal admin
  delivered to many. For an initiative, the messages of the people who were its members at
  the end of the period (a conversation belongs to no initiative);
- members: approved members at the end of the period, as in the membership section;
- active members: those members who, in the period, wrote a post or a comment in the scope's
  feed, sent a chat message, registered for an event, posted an idea or commented on one
  (events, ideas and the chat are anyone's on the platform, so they count wherever they
  happened); active share: active members out of the members, in percent.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.locales import originals
from events.models import Registration
from extranet.chat.models import Message
from extranet.feed.models import Comment, Post
from extranet.members.models import Membership
from ideas_exchange.models import Idea, IdeaComment
from initiatives.models import InitiativePage

from ..periods import Period
from .base import Figure, Scope, Section, Series, Table, counts_by_bucket, in_period, line_chart


def _posts(scope: Scope):
    qs = Post.objects.all()
    if scope.initiative is not None:
        qs = qs.filter(initiative_id=scope.initiative_id)
    return qs


def _comments(scope: Scope):
    qs = Comment.objects.all()
    if scope.initiative is not None:
        qs = qs.filter(post__initiative_id=scope.initiative_id)
    return qs


def _members_at_end(scope: Scope, period: Period):
    """Memberships standing at the period's end: approved before it ended, and still approved
    or ended (left, removed) only afterwards (the membership section's «members»)."""
    qs = Membership.objects.filter(approved_at__lt=period.end).filter(
        Q(status=Membership.Status.APPROVED)
        | Q(status=Membership.Status.REMOVED, decided_at__gte=period.end)
    )
    if scope.initiative is not None:
        qs = qs.filter(initiative_id=scope.initiative_id)
    return qs


def _chat_messages(period: Period):
    """Messages sent in the period, without the copies of messages to everyone."""
    return in_period(Message.objects.filter(broadcast__isnull=True), "created_at", period)


def _chat_messages_of(scope: Scope, period: Period):
    qs = _chat_messages(period)
    if scope.initiative is not None:
        qs = qs.filter(sender_id__in=_members_at_end(scope, period).values("user_id"))
    return qs


def _active_filter(period: Period, *, own_feed: bool) -> Q:
    """A filter of memberships whose person did something in the period.

    ``own_feed``: posts and comments count in the membership's own initiative's feed only
    (an initiative's scope and its row of the table); otherwise in any feed (the platform).
    Everything else counts wherever it happened. Each part is a correlated EXISTS that the
    database answers from the person's own rows (the author's / sender's index), so the
    whole count is one query however many members there are. (``user_id IN (subquery)``
    reads the same, but PostgreSQL cannot hash a subquery larger than ``work_mem``: with a
    month of a million-message chat it rescanned the messages for every member.)"""

    def did(qs, person_field: str, **extra) -> Q:
        return Q(
            Exists(
                in_period(qs, "created_at", period).filter(
                    **{person_field: OuterRef("user_id")}, **extra
                )
            )
        )

    if own_feed:
        feed = did(Post.objects.all(), "author_id", initiative_id=OuterRef("initiative_id")) | did(
            Comment.objects.all(), "author_id", post__initiative_id=OuterRef("initiative_id")
        )
    else:
        feed = did(Post.objects.all(), "author_id") | did(Comment.objects.all(), "author_id")
    return (
        feed
        | did(Message.objects.filter(broadcast__isnull=True), "sender_id")
        | did(Registration.objects.all(), "user_id")
        | did(Idea.objects.all(), "author_id")
        | did(IdeaComment.objects.all(), "author_id")
    )


def _figures(scope: Scope, period: Period) -> dict[str, int | float | None]:
    """Four queries: posts with their documents, comments, chat messages, members with the
    active ones."""
    values = in_period(_posts(scope), "created_at", period).aggregate(
        posts=Count("pk", distinct=True), documents=Count("attachments")
    )
    values["comments"] = in_period(_comments(scope), "created_at", period).count()
    values["chat_messages"] = _chat_messages_of(scope, period).count()
    values.update(
        _members_at_end(scope, period).aggregate(
            members=Count("user", distinct=True),
            active_members=Count(
                "user",
                distinct=True,
                filter=_active_filter(period, own_feed=not scope.is_platform),
            ),
        )
    )
    values["active_share"] = (
        round(values["active_members"] * 100 / values["members"], 1) if values["members"] else None
    )
    return values


LABELS = [
    # key, label, unit, targetable
    ("posts", _("Posts"), "", True),
    ("comments", _("Comments"), "", True),
    ("documents", _("Documents shared"), "", True),
    ("chat_messages", _("Chat messages"), "", True),
    ("active_members", _("Active members"), "", True),
    ("active_share", _("Active members, share"), "percent", False),
]


def _help(scope: Scope) -> dict:
    chat = (
        _(
            "Messages sent in the chat by the initiative's members at the end of the period, "
            "counted only. Messages to everyone from the portal administrator are not counted."
        )
        if scope.initiative is not None
        else _(
            "Messages sent in the chat, counted only. Messages to everyone from the portal "
            "administrator are not counted."
        )
    )
    return {
        "posts": _("Posts written in the period in the group's feed."),
        "comments": _("Comments written in the period on the feed's posts."),
        "documents": _("Files attached to the posts written in the period."),
        "chat_messages": chat,
        "active_members": _(
            "Members at the end of the period who wrote a post or a comment in the feed, sent a "
            "chat message, registered for an event, posted an idea or commented on one in the "
            "period."
        ),
        "active_share": _("Active members out of the members at the end of the period."),
    }


def _by_group(scope: Scope, period: Period) -> Table:
    """A row per initiative: four grouped queries and the list of initiatives, whatever their
    number."""
    initiatives = originals(InitiativePage.objects.live()).order_by("title")
    if scope.initiative is not None:
        initiatives = initiatives.filter(pk=scope.initiative_id)
    posts = {
        row["initiative"]: row
        for row in in_period(_posts(scope), "created_at", period)
        .order_by()
        .values("initiative")
        .annotate(posts=Count("pk", distinct=True), documents=Count("attachments"))
    }
    comments = dict(
        in_period(_comments(scope), "created_at", period)
        .order_by()
        .values("post__initiative")
        .annotate(n=Count("pk"))
        .values_list("post__initiative", "n")
    )
    active = dict(
        _members_at_end(scope, period)
        .filter(_active_filter(period, own_feed=True))
        .order_by()
        .values("initiative")
        .annotate(n=Count("user", distinct=True))
        .values_list("initiative", "n")
    )
    rows = []
    for pk, title in initiatives.values_list("pk", "title"):
        row = posts.get(pk, {})
        rows.append(
            [
                title,
                row.get("posts", 0),
                comments.get(pk, 0),
                row.get("documents", 0),
                active.get(pk, 0),
            ]
        )
    totals = None
    if len(rows) > 1:
        # A person active in two initiatives counts in both rows, and so twice here.
        totals = [_("Total")] + [sum(row[i] for row in rows) for i in range(1, 5)]
    return Table(
        key="activity_by_group",
        title=_("Activity per initiative"),
        columns=[
            _("Initiative"),
            _("Posts"),
            _("Comments"),
            _("Documents shared"),
            _("Active members"),
        ],
        rows=rows,
        totals=totals,
    )


def _series(scope: Scope, period: Period):
    return line_chart(
        key="activity_series",
        title=_("Posts, comments and chat messages"),
        period=period,
        series=[
            Series(str(_("Posts")), counts_by_bucket(_posts(scope), "created_at", period)),
            Series(str(_("Comments")), counts_by_bucket(_comments(scope), "created_at", period)),
            Series(
                str(_("Chat messages")),
                counts_by_bucket(_chat_messages_of(scope, period), "created_at", period),
            ),
        ],
        previous=Series(
            str(_("Posts, previous period")),
            counts_by_bucket(_posts(scope), "created_at", period.previous()),
        ),
    )


def section(*, scope: Scope, period: Period) -> Section:
    """The activity section: 16 queries (4 per period for the figures, 4 for the table,
    4 for the chart)."""
    now = _figures(scope, period)
    before = _figures(scope, period.previous())
    helps = _help(scope)
    figures = [
        Figure(
            key=key,
            label=label,
            value=now[key],
            previous=before[key],
            unit=unit,
            help=helps[key],
            targetable=targetable,
        )
        for key, label, unit, targetable in LABELS
    ]
    return Section(
        key="activity",
        title=_("Activity"),
        figures=figures,
        charts=[_series(scope, period)],
        tables=[_by_group(scope, period)],
    )
