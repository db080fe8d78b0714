"""Bad input on the feed's pages: each gives a clear error or safe, escaped rendering — never a
500 — and a refused post leaves nothing behind (no post, no file in private storage)."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import override_settings

from extranet.feed.models import Attachment, Post
from extranet.feed.templatetags.feed_tags import feed_text
from tests.factories import MINIMAL_PDF, CommentFactory, PostFactory

pytestmark = pytest.mark.django_db

URL = "/en/cabinet/groups/gorki/posts/new/"


def _stored_files() -> set[str]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    if not root.exists():
        return set()
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def member_client(client, people):
    client.force_login(people["member"])
    return client


def _refused(client, data, *, expect: str):
    """Post ``data``; assert a 200 page with ``expect`` in it and nothing saved or stored."""
    posts, files = Post.objects.count(), _stored_files()
    response = client.post(URL, data)
    html = response.content.decode()
    assert response.status_code == 200, response.status_code
    assert expect in html, html[html.find("alert") : html.find("alert") + 600]
    assert Post.objects.count() == posts
    assert not Attachment.objects.exists()
    assert _stored_files() == files
    return html


# --- Text ------------------------------------------------------------------------------------


def test_empty_post_is_refused(member_client, gorki):
    """No text and no file: «the message is empty»."""
    _refused(member_client, {"text": "", "kind": "news"}, expect="the message is empty")


def test_blank_post_is_refused(member_client, gorki):
    """Only spaces, newlines and invisible control characters: empty too (the service drops
    the control characters, the view shows its message on the text field)."""
    _refused(
        member_client,
        {"text": "  \n\t\u202e\u2066  ", "kind": "news"},
        expect="the message is empty",
    )


def test_nul_character_is_refused(member_client, gorki):
    """A NUL character in the text: a clear error, not a database failure."""
    _refused(
        member_client, {"text": "a\x00b", "kind": "news"}, expect="Null characters are not allowed"
    )


def test_100_kb_post_is_refused(member_client, gorki):
    """A 100 KB text: refused with the limit in the message, and the text kept for editing."""
    html = _refused(
        member_client, {"text": "щ" * 100_000, "kind": "news"}, expect="at most 10000 characters"
    )
    assert "щ" * 1000 in html


def test_unknown_kind_is_refused(member_client, gorki):
    """A kind that is not one of Post.Kind: «Select a valid choice»."""
    _refused(member_client, {"text": "Текст", "kind": "advert"}, expect="Select a valid choice")


def test_missing_fields_are_refused(member_client, gorki):
    """A POST with no fields at all: errors, not a 500."""
    _refused(member_client, {}, expect="This field is required")


def test_script_in_text_is_escaped(member_client, gorki):
    """`<script>` and other markup in a post and a comment are shown as text, never run."""
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)> & <b>жирный</b>'
    member_client.post(URL, {"text": payload, "kind": "news"})
    post = Post.objects.get()
    CommentFactory(post=post, text=payload)
    for url in ("/en/cabinet/groups/gorki/", f"/en/cabinet/groups/gorki/posts/{post.pk}/"):
        html = member_client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "<img src=x" not in html and "<b>жирный" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
        assert "&lt;b&gt;жирный&lt;/b&gt; " in html or "&lt;b&gt;жирный&lt;/b&gt;" in html


# --- Files -------------------------------------------------------------------------------------


def test_disallowed_type_is_refused(member_client, gorki):
    """An .exe: «files of this type are not accepted» with the accepted types."""
    _refused(
        member_client,
        {
            "text": "x",
            "kind": "news",
            "files": [SimpleUploadedFile("setup.exe", b"MZ" + b"\0" * 99)],
        },
        expect="files of this type are not accepted",
    )


def test_executable_renamed_pdf_is_refused(member_client, gorki):
    """A Windows program renamed «Отчёт.pdf»: recognised from its content and refused."""
    _refused(
        member_client,
        {
            "text": "x",
            "kind": "news",
            "files": [SimpleUploadedFile("Отчёт.pdf", b"MZ" + os.urandom(512))],
        },
        expect="is a program; programs cannot be uploaded",
    )


def test_fake_docx_is_refused(member_client, gorki):
    """A zip archive named .docx is not a Word document: refused by content."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "привет")
    _refused(
        member_client,
        {
            "text": "x",
            "kind": "news",
            "files": [SimpleUploadedFile("Отчёт.docx", buffer.getvalue())],
        },
        expect="is not a real .docx file",
    )


