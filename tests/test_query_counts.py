"""Public pages run a constant number of SQL queries however much content exists.

Each page is requested at two data sizes under the same ceiling; a query per row would
break the larger size first.
"""

import pytest

from tests.factories import StandardPageFactory, UserFactory

pytestmark = pytest.mark.django_db

SIZES = [3, 40]


def _fill(home_page, n):
    section = StandardPageFactory(parent=home_page, slug="about", title="О платформе")
    for i in range(n):
        StandardPageFactory(parent=section, slug=f"child-{i}", title=f"Кластер {i}")
        StandardPageFactory(parent=home_page, slug=f"top-{i}", title=f"Кластерная страница {i}")
    home_page.sections = [
        {"type": "initiatives", "value": {"heading": "Кластерные инициативы", "count": 4}},
        {"type": "news", "value": {"heading": "Новости", "count": 3}},
    ]
    home_page.save_revision().publish()
    return section


@pytest.mark.parametrize("size", SIZES)
def test_home_page_queries(client, home_page, size, django_assert_max_num_queries):
    """The home page, for a guest and for a signed-in user, within a fixed query budget."""
    _fill(home_page, size)
    _initiatives(size // 3)
    client.get("/")  # warm Wagtail's per-process caches (site root paths)
    with django_assert_max_num_queries(19):
        assert client.get("/").status_code == 200
    client.force_login(UserFactory())
    # The signed-in header also reads the bell's and the chat's unread counts (one query
    # each, then cached: the second page pays neither).
    with django_assert_max_num_queries(27):
        assert client.get("/").status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_content_page_with_children_queries(client, home_page, size, django_assert_max_num_queries):
    """A content page listing its child pages stays within a fixed query budget."""
    section = _fill(home_page, size)
    client.get(section.url)
    with django_assert_max_num_queries(14):
        assert client.get(section.url).status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_search_queries(client, home_page, size, django_assert_max_num_queries):
    """A search results page stays within a fixed query budget."""
    _fill(home_page, size)
    client.get("/search/", {"q": "Кластер"})
    with django_assert_max_num_queries(14):
        assert client.get("/search/", {"q": "Кластер"}).status_code == 200


def _initiatives(n):
    from tests.factories import (
        ImageFactory,
        IndustryFactory,
        InitiativePageFactory,
        MembershipFactory,
        NewsPageFactory,
        news_index,
    )

    news_index()
    industries = [IndustryFactory(slug="biotech"), IndustryFactory(slug="composites")]
    pages = []
    for i in range(n):
        page = InitiativePageFactory(
            slug=f"cluster-{i}", industries=industries, logo=ImageFactory()
        )
        for _member in range(3):
            MembershipFactory(initiative=page)
        for j in range(3):
            NewsPageFactory(
                parent=page,
                slug=f"news-{i}-{j}",
                tags=["семинар", f"тег{j}"],
                image=ImageFactory() if j == 0 else None,
            )
        pages.append(page)
    return pages


@pytest.mark.parametrize("size", [2, 12])
def test_initiatives_index_queries(client, home_page, size, django_assert_max_num_queries):
    """/initiatives/ with filters: the same ceiling with 2 and 12 initiatives."""
    _initiatives(size)
    client.get("/initiatives/")
    with django_assert_max_num_queries(17):
        assert client.get("/initiatives/").status_code == 200
    with django_assert_max_num_queries(17):
        assert client.get("/initiatives/", {"industry": "biotech"}).status_code == 200


@pytest.mark.parametrize("size", [2, 12])
def test_initiative_page_queries(client, home_page, size, django_assert_max_num_queries):
    """An initiative page with its news, organisations, upcoming events and plan, and its open
    ideas: constant in queries."""
    pages = _initiatives(size)
    url = pages[0].url
    client.get(url)
    with django_assert_max_num_queries(30):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("size", [2, 12])
def test_news_index_queries(client, home_page, size, django_assert_max_num_queries):
    """/news/ (12 items a page, tags, initiatives) and its feed: constant in queries."""
    _initiatives(size)
    client.get("/news/")
    with django_assert_max_num_queries(18):
        assert client.get("/news/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/news/feed/").status_code == 200


@pytest.mark.parametrize("size", [2, 30])
def test_cabinet_queries(client, home_page, size, django_assert_max_num_queries):
    """The personal cabinet (profile form, organisation suggestions, the user's memberships)
    stays within a fixed budget however many organisations and initiatives exist."""
    from tests.factories import InitiativePageFactory, MembershipFactory, OrganisationFactory

    user = None
    for i in range(size):
        OrganisationFactory()
        membership = MembershipFactory(
            initiative=InitiativePageFactory(slug=f"c-{i}"),
            **({"user": user} if user else {}),
            status="approved" if i % 2 else "rejected",
        )
        user = membership.user
    client.force_login(user)
    client.get("/cabinet/")
    with django_assert_max_num_queries(24):
        assert client.get("/cabinet/").status_code == 200
