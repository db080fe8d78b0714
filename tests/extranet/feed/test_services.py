"""extranet.feed.services: each change checks its rule and its input, and does all of its work
or none of it; files go to private storage and are removed only after the database agrees."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import override_settings

from core.text import clean_text
from core.uploads import upload_check
from extranet.feed import samples, services
from extranet.feed.models import COMMENT_MAX_LENGTH, POST_MAX_LENGTH, Attachment, Comment, Post
from extranet.feed.services import FeedError
from tests.extranet.feed.files import upload
from tests.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db


def checked(name: str = "Отчёт.pdf", lines=("Итоги",)):
    return upload_check(upload(samples.pdf_bytes(list(lines), title=name), name))


def storage():
    return Attachment._meta.get_field("file").storage


def create(initiative, author, text="Новость кластера", kind="news", uploads=()):
    return services.post_create(
        initiative=initiative, author=author, kind=kind, text=text, uploads=list(uploads)
    )


class Boom(Exception):
    pass


# --- post_create ----------------------------------------------------------------------------------


def test_post_with_several_files_is_stored_in_private_storage(gorki, people):
    """Every file lands under PRIVATE_MEDIA_ROOT/feed/<initiative>/<hex>/, none under the public
    MEDIA_ROOT; the rows keep the uploaded name, type and size."""
    names = ["Отчёт.pdf", "Смета.pdf", "План.xlsx"]
    data = [
        samples.pdf_bytes(["Отчёт"]),
        samples.pdf_bytes(["Смета", "1", "2"]),
        samples.xlsx_bytes([["Дата", "Событие"]]),
    ]
    uploads = [upload_check(upload(d, n)) for d, n in zip(data, names, strict=True)]
    post = create(gorki, people["member"], uploads=uploads)
    attachments = list(post.attachments.order_by("id"))
    assert [a.name for a in attachments] == names
    private_root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    media_root = Path(settings.MEDIA_ROOT).resolve()
    for attachment, source, content in zip(attachments, uploads, data, strict=True):
        path = Path(attachment.file.path).resolve()
        assert path.is_relative_to(private_root / "feed" / str(gorki.pk))
        assert not path.is_relative_to(media_root)
        assert path.read_bytes() == content
        assert attachment.size == path.stat().st_size == source.size
        assert attachment.content_type == source.content_type


def test_post_with_only_files_needs_no_text(gorki, people):
    post = create(gorki, people["member"], text="  ", kind="document", uploads=[checked()])
    assert post.text == "" and post.attachments.count() == 1


def test_second_file_failing_leaves_nothing(gorki, people, monkeypatch):
    """If storing the second file fails, no Post or Attachment row remains and the first
    file is deleted again."""
    private = storage()
    saved: list[str] = []
    original = private._save

    def failing_save(name, content):
        if saved:
            raise OSError("disk full")
        saved.append(original(name, content))
        return saved[-1]

    monkeypatch.setattr(private, "_save", failing_save)
    with pytest.raises(OSError, match="disk full"):
        create(gorki, people["member"], uploads=[checked("Первый.pdf"), checked("Второй.pdf")])
    assert len(saved) == 1
    assert not private.exists(saved[0])
    assert not Post.objects.exists()
    assert not Attachment.objects.exists()


def test_row_failing_after_the_file_removes_the_file(gorki, people, monkeypatch):
    """The file is stored and then its row cannot be saved: the file goes too."""
    saved: list[str] = []
    original = storage()._save
    monkeypatch.setattr(storage(), "_save", lambda n, c: saved.append(original(n, c)) or saved[-1])

    def broken_save(self, *args, **kwargs):
        raise Boom

    monkeypatch.setattr(Attachment, "save", broken_save)
    with pytest.raises(Boom):
        create(gorki, people["member"], uploads=[checked()])
    assert saved and not storage().exists(saved[0])
    assert not Post.objects.exists()


@override_settings(FEED_MAX_ATTACHMENTS=2)
def test_too_many_files_are_refused_before_anything_is_stored(gorki, people, monkeypatch):
    calls = []
    monkeypatch.setattr(storage(), "_save", lambda *a: calls.append(a))
    with pytest.raises(FeedError) as info:
        create(gorki, people["member"], uploads=[checked(), checked(), checked()])
    assert info.value.code == "too_many_files"
    assert info.value.params == {"limit": 2}
    assert not calls and not Post.objects.exists()


def test_default_attachment_limit_is_ten():
    assert settings.FEED_MAX_ATTACHMENTS == 10


# --- Text -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Строка 1\r\nСтрока 2\rСтрока 3\n", "Строка 1\nСтрока 2\nСтрока 3"),
        ("NUL\x00 и звонок\x07", "NUL и звонок"),
        ("Escape: \x1b[31mкрасный\x1b[0m", "Escape: [31mкрасный[0m"),
        ("C1: \x9b31mCSI\x85NEL\x80", "C1: 31mCSINEL"),
        ("Счёт\u202eexe.pdf\u202c и \u2066изоляция\u2069", "Счётexe.pdf и изоляция"),
        ("\u202a\u202b\u202d встраивания", "встраивания"),
        ("\tотступ\tтабуляцией", "отступ\tтабуляцией"),
        ("  \n\n  пробелы вокруг \n\n ", "пробелы вокруг"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    ],
)
def test_clean_text(raw, clean):
    """Line breaks normalised to \\n, control characters (C0 and C1, bar tab and newline) and
    bidi embeddings/overrides/isolates dropped, blank space around trimmed; markup is kept
    as text (templates escape it)."""
    assert clean_text(raw) == clean


def test_post_text_is_stored_clean(gorki, people):
    post = create(gorki, people["member"], text="Анонс\r\n\x00семинара\u202e\x9b")
    post.refresh_from_db()
    assert post.text == "Анонс\nсеминара"


@pytest.mark.parametrize("text", ["", "   ", "\r\n\t", "\x00\u202e"])
def test_empty_post_is_refused(gorki, people, text):
    with pytest.raises(FeedError) as info:
        create(gorki, people["member"], text=text)
    assert info.value.code == "empty"
    assert not Post.objects.exists()


def test_100kb_post_is_refused(gorki, people):
    with pytest.raises(FeedError) as info:
        create(gorki, people["member"], text="я" * 100_000)
    assert info.value.code == "too_long"
    assert info.value.params == {"length": 100_000, "limit": POST_MAX_LENGTH}
    assert not Post.objects.exists()


def test_longest_post_is_accepted(gorki, people):
    assert len(create(gorki, people["member"], text="я" * POST_MAX_LENGTH).text) == POST_MAX_LENGTH


@pytest.mark.parametrize("kind", ["", "spam", None, "NEWS", "news "])
def test_unknown_kind_is_refused(gorki, people, kind):
    with pytest.raises(FeedError) as info:
        create(gorki, people["member"], kind=kind)
    assert info.value.code == "kind"


@pytest.mark.parametrize("kind", [k for k, _label in Post.Kind.choices])
def test_every_kind_is_accepted(gorki, people, kind):
    assert create(gorki, people["member"], kind=kind).kind == kind


def test_comment_text_is_checked(gorki, people):
    post = PostFactory(initiative=gorki, author=people["member"])
    with pytest.raises(FeedError) as info:
        services.comment_create(post=post, author=people["member"], text=" \r\n ")
    assert info.value.code == "empty"
    with pytest.raises(FeedError) as info:
        services.comment_create(
            post=post, author=people["member"], text="x" * (COMMENT_MAX_LENGTH + 1)
        )
    assert info.value.code == "too_long"
    comment = services.comment_create(post=post, author=people["member"], text="Да\r\nсогласен")
    assert comment.text == "Да\nсогласен"
    updated = services.comment_update(comment=comment, by=people["member"], text="\x00Нет\u202e")
    assert updated.text == "Нет" and updated.edited_at is not None


# --- Permissions ----------------------------------------------------------------------------------

OUTSIDERS = ["guest", "registered", "editor", "pending", "other_member"]


@pytest.mark.parametrize("role", OUTSIDERS)
def test_outsiders_cannot_post_or_comment(gorki, people, role):
    """Only members of the initiative (and the portal admin) post and comment."""
    user = people[role] or AnonymousUser()
    with pytest.raises(PermissionDenied):
        create(gorki, user)
    post = PostFactory(initiative=gorki, author=people["member"])
    with pytest.raises(PermissionDenied):
        services.comment_create(post=post, author=user, text="Привет")
    assert Post.objects.count() == 1 and not Comment.objects.exists()


def test_feed_switched_off_refuses_posting(gorki, people):
    gorki.feed_enabled = False
    for role in ("member", "initiative_admin", "portal_admin"):
        with pytest.raises(PermissionDenied):
            create(gorki, people[role])


@pytest.mark.parametrize("role", ["member", "initiative_admin", "portal_admin"])
def test_members_admins_and_portal_admin_post(gorki, people, role):
    assert create(gorki, people[role]).author == people[role]


def test_editing_someone_elses_post_is_refused(gorki, people):
    """Only the author edits a post: not another member, not the initiative admin, not the
    portal admin (they may delete it)."""
    post = create(gorki, people["member"], text="Оригинал")
    for role in ("initiative_admin", "portal_admin", "other_member", "pending"):
        with pytest.raises(PermissionDenied):
            services.post_update(post=post, by=people[role], kind="news", text="Подмена")
    post.refresh_from_db()
    assert post.text == "Оригинал" and post.edited_at is None


def test_editing_someone_elses_comment_is_refused(gorki, people):
    comment = CommentFactory(post__initiative=gorki, author=people["member"])
    with pytest.raises(PermissionDenied):
        services.comment_update(comment=comment, by=people["initiative_admin"], text="x")


def test_pinning_is_for_moderators(gorki, people):
    """A plain member (the author included) may not pin; the initiative admin and the portal
    admin may."""
    post = create(gorki, people["member"])
    with pytest.raises(PermissionDenied):
        services.post_pin(post=post, by=people["member"])
    with pytest.raises(PermissionDenied):
        services.post_pin(post=post, by=people["other_member"])
    post.refresh_from_db()
    assert not post.pinned
    pinned = services.post_pin(post=post, by=people["initiative_admin"])
    assert pinned.pinned and pinned.pinned_at is not None
    unpinned = services.post_pin(post=post, by=people["portal_admin"], pinned=False)
    assert not unpinned.pinned and unpinned.pinned_at is None


def test_deleting(gorki, people):
    """The author, the initiative admin and the portal admin delete a post; another member
    does not."""
    for role in ("member", "initiative_admin", "portal_admin"):
        post = create(gorki, people["member"])
        with pytest.raises(PermissionDenied):
            services.post_delete(post=post, by=people["other_member"])
        services.post_delete(post=post, by=people[role])
        assert not Post.objects.filter(pk=post.pk).exists()


def test_deleting_comments(gorki, people):
    post = create(gorki, people["member"])
    comment = services.comment_create(post=post, author=people["member"], text="Мой")
    other = services.comment_create(post=post, author=people["initiative_admin"], text="Админ")
    with pytest.raises(PermissionDenied):
        services.comment_delete(comment=other, by=people["member"])
    services.comment_delete(comment=comment, by=people["member"])
    services.comment_delete(comment=other, by=people["portal_admin"])
    assert not Comment.objects.exists()


# --- post_delete and post_update: files -----------------------------------------------------------


def test_post_delete_removes_files_after_commit(gorki, people, django_capture_on_commit_callbacks):
    """The files stay until the deletion is committed, then go."""
    post = create(gorki, people["member"], uploads=[checked("a.pdf"), checked("b.pdf")])
    names = [a.file.name for a in post.attachments.all()]
    with django_capture_on_commit_callbacks() as callbacks:
        services.post_delete(post=post, by=people["member"])
    assert not Attachment.objects.exists()
    assert all(storage().exists(name) for name in names), "removed before the commit"
    for callback in callbacks:
        callback()
    assert not any(storage().exists(name) for name in names)


def test_post_delete_rolled_back_keeps_the_files(gorki, people, django_capture_on_commit_callbacks):
    post = create(gorki, people["member"], uploads=[checked()])
    post_id, name = post.pk, post.attachments.get().file.name
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        services.post_delete(post=post, by=people["member"])
        raise Boom
    assert storage().exists(name)
    assert Attachment.objects.filter(post_id=post_id).exists()


def test_post_delete_removes_comments(gorki, people, django_capture_on_commit_callbacks):
    post = create(gorki, people["member"], uploads=[checked()])
    CommentFactory(post=post, author=people["initiative_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        services.post_delete(post=post, by=people["initiative_admin"])
    assert not Comment.objects.exists() and not Attachment.objects.exists()


def test_post_update_removes_chosen_files_after_commit(
    gorki, people, django_capture_on_commit_callbacks
):
    """Files chosen for removal lose their rows at once and their bytes after the commit;
    the others stay; new ones are added; ids of another post's files are ignored."""
    post = create(gorki, people["member"], uploads=[checked("a.pdf"), checked("b.pdf")])
    keep, drop = post.attachments.order_by("id")
    foreign = create(gorki, people["member"], uploads=[checked("c.pdf")]).attachments.get()
    with django_capture_on_commit_callbacks() as callbacks:
        updated = services.post_update(
            post=post,
            by=people["member"],
            kind="document",
            text="Обновлено\r\n",
            uploads=[checked("new.pdf")],
            remove_attachment_ids=[drop.pk, foreign.pk],
        )
    assert storage().exists(drop.file.name), "removed before the commit"
    for callback in callbacks:
        callback()
    assert not storage().exists(drop.file.name)
    assert storage().exists(keep.file.name) and storage().exists(foreign.file.name)
    assert sorted(updated.attachments.values_list("name", flat=True)) == ["a.pdf", "new.pdf"]
    assert updated.text == "Обновлено" and updated.kind == "document"
    assert updated.edited_at is not None
    assert Attachment.objects.filter(pk=foreign.pk).exists()