@override_settings(UPLOAD_MAX_SIZE=1024)
def test_file_over_the_limit_is_refused(member_client, gorki):
    """A file above UPLOAD_MAX_SIZE: «too large», with the limit; the help text shows it."""
    big = MINIMAL_PDF + b"%" + b"0" * 2048
    html = _refused(
        member_client,
        {"text": "x", "kind": "news", "files": [SimpleUploadedFile("Большой.pdf", big)]},
        expect="is too large",
    )
    assert "1.0\xa0KB" in html


def test_empty_file_is_refused(member_client, gorki):
    """A zero-byte file: a clear error."""
    _refused(
        member_client,
        {"text": "x", "kind": "news", "files": [SimpleUploadedFile("Пусто.pdf", b"")]},
        expect="is empty",
    )


def test_one_bad_file_refuses_the_whole_post(member_client, gorki):
    """A good PDF beside a bad file: the post is refused and the good file is not stored."""
    _refused(
        member_client,
        {
            "text": "x",
            "kind": "news",
            "files": [
                SimpleUploadedFile("Хороший.pdf", MINIMAL_PDF),
                SimpleUploadedFile("Плохой.pdf", b"MZ" + b"\0" * 100),
            ],
        },
        expect="Плохой.pdf",
    )


@override_settings(FEED_MAX_ATTACHMENTS=2)
def test_too_many_files_are_refused(member_client, gorki):
    """More files than FEED_MAX_ATTACHMENTS: «Too many files»."""
    files = [SimpleUploadedFile(f"Файл {i}.pdf", MINIMAL_PDF) for i in range(3)]
    _refused(member_client, {"text": "x", "kind": "news", "files": files}, expect="Too many files")


def test_path_traversal_name_is_stored_inside_private_storage(member_client, gorki):
    """«../../etc/passwd.pdf» is stored under private storage's feed folder with a safe name,
    and shown without any path."""
    response = member_client.post(
        URL,
        {
            "text": "x",
            "kind": "news",
            "files": [SimpleUploadedFile("../../etc/passwd.pdf", MINIMAL_PDF)],
        },
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert "/" not in attachment.name and "\\" not in attachment.name
    assert not attachment.name.startswith(".")
    root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    stored = Path(attachment.file.path).resolve()
    assert stored.is_relative_to(root / "feed" / str(gorki.pk))
    assert ".." not in attachment.file.name
    assert stored.read_bytes() == MINIMAL_PDF


def test_script_in_a_file_name_is_escaped(member_client, gorki):
    """A file named with markup is stored and shown escaped, on the feed and «Documents»."""
    name = "<img src=x onerror=alert(1)>.pdf"
    response = member_client.post(
        URL, {"text": "", "kind": "document", "files": [SimpleUploadedFile(name, MINIMAL_PDF)]}
    )
    assert response.status_code == 302
    assert Attachment.objects.get().name == name
    for url in ("/en/cabinet/groups/gorki/", "/en/cabinet/groups/gorki/documents/"):
        html = member_client.get(url).content.decode()
        assert "<img src=x" not in html
        assert "&lt;img src=x onerror=alert(1)&gt;.pdf" in html


def test_refused_edit_stores_nothing(client, gorki, people):
    """An edit adding a bad file is refused: no new attachment, no new stored file, the text
    unchanged."""
    post = PostFactory(initiative=gorki, author=people["member"], text="До правки")
    client.force_login(people["member"])
    files = _stored_files()
    response = client.post(
        f"/en/cabinet/groups/gorki/posts/{post.pk}/edit/",
        {
            "text": "После правки",
            "kind": "news",
            "files": [SimpleUploadedFile("Отчёт.pdf", b"MZ" + b"\0" * 100)],
        },
    )
    assert response.status_code == 200
    assert "is a program" in response.content.decode()
    post.refresh_from_db()
    assert post.text == "До правки" and not post.attachments.exists()
    assert _stored_files() == files


# --- URLs and parameters -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "posts/abc/",
        "posts/-1/",
        "posts/99999999999999999999/",
        "comments/0/edit/",
        "comments/99999/delete/",
    ],
)
def test_odd_ids_are_404_not_500(member_client, gorki, path):
    """Malformed, negative, huge and missing ids answer 404."""
    assert member_client.get(f"/en/cabinet/groups/gorki/{path}").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"kind": "x" * 5000},
        {"after": "%00"},
        {"after": "MXwyMDI0LTAxLTAxVDAwOjAwOjAwKzAwOjAwfDE"},  # valid shape, any post id
        {"after": "MXxub3QgYSBkYXRlfDE"},
        {"after": "MnwyMDI0LTAxLTAxVDAwOjAwOjAwfDE"},  # pinned=2, naive time
        {"kind": "news", "after": "////"},
    ],
)
def test_odd_query_parameters_do_not_break_the_feed(member_client, gorki, query):
    """Hand-made ?kind= and ?after= values give the feed (maybe with a notice), never a 500."""
    PostFactory(initiative=gorki, text="Пост на месте")
    response = member_client.get("/en/cabinet/groups/gorki/", query)
    assert response.status_code == 200


