"""News: under each initiative, aggregated at /news/ with filters, pagination and feeds."""

import pytest
from defusedxml import ElementTree as ET

from initiatives.models import NewsPage
from tests.factories import NewsPageFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def test_news_knows_its_initiative_from_the_tree(gorki):
    """A news item under an initiative is linked to it; one under /news/ is platform-wide."""
    item = NewsPageFactory(parent=gorki)
    platform = NewsPageFactory()
    assert NewsPage.objects.get(pk=item.pk).initiative_id == gorki.pk
    assert NewsPage.objects.get(pk=platform.pk).initiative_id is None


def test_news_index_aggregates_every_initiative(client, gorki, polotsk):
    """/news/ lists the news of all initiatives and the platform's own, newest first."""
    NewsPageFactory(parent=gorki, title="Семинар в Горках")
    NewsPageFactory(parent=polotsk, title="Круглый стол в Полоцке")
    NewsPageFactory(title="Запуск платформы")
    NewsPageFactory(parent=gorki, title="Черновая новость", publish=False, live=False)
    html = client.get("/news/").content.decode()
    for title in ("Семинар в Горках", "Круглый стол в Полоцке", "Запуск платформы"):
        assert title in html
    assert "Черновая новость" not in html
    assert html.index("Запуск платформы") < html.index("Семинар в Горках")


def test_news_index_filters_by_initiative_and_tag(client, gorki, polotsk):
    """?initiative= and ?tag= narrow the list; unknown values give an empty list, not an error."""
    NewsPageFactory(parent=gorki, title="Семинар в Горках", tags=["семинар"])
    NewsPageFactory(parent=polotsk, title="Семинар в Полоцке", tags=["семинар"])
    NewsPageFactory(parent=polotsk, title="Выставка в Полоцке", tags=["выставка"])
    by_initiative = client.get("/news/", {"initiative": "polotsk"}).content.decode()
    assert '<option value="polotsk" selected>Полоцк</option>' in by_initiative
    assert "Семинар в Полоцке" in by_initiative and "Семинар в Горках" not in by_initiative
    tag_slug = NewsPage.objects.get(title="Выставка в Полоцке").tags.get().slug
    by_tag = client.get("/news/", {"tag": tag_slug}).content.decode()
    assert "Выставка в Полоцке" in by_tag and "Семинар в Полоцке" not in by_tag
    nothing = client.get("/news/", {"initiative": "no-such", "tag": "<b>"})
    assert nothing.status_code == 200
    assert not nothing.context["page_obj"].object_list


def test_news_index_paginates(client, gorki):
    """More news than a page holds are split into numbered pages; a bad page number is safe."""
    for n in range(15):
        NewsPageFactory(parent=gorki, title=f"Новость номер {n}")
    first = client.get("/news/")
    second = client.get("/news/", {"page": 2})
    assert len(first.context["page_obj"].object_list) == 12
    assert len(second.context["page_obj"].object_list) == 3
    assert client.get("/news/", {"page": "x"}).status_code == 200


def test_rss_and_atom_feeds(client, gorki, polotsk):
    """Both feeds are valid XML listing the news with absolute links; filters apply to them."""
    NewsPageFactory(parent=gorki, title="Семинар в Горках", tags=["семинар"])
    NewsPageFactory(parent=polotsk, title="Круглый стол в Полоцке")
    rss = client.get("/news/feed/")
    assert rss.status_code == 200 and "rss" in rss["Content-Type"]
    items = ET.fromstring(rss.content).findall("./channel/item")
    assert {i.findtext("title") for i in items} == {"Семинар в Горках", "Круглый стол в Полоцке"}
    assert all(i.findtext("link").startswith("http://testserver/") for i in items)

    atom = client.get("/news/feed/atom/", {"initiative": "gorki"})
    assert atom.status_code == 200 and "atom" in atom["Content-Type"]
    entries = ET.fromstring(atom.content).findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Семинар в Горках"]


def test_news_page_shows_body_tags_and_initiative(client, gorki):
    """A news item shows its date, lead, tags linking to the filtered list, and its cluster."""
    item = NewsPageFactory(parent=gorki, title="Семинар в Горках", tags=["семинар"])
    html = client.get(item.url).content.decode()
    assert "Семинар в Горках" in html and item.intro in html
    assert "/news/?tag=" in html
    assert 'href="/initiatives/gorki/"' in html
