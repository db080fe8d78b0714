"""/ideas/rss/: RSS 2.0 of the latest public approved ideas, the same for every role, with
organisations and never a person's name."""

from __future__ import annotations

import pytest
from defusedxml import ElementTree as ET

from ideas_exchange.models import Idea
from tests.conftest import EXTRANET_ROLES
from tests.ideas_exchange.factories import IdeaFactory

pytestmark = pytest.mark.django_db

RSS = "/ideas/rss/"


@pytest.mark.parametrize("role", EXTRANET_ROLES)
def test_feed_is_the_guest_view_for_every_role(role, people, client_for, public_idea, gorki):
    """Whoever asks gets public approved ideas only: not registered-only, members-only,
    waiting or hidden ones; items credit the organisation, and no one's name is in it."""
    IdeaFactory(title="Для зарегистрированных", visibility=Idea.Visibility.REGISTERED)
    IdeaFactory(title="Для участников", initiative=gorki, visibility=Idea.Visibility.MEMBERS)
    IdeaFactory(title="Ждёт", moderation=Idea.Moderation.PENDING, published_at=None)
    IdeaFactory(title="Скрыта", moderation=Idea.Moderation.HIDDEN)
    response = client_for(people[role]).get(RSS)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    body = response.content.decode()
    channel = ET.fromstring(response.content).find("channel")
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert len(titles) == 1 and public_idea.title in titles[0]
    item = channel.find("item")
    assert item.findtext("link").endswith(f"/ideas/{public_idea.pk}/")
    assert "УО «БГСХА»" in body
    author = people["member"]
    for part in (author.first_name, author.last_name, author.email):
        assert part not in body


def test_feed_holds_the_latest_thirty(client, ideas_page):
    """At most 30 items, the newest first."""
    for i in range(35):
        IdeaFactory(title=f"Идея номер {i}")
    channel = ET.fromstring(client.get(RSS).content).find("channel")
    items = channel.findall("item")
    assert len(items) == 30
    assert "Идея номер 34" in items[0].findtext("title")
