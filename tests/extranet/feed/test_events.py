"""Feed events for the notifications issue: sent once, after the change is committed, never for a
change that was rolled back, with the keyword arguments extranet.feed.events documents."""

from __future__ import annotations

import pytest
from django.db import transaction

from extranet.feed import events, services
from extranet.feed.models import Comment, Post
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


@pytest.fixture
def sent():
    """Every feed event sent during the test: (name, sender, kwargs)."""
    received: list[tuple[str, type, dict]] = []
    receivers = {}
    for name in ("post_created", "comment_created", "post_pinned"):

        def receiver(sender, signal, _name=name, **kwargs):
            received.append((_name, sender, kwargs))

        receivers[name] = receiver
        getattr(events, name).connect(receiver, weak=False)
    yield received
    for name, receiver in receivers.items():
        getattr(events, name).disconnect(receiver)


def post_in(gorki, author, text="Анонс семинара"):
    return services.post_create(initiative=gorki, author=author, kind="announcement", text=text)


def test_post_created_after_commit_once(gorki, people, sent, django_capture_on_commit_callbacks):
    """post_created(sender=Post, post, actor): not before the commit, once after it."""
    with django_capture_on_commit_callbacks() as callbacks:
        post = post_in(gorki, people["member"])
        assert sent == []
    for callback in callbacks:
        callback()
    assert sent == [("post_created", Post, {"post": post, "actor": people["member"]})]


def test_comment_created_names_post_and_actor(
    gorki, people, sent, django_capture_on_commit_callbacks
):
    """comment_created(sender=Comment, comment, post, actor): the notifications issue tells
    the post's author (``post.author``) unless ``actor`` is that author."""
    post = PostFactory(initiative=gorki, author=people["member"])
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.comment_create(
            post=post, author=people["initiative_admin"], text="Приду"
        )
        own = services.comment_create(post=post, author=people["member"], text="Жду всех")
    assert sent == [
        (
            "comment_created",
            Comment,
            {"comment": comment, "post": post, "actor": people["initiative_admin"]},
        ),
        ("comment_created", Comment, {"comment": own, "post": post, "actor": people["member"]}),
    ]
    assert sent[0][2]["post"].author == people["member"]


def test_post_pinned_once_and_unpinning_sends_nothing(
    gorki, people, sent, django_capture_on_commit_callbacks
):
    """post_pinned(sender=Post, post, actor) when a post becomes pinned; pinning it again and
    unpinning send nothing."""
    post = PostFactory(initiative=gorki, author=people["member"])
    with django_capture_on_commit_callbacks(execute=True):
        pinned = services.post_pin(post=post, by=people["initiative_admin"])
    assert sent == [("post_pinned", Post, {"post": pinned, "actor": people["initiative_admin"]})]
    assert sent[0][2]["post"].pinned
    with django_capture_on_commit_callbacks(execute=True):
        services.post_pin(post=post, by=people["portal_admin"])
        services.post_pin(post=post, by=people["portal_admin"], pinned=False)
        services.post_pin(post=post, by=people["portal_admin"], pinned=False)
    assert len(sent) == 1


def test_nothing_is_sent_for_a_rolled_back_change(
    gorki, people, sent, django_capture_on_commit_callbacks
):
    """A post, a comment and a pin made inside a transaction that then fails: no event."""
    post = PostFactory(initiative=gorki, author=people["member"])
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        post_in(gorki, people["member"])
        services.comment_create(post=post, author=people["initiative_admin"], text="Да")
        services.post_pin(post=post, by=people["initiative_admin"])
        raise Boom
    assert callbacks == []
    assert sent == []
    assert Post.objects.count() == 1 and not Comment.objects.exists()


def test_refused_changes_send_nothing(gorki, people, sent, django_capture_on_commit_callbacks):
    from django.core.exceptions import PermissionDenied

    from extranet.feed.services import FeedError

    post = PostFactory(initiative=gorki, author=people["member"])
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(FeedError):
            post_in(gorki, people["member"], text="")
        with pytest.raises(PermissionDenied):
            post_in(gorki, people["other_member"])
        with pytest.raises(PermissionDenied):
            services.post_pin(post=post, by=people["member"])
        with pytest.raises(FeedError):
            services.comment_create(post=post, author=people["member"], text="")
    assert sent == []


def test_edits_and_deletions_send_nothing(gorki, people, sent, django_capture_on_commit_callbacks):
    """Only the three documented events exist: editing and deleting are quiet."""
    post = PostFactory(initiative=gorki, author=people["member"])
    comment = Comment.objects.create(post=post, author=people["member"], text="x")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_update(post=post, by=people["member"], kind="news", text="Правка")
        services.comment_update(comment=comment, by=people["member"], text="Правка")
        services.comment_delete(comment=comment, by=people["member"])
        services.post_delete(post=post, by=people["initiative_admin"])
    assert sent == []
