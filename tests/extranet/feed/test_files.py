"""/files/<id>/: a feed attachment is served only to those who may read its group's feed, as a
download under the name it was uploaded with, never sniffed, never cached by shared caches;
with PRIVATE_MEDIA_X_ACCEL_PREFIX the reverse proxy sends the bytes."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import crossplane
import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from core.uploads import upload_check
from extranet.feed import samples, services
from extranet.feed.models import Attachment
from initiatives.models import InitiativePage
from tests.conftest import EXTRANET_ROLES
from tests.extranet.feed.files import upload
from tests.factories import AttachmentFactory, PostFactory

pytestmark = pytest.mark.django_db

NGINX_CONF = Path(settings.BASE_DIR) / "deploy" / "nginx.conf"


def post_file(initiative, author, name: str, data: bytes) -> Attachment:
    """An attachment stored the way the feed stores one: checked, then through post_create."""
    checked = upload_check(upload(data, name))
    post = services.post_create(
        initiative=initiative, author=author, kind="document", text="", uploads=[checked]
    )
    return post.attachments.get()


def url(attachment) -> str:
    return reverse("attachment_download", args=[attachment.pk])


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def report(gorki, people):
    """«Отчёт о семинаре.pdf» posted in «gorki» by its member."""
    data = samples.pdf_bytes(["Итоги семинара"], title="Отчёт о семинаре")
    return post_file(gorki, people["member"], "Отчёт о семинаре.pdf", data)


# Who may download a file of the «gorki» feed (DESIGN.md: members and the portal admin).
STATUS = {
    "guest": 404,
    "registered": 404,
    "editor": 404,
    "pending": 404,
    "other_member": 404,
    "member": 200,
    "initiative_admin": 200,
    "portal_admin": 200,
}


def test_url_is_files_id(client, people, report):
    """/files/<id>/ at the root (Russian) and under /en/ (DESIGN.md URL map)."""
    from django.utils import translation

    with translation.override("ru"):
        assert reverse("attachment_download", args=[42]) == "/files/42/"
    client.force_login(people["member"])
    assert client.get(f"/files/{report.pk}/").status_code == 200
    assert client.get(f"/en/files/{report.pk}/").status_code == 200


@pytest.mark.parametrize("extranet_client", EXTRANET_ROLES, indirect=True)
def test_download_by_role(extranet_client, report, request):
    """Members and admins of «gorki» and the portal admin get the file; a guest, a registered
    user, a Wagtail editor, a pending applicant and a member of another initiative get 404
    (not 403, not a login redirect: whether the file exists is not revealed)."""
    role = request.node.callspec.params["extranet_client"]
    response = extranet_client.get(url(report))
    assert response.status_code == STATUS[role]
    if response.status_code == 200:
        assert body(response) == report.file.open("rb").read()


@pytest.mark.parametrize("extranet_client", EXTRANET_ROLES, indirect=True)
def test_guessed_and_unknown_ids_are_404(extranet_client, report):
    """Ids next to a real one, far away, zero and beyond any database integer: 404, never
    500, for everyone."""
    for attachment_id in (report.pk + 1, report.pk + 1000, 0, 2**63, 10**30):
        response = extranet_client.get(f"/files/{attachment_id}/")
        assert response.status_code == 404, attachment_id
    for path in ("/files/-1/", "/files/abc/", f"/files/{report.pk}/../", "/files/1e3/"):
        assert extranet_client.get(path).status_code == 404, path


def test_file_of_another_initiative_is_refused(client, polotsk, people):
    """A file of the Polotsk feed: its member gets it; «gorki»'s member and admin do not."""
    attachment = post_file(polotsk, people["other_member"], "Смета.pdf", samples.pdf_bytes(["x"]))
    for role, status in [("member", 404), ("initiative_admin", 404), ("other_member", 200)]:
        client.force_login(people[role])
        assert client.get(url(attachment)).status_code == status, role


