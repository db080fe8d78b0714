"""The feed page, the post page and «Documents»: who may open them, what they show (header,
side panel, posts in order, kinds, comments), and keyset «Show more»."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from extranet.feed import selectors
from extranet.feed.models import Attachment, Post
from tests.conftest import EXTRANET_ROLES
from tests.factories import (
    AttachmentFactory,
    CommentFactory,
    InitiativePageFactory,
    MembershipFactory,
    PostFactory,
)

pytestmark = pytest.mark.django_db

READERS = {"member", "initiative_admin", "portal_admin"}
REFUSED = {"registered", "editor", "pending", "other_member"}


def feed_url(slug="gorki", suffix=""):
    return f"/en/cabinet/groups/{slug}/{suffix}"


@pytest.fixture
def post(gorki, people):
    return PostFactory(initiative=gorki, author=people["member"], text="Первый шаг технопарка")


def _read_urls(post):
    return [
        feed_url(),
        feed_url(suffix="documents/"),
        feed_url(suffix="posts/new/"),
        feed_url(suffix=f"posts/{post.pk}/"),
    ]


# --- Who may read -------------------------------------------------------------------------------


@pytest.mark.parametrize("extranet_client", EXTRANET_ROLES, indirect=True)
def test_read_pages_by_role(extranet_client, request, post):
    """The feed, «Documents», the composer page and a post's page: members and admins of
    «gorki» and the portal admin get 200; a guest goes to the login page; a registered user,
    an editor, a pending applicant and a member of another initiative get 403."""
    role = request.node.callspec.params["extranet_client"]
    for url in _read_urls(post):
        response = extranet_client.get(url)
        if role == "guest":
            assert response.status_code == 302, url
            assert "/accounts/login/" in response["Location"]
        elif role in REFUSED:
            assert response.status_code == 403, url
            assert "Первый шаг технопарка" not in response.content.decode()
        else:
            assert role in READERS
            assert response.status_code == 200, url


def test_unknown_unpublished_and_switched_off_are_404(client, gorki, people):
    """An unknown initiative, an unpublished one and one whose feed is switched off answer 404
    even to their members (the portal admin included)."""
    draft = InitiativePageFactory(slug="draft", live=False)
    MembershipFactory(initiative=draft, user=people["member"])
    client.force_login(people["member"])
    assert client.get(feed_url("nowhere")).status_code == 404
    assert client.get(feed_url("draft")).status_code == 404
    gorki.feed_enabled = False
    gorki.save_revision().publish()
    for role in ("member", "portal_admin"):
        client.force_login(people[role])
        assert client.get(feed_url()).status_code == 404
        assert client.get(feed_url(suffix="documents/")).status_code == 404


# --- What the page shows -----------------------------------------------------------------------


def test_header_composer_and_side_panel(client, gorki, people):
    """The header shows the initiative's full name linked to its public page and its website;
    the composer offers «Write a message...», the kinds and files with the accepted types and
    size limit; the side panel shows the administrator's contact card and «Members N»."""
    admin = people["initiative_admin"]
    client.force_login(people["member"])
    html = client.get(feed_url()).content.decode()
    title = f'<a href="/en/initiatives/gorki/">{gorki.title}</a>'
    assert f'<h1 class="group-header__title">{title}' in html
    assert 'href="https://cluster.example.org/"' in html
    assert 'placeholder="Write a message..."' in html
    assert '<form class="composer panel"' in html
    assert 'name="kind"' in html and 'value="event_report"' in html
    assert 'type="file"' in html and "multiple" in html
    assert "Accepted types: pdf" in html and "20.0" in html  # 20 MB by default
    # Contact card of the initiative's administrator (a fellow member may see it).
    assert "Initiative administrator" in html
    assert admin.get_full_name() in html
    assert f'href="mailto:{admin.email}"' in html
    assert admin.profile.phone.as_international in html
    # «Members N»: member and admin are the approved members of «gorki».
    assert re.search(r'Members <span class="feed-members__count">2</span>', html)
    assert people["member"].get_full_name() in html
    assert people["pending"].get_full_name() not in html