@override_settings(FEED_MAX_ATTACHMENTS=3)
def test_post_update_refuses_more_than_the_limit(gorki, people, monkeypatch):
    """Two files kept plus two new is more than three: refused, nothing changes, nothing is
    stored; dropping one of the old makes room."""
    post = create(gorki, people["member"], text="Текст", uploads=[checked(), checked()])
    before = list(post.attachments.values_list("file", flat=True))
    with pytest.raises(FeedError) as info:
        services.post_update(
            post=post,
            by=people["member"],
            kind="news",
            text="Новое",
            uploads=[checked(), checked()],
        )
    assert info.value.code == "too_many_files"
    post.refresh_from_db()
    assert post.text == "Текст" and post.edited_at is None
    assert list(post.attachments.values_list("file", flat=True)) == before
    services.post_update(
        post=post,
        by=people["member"],
        kind="news",
        text="Новое",
        uploads=[checked(), checked()],
        remove_attachment_ids=[post.attachments.first().pk],
    )
    assert post.attachments.count() == 3


def test_post_update_failing_keeps_the_old_files(
    gorki, people, monkeypatch, django_capture_on_commit_callbacks
):
    """A new file failing to store undoes the whole edit: the file chosen for removal and its
    row stay, the new file that was stored is deleted."""
    post = create(gorki, people["member"], uploads=[checked("old.pdf")])
    old = post.attachments.get()
    saved: list[str] = []
    original = storage()._save

    def failing_save(name, content):
        if saved:
            raise OSError("disk full")
        saved.append(original(name, content))
        return saved[-1]

    monkeypatch.setattr(storage(), "_save", failing_save)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(OSError):
        services.post_update(
            post=post,
            by=people["member"],
            kind="news",
            text="x",
            uploads=[checked("n1.pdf"), checked("n2.pdf")],
            remove_attachment_ids=[old.pk],
        )
    assert not storage().exists(saved[0])
    assert storage().exists(old.file.name)
    assert list(post.attachments.all()) == [old]


def test_post_update_removing_every_file_needs_text(gorki, people):
    post = create(gorki, people["member"], text="", uploads=[checked()])
    with pytest.raises(FeedError) as info:
        services.post_update(
            post=post,
            by=people["member"],
            kind="news",
            text="",
            remove_attachment_ids=[post.attachments.get().pk],
        )
    assert info.value.code == "empty"
    assert post.attachments.count() == 1
