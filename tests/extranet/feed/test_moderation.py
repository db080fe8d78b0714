"""Editing, deleting and pinning posts, editing and deleting comments: the author edits and
deletes their own, the initiative admins and the portal admin pin and delete anyone's, and
everyone else is refused with nothing changed — for every role, and for forged ids."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from extranet.feed.models import Attachment, Comment, Post
from tests.conftest import EXTRANET_ROLES
from tests.factories import (
    MINIMAL_PDF,
    AttachmentFactory,
    CommentFactory,
    MembershipFactory,
    PostFactory,
)

pytestmark = pytest.mark.django_db

MODERATORS = {"initiative_admin", "portal_admin"}
OUTSIDERS = {"registered", "editor", "pending", "other_member"}


def url(suffix=""):
    return f"/en/cabinet/groups/gorki/{suffix}"


@pytest.fixture
def post(gorki, people):
    """A post by the member «member» of «gorki»."""
    return PostFactory(initiative=gorki, author=people["member"], text="Исходный текст")


@pytest.fixture
def comment(post, people):
    return CommentFactory(post=post, author=people["member"], text="Исходный комментарий")


def _role(request):
    return request.node.callspec.params["extranet_client"]


def _refused(response, role):
    if role == "guest":
        return response.status_code == 302 and "/accounts/login/" in response["Location"]
    return response.status_code == 403


# --- Role matrices -----------------------------------------------------------------------------


@pytest.mark.parametrize("extranet_client", EXTRANET_ROLES, indirect=True)
def test_post_edit_by_role(extranet_client, request, post):
    """Only the author edits a post: the initiative admin and the portal admin (moderators)
    are refused too, and the text stays as it was."""
    role = _role(request)
    get = extranet_client.get(url(f"posts/{post.pk}/edit/"))
    response = extranet_client.post(
        url(f"posts/{post.pk}/edit/"), {"text": "Новый текст", "kind": "proposal"}
    )
    post.refresh_from_db()
    if role == "member":
        assert get.status_code == 200 and "Исходный текст</textarea>" in get.content.decode()
        assert response.status_code == 302
        assert (post.text, post.kind) == ("Новый текст", "proposal")
        assert post.edited_at is not None
    else:
        assert _refused(get, role) and _refused(response, role)
        assert (post.text, post.kind, post.edited_at) == ("Исходный текст", "news", None)


@pytest.mark.parametrize("extranet_client", EXTRANET_ROLES, indirect=True)
def test_post_delete_by_role(extranet_client, request, post):
    """The author, the initiative admin and the portal admin see the confirmation and delete;
    everyone else is refused and the post stays."""
    role = _role(request)
    get = extranet_client.get(url(f"posts/{post.pk}/delete/"))
    response = extranet_client.post(url(f"posts/{post.pk}/delete/"))
    if role == "member" or role in MODERATORS:
        assert get.status_code == 200
        assert "Delete the message?" in get.content.decode()
        assert "Исходный текст" in get.content.decode()
        assert response.status_code == 302 and response["Location"] == url()
        assert not Post.objects.exists()
    else:
        assert _refused(get, role) and _refused(response, role)
        assert Post.objects.filter(pk=post.pk).exists()


@pytest.mark.parametrize("extranet_client", EXTRANET_ROLES, indirect=True)
def test_post_pin_by_role(extranet_client, request, post):
    """Only the initiative admin and the portal admin pin; the author and the rest are refused
    and the post stays unpinned."""
    role = _role(request)
    response = extranet_client.post(url(f"posts/{post.pk}/pin/"), {"pinned": "1"})
    post.refresh_from_db()
    if role in MODERATORS:
        assert response.status_code == 302
        assert post.pinned and post.pinned_at is not None
    else:
        assert _refused(response, role)
        assert not post.pinned


@pytest.mark.parametrize("extranet_client", EXTRANET_ROLES, indirect=True)
def test_comment_edit_by_role(extranet_client, request, comment):
    """Only the comment's author edits it; moderators and the rest are refused."""
    role = _role(request)
    get = extranet_client.get(url(f"comments/{comment.pk}/edit/"))
    response = extranet_client.post(url(f"comments/{comment.pk}/edit/"), {"text": "Исправлено"})
    comment.refresh_from_db()
    if role == "member":
        assert get.status_code == 200
        assert response.status_code == 302
        assert comment.text == "Исправлено" and comment.edited_at is not None
    else:
        assert _refused(get, role) and _refused(response, role)
        assert comment.text == "Исходный комментарий"