# --- The text filter itself ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("a < b & c", "<p>a &lt; b &amp; c</p>"),
        ("строка 1\nстрока 2", "<p>строка 1<br>строка 2</p>"),
        ("абзац 1\n\n\nабзац 2", "<p>абзац 1</p><p>абзац 2</p>"),
        (
            "см. https://example.com/путь?a=1&b=2.",
            '<p>см. <a href="https://example.com/путь?a=1&amp;b=2" rel="nofollow noopener ugc" '
            'class="text-link">https://example.com/путь?a=1&amp;b=2</a>.</p>',
        ),
        (
            "(http://example.com/x_(y))",
            '<p>(<a href="http://example.com/x_(y)" rel="nofollow noopener ugc" '
            'class="text-link">http://example.com/x_(y)</a>)</p>',
        ),
        ("javascript:alert(1)", "<p>javascript:alert(1)</p>"),
        ("JAVASCRIPT://example.com/%0aalert(1)", "<p>JAVASCRIPT://example.com/%0aalert(1)</p>"),
        (
            "data:text/html,<script>x</script>",
            "<p>data:text/html,&lt;script&gt;x&lt;/script&gt;</p>",
        ),
        ("ftp://example.com", "<p>ftp://example.com</p>"),
        ("http://", "<p>http://</p>"),
        ("", ""),
    ],
)
def test_feed_text_escapes_links_and_keeps_lines(text, html):
    """feed_text: everything escaped, only http(s) addresses linked (rel nofollow noopener
    ugc), paragraphs and line breaks kept."""
    assert feed_text(text) == html


def test_feed_text_link_cannot_break_out_of_the_attribute():
    """Quotes and angle brackets end an address; they never get into the href unescaped."""
    out = feed_text('https://example.com/"onmouseover="alert(1)<script>')
    assert 'href="https://example.com/"' in out
    assert "<script>" not in out and 'onmouseover="' not in out


def test_feed_text_in_a_template_is_not_double_escaped():
    """In a template (autoescape on) the filter's own markup stays markup."""
    rendered = Template("{% load feed_tags %}{{ text|feed_text }}").render(
        Context({"text": "<i>x</i>\nhttps://example.com"})
    )
    assert rendered == (
        '<p>&lt;i&gt;x&lt;/i&gt;<br><a href="https://example.com" rel="nofollow noopener ugc" '
        'class="text-link">https://example.com</a></p>'
    )