def test_feed_switched_off_closes_its_files(client, gorki, people, report):
    """With the initiative's feed switched off, nobody gets its files, not even the portal
    admin; switched back on, they are served again."""
    InitiativePage.objects.filter(pk=gorki.pk).update(feed_enabled=False)
    for role in ("member", "initiative_admin", "portal_admin"):
        client.force_login(people[role])
        assert client.get(url(report)).status_code == 404, role
    InitiativePage.objects.filter(pk=gorki.pk).update(feed_enabled=True)
    assert client.get(url(report)).status_code == 200


def test_feed_switched_off_in_the_editor_closes_its_files(client, gorki, people, report):
    """The same through a published revision, as an editor would switch it off."""
    page = InitiativePage.objects.get(pk=gorki.pk)
    page.feed_enabled = False
    page.save_revision().publish()
    client.force_login(people["member"])
    assert client.get(url(report)).status_code == 404


def test_removed_member_loses_access(client, gorki, people, report):
    """A member who is removed from the initiative (or leaves) no longer gets its files, even
    the ones they posted themselves."""
    from extranet.members.services import membership_end

    client.force_login(people["member"])
    assert client.get(url(report)).status_code == 200
    membership = people["member"].memberships.get(initiative=gorki)
    membership_end(membership=membership, by=people["initiative_admin"])
    assert client.get(url(report)).status_code == 404


def test_deactivated_user_loses_access(client, people, report):
    client.force_login(people["member"])
    people["member"].is_active = False
    people["member"].save(update_fields=["is_active"])
    assert client.get(url(report)).status_code in (302, 404)
    assert client.get(url(report)).status_code != 200


# --- The response --------------------------------------------------------------------------------


def test_download_headers_and_body(client, people, report):
    """200: attachment under the uploaded (Cyrillic) name per RFC 6266, nosniff, the stored
    content type, private caching only, and the bytes that were uploaded."""
    client.force_login(people["member"])
    response = client.get(url(report))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''" + quote("Отчёт о семинаре.pdf")
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf" == report.content_type
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert int(response["Content-Length"]) == report.size
    data = body(response)
    assert data.startswith(b"%PDF-")
    assert data == samples.pdf_bytes(["Итоги семинара"], title="Отчёт о семинаре")


@pytest.mark.parametrize(
    ("stored_name", "header"),
    [
        ('Смета "итог".xlsx', "attachment; filename*=utf-8''" + quote('Смета "итог".xlsx')),
        ('budget "final".xlsx', 'attachment; filename="budget \\"final\\".xlsx"'),
        ("budget\\final.xlsx", 'attachment; filename="final.xlsx"'),
        ("report\r\nSet-Cookie: a=b.xlsx", 'attachment; filename="report Set-Cookie: a=b.xlsx"'),
        ("<script>alert(1)</script>.xlsx", 'attachment; filename="script>.xlsx"'),
        ("\u202eslx.exe", 'attachment; filename="slx.exe"'),
    ],
)
def test_disposition_is_safe_whatever_the_stored_name(client, people, report, stored_name, header):
    """Quotes are escaped (or the name percent-encoded), path parts, line breaks and bidi
    overrides never reach the header, even for a name stored without cleaning."""
    Attachment.objects.filter(pk=report.pk).update(name=stored_name)
    client.force_login(people["member"])
    response = client.get(url(report))
    assert response["Content-Disposition"] == header
    assert response.status_code == 200


def test_script_in_the_uploaded_name(client, gorki, people):
    """A name with markup is shown as uploaded (minus the path it seems to contain) and sent
    back as plain header text; the file is still a download, never rendered."""
    data = samples.docx_bytes("Документ", ["текст"])
    attachment = post_file(gorki, people["member"], "<script>alert(1)</script>.docx", data)
    client.force_login(people["initiative_admin"])
    response = client.get(url(attachment))
    assert response["Content-Disposition"].startswith("attachment;")
    assert "<script" not in response["Content-Disposition"]
    assert response["Content-Type"] == attachment.content_type
    assert body(response) == data


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("Список.txt", "Список участников".encode("cp1251"), "text/plain; charset=windows-1251"),
        ("photo.png", None, "image/png"),
        ("Document_park.docx", samples.docx_bytes("Технопарк", ["Миссия"]), None),
    ],
)
def test_stored_content_type_is_sent(client, gorki, people, name, data, content_type):
    from tests.extranet.feed.files import image

    data = data if data is not None else image("PNG")
    attachment = post_file(gorki, people["member"], name, data)
    client.force_login(people["member"])
    response = client.get(url(attachment))
    assert response["Content-Type"] == attachment.content_type
    if content_type:
        assert attachment.content_type == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert body(response) == data


