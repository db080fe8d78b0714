"""/cabinet/notifications/: the list, opening a notice, mark-read and mark-all-read, for
every role; nobody reaches another person's notices; no open redirect; constant queries."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import translation
from notifications.models import Notification

from tests.conftest import EXTRANET_ROLES
from tests.extranet.notices.helpers import make_notices

pytestmark = pytest.mark.django_db

SIGNED_IN = [role for role in EXTRANET_ROLES if role != "guest"]
LIST = "/cabinet/notifications/"


def _open(pk):
    return f"/cabinet/notifications/{pk}/open/"


def _read(pk):
    return f"/cabinet/notifications/{pk}/read/"


READ_ALL = "/cabinet/notifications/read-all/"


@pytest.fixture
def stranger_notice(people):
    """A notice of someone who is none of the roles: nobody else may touch it."""
    from tests.factories import UserFactory

    return make_notices(UserFactory(email="stranger@example.com"), 1)[0]


def test_the_urls_are_the_named_ones():
    """The list and actions live at the addresses the URL names give (the docs' table).
    Russian addresses are unprefixed; an earlier request may have left English active."""
    with translation.override("ru"):
        assert reverse("notifications") == LIST
        assert reverse("notification_open", args=[7]) == _open(7)
        assert reverse("notification_read", args=[7]) == _read(7)
        assert reverse("notifications_read_all") == READ_ALL


@pytest.mark.parametrize("role", EXTRANET_ROLES)
def test_list_per_role(client_for, people, stranger_notice, role):
    """A guest goes to the login page; every signed-in role sees their own notices only."""
    user = people[role]
    client = client_for(user)
    if user is None:
        response = client.get(LIST)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        return
    make_notices(user, 1, excerpt="Своё уведомление")
    response = client.get(LIST)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Своё уведомление" in body
    assert f"notification-{stranger_notice.pk}" not in body
    assert reverse("notification_settings") in body


@pytest.mark.parametrize("role", EXTRANET_ROLES)
def test_someone_elses_notice_is_404_for_every_action(client_for, people, stranger_notice, role):
    """Open, mark read: 404 for every signed-in role (login for the guest); the notice stays
    unread."""
    client = client_for(people[role])
    responses = [client.get(_open(stranger_notice.pk)), client.post(_read(stranger_notice.pk))]
    for response in responses:
        if role == "guest":
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("account_login"))
        else:
            assert response.status_code == 404
    stranger_notice.refresh_from_db()
    assert stranger_notice.unread


@pytest.mark.parametrize("role", SIGNED_IN)
def test_open_marks_read_and_goes_to_the_object(client_for, people, role):
    """«Open» marks the notice read and redirects to its stored path."""
    user = people[role]
    notice = make_notices(user, 1, url="/cabinet/groups/gorki/")[0]
    response = client_for(user).get(_open(notice.pk))
    assert response.status_code == 302
    assert response["Location"] == "/cabinet/groups/gorki/"
    notice.refresh_from_db()
    assert not notice.unread


def test_open_in_english_keeps_the_language(client_for, people):
    """An English reader's link gets the /en/ prefix."""
    user = people["member"]
    notice = make_notices(user, 1, url="/cabinet/groups/gorki/posts/5/#comment-9")[0]
    response = client_for(user).get("/en" + _open(notice.pk))
    assert response["Location"] == "/en/cabinet/groups/gorki/posts/5/#comment-9"


@pytest.mark.parametrize(
    "stored",
    [
        "https://evil.example.org/",
        "//evil.example.org/",
        "/\\evil.example.org/",
        "javascript:alert(1)",
        "",
        None,
    ],
)
def test_open_never_leaves_the_site(client_for, people, stored):
    """A stored link that is not a path of this site sends the reader back to the list
    (still marked read), never elsewhere; the list shows no link for it."""
    user = people["member"]
    notice = make_notices(user, 1)[0]
    notice.data = {**notice.data, "url": stored}
    notice.save()
    client = client_for(user)
    assert _open(notice.pk) not in client.get(LIST).content.decode()
    response = client.get(_open(notice.pk))
    assert response.status_code == 302
    assert response["Location"] == LIST
    notice.refresh_from_db()
    assert not notice.unread


@pytest.mark.parametrize("role", SIGNED_IN)
def test_mark_read_and_mark_all_read(client_for, people, role):
    """«Mark as read» changes one notice, «Mark all as read» the rest; both go back to the
    list the form was on."""
    user = people[role]
    first, second, third = make_notices(user, 3)
    client = client_for(user)
    response = client.post(_read(first.pk), {"next": LIST + "?unread=1"})
    assert response.status_code == 302
    assert response["Location"] == LIST + "?unread=1"
    assert list(
        Notification.objects.filter(recipient=user, unread=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    ) == [second.pk, third.pk]
    response = client.post(READ_ALL, {"next": "https://evil.example.org/"})
    assert response["Location"] == LIST
    assert not Notification.objects.filter(recipient=user, unread=True).exists()


@pytest.mark.parametrize("role", SIGNED_IN)
def test_post_only_actions_refuse_get(client_for, people, role):
    """Mark-read and mark-all-read change state: a GET is 405 and changes nothing."""
    user = people[role]
    notice = make_notices(user, 1)[0]
    client = client_for(user)
    assert client.get(_read(notice.pk)).status_code == 405
    assert client.get(READ_ALL).status_code == 405
    notice.refresh_from_db()
    assert notice.unread


def test_guest_posts_go_to_login(client):
    """A guest's POST to mark-all-read changes nothing and asks them to log in."""
    response = client.post(READ_ALL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_blocked_account_has_no_notices(client_for, people):
    """A blocked (inactive) account is a guest here, even with a session from before."""
    user = people["member"]
    make_notices(user, 1)
    client = client_for(user)
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    response = client.get(LIST)
    assert response.status_code == 302


def test_newest_first_unread_marked_and_filter(client_for, people):
    """Newest first; unread items are highlighted; «Only unread» hides the read ones."""
    user = people["member"]
    notices = make_notices(user, 3)
    Notification.objects.filter(pk=notices[0].pk).update(unread=False)
    client = client_for(user)
    body = client.get(LIST).content.decode()
    positions = [body.index(f'id="notification-{n.pk}"') for n in reversed(notices)]
    assert positions == sorted(positions)
    assert body.count("notice--unread") == 2
    unread_body = client.get(LIST + "?unread=1").content.decode()
    assert f'id="notification-{notices[0].pk}"' not in unread_body
    assert f'id="notification-{notices[2].pk}"' in unread_body


def test_sentence_initiative_excerpt_and_minsk_time(client_for, people):
    """Each item reads as its kind's sentence with the initiative, the escaped excerpt and
    the time in Europe/Minsk."""
    user = people["member"]
    notice = make_notices(user, 1, excerpt="<b>Добро пожаловать</b>")[0]
    Notification.objects.filter(pk=notice.pk).update(
        timestamp=datetime(2025, 1, 31, 22, 30, tzinfo=UTC)
    )
    body = client_for(user).get("/en" + LIST).content.decode()
    assert "You are now a member of «Инициатива 0»" in body
    assert "&lt;b&gt;Добро пожаловать&lt;/b&gt;" in body
    assert 'datetime="2025-02-01T01:30:00+03:00"' in body


def test_unknown_kind_still_reads(client_for, people):
    """A notice of a kind nobody registers any more (an app removed) shows a generic text."""
    user = people["member"]
    make_notices(user, 1, kind="gone.kind")
    response = client_for(user).get("/en" + LIST)
    assert response.status_code == 200
    assert "Notification" in response.content.decode()


def test_empty_states(client_for, people):
    """Nothing yet, and nothing unread, each say so."""
    user = people["registered"]
    client = client_for(user)
    assert "No notifications yet" in client.get("/en" + LIST).content.decode()
    make_notices(user, 1)
    client.post(READ_ALL)
    body = client.get("/en" + LIST + "?unread=1").content.decode()
    assert "No unread notifications" in body


def test_keyset_paging_shows_each_notice_once(client_for, people):
    """25 notices: 20 on the first page, 5 after «Show more», none twice, none skipped."""
    from extranet.notices.views import PAGE_SIZE

    user = people["member"]
    notices = make_notices(user, PAGE_SIZE + 5)
    client = client_for(user)
    first = client.get(LIST)
    next_url = first.context["next_url"]
    assert next_url.startswith(LIST + "?after=")
    second = client.get(next_url)
    assert second.context["next_url"] == ""
    assert second.context["is_continuation"]
    shown = [item["pk"] for item in first.context["items"] + second.context["items"]]
    assert shown == [n.pk for n in reversed(notices)]


def test_unread_paging_keeps_the_filter(client_for, people):
    """«Show more» of «Only unread» stays on unread notices."""
    from extranet.notices.views import PAGE_SIZE

    user = people["member"]
    notices = make_notices(user, (PAGE_SIZE + 5) * 2)
    Notification.objects.filter(pk__in=[n.pk for n in notices[::2]]).update(unread=False)
    client = client_for(user)
    first = client.get(LIST + "?unread=1")
    assert "unread=1" in first.context["next_url"]
    second = client.get(first.context["next_url"])
    items = first.context["items"] + second.context["items"]
    assert len(items) == PAGE_SIZE + 5
    assert all(item["unread"] for item in items)
    assert [item["pk"] for item in items] == [n.pk for n in reversed(notices[1::2])]


@pytest.mark.parametrize("cursor", ["garbage", "!!!", "MjAyNHx4", "x" * 400, "MXwy"])
def test_tampered_cursor_gives_the_first_page(client_for, people, cursor):
    """A «Show more» cursor edited by hand gives the first page and a message, never a 500."""
    user = people["member"]
    make_notices(user, 2)
    response = client_for(user).get(LIST, {"after": cursor})
    assert response.status_code == 200
    assert len(response.context["items"]) == 2
    assert response.context["notices"]


@pytest.mark.parametrize("count", [3, 30])
def test_list_queries_do_not_grow(client_for, people, count, django_assert_max_num_queries):
    """The list (and the header's bell) costs the same with 3 notices as with 30."""
    user = people["initiative_admin"]
    make_notices(user, count)
    client = client_for(user)
    client.get(LIST)  # warm the session and the cached count
    with django_assert_max_num_queries(10):
        response = client.get(LIST)
    from extranet.notices.views import PAGE_SIZE

    assert response.status_code == 200
    assert len(response.context["items"]) == min(count, PAGE_SIZE)