def test_change_and_applications_links_by_role(client, gorki, people):
    """«Change» (the initiative's administrators) is shown to the portal admin only; the link
    to the applications queue to the initiative admin and the portal admin."""
    admins_url = feed_url(suffix="admins/")
    applications_url = feed_url(suffix="applications/")
    for role, change, applications in [
        ("member", False, False),
        ("initiative_admin", False, True),
        ("portal_admin", True, True),
    ]:
        client.force_login(people[role])
        html = client.get(feed_url()).content.decode()
        assert (f'href="{admins_url}"' in html) is change, role
        assert (f'href="{applications_url}"' in html) is applications, role


def test_phone_hidden_when_the_directory_hides_phones(client, gorki, people):
    """The administrator's phone follows the initiative's «directory shows phone numbers»."""
    gorki.directory_shows_phone = False
    gorki.save_revision().publish()
    client.force_login(people["member"])
    html = client.get(feed_url()).content.decode()
    assert people["initiative_admin"].profile.phone.as_international not in html
    assert f"mailto:{people['initiative_admin'].email}" in html


def test_posts_newest_first_pinned_first(client, gorki, people):
    """Posts are newest first; a pinned post comes before them all with a «Pinned» badge."""
    now = timezone.now()
    old = PostFactory(initiative=gorki, text="Старое", created_at=now - datetime.timedelta(days=3))
    PostFactory(initiative=gorki, text="Среднее", created_at=now - datetime.timedelta(days=2))
    PostFactory(initiative=gorki, text="Новое", created_at=now - datetime.timedelta(days=1))
    client.force_login(people["member"])
    html = client.get(feed_url()).content.decode()
    assert html.index("Новое") < html.index("Среднее") < html.index("Старое")
    assert "Pinned" not in html
    old.pinned = True
    old.save()
    html = client.get(feed_url()).content.decode()
    assert html.index("Старое") < html.index("Новое") < html.index("Среднее")
    article = html[html.index(f'id="post-{old.pk}"') : html.index("Новое")]
    assert "Pinned" in article and "post--pinned" in html


def test_post_shows_author_kind_date_text_attachment(client, gorki, people, post):
    """A post shows its author linked to their member card, its kind, the date in a <time>,
    its text, and each attachment with its icon, name, size and /files/<id>/ link."""
    post.kind = "event_report"
    post.save()
    attachment = AttachmentFactory(post=post, name="Document_park.docx", size=2048)
    client.force_login(people["initiative_admin"])
    html = client.get(feed_url()).content.decode()
    author = people["member"]
    assert (
        f'<a href="/en/cabinet/people/{author.pk}/?group=gorki">{author.get_full_name()}</a>'
        in html
    )
    assert "Event report" in html
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT', html)
    assert "Первый шаг технопарка" in html
    assert f'href="/en/files/{attachment.pk}/"' in html
    assert ">Document_park.docx</a>" in html
    assert "2.0\xa0KB" in html
    assert "file-icon--document" in html


def test_deleted_author_and_edited_marker(client, gorki, people):
    """A post whose author deleted their account shows «Deleted user» with no card link; an
    edited post says «edited»."""
    PostFactory(initiative=gorki, author=None, text="Без автора", edited_at=timezone.now())
    client.force_login(people["member"])
    html = client.get(feed_url()).content.decode()
    assert "Deleted user" in html
    assert ">edited</span>" in html


def test_latest_comments_and_all_comments_link(client, gorki, people, post):
    """The feed shows the three latest comments, newest last, and «All 5 comments» linking to
    the post's page, which shows all five."""
    now = timezone.now()
    for i in range(5):
        CommentFactory(
            post=post, text=f"Комментарий №{i}", created_at=now + datetime.timedelta(minutes=i)
        )
    client.force_login(people["member"])
    html = client.get(feed_url()).content.decode()
    assert "Комментарий №0" not in html and "Комментарий №1" not in html
    assert (
        html.index("Комментарий №2") < html.index("Комментарий №3") < html.index("Комментарий №4")
    )
    assert f'href="/en/cabinet/groups/gorki/posts/{post.pk}/#comments">All 5 comments</a>' in html
    detail = client.get(feed_url(suffix=f"posts/{post.pk}/")).content.decode()
    positions = [detail.index(f"Комментарий №{i}") for i in range(5)]
    assert positions == sorted(positions)
    assert "All 5 comments" not in detail