@override_settings(PRIVATE_MEDIA_X_ACCEL_PREFIX="/_private/")
def test_x_accel_redirect_when_configured(client, gorki, people, report):
    """With PRIVATE_MEDIA_X_ACCEL_PREFIX nginx sends the file: Django answers with the path
    under /_private/ (feed/<initiative>/<random hex>/<slug>.<ext>), no body, and still the
    disposition, nosniff, content type and cache headers."""
    client.force_login(people["member"])
    response = client.get(url(report))
    assert response.status_code == 200
    assert re.fullmatch(
        rf"/_private/feed/{gorki.pk}/[0-9a-f]{{32}}/[a-z0-9_-]+\.pdf", response["X-Accel-Redirect"]
    ), response["X-Accel-Redirect"]
    assert response["X-Accel-Redirect"] == f"/_private/{report.file.name}"
    assert response.content == b""
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert "private" in response["Cache-Control"]


@override_settings(PRIVATE_MEDIA_X_ACCEL_PREFIX="/_private/")
def test_x_accel_is_not_sent_to_those_refused(client, people, report):
    client.force_login(people["other_member"])
    response = client.get(url(report))
    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


def test_file_missing_from_storage_is_404(client, people, report):
    report.file.storage.delete(report.file.name)
    client.force_login(people["member"])
    assert client.get(url(report)).status_code == 404


def test_factory_attachment_is_served(client, gorki, people):
    """Attachments made by the test factory (fixed stored name) download as well."""
    post = PostFactory(initiative=gorki, author=people["member"])
    attachment = AttachmentFactory(post=post, name="Документ.pdf")
    client.force_login(people["member"])
    response = client.get(url(attachment))
    assert response.status_code == 200
    assert body(response).startswith(b"%PDF-")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_only_get(client, people, report, method):
    client.force_login(people["member"])
    assert getattr(client, method)(url(report)).status_code == 405


# --- deploy/nginx.conf ----------------------------------------------------------------------------


def _private_location() -> list[dict]:
    payload = crossplane.parse(str(NGINX_CONF), single=True, strict=False, check_ctx=False)
    assert payload["status"] == "ok", payload["errors"]
    for server in payload["config"][0]["parsed"]:
        for directive in server.get("block", []):
            if directive["directive"] == "location" and directive["args"] == ["/_private/"]:
                return directive["block"]
    raise AssertionError("no location /_private/")


def test_nginx_serves_feed_files_from_the_private_root():
    """The internal /_private/ location maps to the private media folder, so the feed's
    files (PRIVATE_MEDIA_ROOT/feed/...) are reachable by X-Accel-Redirect like the photos."""
    block = _private_location()
    assert any(d["directive"] == "internal" for d in block)
    (alias,) = [d["args"][0] for d in block if d["directive"] == "alias"]
    assert alias.rstrip("/").endswith("private-media")


def test_nginx_keeps_nosniff_on_x_accel_responses():
    """nginx copies only some upstream headers to an X-Accel-Redirect response (Content-Type,
    Content-Disposition, Cache-Control, Expires, Set-Cookie, Accept-Ranges); Django's
    X-Content-Type-Options would be lost, so the internal location adds it itself."""
    headers = {
        d["args"][0].lower(): d["args"][1:]
        for d in _private_location()
        if d["directive"] == "add_header"
    }
    assert headers.get("x-content-type-options", [None])[0] == "nosniff"
    assert "always" in headers["x-content-type-options"]
