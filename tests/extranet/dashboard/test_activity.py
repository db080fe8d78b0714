"""The activity section of the indicators on a fixed data set counted by hand: Q1 2026 in
Minsk and the previous quarter, the boundary at midnight in Minsk (a post at 23:30 on
31 March is March's, one at 21:30 UTC that day is April's), copies of messages to everyone
left out of the chat, members at the period's end, an initiative's scope against the
platform's, and the same query budget at two data sizes."""

from __future__ import annotations

import pytest

from extranet.chat.models import Broadcast, Conversation, Message
from extranet.dashboard.indicators import Scope
from extranet.dashboard.indicators import activity as section_module
from extranet.dashboard.periods import month_period
from extranet.feed.models import Attachment, Comment, Post
from tests.events.factories import RegistrationFactory
from tests.factories import (
    AttachmentFactory,
    CommentFactory,
    InitiativePageFactory,
    MembershipFactory,
    PostFactory,
    UserFactory,
)
from tests.ideas_exchange.factories import IdeaCommentFactory, IdeaFactory

from .indicator_data import Q1, minsk, utc

pytestmark = pytest.mark.django_db

LONG_AGO = minsk("2025-06-01 10:00")


def _member(initiative, *, approved=LONG_AGO, status="approved", ended=None, user=None):
    membership = MembershipFactory(
        user=user or UserFactory(),
        initiative=initiative,
        status=status,
        approved_at=approved,
        decided_at=ended or approved,
    )
    return membership.user


def _post(initiative, author, at, *, files=0):
    post = PostFactory(initiative=initiative, author=author, created_at=at)
    for _n in range(files):
        AttachmentFactory(post=post)
    return post


def _message(sender, at, *, broadcast=None):
    """A message from ``sender`` to a new person (a conversation of its own)."""
    other = UserFactory()
    a, b = sorted([sender, other], key=lambda u: u.pk)
    conversation = Conversation.objects.create(user_a=a, user_b=b)
    return Message.objects.create(
        conversation=conversation, sender=sender, body="…", created_at=at, broadcast=broadcast
    )


@pytest.fixture
def data(gorki, polotsk):
    people = {}
    for name in ("ann", "bob", "cat", "dan", "eve", "fay", "gus", "pat"):
        people[name] = _member(gorki)
    # Lea is a member of both; Ivy of Polotsk only.
    people["lea"] = _member(gorki)
    _member(polotsk, user=people["lea"])
    people["ivy"] = _member(polotsk)
    # Jon joined Gorki in April; Kim left it in February (both members at the end of Q4 or
    # not, never at the end of Q1).
    people["jon"] = _member(gorki, approved=minsk("2026-04-05 10:00"))
    people["kim"] = _member(gorki, status="removed", ended=minsk("2026-02-10 10:00"))
    p = people

    # Gorki's feed. Two posts in Q1 (the second at 23:30 on 31 March in Minsk), one at
    # 00:30 on 1 April in Minsk; Gus's post of December gets a file uploaded in January.
    first = _post(gorki, p["ann"], minsk("2026-01-10 10:00"), files=2)
    _post(gorki, p["ann"], minsk("2026-03-31 23:30"))
    _post(gorki, p["bob"], utc("2026-03-31 21:30"), files=1)
    december = _post(gorki, p["gus"], minsk("2025-12-15 10:00"))
    AttachmentFactory(post=december, created_at=minsk("2026-01-12 10:00"))
    CommentFactory(post=first, author=p["bob"], created_at=minsk("2026-02-01 10:00"))
    CommentFactory(post=december, author=p["ann"], created_at=minsk("2026-01-20 10:00"))
    CommentFactory(post=first, author=p["bob"], created_at=utc("2026-03-31 21:30"))

    # Polotsk's feed: Ivy's post with a file and her comment; Lea's post.
    ivy_post = _post(polotsk, p["ivy"], minsk("2026-02-15 10:00"), files=1)
    CommentFactory(post=ivy_post, author=p["ivy"], created_at=minsk("2026-02-16 10:00"))
    _post(polotsk, p["lea"], minsk("2026-03-01 10:00"))

    # The chat: Cat twice in Q1 (the second at 23:30 on 31 March) and once in April; Jon
    # and Kim once each in Q1 (not Gorki's members at its end); Ivy twice; someone who is
    # no member once; Pat's message to everyone delivered as two copies.
    _message(p["cat"], minsk("2026-02-02 10:00"))
    _message(p["cat"], minsk("2026-03-31 23:30"))
    _message(p["cat"], utc("2026-03-31 21:30"))
    _message(p["jon"], minsk("2026-03-10 10:00"))
    _message(p["kim"], minsk("2026-01-15 10:00"))
    _message(p["ivy"], minsk("2026-01-16 10:00"))
    _message(p["ivy"], minsk("2026-01-17 10:00"))
    _message(UserFactory(), minsk("2026-01-18 10:00"))
    broadcast = Broadcast.objects.create(sender=p["pat"], audience="all", body="Всем")
    _message(p["pat"], minsk("2026-03-02 10:00"), broadcast=broadcast)
    _message(p["pat"], minsk("2026-03-02 10:00"), broadcast=broadcast)

    # Events and ideas: Dan registered in Q1, Gus only on 1 April in Minsk; Eve posted an
    # idea, Fay commented on it.
    RegistrationFactory(user=p["dan"], created_at=minsk("2026-03-03 10:00"))
    RegistrationFactory(user=p["gus"], created_at=utc("2026-03-31 21:30"))
    idea = IdeaFactory(author=p["eve"], created_at=minsk("2026-02-20 10:00"))
    IdeaCommentFactory(idea=idea, author=p["fay"], created_at=minsk("2026-02-21 10:00"))
    return {"gorki": gorki, "polotsk": polotsk, **p}