def test_other_initiatives_posts_are_not_shown(client, gorki, polotsk, people):
    """The feed of «gorki» holds only its own posts."""
    PostFactory(initiative=polotsk, text="Полоцкая новость")
    PostFactory(initiative=gorki, text="Горецкая новость")
    client.force_login(people["portal_admin"])
    html = client.get(feed_url()).content.decode()
    assert "Горецкая новость" in html and "Полоцкая новость" not in html


# --- Kind filter ---------------------------------------------------------------------------------


def test_kind_filter(client, gorki, people):
    """?kind= shows only posts of that kind; the filter shows each kind's number of posts."""
    PostFactory(initiative=gorki, kind="news", text="Новость дня")
    PostFactory(initiative=gorki, kind="proposal", text="Предложение дня")
    PostFactory(initiative=gorki, kind="proposal", text="Ещё предложение")
    client.force_login(people["member"])
    html = client.get(feed_url(), {"kind": "proposal"}).content.decode()
    assert "Предложение дня" in html and "Ещё предложение" in html
    assert "Новость дня" not in html
    assert re.search(
        r'href="\?kind=proposal" aria-current="page">Proposal <span class="feed-filter__count">2',
        html,
    )
    assert re.search(r'>All <span class="feed-filter__count">3<', html)


def test_unknown_kind_is_ignored_with_a_message(client, gorki, people):
    """An unknown ?kind= shows every post with a clear notice, never a 500."""
    PostFactory(initiative=gorki, text="Любая новость")
    client.force_login(people["member"])
    response = client.get(feed_url(), {"kind": "<script>"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is no such kind of post" in html
    assert "Любая новость" in html
    assert "<script>" not in html.split("<body", 1)[1].replace("<script type=", "")


# --- Keyset pagination -----------------------------------------------------------------------


def _make_posts(gorki, n, *, kind="news"):
    author = MembershipFactory(initiative=gorki).user
    now = timezone.now()
    return Post.objects.bulk_create(
        Post(
            initiative=gorki,
            author=author,
            kind=kind,
            text=f"Пост номер {i:03d}",
            created_at=now - datetime.timedelta(minutes=i),
        )
        for i in range(n)
    )


def _shown(html):
    return re.findall(r"Пост номер (\d{3})", html)


def test_show_more_follows_the_keyset_cursor(client, gorki, people):
    """25 posts: the first page shows 20 and a plain «Show more» link (?after=<cursor>); it
    leads to the other 5 with no overlap, and its SQL filters on created_at (a keyset), not an
    OFFSET."""
    _make_posts(gorki, 25)
    client.force_login(people["member"])
    html = client.get(feed_url()).content.decode()
    first = _shown(html)
    assert first == [f"{i:03d}" for i in range(20)]
    match = re.search(
        r'<a class="button button--secondary" href="(\?after=[^"]+)" rel="next"', html
    )
    assert match, "«Show more» is a plain link"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(feed_url() + match.group(1).replace("&amp;", "&"))
    second = _shown(response.content.decode())
    assert second == [f"{i:03d}" for i in range(20, 25)]
    assert not set(first) & set(second)
    assert "Show more" not in response.content.decode()
    post_queries = [q["sql"] for q in queries.captured_queries if 'FROM "feed_post"' in q["sql"]]
    page_sql = next(sql for sql in post_queries if "LIMIT 21" in sql)
    where = page_sql.split("WHERE", 1)[1]
    assert '"feed_post"."created_at" <' in where
    assert "OFFSET" not in page_sql.upper()


def test_show_more_keeps_the_kind(client, gorki, people):
    """With a kind chosen, «Show more» keeps it and the next page holds only that kind."""
    _make_posts(gorki, 22, kind="proposal")
    PostFactory(initiative=gorki, kind="news", text="Новость не по фильтру")
    client.force_login(people["member"])
    html = client.get(feed_url(), {"kind": "proposal"}).content.decode()
    match = re.search(r'href="(\?kind=proposal&amp;after=[^"]+)" rel="next"', html)
    assert match
    html = client.get(feed_url() + match.group(1).replace("&amp;", "&")).content.decode()
    assert _shown(html) == ["020", "021"]
    assert "Новость не по фильтру" not in html
    assert "Back to the newest messages" in html


@pytest.mark.parametrize("cursor", ["garbage", "!!!", "MXwyMDIwfDE", "a" * 500, "MHxub3R8MQ"])
def test_invalid_cursor_shows_the_first_page(client, gorki, people, cursor):
    """A hand-edited «Show more» cursor shows the start of the feed with a notice, not a 500."""
    _make_posts(gorki, 3)
    client.force_login(people["member"])
    response = client.get(feed_url(), {"after": cursor})
    assert response.status_code == 200
    html = response.content.decode()
    assert "no longer valid" in html
    assert _shown(html) == ["000", "001", "002"]


# --- Documents ---------------------------------------------------------------------------------


def test_documents_lists_every_file_with_its_post(client, gorki, polotsk, people, post):
    """«Documents» lists every file of the group with its icon, name, size, date, the post's
    author and a link to the post; files of other groups are not there."""
    mine = AttachmentFactory(post=post, name="Document_park.docx")
    AttachmentFactory(post=PostFactory(initiative=polotsk), name="Полоцк.pdf")
    client.force_login(people["member"])
    html = client.get(feed_url(suffix="documents/")).content.decode()
    assert ">Document_park.docx</a>" in html
    assert "Полоцк.pdf" not in html
    assert f'href="/en/files/{mine.pk}/"' in html
    assert f'href="/en/cabinet/groups/gorki/posts/{post.pk}/"' in html
    assert people["member"].get_full_name() in html
    assert 'aria-current="page">Documents</a>' in html


def test_documents_show_more_is_a_keyset(client, gorki, people, post, monkeypatch):
    """«Documents» pages by a keyset cursor too: the second page has the rest, no overlap, and
    an invalid cursor shows the first page with a notice."""
    monkeypatch.setattr(selectors, "DOCUMENTS_PAGE_SIZE", 4)
    now = timezone.now()
    Attachment.objects.bulk_create(
        Attachment(
            post=post,
            file=f"feed/{gorki.pk}/x/file-{i}.pdf",
            name=f"Файл {i:02d}.pdf",
            content_type="application/pdf",
            size=100,
            created_at=now - datetime.timedelta(minutes=i),
        )
        for i in range(6)
    )
    client.force_login(people["member"])
    html = client.get(feed_url(suffix="documents/")).content.decode()
    assert re.findall(r"Файл (\d\d)\.pdf", html) == ["00", "01", "02", "03"]
    next_url = re.search(r'href="(\?after=[^"]+)" rel="next"', html).group(1)
    html = client.get(feed_url(suffix="documents/") + next_url).content.decode()
    assert re.findall(r"Файл (\d\d)\.pdf", html) == ["04", "05"]
    response = client.get(feed_url(suffix="documents/"), {"after": "nonsense"})
    assert response.status_code == 200
    assert "no longer valid" in response.content.decode()


def test_former_member_is_named_but_not_linked(client, gorki, people):
    """A post by someone who has left the group still shows their name, but a member gets no
    link to their card (the privacy rule no longer lets them open it); the portal admin does."""
    former = MembershipFactory(initiative=gorki)
    PostFactory(initiative=gorki, author=former.user, text="Пишу, пока участник")
    former.status = "removed"
    former.save()
    card = f'href="/en/cabinet/people/{former.user.pk}/'
    client.force_login(people["member"])
    html = client.get(feed_url()).content.decode()
    assert former.user.get_full_name() in html and card not in html
    client.force_login(people["portal_admin"])
    assert card in client.get(feed_url()).content.decode()


def test_kind_counts_follow_new_and_deleted_posts(client, gorki, people):
    """The filter's counts are cached per group; a new post and a deletion show on the next
    page (a post's save or deletion purges them)."""
    PostFactory(initiative=gorki, kind="news", text="Новость дня")
    client.force_login(people["member"])
    assert re.search(r'>All <span class="feed-filter__count">1<', client.get(feed_url()).text)
    proposal = PostFactory(initiative=gorki, kind="proposal", text="Предложение дня")
    html = client.get(feed_url()).text
    assert re.search(r'>All <span class="feed-filter__count">2<', html)
    assert re.search(r'>Proposal <span class="feed-filter__count">1<', html)
    proposal.delete()
    assert re.search(r'>All <span class="feed-filter__count">1<', client.get(feed_url()).text)
