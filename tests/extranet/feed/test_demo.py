"""The feed's demo data: 10-20 believable posts per initiative by its members, the Gorki
technopark posts of the seed 000 mock-up, real attached files, comments; idempotent; scaled."""

from __future__ import annotations

import io
import zipfile
from io import StringIO
from xml.etree import ElementTree

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from core.demo import DemoContext
from core.locales import originals
from core.uploads import upload_check
from extranet.feed import demo
from extranet.feed.models import Attachment, Comment, Post
from extranet.members.models import Membership
from initiatives.models import InitiativePage
from tests.extranet.feed.files import pdf_page_count, pdf_text

pytestmark = pytest.mark.django_db


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", "--force", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    return {
        "posts": sorted(
            Post.objects.values_list(
                "initiative__slug", "author__email", "kind", "text", "pinned", "created_at"
            )
        ),
        "comments": sorted(
            Comment.objects.values_list("post__text", "author__email", "text", "created_at")
        ),
        "files": sorted(Attachment.objects.values_list("post__text", "name", "file", "size")),
    }


@pytest.fixture
def seeded(home_page):
    return seed()


def test_second_run_creates_nothing(seeded):
    first = snapshot()
    assert first["posts"] and first["comments"] and first["files"]
    assert "feed posts" in seeded
    out = seed()
    assert snapshot() == first
    assert "created nothing" in out


def test_every_initiative_has_10_to_20_posts_of_every_kind(seeded):
    for initiative in originals(InitiativePage.objects.live()):
        posts = Post.objects.filter(initiative=initiative)
        assert 10 <= posts.count() <= 20, initiative.slug
        assert set(posts.values_list("kind", flat=True)) == set(Post.Kind.values), initiative.slug
        assert 1 <= posts.filter(pinned=True).count() <= 2
        assert set(posts.filter(pinned=True).values_list("kind", flat=True)) == {"announcement"}
        assert Comment.objects.filter(post__initiative=initiative).count() >= 5
        assert Attachment.objects.filter(post__initiative=initiative).count() >= 2


def test_posts_are_spread_over_the_past_months(seeded):
    from django.utils import timezone

    for initiative in originals(InitiativePage.objects.live()):
        dates = list(
            Post.objects.filter(initiative=initiative).values_list("created_at", flat=True)
        )
        assert max(dates) <= timezone.now()
        assert (max(dates) - min(dates)).days >= 90, initiative.slug
        assert len({d.date() for d in dates}) == len(dates), "one post a day at most"


def test_authors_and_commenters_are_approved_members(seeded):
    """Every post's author and every commenter is an approved member (or admin) of the
    post's initiative; the pinned announcements are by an admin."""
    approved = set(
        Membership.objects.filter(status="approved").values_list("user_id", "initiative_id")
    )
    for post in Post.objects.all():
        assert (post.author_id, post.initiative_id) in approved, post.text[:40]
    for comment in Comment.objects.select_related("post"):
        assert (comment.author_id, comment.post.initiative_id) in approved
    admins = set(
        Membership.objects.filter(status="approved", role="admin").values_list(
            "user_id", "initiative_id"
        )
    )
    for post in Post.objects.filter(pinned=True):
        assert (post.author_id, post.initiative_id) in admins


def test_comments_come_after_their_post_from_someone_else(seeded):
    for comment in Comment.objects.select_related("post"):
        assert comment.created_at > comment.post.created_at
        assert comment.author_id != comment.post.author_id


def test_gorki_has_the_mockup_posts(seeded):
    """The seed 000 mock-up: «Гуляев Юрий» on the technopark's founding, the mission post with
    «Document_park.docx»; the pinned announcement by the admin «Алексей Иванов»."""
    gorki = Post.objects.filter(initiative__slug="gorki")
    founding = gorki.get(text__startswith="Первым шагом в формировании")
    assert (founding.author.first_name, founding.author.last_name) == ("Юрий", "Гуляев")
    mission = gorki.get(text__startswith="Миссия технопарка")
    assert mission.attachments.get().name == "Document_park.docx"
    assert "с 18 до 10%" in mission.text
    pinned = gorki.get(pinned=True)
    assert pinned.author.get_full_name() in ("Алексей Иванов", "Иванов Алексей")
    assert pinned.attachments.get().name == "План мероприятий 2026.xlsx"
    names = set(
        Attachment.objects.filter(post__initiative__slug="gorki").values_list("name", flat=True)
    )
    assert {"Document_park.docx", "План мероприятий 2026.xlsx", "Отчёт о семинаре.pdf"} <= names


