"""A full disk under members' files (ENOSPC, EDQUOT): the upload is refused with a form error,
never a 500, and leaves no post, no attachment row and no partial file (core/storage.py,
``core.uploads.atomic_with_files``; scripts/faults/disk_full.py does it on a real tmpfs)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile

from core.storage import PrivateFileSystemStorage
from extranet.feed.models import Attachment, Post
from tests.factories import MINIMAL_PDF

URL = "/en/cabinet/groups/gorki/posts/new/"


def _files(root) -> list[str]:
    root = Path(root)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")) if root.exists() else []


def _full_after_some_bytes(code: int):
    """A FileSystemStorage._save that writes part of the file, then finds the disk full."""

    def _save(self, name, content):
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(b"%PDF-1.4 partial")
        raise OSError(code, os.strerror(code))

    return _save


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT])
def test_storage_removes_its_partial_file(tmp_path, monkeypatch, code):
    """The write fails half-way: the error goes on, the partial file and its folder do not
    stay."""
    monkeypatch.setattr(FileSystemStorage, "_save", _full_after_some_bytes(code))
    storage = PrivateFileSystemStorage(location=tmp_path, base_url=None)
    with pytest.raises(OSError) as raised:
        storage.save("f3a1/report.pdf", ContentFile(b"x" * 100))
    assert raised.value.errno == code
    assert _files(tmp_path) == []


def test_other_errors_leave_files_alone(tmp_path, monkeypatch):
    """Only "no room" is cleaned up: a permission error is a deployment bug, raised as is."""
    monkeypatch.setattr(FileSystemStorage, "_save", _full_after_some_bytes(errno.EACCES))
    storage = PrivateFileSystemStorage(location=tmp_path, base_url=None)
    with pytest.raises(PermissionError):
        storage.save("f3a1/report.pdf", ContentFile(b"x"))
    assert _files(tmp_path) == ["f3a1", "f3a1/report.pdf"]


@pytest.mark.django_db
def test_feed_upload_on_a_full_disk_is_a_form_error(client, people, gorki, monkeypatch):
    """Posting a document when the private storage has no room: the composer comes back
    (200) with the error on the files field; no post, no attachment, no file stored."""
    monkeypatch.setattr(FileSystemStorage, "_save", _full_after_some_bytes(errno.ENOSPC))
    client.force_login(people["member"])
    before = _files(settings.PRIVATE_MEDIA_ROOT)
    response = client.post(
        URL,
        {
            "text": "Отчёт",
            "kind": "document",
            "files": [SimpleUploadedFile("Отчёт.pdf", MINIMAL_PDF)],
        },
    )
    assert response.status_code == 200
    from core.uploads import STORAGE_FULL_MESSAGE

    assert str(STORAGE_FULL_MESSAGE) in response.context["form"].errors["files"]
    assert not Post.objects.exists()
    assert not Attachment.objects.exists()
    assert _files(settings.PRIVATE_MEDIA_ROOT) == before


class _CommitFails:
    """transaction.atomic() whose COMMIT raises after the work succeeded (the connection
    dropped: whether PostgreSQL committed is unknown)."""

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            from django.db import OperationalError

            raise OperationalError("server closed the connection unexpectedly")
        return False


def test_files_are_kept_when_the_commit_outcome_is_unknown(tmp_path, monkeypatch):
    """The work succeeded and COMMIT raised: the rows may be committed, so their files stay;
    a failure inside the work (certainly rolled back) still deletes them."""
    from django.db import OperationalError

    from core import uploads

    storage = PrivateFileSystemStorage(location=tmp_path, base_url=None)
    monkeypatch.setattr(uploads.transaction, "atomic", _CommitFails)

    def work(stored):
        stored.append((storage, storage.save("a1/kept.txt", ContentFile(b"x"))))

    with pytest.raises(OperationalError):
        uploads.atomic_with_files(work)
    assert _files(tmp_path) == ["a1", "a1/kept.txt"]

    def failing(stored):
        stored.append((storage, storage.save("b2/gone.txt", ContentFile(b"x"))))
        raise ValueError("bad")

    with pytest.raises(ValueError):
        uploads.atomic_with_files(failing)
    assert "b2/gone.txt" not in _files(tmp_path)
