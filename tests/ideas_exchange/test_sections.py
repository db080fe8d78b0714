"""The home page's «Биржа идей» section and the initiative page's open ideas."""

from __future__ import annotations

import pytest

from home import sections
from ideas_exchange.models import Idea
from tests.conftest import EXTRANET_ROLES
from tests.ideas_exchange.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def test_home_section_source_gives_latest_public_ideas(rf, ideas_page, gorki):
    """The registered IDEAS source gives the newest public approved ideas as cards linking
    to their pages (kind as the badge, the organisation in the meta line), and the board
    for «all»; no members-only, registered-only or waiting idea."""
    old = IdeaFactory(title="Старая публичная", organisation_name="ООО «Ромашка»")
    new = IdeaFactory(title="Новая публичная")
    IdeaFactory(title="Для своих", initiative=gorki, visibility=Idea.Visibility.MEMBERS)
    IdeaFactory(title="Для вошедших", visibility=Idea.Visibility.REGISTERED)
    IdeaFactory(title="Ждёт", moderation=Idea.Moderation.PENDING, published_at=None)
    source = sections.get_section_source(sections.IDEAS)
    assert source is not None
    request = rf.get("/")
    cards = source.items(request, 5)
    assert [card.title for card in cards] == [new.title, old.title]
    assert cards[1].url == f"/ideas/{old.pk}/"
    assert "ООО «Ромашка»" in cards[1].meta
    assert cards[1].badge == str(Idea.Kind.REQUEST.label)
    assert source.items(request, 1)[0].title == new.title
    assert source.index_url(request) == "/ideas/"


def test_home_section_without_the_board(rf, db, home_page):
    """Without a live /ideas/ page the section has no cards and no «all» link."""
    source = sections.get_section_source(sections.IDEAS)
    assert source.items(rf.get("/"), 3) == []
    assert source.index_url(rf.get("/")) is None


def test_home_page_shows_the_section(client, home_page, ideas_page):
    """The home page's ideas block lists the public ideas with their links."""
    home_page.sections = [{"type": "ideas", "value": {"heading": "Биржа идей", "count": 3}}]
    home_page.save_revision().publish()
    idea = IdeaFactory(title="Испытания композитов")
    html = client.get("/").content.decode()
    assert "Испытания композитов" in html and f'href="/ideas/{idea.pk}/"' in html


@pytest.mark.parametrize("role", EXTRANET_ROLES)
def test_initiative_page_open_ideas_for_every_role(
    role, people, client_for, ideas_page, gorki, polotsk
):
    """An initiative page lists its open ideas the visitor may see, not closed ones nor other
    initiatives', members-only ones only for its members, admins and moderators; with a
    link to the board filtered by it; no names for guests."""
    IdeaFactory(title="Открытая идея Горок", initiative=gorki, author=people["member"])
    IdeaFactory(title="Закрытая идея Горок", initiative=gorki, status=Idea.Status.CLOSED)
    IdeaFactory(title="Идея Полоцка", initiative=polotsk)
    IdeaFactory(title="Только участникам", initiative=gorki, visibility=Idea.Visibility.MEMBERS)
    response = client_for(people[role]).get(gorki.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Открытая идея Горок" in html
    assert "Закрытая идея Горок" not in html and "Идея Полоцка" not in html
    inside = role in {"member", "initiative_admin", "editor", "portal_admin"}
    assert ("Только участникам" in html) == inside
    assert 'href="/ideas/?initiative=gorki"' in html
    assert (people["member"].get_full_name() in html) == (role != "guest")


def test_initiative_page_without_ideas_exchange(client, ideas_page, gorki):
    """An initiative that does not take part in the exchange shows no ideas section."""
    IdeaFactory(title="Открытая идея Горок", initiative=gorki)
    gorki.ideas_enabled = False
    gorki.save_revision().publish()
    html = client.get(gorki.url).content.decode()
    assert "Открытая идея Горок" not in html
    assert "/ideas/?initiative=gorki" not in html