@pytest.mark.parametrize("extranet_client", EXTRANET_ROLES, indirect=True)
def test_comment_delete_by_role(extranet_client, request, comment):
    """The comment's author and the moderators delete it; the rest are refused."""
    role = _role(request)
    get = extranet_client.get(url(f"comments/{comment.pk}/delete/"))
    response = extranet_client.post(url(f"comments/{comment.pk}/delete/"))
    if role == "member" or role in MODERATORS:
        assert get.status_code == 200 and "Delete the comment?" in get.content.decode()
        assert response.status_code == 302
        assert not Comment.objects.exists()
    else:
        assert _refused(get, role) and _refused(response, role)
        assert Comment.objects.filter(pk=comment.pk).exists()


# --- Another member of the same group -----------------------------------------------------------


def test_fellow_member_cannot_touch_someone_elses_post(client, gorki, post, comment):
    """A member of «gorki» who is not the author may read but gets 403 for edit, delete, pin
    and for the comment's edit and delete; nothing changes and no action is offered."""
    fellow = MembershipFactory(initiative=gorki).user
    client.force_login(fellow)
    for method, suffix, data in [
        ("get", f"posts/{post.pk}/edit/", None),
        ("post", f"posts/{post.pk}/edit/", {"text": "Взлом", "kind": "news"}),
        ("get", f"posts/{post.pk}/delete/", None),
        ("post", f"posts/{post.pk}/delete/", {}),
        ("post", f"posts/{post.pk}/pin/", {"pinned": "1"}),
        ("get", f"comments/{comment.pk}/edit/", None),
        ("post", f"comments/{comment.pk}/edit/", {"text": "Взлом"}),
        ("post", f"comments/{comment.pk}/delete/", {}),
    ]:
        response = getattr(client, method)(url(suffix), data)
        assert response.status_code == 403, (method, suffix)
    post.refresh_from_db()
    comment.refresh_from_db()
    assert (post.text, post.pinned) == ("Исходный текст", False)
    assert comment.text == "Исходный комментарий"
    html = client.get(url()).content.decode()
    assert f"posts/{post.pk}/edit/" not in html
    assert f"posts/{post.pk}/delete/" not in html
    assert f"posts/{post.pk}/pin/" not in html
    assert f"comments/{comment.pk}/delete/" not in html


def test_actions_shown_to_author_and_moderators(client, people, post, comment):
    """The author sees Edit and Delete but not Pin; the initiative admin sees Pin and Delete
    but not Edit."""
    client.force_login(people["member"])
    html = client.get(url()).content.decode()
    assert f"posts/{post.pk}/edit/" in html and f"posts/{post.pk}/delete/" in html
    assert f"posts/{post.pk}/pin/" not in html
    assert f"comments/{comment.pk}/edit/" in html
    client.force_login(people["initiative_admin"])
    html = client.get(url()).content.decode()
    assert f"posts/{post.pk}/edit/" not in html and f"comments/{comment.pk}/edit/" not in html
    assert f"posts/{post.pk}/pin/" in html and f"posts/{post.pk}/delete/" in html
    assert f"comments/{comment.pk}/delete/" in html


# --- Forged ids ----------------------------------------------------------------------------------


def test_another_initiatives_post_and_comment_are_404(client, people, polotsk):
    """A post or comment of «polotsk», addressed through «gorki»'s URLs, is not found — even
    for the portal admin, who may read both groups — and stays untouched."""
    foreign = PostFactory(initiative=polotsk, text="Полоцк")
    foreign_comment = CommentFactory(post=foreign)
    client.force_login(people["portal_admin"])
    for method, suffix in [
        ("get", f"posts/{foreign.pk}/"),
        ("get", f"posts/{foreign.pk}/edit/"),
        ("get", f"posts/{foreign.pk}/delete/"),
        ("post", f"posts/{foreign.pk}/delete/"),
        ("post", f"posts/{foreign.pk}/pin/"),
        ("post", f"posts/{foreign.pk}/comments/"),
        ("get", f"comments/{foreign_comment.pk}/edit/"),
        ("get", f"comments/{foreign_comment.pk}/delete/"),
        ("post", f"comments/{foreign_comment.pk}/delete/"),
        ("get", "posts/999999/"),
        ("get", "comments/999999/edit/"),
    ]:
        response = getattr(client, method)(url(suffix), {"pinned": "1", "text": "x"})
        assert response.status_code == 404, (method, suffix)
    foreign.refresh_from_db()
    assert not foreign.pinned
    assert Comment.objects.filter(pk=foreign_comment.pk).exists()


# --- Editing in detail ------------------------------------------------------------------------


