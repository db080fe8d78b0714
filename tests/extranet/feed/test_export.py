"""The feed's part of /cabinet/data.json (issue 9, item 8): the person's posts, comments and
attachments with their links, nothing anybody else wrote, in a fixed number of queries."""

from __future__ import annotations

import json

import pytest

from tests.factories import AttachmentFactory, CommentFactory, PostFactory

pytestmark = pytest.mark.django_db


def _export(client, user) -> dict:
    client.force_login(user)
    response = client.get("/cabinet/data.json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_export_holds_the_persons_posts_comments_and_attachments(client, people, gorki):
    """A member's post (group, kind, text, dates, absolute link), their comment (on another
    member's post) and the file they attached (name as uploaded, size, type, absolute
    download link) are in their export; the other member's post and comment are not."""
    me, other = people["member"], people["initiative_admin"]
    mine = PostFactory(initiative=gorki, author=me, text="Мой пост о биотехнологиях")
    theirs = PostFactory(initiative=gorki, author=other, text="Чужой пост администратора")
    comment = CommentFactory(post=theirs, author=me, text="Мой комментарий к чужому посту")
    CommentFactory(post=mine, author=other, text="Чужой комментарий к моему посту")
    attachment = AttachmentFactory(post=mine, name="Отчёт за квартал.pdf")
    data = _export(client, me)
    assert data["posts"] == [
        {
            "id": mine.pk,
            "group": "gorki",
            "group_title": gorki.title,
            "kind": "news",
            "event": None,
            "idea": None,
            "text": "Мой пост о биотехнологиях",
            "pinned": False,
            "created": mine.created_at.isoformat(),
            "edited": None,
            "url": f"http://testserver/cabinet/groups/gorki/posts/{mine.pk}/",
        }
    ]
    assert [(c["id"], c["post"], c["text"]) for c in data["comments"]] == [
        (comment.pk, theirs.pk, "Мой комментарий к чужому посту")
    ]
    assert data["comments"][0]["post_url"].endswith(f"/cabinet/groups/gorki/posts/{theirs.pk}/")
    assert data["attachments"] == [
        {
            "id": attachment.pk,
            "post": mine.pk,
            "name": "Отчёт за квартал.pdf",
            "size": attachment.size,
            "content_type": "application/pdf",
            "uploaded": attachment.created_at.isoformat(),
            "url": f"http://testserver/files/{attachment.pk}/",
        }
    ]
    text = json.dumps(data, ensure_ascii=False)
    assert "Чужой пост" not in text
    assert "Чужой комментарий" not in text


@pytest.mark.parametrize("count", [1, 30])
def test_export_queries_do_not_grow_with_posts(
    client, people, gorki, count, django_assert_max_num_queries
):
    """The export costs the same number of queries for 1 post (with a comment and a file) as
    for 30."""
    me = people["member"]
    for _ in range(count):
        post = PostFactory(initiative=gorki, author=me)
        CommentFactory(post=post, author=me)
        AttachmentFactory(post=post)
    client.force_login(me)
    # 16: session, user, the members part (profile, memberships, consents, invitations), the
    # feed's posts, comments and attachments, the chat's conversations and messages, the
    # events' registrations with their ratings, and the ideas exchange's ideas, comments,
    # partnerships and followed tags; a query per post would add 30.
    with django_assert_max_num_queries(16):
        response = client.get("/cabinet/data.json")
    assert len(json.loads(response.content)["posts"]) == count


def test_export_names_the_idea_a_post_linked(client, people, gorki):
    """A «Предложение» that linked an idea carries the idea's title in the export."""
    from tests.ideas_exchange.factories import IdeaFactory

    me = people["member"]
    idea = IdeaFactory(author=people["registered"], title="Испытания композитов")
    PostFactory(initiative=gorki, author=me, kind="proposal", idea=idea)
    PostFactory(initiative=gorki, author=me)
    client.force_login(me)
    posts = json.loads(client.get("/cabinet/data.json").content)["posts"]
    assert sorted(post["idea"] or "" for post in posts) == ["", "Испытания композитов"]
