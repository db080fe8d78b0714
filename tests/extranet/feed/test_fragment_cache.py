"""The feed's posts are rendered once and reused from the cache (extranet/feed/fragments.py):
the second page view renders no post template; whatever a post shows (its text, comments,
files, its author's name and photo) changes the fragment at once; one viewer's controls and
CSRF token never reach another viewer."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.test.utils import CaptureQueriesContext

from extranet.feed import services
from extranet.feed.models import Comment
from tests.extranet.feed.test_feed_queries import BUDGET, _fill
from tests.factories import AttachmentFactory, CommentFactory, MembershipFactory, PostFactory

pytestmark = pytest.mark.django_db

URL = "/en/cabinet/groups/gorki/"
POST_TEMPLATE = "feed/_post.html"


def _post_renders(response) -> int:
    return sum(1 for t in response.templates if t.name == POST_TEMPLATE)


def _csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _article(response, post) -> str:
    html = response.content.decode()
    start = html.index(f'id="post-{post.pk}"')
    return html[start : html.index("</article>", start)]


@pytest.fixture
def post(gorki, people):
    return PostFactory(initiative=gorki, author=people["member"], text="Первый шаг технопарка")


def test_second_view_renders_no_post(client, people, post, gorki):
    """Three posts: the first view renders the post template three times, the second none,
    and both pages show the same posts."""
    PostFactory(initiative=gorki, author=people["initiative_admin"], text="Второй")
    PostFactory(initiative=gorki, author=people["member"], text="Третий")
    client.force_login(people["member"])
    first = client.get(URL)
    assert _post_renders(first) == 3
    second = client.get(URL)
    assert second.status_code == 200
    assert _post_renders(second) == 0
    for text in ("Первый шаг технопарка", "Второй", "Третий"):
        assert text in second.content.decode()


def test_fragment_reuse_costs_no_extra_query(
    client, people, post, gorki, django_assert_max_num_queries
):
    """A cached view runs no more queries than the view that rendered the posts."""
    for i in range(5):
        CommentFactory(post=PostFactory(initiative=gorki, text=f"Пост {i}"))
    client.force_login(people["member"])
    with CaptureQueriesContext(connection) as cold:
        client.get(URL)
    with django_assert_max_num_queries(len(cold)):
        assert _post_renders(client.get(URL)) == 0


def test_edit_shows_at_once(client, people, post):
    """The author edits the post: the next view shows the new text (and «edited»)."""
    client.force_login(people["member"])
    client.get(URL)
    services.post_update(
        post=post,
        by=people["member"],
        kind=post.kind,
        text="Исправленный текст",
        uploads=[],
        remove_attachment_ids=[],
    )
    response = client.get(URL)
    article = _article(response, post)
    assert "Исправленный текст" in article
    assert "Первый шаг" not in article
    assert "edited" in article


def test_new_and_deleted_comment_show_at_once(client, people, post):
    """A new comment appears on the next view, and disappears once deleted."""
    client.force_login(people["member"])
    client.get(URL)
    comment = services.comment_create(
        post=post, author=people["initiative_admin"], text="Отличная новость"
    )
    assert "Отличная новость" in _article(client.get(URL), post)
    services.comment_delete(comment=comment, by=people["initiative_admin"])
    assert not Comment.objects.filter(pk=comment.pk).exists()
    assert "Отличная новость" not in _article(client.get(URL), post)


def test_attachment_change_shows_at_once(client, people, post):
    """A file added to the post shows on the next view."""
    client.force_login(people["member"])
    client.get(URL)
    AttachmentFactory(post=post, name="Смета.pdf")
    assert "Смета.pdf" in _article(client.get(URL), post)


def test_author_profile_change_shows_at_once(client, people, post):
    """The author changes their name, and then their profile (a photo): the post shows the
    new name, then the photo instead of the initials."""
    author = people["member"]
    client.force_login(people["initiative_admin"])
    client.get(URL)
    get_user_model().objects.filter(pk=author.pk).update(first_name="Новое", last_name="Имя")
    article = _article(client.get(URL), post)
    assert "Имя Новое" in article
    assert "avatar--initials" in article
    profile = author.profile
    profile.photo = f"photos/{author.pk}/x.jpg"
    profile.save()
    article = _article(client.get(URL), post)
    assert f"/files/photos/{author.pk}/" in article


def test_admin_controls_never_reach_a_member(people, post, gorki):
    """The initiative admin sees «Pin» and «Delete» on a fellow member's post; a second
    member then viewing the same post (cache warm) sees neither, nor «Edit»; the author sees
    «Edit» and «Delete» but not «Pin»."""
    other = MembershipFactory(initiative=gorki).user
    admin_page = _article(_csrf_client(people["initiative_admin"]).get(URL), post)
    assert "/pin/" in admin_page and "/delete/" in admin_page
    member_page = _article(_csrf_client(other).get(URL), post)
    assert "/pin/" not in member_page
    assert "/delete/" not in member_page
    assert "/edit/" not in member_page
    author_page = _article(_csrf_client(people["member"]).get(URL), post)
    assert "/edit/" in author_page and "/delete/" in author_page
    assert "/pin/" not in author_page


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _secrets(client, response, post) -> set[str]:
    """The CSRF secrets behind the tokens of ``post``'s forms (tokens are masked afresh on
    every page; the secret is what is tied to one browser)."""
    tokens = TOKEN.findall(_article(response, post))
    assert tokens
    return {_unmask_cipher_token(token) for token in tokens}


def test_no_csrf_token_leaks_between_users(people, post, gorki):
    """Two ordinary members with the same rights share the post's cached fragment (the second
    view renders no post template), yet the tokens in it are the second viewer's own (their
    cookie's secret, never the first's), and their comment with it is accepted."""
    one, two = (MembershipFactory(initiative=gorki).user for _ in range(2))
    first, second = _csrf_client(one), _csrf_client(two)
    first_response = first.get(URL)
    assert _post_renders(first_response) == 1
    second_response = second.get(URL)
    assert _post_renders(second_response) == 0
    first_secret = first.cookies[settings.CSRF_COOKIE_NAME].value
    second_secret = second.cookies[settings.CSRF_COOKIE_NAME].value
    assert first_secret != second_secret
    assert _secrets(first, first_response, post) == {first_secret}
    assert _secrets(second, second_response, post) == {second_secret}
    token = TOKEN.findall(_article(second_response, post))[0]
    posted = second.post(
        f"{URL}posts/{post.pk}/comments/", {"text": "Спасибо", "csrfmiddlewaretoken": token}
    )
    assert posted.status_code == 302
    assert Comment.objects.filter(post=post, text="Спасибо").exists()


def test_return_path_is_the_viewers_own(client, people, post):
    """The forms' «next» is the page being viewed, also when the fragment comes from a view of
    another page (the filtered feed)."""
    client.force_login(people["initiative_admin"])
    client.get(URL)
    filtered = client.get(URL, {"kind": post.kind})
    assert _post_renders(filtered) == 0
    assert f'value="{URL}?kind={post.kind}#post-{post.pk}"' in _article(filtered, post)


@pytest.mark.parametrize("size", [5, 60])
def test_cached_feed_queries_do_not_grow(
    client, people, gorki, size, django_assert_max_num_queries
):
    """With the posts' fragments cached, the feed page stays within the feed's query budget
    (test_feed_queries.BUDGET) at 5 and at 60 posts with comments and files."""
    _fill(gorki, size)
    client.force_login(people["initiative_admin"])
    client.get(URL)
    with django_assert_max_num_queries(BUDGET):
        response = client.get(URL)
    assert _post_renders(response) == 0
