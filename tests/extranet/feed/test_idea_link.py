"""«Предложение» linking an idea of the ideas exchange: the composer offers the ideas the
author may see (the initiative's, the platform's and their own, open ones), accepts only
those, links nothing for other kinds, and a post shows the link only to readers the exchange
lets see the idea (``ideas_exchange.permissions``), in the same number of queries."""

from __future__ import annotations

import re

import pytest

from extranet.feed.models import Post
from ideas_exchange.models import Idea
from tests.factories import MembershipFactory, PostFactory
from tests.ideas_exchange.factories import IdeaFactory, ideas_page

pytestmark = pytest.mark.django_db


def url(suffix=""):
    return f"/en/cabinet/groups/gorki/{suffix}"


@pytest.fixture
def ideas(home_page, gorki, polotsk, people):
    ideas_page()
    return {
        "ours": IdeaFactory(title="Запрос Горок", initiative=gorki),
        "platform": IdeaFactory(kind=Idea.Kind.OFFER, title="Предложение платформы"),
        "mine_elsewhere": IdeaFactory(
            kind=Idea.Kind.PROJECT,
            title="Мой проект в Полоцке",
            initiative=polotsk,
            author=people["member"],
        ),
        "theirs": IdeaFactory(title="Запрос Полоцка", initiative=polotsk),
        "closed": IdeaFactory(title="Закрытая идея", initiative=gorki, status="closed"),
        "pending": IdeaFactory(title="Ждёт модерации", initiative=gorki, moderation="pending"),
        "polotsk_members": IdeaFactory(
            title="Только для Полоцка", initiative=polotsk, visibility="members"
        ),
    }


def test_composer_offers_only_open_ideas_the_author_may_see(client_for, people, ideas):
    """gorki's, the platform's and the author's own ideas; not another initiative's, closed,
    waiting or members-only ideas of an initiative the author is not in."""
    html = client_for(people["member"]).get(url("posts/new/")).content.decode()
    assert 'name="idea"' in html
    for key in ("ours", "platform", "mine_elsewhere"):
        assert ideas[key].title in html, key
    for key in ("theirs", "closed", "pending", "polotsk_members"):
        assert ideas[key].title not in html, key


def test_a_proposal_links_the_chosen_idea_and_shows_it(client_for, people, ideas):
    """A posted «Предложение» keeps the idea; the feed and the post page link its page."""
    client = client_for(people["member"])
    response = client.post(
        url("posts/new/"), {"text": "Посмотрите идею", "kind": "proposal", "idea": ideas["ours"].pk}
    )
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.idea_id == ideas["ours"].pk
    link = f'href="/en/ideas/{ideas["ours"].pk}/"'
    assert link in client.get(url()).content.decode()
    assert link in client.get(url(f"posts/{post.pk}/")).content.decode()


@pytest.mark.parametrize("target", ["theirs", "closed", "pending", "polotsk_members", "missing"])
def test_a_tampered_idea_is_refused_and_the_text_kept(client_for, people, ideas, target):
    """An id that was not offered is a form error: nothing saved, the text comes back."""
    idea_id = 999999 if target == "missing" else ideas[target].pk
    response = client_for(people["member"]).post(
        url("posts/new/"), {"text": "Моё предложение", "kind": "proposal", "idea": idea_id}
    )
    assert response.status_code == 200
    assert not Post.objects.exists()
    html = response.content.decode()
    assert "Моё предложение" in html
    if target != "missing":
        assert ideas[target].title not in html


def test_other_kinds_link_nothing(client_for, people, ideas):
    """A news post with an idea chosen is saved without the link."""
    client_for(people["member"]).post(
        url("posts/new/"), {"text": "Новость", "kind": "news", "idea": ideas["ours"].pk}
    )
    assert Post.objects.get().idea_id is None


def test_the_link_shows_only_to_readers_who_may_see_the_idea(
    client_for, people, ideas, gorki, polotsk
):
    """A members-only idea of «polotsk», linked by a member of both: gorki's other readers
    who are not in polotsk see the post without the link; the portal admin sees it. A hidden
    idea's link stays for its author and moderators only."""
    author = people["member"]
    MembershipFactory(initiative=polotsk, user=author)
    post = PostFactory(initiative=gorki, author=author, kind="proposal", text="Для своих")
    post.idea = ideas["polotsk_members"]
    post.save()
    link = f"/en/ideas/{ideas['polotsk_members'].pk}/"
    assert link in client_for(author).get(url()).content.decode()
    assert link in client_for(people["portal_admin"]).get(url()).content.decode()
    other = client_for(people["initiative_admin"]).get(url()).content.decode()
    assert "Для своих" in other and link not in other and "Только для Полоцка" not in other

    hidden = IdeaFactory(title="Скрытая идея", author=author, moderation="hidden")
    post.idea = hidden
    post.save()
    assert "Скрытая идея" in client_for(author).get(url()).content.decode()
    assert "Скрытая идея" in client_for(people["portal_admin"]).get(url()).content.decode()
    assert "Скрытая идея" not in client_for(people["initiative_admin"]).get(url()).content.decode()


def test_a_deleted_idea_leaves_the_post_unlinked(client_for, people, ideas, gorki):
    """The idea goes: the post stays, without a link."""
    post = PostFactory(initiative=gorki, author=people["member"], kind="proposal")
    post.idea = ideas["ours"]
    post.save()
    ideas["ours"].delete()
    post.refresh_from_db()
    assert post.idea_id is None
    response = client_for(people["member"]).get(url())
    assert response.status_code == 200 and "Запрос Горок" not in response.content.decode()


def test_editing_keeps_the_link_to_an_idea_closed_since(client_for, people, ideas, gorki):
    """The edit form still offers the post's own idea after it closed."""
    post = PostFactory(initiative=gorki, author=people["member"], kind="proposal")
    post.idea = ideas["closed"]
    post.save()
    response = client_for(people["member"]).post(
        url(f"posts/{post.pk}/edit/"),
        {"text": "Исправлено", "kind": "proposal", "idea": ideas["closed"].pk},
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.text == "Исправлено" and post.idea_id == ideas["closed"].pk


@pytest.mark.parametrize("role", ["guest", "registered", "other_member", "editor"])
def test_only_writers_reach_the_composer(client_for, people, ideas, role):
    """Who may not post in gorki gets neither the composer nor its idea choices."""
    response = client_for(people[role]).get(url("posts/new/"))
    assert response.status_code in (302, 403, 404)
    assert "Запрос Горок" not in response.content.decode()


def test_the_feed_links_ideas_in_constant_queries(client_for, people, ideas, gorki):
    """Linked ideas cost the same queries for 2 and 12 posts (one lookup for the page)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(people["member"])

    def add(count):
        for _n in range(count):
            idea = IdeaFactory(title="Идея для ленты", initiative=gorki)
            PostFactory(initiative=gorki, author=people["member"], kind="proposal", idea=idea)

    def measure():
        client.get(url())
        with CaptureQueriesContext(connection) as captured:
            html = client.get(url()).content.decode()
        return len(captured), len(re.findall(r'href="/en/ideas/\d+/"', html))

    add(2)
    small, links_small = measure()
    add(10)
    large, links_large = measure()
    assert (links_small, links_large) == (2, 12)
    assert small == large
