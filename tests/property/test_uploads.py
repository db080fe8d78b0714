"""Uploads fed hostile files (issue 16, part 3): arbitrary bytes under arbitrary names,
extensions and content types, empty files, names with path separators, «..» and control
characters, huge names.

Properties: ``upload_check`` either refuses with a sentence people understand
(ValidationError) or accepts with a stored name that cannot leave its random folder; the
views that take files (feed posts, chat messages, profile photos, ideas' attachments) never
answer 5xx; a refused upload leaves no row and no file in the private media folder, and an
accepted one leaves no file that no row points to.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from core.uploads import allowed_extensions, upload_check
from tests.extranet.feed.files import NamedBytes, real_file
from tests.property.conftest import changes, private_files, snapshot

EXTENSIONS = ["pdf", "docx", "xlsx", "txt", "csv", "png", "jpg", "zip", "exe", "svg", "html"]
SAFE_STORED = re.compile(r"^[0-9a-f]{32}/[a-z0-9_-]+\.[a-z0-9]+$")

name_part = st.text(st.characters(codec=None), max_size=30)
file_names = st.one_of(
    st.builds(
        lambda prefix, stem, ext: f"{prefix}{stem}.{ext}",
        st.sampled_from(["", "../", "..\\..\\", "/etc/", "C:\\Windows\\", "./.", "\u202e", " "]),
        name_part,
        st.sampled_from([*EXTENSIONS, "PDF", "tar.gz", "pdf.exe", "", "txt\x00.exe"]),
    ),
    name_part,
    st.just("я" * 5000 + ".pdf"),
    st.just(".."),
    st.just("."),
    st.just(""),
)


@functools.cache
def _real(extension: str) -> bytes:
    return real_file(extension)


@st.composite
def contents(draw):
    """Random bytes, nothing, or a real file of an accepted type, maybe with bytes after."""
    kind = draw(st.sampled_from(["random", "empty", "real", "real+junk", "program"]))
    if kind == "empty":
        return b""
    if kind == "random":
        return draw(st.binary(min_size=1, max_size=2048))
    if kind == "program":
        return b"MZ" + draw(st.binary(max_size=200))
    data = _real(draw(st.sampled_from(["pdf", "docx", "txt", "png", "jpg", "zip", "csv"])))
    if kind == "real+junk":
        data += draw(st.binary(min_size=1, max_size=200))
    return data


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


@given(name=file_names, data=contents())
def test_upload_check_refuses_clearly_or_stores_safely(name, data):
    """Any bytes under any name (path parts, «..», control and bidi characters, lone
    surrogates, 5,000 characters): a ValidationError with a message, or an accepted file
    whose stored name is ``<hex>/<ascii>.<ext>`` of an allowed type and whose shown name has
    no path and no control character."""
    try:
        checked = upload_check(NamedBytes(data, name))
    except ValidationError as error:
        assert _message(error).strip()
        return
    assert SAFE_STORED.match(checked.storage_name), checked.storage_name
    assert checked.extension in allowed_extensions()
    assert checked.storage_name.endswith("." + checked.extension)
    assert "/" not in checked.name and "\\" not in checked.name
    assert checked.name not in ("", ".", "..")
    assert not any(ord(ch) < 32 or 0xD800 <= ord(ch) <= 0xDFFF for ch in checked.name)
    assert len(checked.name) <= 200
    assert checked.size == len(data) > 0
    stored = Path(django_settings.PRIVATE_MEDIA_ROOT, checked.storage_name).resolve()
    assert stored.is_relative_to(Path(django_settings.PRIVATE_MEDIA_ROOT).resolve())


# --- Through the views -------------------------------------------------------------------------

# Lone surrogates cannot go into a multipart header from the test client; everything else can.
multipart_names = file_names.map(
    lambda n: "".join(ch for ch in n if not 0xD800 <= ord(ch) <= 0xDFFF)
)
content_types = st.sampled_from(
    ["application/pdf", "image/png", "text/html", "application/x-msdownload", "", "x/\u044f"]
)


def _upload(name: str, data: bytes, content_type: str) -> NamedBytes:
    # Not SimpleUploadedFile: it refuses names such as «..» before anything is sent, and
    # the server's multipart parser is what must cope with them.
    upload = NamedBytes(data, name)
    upload.content_type = content_type
    return upload


def referenced_files() -> set[str]:
    """Every private file some row points to."""
    from extranet.chat.models import MessageAttachment
    from extranet.feed.models import Attachment
    from extranet.members.models import Profile
    from ideas_exchange.models import IdeaAttachment

    names = set()
    for model, field in (
        (Attachment, "file"),
        (MessageAttachment, "file"),
        (IdeaAttachment, "file"),
        (Profile, "photo"),
    ):
        names.update(n for n in model.objects.values_list(field, flat=True) if n)
    return names


@pytest.fixture
def upload_targets(people, gorki):
    from extranet.chat import services as chat_services
    from tests.ideas_exchange.factories import ideas_page

    member, admin = people["member"], people["initiative_admin"]
    conversation = chat_services.conversations_ensure(user_id=member.pk, other_ids=[admin.pk])[
        admin.pk
    ]
    page = ideas_page()
    return {
        "feed post": (
            member,
            reverse("groups:post_create", args=["gorki"]),
            {"text": "С файлом", "kind": "news"},
            "files",
        ),
        "chat message": (
            member,
            reverse("chat:conversation", args=[conversation.pk]),
            {"text": "С файлом"},
            "files",
        ),
        "profile photo": (
            people["registered"],
            reverse("cabinet"),
            {"first_name": "Анна", "last_name": "Смирнова", "organisation": "ООО «Ромашка»"},
            "photo",
        ),
        "idea attachment": (
            member,
            page.url + page.reverse_subpage("new"),
            {
                "title": "Идея с файлом",
                "kind": "request",
                "summary": "Кратко",
                "text": "Подробно",
                "tags": "",
                "initiative": str(gorki.pk),
                "visibility": "public",
            },
            "attachments",
        ),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target", ["feed post", "chat message", "profile photo", "idea attachment"]
)
def test_hostile_uploads_through_the_views(target, upload_targets):
    """Hostile files posted to each form that takes files: never a 5xx; refused (the form
    again) leaves no row, no e-mail and no file; accepted (a redirect) leaves only files
    that a row points to, each inside the private folder."""
    user, url, fields, file_field = upload_targets[target]

    @settings(max_examples=max(5, settings.default.max_examples // 2))
    @given(
        files=st.lists(st.tuples(multipart_names, contents(), content_types), max_size=3),
    )
    def run(files):
        cache.clear()  # the chat's rate limit
        client = Client()
        client.force_login(user)
        uploads = [_upload(n, d, t) for n, d, t in files]
        before = snapshot()
        # Other tests of this process leave files whose rows their rollback removed: only
        # the files this request wrote count.
        files_before = private_files()
        response = client.post(url, {**fields, file_field: uploads})
        assert response.status_code < 500, files
        assert response.status_code in {200, 302, 400}, response.status_code
        after = snapshot()
        if response.status_code != 302:
            assert changes(before, after) == {}, files
        orphans = (private_files() - files_before) - referenced_files()
        assert not orphans, orphans

    run()