def _values(section):
    return {f.key: f.value for f in section.figures}


def _previous(section):
    return {f.key: f.previous for f in section.figures}


def test_figure_keys_and_units(data):
    """The section's figures, in order; the share is a percent and takes no target."""
    section = section_module.section(scope=Scope(), period=Q1)
    assert section.key == "activity"
    assert [f.key for f in section.figures] == [
        "posts",
        "comments",
        "documents",
        "chat_messages",
        "active_members",
        "active_share",
    ]
    share = section.figure("active_share")
    assert share.unit == "percent"
    assert share.targetable is False
    assert all(f.help for f in section.figures)


def test_initiative_figures_counted_by_hand(data):
    """Gorki in Q1: Ann's two posts (the April one left out) with two files; two comments
    (one on December's post); Cat's two messages (Jon and Kim were no members at the end,
    Pat's copies are a message to everyone); nine members, six of them active (Ann, Bob,
    Cat, Dan, Eve, Fay; Lea posted in Polotsk only, Pat sent only copies, Gus registered on
    1 April)."""
    section = section_module.section(scope=Scope(data["gorki"]), period=Q1)
    assert _values(section) == {
        "posts": 2,
        "comments": 2,
        "documents": 2,
        "chat_messages": 2,
        "active_members": 6,
        "active_share": 66.7,
    }


def test_previous_quarter_counted_by_hand(data):
    """Gorki in Q4 2025: Gus's post with its file (uploaded later, but the post is
    December's); ten members at its end (Kim still, Jon not yet), Gus the only active."""
    assert _previous(section_module.section(scope=Scope(data["gorki"]), period=Q1)) == {
        "posts": 1,
        "comments": 0,
        "documents": 1,
        "chat_messages": 0,
        "active_members": 1,
        "active_share": 10.0,
    }


def test_platform_figures_counted_by_hand(data):
    """The platform in Q1: every feed's posts, files and comments; every message but the
    copies of the message to everyone (seven); ten members, eight active (Ivy and Lea
    too)."""
    assert _values(section_module.section(scope=Scope(), period=Q1)) == {
        "posts": 4,
        "comments": 3,
        "documents": 3,
        "chat_messages": 7,
        "active_members": 8,
        "active_share": 80.0,
    }


def test_other_initiative_counts_only_its_own(data):
    """Polotsk in Q1: its two posts, one file, one comment, Ivy's two messages; its two
    members both active; nothing of Gorki's."""
    assert _values(section_module.section(scope=Scope(data["polotsk"]), period=Q1)) == {
        "posts": 2,
        "comments": 1,
        "documents": 1,
        "chat_messages": 2,
        "active_members": 2,
        "active_share": 100.0,
    }


