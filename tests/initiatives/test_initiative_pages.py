"""Guests browse /initiatives/ and a cluster's page; no person's data is ever shown to them."""

import re

import pytest

from initiatives.extensions import OrganisationItem
from initiatives.models import InitiativePage
from tests.factories import InitiativePageFactory, NewsPageFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_index_lists_published_initiatives_as_cards(client, gorki, polotsk):
    """Every live initiative appears with its name, summary, region and stage; drafts do not."""
    InitiativePageFactory(title="Черновик кластера", slug="draft", live=False)
    html = client.get("/initiatives/").content.decode()
    for text in (gorki.title, polotsk.title, "Могилёвская область", gorki.summary):
        assert text in html
    assert "Черновик кластера" not in html
    assert "Действующий" in html and "Формирование" in html
    # The filter selects offer the regions and industries of live initiatives.
    assert '<option value="mogilev">Могилёвская область</option>' in html
    assert '<option value="biotech">Биотехнологии</option>' in html


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"region": "vitebsk"}, "Полоцк", "Горецкого"),
        ({"industry": "biotech"}, "Горецкого", "Полоцк"),
        ({"stage": "forming"}, "Полоцк", "Горецкого"),
    ],
)
def test_index_filters(client, gorki, polotsk, query, shown, hidden):
    """Filters by region, industry and stage narrow the list."""
    html = client.get("/initiatives/", query).content.decode()
    cards = re.findall(r"<h[23][^>]*>.*?</h[23]>", html, re.S)
    text = " ".join(cards)
    assert shown in text
    assert hidden not in text


def test_index_bad_filter_values_are_ignored(client, gorki):
    """An unknown stage or a 10 KB region value neither errors nor hides everything wrongly."""
    response = client.get("/initiatives/", {"stage": "<script>", "region": "x" * 10_000})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()
    assert client.get("/initiatives/", {"stage": "bogus"}).context["filters"].stage == ""


def test_initiative_page_shows_public_information(client, gorki):
    """The cluster page shows its full and short name, region, stage, website and contact card."""
    html = client.get("/initiatives/gorki/").content.decode()
    for text in (
        gorki.title,
        "Горки",
        "Могилёвская область",
        "Биотехнологии",
        "https://cluster.example.org/",
        "Тимаев Андрей",
        "+375 29 527 8510",
        "contact@cluster.example.org",
        "О кластере и его участниках.",
    ):
        assert text in html, text


def test_participating_organisations_empty_state_and_provider(
    client, gorki, organisations_provider
):
    """Without members the section shows its empty state; a provider fills it with organisations."""
    html = client.get("/initiatives/gorki/").content.decode()
    assert "появится" in html
    organisations_provider[gorki.pk] = [
        OrganisationItem(name="БГСХА", kind="Университет"),
        OrganisationItem(name="ООО «Технопарк Горки»", kind="Компания"),
    ]
    html = client.get("/initiatives/gorki/").content.decode()
    assert "БГСХА" in html and "Технопарк Горки" in html
    index = client.get("/initiatives/").content.decode()
    assert re.search(r"Организаций-участников: 2|Member organisations: 2", index)


def test_guest_never_sees_members_personal_data(client, gorki, organisations_provider):
    """Scanning the public pages finds no registered person's e-mail; only the editor's card."""
    people = [UserFactory(email=f"member{n}@people.example.com") for n in range(3)]
    organisations_provider[gorki.pk] = [OrganisationItem(name="БГСХА")]
    NewsPageFactory(parent=gorki, title="Семинар в Горках")
    for path in ("/", "/initiatives/", "/initiatives/gorki/", "/news/"):
        html = client.get(path).content.decode()
        for person in people:
            assert person.email not in html, (path, person.email)
        addresses = set(re.findall(r"[\w.+-]+@[\w-]+\.[\w.]+", html))
        assert addresses <= {"contact@cluster.example.org", "platform@example.org"}, addresses


def test_join_call_to_action_for_guests_users_and_invitation_only(client, gorki):
    """Guests are sent to sign up, users to the cabinet with the initiative chosen; an
    invitation-only cluster shows a note instead of a button."""
    guest_html = client.get("/initiatives/gorki/").content.decode()
    assert "/accounts/signup/?next=" in guest_html
    assert "initiative%3Dgorki" in guest_html or "initiative=gorki" in guest_html

    client.force_login(UserFactory())
    user_html = client.get("/initiatives/gorki/").content.decode()
    assert 'href="/cabinet/?initiative=gorki"' in user_html

    gorki.join_policy = InitiativePage.JoinPolicy.INVITATION
    gorki.save_revision().publish()
    invite_html = client.get("/initiatives/gorki/").content.decode()
    assert 'href="/cabinet/?initiative=gorki"' not in invite_html
    assert "приглашени" in invite_html


def test_initiative_page_shows_latest_news_only_its_own(client, gorki, polotsk):
    """The cluster page lists its three latest news, newest first, and none of another cluster."""
    for n in range(5):
        NewsPageFactory(parent=gorki, title=f"Новость Горок {n}")
    NewsPageFactory(parent=polotsk, title="Новость Полоцка")
    html = client.get("/initiatives/gorki/").content.decode()
    assert "Новость Горок 4" in html and "Новость Горок 2" in html
    assert "Новость Горок 1" not in html
    assert "Новость Полоцка" not in html
    assert html.index("Новость Горок 4") < html.index("Новость Горок 3")


def test_home_page_lists_initiatives_and_news(client, home_page, gorki):
    """The home page's sections are filled by the initiatives app."""
    NewsPageFactory(parent=gorki, title="Свежая новость кластера")
    home_page.sections = [
        {"type": "initiatives", "value": {"heading": "Кластерные инициативы", "count": 4}},
        {"type": "news", "value": {"heading": "Новости", "count": 3}},
    ]
    home_page.save_revision().publish()
    html = client.get("/").content.decode()
    assert gorki.title in html
    assert "Свежая новость кластера" in html
    assert 'href="/initiatives/"' in html and 'href="/news/"' in html


def test_main_menu_links_the_new_sections(client, gorki):
    """«Кластерные инициативы» and «Новости» appear in the main menu once their pages exist."""
    NewsPageFactory(title="Новость платформы")
    html = client.get("/").content.decode()
    nav = html[html.index("Главное меню") :]
    assert "Кластерные инициативы" in nav and "Новости" in nav
