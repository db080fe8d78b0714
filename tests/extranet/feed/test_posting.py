"""Posting and commenting through the pages: the composer (text, kind, one or more files),
what a refused post keeps, and the comment form — for every role."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from extranet.feed.models import Attachment, Comment, Post
from tests.conftest import EXTRANET_ROLES
from tests.factories import MINIMAL_PDF, CommentFactory, PostFactory

pytestmark = pytest.mark.django_db

WRITERS = {"member", "initiative_admin", "portal_admin"}


def url(suffix=""):
    return f"/en/cabinet/groups/gorki/{suffix}"


def pdf(name="Отчёт о семинаре.pdf", data=MINIMAL_PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def post(gorki, people):
    return PostFactory(initiative=gorki, author=people["member"], text="Пост для комментариев")


# --- Who may post and comment -----------------------------------------------------------------


@pytest.mark.parametrize("extranet_client", EXTRANET_ROLES, indirect=True)
def test_post_create_by_role(extranet_client, request, gorki):
    """Members, the initiative admin and the portal admin publish in «gorki»; a guest is sent
    to log in; everyone else gets 403 and nothing is saved."""
    role = request.node.callspec.params["extranet_client"]
    response = extranet_client.post(url("posts/new/"), {"text": "Анонс семинара", "kind": "news"})
    if role in WRITERS:
        assert response.status_code == 302
        post = Post.objects.get()
        assert post.text == "Анонс семинара" and post.initiative == gorki
        assert response["Location"] == url(f"#post-{post.pk}")
    else:
        assert response.status_code == (302 if role == "guest" else 403)
        if role == "guest":
            assert "/accounts/login/" in response["Location"]
        assert not Post.objects.exists()


@pytest.mark.parametrize("extranet_client", EXTRANET_ROLES, indirect=True)
def test_comment_create_by_role(extranet_client, request, post):
    """Members, admins and the portal admin comment on a post of «gorki»; the rest are refused
    (login for a guest, 403 otherwise) and no comment is saved."""
    role = request.node.callspec.params["extranet_client"]
    response = extranet_client.post(url(f"posts/{post.pk}/comments/"), {"text": "Согласен"})
    if role in WRITERS:
        assert response.status_code == 302
        comment = Comment.objects.get()
        assert comment.post == post and comment.text == "Согласен"
        assert response["Location"] == url(f"posts/{post.pk}/#comment-{comment.pk}")
    else:
        assert response.status_code == (302 if role == "guest" else 403)
        assert not Comment.objects.exists()


def test_get_is_not_allowed_on_comment_create(client, people, post):
    """Comments are created by POST only."""
    client.force_login(people["member"])
    assert client.get(url(f"posts/{post.pk}/comments/")).status_code == 405


# --- The composer -----------------------------------------------------------------------------


def test_post_text_only_shows_in_the_feed_with_a_message(client, people, gorki):
    """A text post is saved with its kind and author, the feed says it was published and
    shows it."""
    client.force_login(people["member"])
    response = client.post(
        url("posts/new/"), {"text": "Итоги семинара", "kind": "event_report"}, follow=True
    )
    post = Post.objects.get()
    assert (post.kind, post.author) == ("event_report", people["member"])
    html = response.content.decode()
    assert "Your message is published." in html
    assert "Итоги семинара" in html and "Event report" in html


def test_post_with_one_attachment(client, people, gorki):
    """A post with one PDF: stored with the name as uploaded, shown with its size and a
    /files/<id>/ link."""
    client.force_login(people["member"])
    response = client.post(
        url("posts/new/"), {"text": "Отчёт прилагаю", "kind": "document", "files": [pdf()]}
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.name == "Отчёт о семинаре.pdf"
    assert attachment.size == len(MINIMAL_PDF)
    assert attachment.post.text == "Отчёт прилагаю"
    html = client.get(url()).content.decode()
    assert f'href="/en/files/{attachment.pk}/"' in html
    assert ">Отчёт о семинаре.pdf</a>" in html
    assert f"{len(MINIMAL_PDF)}\xa0bytes" in html
    assert "file-icon--pdf" in html


def test_post_with_two_attachments_and_no_text(client, people, gorki):
    """Two files in one post (no text needed when there are files), both listed in order."""
    client.force_login(people["initiative_admin"])
    response = client.post(
        url("posts/new/"),
        {"text": "", "kind": "document", "files": [pdf("Первый.pdf"), pdf("Второй.pdf")]},
    )
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.text == ""
    assert [a.name for a in post.attachments.all()] == ["Первый.pdf", "Второй.pdf"]
    html = client.get(url()).content.decode()
    assert html.index(">Первый.pdf<") < html.index(">Второй.pdf<")


def test_composer_page_alone(client, people):
    """GET posts/new/ shows the composer alone (for links and without the feed)."""
    client.force_login(people["member"])
    response = client.get(url("posts/new/"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<form class="composer panel"' in html
    assert "New message" in html
    assert "data-feed-list" not in html


def test_refused_post_keeps_the_text_and_asks_for_the_files_again(client, people):
    """A refused post comes back with the error, the typed text and kind kept, and a note that
    the chosen files must be chosen again."""
    client.force_login(people["member"])
    response = client.post(
        url("posts/new/"),
        {
            "text": "Мой длинный текст",
            "kind": "proposal",
            "files": [pdf("virus.exe", b"MZ\x90\x00" + b"\x00" * 64)],
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "files of this type are not accepted" in html
    assert "Мой длинный текст</textarea>" in html
    assert '<option value="proposal" selected>' in html
    assert "please choose them again" in html
    assert not Post.objects.exists()


# --- Comments --------------------------------------------------------------------------------


def test_comment_from_the_feed_returns_to_the_post_in_the_feed(client, people, post):
    """The comment form under a post in the feed brings the commenter back to that post in
    the feed, where the comment shows last."""
    CommentFactory(post=post, text="Первый комментарий")
    client.force_login(people["initiative_admin"])
    response = client.post(
        url(f"posts/{post.pk}/comments/"),
        {"text": "Второй комментарий", "next": url(f"#post-{post.pk}")},
    )
    assert response["Location"] == url(f"#post-{post.pk}")
    html = client.get(url()).content.decode()
    assert html.index("Первый комментарий") < html.index("Второй комментарий")


def test_comment_next_must_be_a_local_path(client, people, post):
    """``next`` pointing to another site is ignored (no open redirect)."""
    client.force_login(people["member"])
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = client.post(url(f"posts/{post.pk}/comments/"), {"text": "x", "next": target})
        assert response["Location"].startswith(url(f"posts/{post.pk}/#comment-"))


def test_empty_comment_comes_back_with_an_error(client, people, post):
    """An empty comment is refused on the post's page with a clear error; nothing is saved."""
    client.force_login(people["member"])
    response = client.post(url(f"posts/{post.pk}/comments/"), {"text": "   "})
    html = response.content.decode()
    assert response.status_code == 200
    assert "the comment is empty" in html
    assert not Comment.objects.exists()


def test_too_long_comment_keeps_the_text(client, people, post):
    """A comment over the limit is refused and the text comes back in the form."""
    client.force_login(people["member"])
    response = client.post(url(f"posts/{post.pk}/comments/"), {"text": "ж" * 5000})
    html = response.content.decode()
    assert "at most 4000 characters" in html
    assert re.search(r"<textarea[^>]*>ж{5000}</textarea>", html)
    assert not Comment.objects.exists()


def test_comment_on_another_initiatives_post_is_404(client, people, polotsk):
    """A post of another initiative, addressed through this group's URL, is not found."""
    foreign = PostFactory(initiative=polotsk)
    client.force_login(people["member"])
    response = client.post(url(f"posts/{foreign.pk}/comments/"), {"text": "Чужой"})
    assert response.status_code == 404
    assert not Comment.objects.exists()