def test_author_edits_text_removes_and_adds_files(client, people, post):
    """The author's edit form changes the text, removes the chosen attachment and adds a new
    file; the feed shows «edited»."""
    keep = AttachmentFactory(post=post, name="Оставить.pdf")
    drop = AttachmentFactory(post=post, name="Удалить.pdf")
    client.force_login(people["member"])
    html = client.get(url(f"posts/{post.pk}/edit/")).content.decode()
    assert "Удалить.pdf" in html and 'name="remove_attachments"' in html
    response = client.post(
        url(f"posts/{post.pk}/edit/"),
        {
            "text": "Текст после правки",
            "kind": "announcement",
            "remove_attachments": [str(drop.pk)],
            "files": [SimpleUploadedFile("Новый.pdf", MINIMAL_PDF)],
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url(f"posts/{post.pk}/")
    post.refresh_from_db()
    assert post.text == "Текст после правки" and post.kind == "announcement"
    assert sorted(post.attachments.values_list("name", flat=True)) == ["Новый.pdf", "Оставить.pdf"]
    assert not Attachment.objects.filter(pk=drop.pk).exists()
    assert Attachment.objects.filter(pk=keep.pk).exists()
    html = client.get(url()).content.decode()
    assert "Текст после правки" in html and ">edited</span>" in html


def test_edit_cannot_remove_another_posts_attachment(client, people, gorki, post):
    """An attachment id of another post in «remove» is refused as an invalid choice when the
    post has files, and ignored when it has none; the other post's file stays either way."""
    other = AttachmentFactory(post=PostFactory(initiative=gorki), name="Чужой.pdf")
    client.force_login(people["member"])
    data = {"text": "x", "kind": "news", "remove_attachments": [str(other.pk)]}
    response = client.post(url(f"posts/{post.pk}/edit/"), data)
    assert response.status_code == 302  # no files of its own: nothing to choose from
    assert Attachment.objects.filter(pk=other.pk).exists()
    own = AttachmentFactory(post=post, name="Свой.pdf")
    response = client.post(url(f"posts/{post.pk}/edit/"), {**data, "text": "y"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Attachment.objects.filter(pk__in=[other.pk, own.pk]).count() == 2
    post.refresh_from_db()
    assert post.text == "x"


def test_edit_to_nothing_is_refused(client, people, post):
    """Removing the last file and the text together leaves an empty post: refused with the
    clear message, nothing changed."""
    only = AttachmentFactory(post=post)
    client.force_login(people["member"])
    response = client.post(
        url(f"posts/{post.pk}/edit/"),
        {"text": "", "kind": "news", "remove_attachments": [str(only.pk)]},
    )
    assert response.status_code == 200
    assert "the message is empty" in response.content.decode()
    assert Attachment.objects.filter(pk=only.pk).exists()
    post.refresh_from_db()
    assert post.text == "Исходный текст"


# --- Pinning in detail ------------------------------------------------------------------------


def test_pin_puts_the_post_first_and_unpin_puts_it_back(client, gorki, people, post):
    """A pinned older post comes first with «Pinned»; unpinning puts it back in date order."""
    PostFactory(initiative=gorki, text="Более новый пост")
    client.force_login(people["initiative_admin"])
    html = client.get(url()).content.decode()
    assert html.index("Более новый пост") < html.index("Исходный текст")
    response = client.post(url(f"posts/{post.pk}/pin/"), {"pinned": "1", "next": url()})
    assert response["Location"] == url()
    html = client.get(url()).content.decode()
    assert html.index("Исходный текст") < html.index("Более новый пост")
    assert "Pinned" in html and "The message is pinned." in html
    client.post(url(f"posts/{post.pk}/pin/"), {"pinned": "0"})
    post.refresh_from_db()
    assert not post.pinned
    html = client.get(url()).content.decode()
    assert html.index("Более новый пост") < html.index("Исходный текст")


def test_pin_needs_post_and_a_valid_value(client, people, post):
    """GET on pin is 405; a value other than 1/0 changes nothing and says so."""
    client.force_login(people["portal_admin"])
    assert client.get(url(f"posts/{post.pk}/pin/")).status_code == 405
    response = client.post(url(f"posts/{post.pk}/pin/"), {"pinned": "yes"}, follow=True)
    assert response.status_code == 200
    assert "Choose whether to pin or unpin" in response.content.decode()
    post.refresh_from_db()
    assert not post.pinned


def test_deleting_a_post_removes_its_files(
    client, people, post, django_capture_on_commit_callbacks
):
    """Deleting a post deletes its attachments' files from private storage too."""
    attachment = AttachmentFactory(post=post)
    storage, name = attachment.file.storage, attachment.file.name
    assert storage.exists(name)
    client.force_login(people["initiative_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(f"posts/{post.pk}/delete/"))
    assert not Post.objects.exists() and not Attachment.objects.exists()
    assert not storage.exists(name)