def _open(name: str, data: bytes):
    """Open the file with the library of its kind, enough to read its text back."""
    extension = name.rsplit(".", 1)[1]
    if extension == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        return " ".join(str(v) for row in sheet.values for v in row if v is not None)
    if extension == "docx":
        return " ".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    if extension == "odt":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert archive.testzip() is None
            root = ElementTree.fromstring(archive.read("content.xml"))  # noqa: S314 - made by us
        return " ".join(t for t in root.itertext())
    if extension == "pdf":
        assert pdf_page_count(data) >= 1
        return pdf_text(data)
    raise AssertionError(name)


def test_attachments_pass_the_check_and_open(seeded):
    """Each demo file is in private storage, passes upload_check again for its name, has the
    size and type recorded, and opens with its library (the PDF's text reads back in
    Cyrillic)."""
    attachments = list(Attachment.objects.all())
    assert len(attachments) >= 12
    for attachment in attachments:
        with attachment.file.open("rb") as handle:
            data = handle.read()
        assert len(data) == attachment.size
        checked = upload_check(SimpleUploadedFile(attachment.name, data))
        assert checked.content_type == attachment.content_type
        assert attachment.file.name.startswith(f"feed/{attachment.post.initiative_id}/")
        assert _open(attachment.name, data).strip(), attachment.name
    plan = Attachment.objects.get(name="План мероприятий 2026.xlsx")
    with plan.file.open("rb") as handle:
        assert "Белагро" in _open(plan.name, handle.read())
    report = Attachment.objects.get(name="Отчёт о семинаре.pdf")
    with report.file.open("rb") as handle:
        assert "Отчёт о семинаре" in _open(report.name, handle.read())


def test_switched_off_feed_gets_no_posts(home_page):
    """An initiative whose feed is switched off is left alone by a later run."""
    seed()
    InitiativePage.objects.filter(slug="polesie").update(feed_enabled=False)
    Post.objects.filter(initiative__slug="polesie").delete()
    seed()
    assert not Post.objects.filter(initiative__slug="polesie").exists()


def test_scale_multiplies_the_posts_and_stays_idempotent(home_page):
    """--scale 3 gives 3 × 20 posts per initiative (the hand-written ones plus simpler ones,
    bulk-created, by members, some with a comment); running it again adds nothing, and a run
    at scale 1 afterwards changes nothing."""
    seed("--scale", "3")
    approved = set(
        Membership.objects.filter(status="approved").values_list("user_id", "initiative_id")
    )
    for initiative in originals(InitiativePage.objects.live()):
        posts = Post.objects.filter(initiative=initiative)
        assert posts.count() == demo.POSTS_PER_SCALE * 3
        assert {(p.author_id, p.initiative_id) for p in posts} <= approved
        hand_written = demo.demo_posts(initiative.slug, initiative.short_name)
        assert posts.filter(text__in=[p.text for p in hand_written]).count() == len(hand_written)
        assert Comment.objects.filter(post__initiative=initiative).count() > 20
    before = snapshot()
    seed("--scale", "3")
    seed()
    assert snapshot() == before


def test_seed_feeds_without_initiatives_does_nothing(db):
    ctx = DemoContext()
    demo.seed(ctx)
    for step in ctx.deferred:
        step(ctx)
    assert not Post.objects.exists()


def test_seeded_feeds_open_and_their_files_download(client, seeded):
    """Each initiative's feed and «Документы» pages open for its admin and show the demo
    posts' files; every demo file downloads for a member of its initiative."""
    from django.urls import reverse

    for initiative in originals(InitiativePage.objects.live()):
        admin = Membership.objects.filter(initiative=initiative, role="admin").first().user
        member = (
            Membership.objects.filter(initiative=initiative, role="member", status="approved")
            .first()
            .user
        )
        client.force_login(admin)
        feed = client.get(reverse("groups:feed", kwargs={"slug": initiative.slug}))
        assert feed.status_code == 200, initiative.slug
        documents = client.get(reverse("groups:documents", kwargs={"slug": initiative.slug}))
        assert documents.status_code == 200, initiative.slug
        html = documents.content.decode()
        client.force_login(member)
        for attachment in Attachment.objects.filter(post__initiative=initiative):
            assert attachment.name in html
            response = client.get(reverse("attachment_download", args=[attachment.pk]))
            assert response.status_code == 200
            assert b"".join(response.streaming_content) == attachment.file.open("rb").read()