def test_midnight_in_minsk_splits_march_and_april(data):
    """The post at 23:30 on 31 March in Minsk is March's; the one at 21:30 UTC that day
    (00:30 on 1 April in Minsk) is April's, with its file and the comment of that moment.
    April's previous period is March."""
    scope = Scope(data["gorki"])
    march = _values(section_module.section(scope=scope, period=month_period(2026, 3)))
    april_section = section_module.section(scope=scope, period=month_period(2026, 4))
    april = _values(april_section)
    assert (march["posts"], march["documents"], march["comments"]) == (1, 0, 0)
    assert (april["posts"], april["documents"], april["comments"]) == (1, 1, 1)
    assert (march["chat_messages"], april["chat_messages"]) == (1, 1)
    assert _previous(april_section)["posts"] == 1
    # In April Bob posted and commented, Cat wrote, Gus registered; Jon is now a member.
    assert april["active_members"] == 3


def test_activity_by_group_table(data):
    """A row per initiative with its own numbers (Lea is active in Polotsk's row only) and a
    totals row."""
    table = section_module.section(scope=Scope(), period=Q1).table("activity_by_group")
    rows = {row[0]: row[1:] for row in table.rows}
    assert rows == {
        data["gorki"].title: [2, 2, 2, 6],
        data["polotsk"].title: [2, 1, 1, 2],
    }
    assert table.totals[1:] == [4, 3, 3, 8]
    assert len(table.columns) == 5


def test_initiative_table_has_its_own_row_only(data):
    """An initiative's table is one row, the same numbers as its figures, no totals."""
    table = section_module.section(scope=Scope(data["gorki"]), period=Q1).table("activity_by_group")
    assert table.rows == [[data["gorki"].title, 2, 2, 2, 6]]
    assert table.totals is None


def test_series_by_week_in_minsk(data):
    """Q1's weekly series hold every post, comment and message of the figures; the post at
    23:30 on 31 March falls in the week of 30 March (the last); the previous series holds
    December's post."""
    section = section_module.section(scope=Scope(data["gorki"]), period=Q1)
    chart = section.charts[0]
    assert chart.key == "activity_series"
    assert chart.kind == "line"
    posts, comments, messages = chart.series
    assert (sum(posts.values), sum(comments.values), sum(messages.values)) == (2, 2, 2)
    assert posts.values[-1] == 1
    assert messages.values[-1] == 1
    assert sum(chart.previous.values) == 1
    assert len(chart.labels) == len(posts.values)


def test_no_content_leaves_the_section(data):
    """Counts only: no message text, no post text, no names in the section."""
    section = section_module.section(scope=Scope(), period=Q1)
    cells = [cell for table in section.tables for row in table.rows for cell in row[1:]]
    assert all(isinstance(cell, int) for cell in cells)
    assert all(isinstance(f.value, int | float) for f in section.figures)


def _grow(initiatives, size):
    """``size`` posts (each with a file and a comment) and messages per initiative, by a new
    member each time, made in bulk."""
    at = minsk("2026-02-10 10:00")
    posts, people = [], []
    for initiative in initiatives:
        for _n in range(size):
            person = _member(initiative)
            people.append(person)
            posts.append(Post(initiative=initiative, author=person, text="…", created_at=at))
    Post.objects.bulk_create(posts)
    Attachment.objects.bulk_create(
        Attachment(post=post, file="x.pdf", name="x.pdf", content_type="application/pdf", size=1)
        for post in posts
    )
    Comment.objects.bulk_create(
        Comment(post=post, author=post.author, text="…", created_at=at) for post in posts
    )
    for person in people[::3]:
        _message(person, at)


@pytest.mark.parametrize(("size", "initiatives"), [(3, 2), (30, 6)])
def test_constant_queries(data, size, initiatives, django_assert_max_num_queries):
    """The same budget (16 queries) with 3 posts in 2 initiatives or 30 in 6, for the
    platform and for one initiative."""
    groups = [data["gorki"], data["polotsk"]]
    groups += [InitiativePageFactory() for _n in range(initiatives - 2)]
    _grow(groups, size)
    with django_assert_max_num_queries(16):
        platform = section_module.section(scope=Scope(), period=Q1)
    with django_assert_max_num_queries(16):
        section_module.section(scope=Scope(data["gorki"]), period=Q1)
    assert len(platform.table("activity_by_group").rows) == initiatives
    assert platform.figure("posts").value == 4 + size * initiatives
