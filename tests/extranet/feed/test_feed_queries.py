"""The feed page, «Documents» and a post's page run a fixed number of SQL queries, whether the
group has 10 posts or 1,000 (with comments and attachments on some, by many authors)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from extranet.feed.models import Attachment, Comment, Post
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

SIZES = [10, 1000]
# One budget for every size and for the feed, «Documents» and a post's page (measured: 18-21
# with the session, user, roles, site settings and header; the portal admin's privacy rule
# asks which of the page's people are blocked accounts); a query per post, author, comment or
# file would break it at 1,000 first.
BUDGET = 21


def _fill(gorki, n):
    """``n`` posts by eight different members; every third post has two comments by two
    other members and every fifth two attachments (files are rows only: nothing is read)."""
    authors = [MembershipFactory(initiative=gorki).user for _ in range(8)]
    now = timezone.now()
    posts = Post.objects.bulk_create(
        Post(
            initiative=gorki,
            author=authors[i % len(authors)],
            kind=Post.Kind.values[i % len(Post.Kind.values)],
            text=f"Пост {i} https://example.com/{i}",
            created_at=now - datetime.timedelta(minutes=i),
            pinned=i == n - 1,
        )
        for i in range(n)
    )
    Comment.objects.bulk_create(
        Comment(post=post, author=authors[(i + k + 1) % len(authors)], text=f"Ответ {k}")
        for i, post in enumerate(posts)
        if i % 3 == 0
        for k in range(2)
    )
    Attachment.objects.bulk_create(
        Attachment(
            post=post,
            file=f"feed/{gorki.pk}/x{i}/file-{k}.pdf",
            name=f"Файл {i}-{k}.pdf",
            content_type="application/pdf",
            size=1000 + i,
            created_at=now - datetime.timedelta(minutes=i),
        )
        for i, post in enumerate(posts)
        if i % 5 == 0
        for k in range(2)
    )
    return posts


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("role", ["member", "initiative_admin", "portal_admin"])
def test_feed_page_queries(client, gorki, people, size, role, django_assert_max_num_queries):
    """The feed page (first page, a filtered page and the second page) stays within one
    budget at 10 and at 1,000 posts, for a member, an initiative admin and the portal admin."""
    _fill(gorki, size)
    client.force_login(people[role])
    url = "/en/cabinet/groups/gorki/"
    client.get(url)  # warm per-process caches (Wagtail's site root paths)
    with django_assert_max_num_queries(BUDGET):
        response = client.get(url)
    assert response.status_code == 200
    with django_assert_max_num_queries(BUDGET):
        assert client.get(url, {"kind": "proposal"}).status_code == 200
    if size > 20:
        cursor = response.context["next_url"]
        assert cursor
        with django_assert_max_num_queries(BUDGET):
            assert client.get(url + cursor).status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_documents_page_queries(client, gorki, people, size, django_assert_max_num_queries):
    """«Documents» stays within the same budget at 10 and at 1,000 posts."""
    _fill(gorki, size)
    client.force_login(people["member"])
    url = "/en/cabinet/groups/gorki/documents/"
    client.get(url)
    with django_assert_max_num_queries(BUDGET):
        response = client.get(url)
    assert response.status_code == 200
    if response.context["next_url"]:
        with django_assert_max_num_queries(BUDGET):
            assert client.get(url + response.context["next_url"]).status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_post_page_queries(client, gorki, people, size, django_assert_max_num_queries):
    """A post's page with all its comments stays within one budget however big the feed."""
    posts = _fill(gorki, size)
    post = posts[0]
    Comment.objects.bulk_create(
        Comment(post=post, author=people["member"], text=f"Ещё {k}") for k in range(30)
    )
    client.force_login(people["member"])
    url = f"/en/cabinet/groups/gorki/posts/{post.pk}/"
    client.get(url)
    with django_assert_max_num_queries(BUDGET):
        assert client.get(url).status_code == 200
