"""Site search over live public pages."""

import pytest
from django.db import connection

from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def test_search_finds_live_pages_only(client, home_page):
    """A query finds a published page by its text and never a draft."""
    StandardPageFactory(parent=home_page, title="Биотехнологии Горки", slug="gorki")
    StandardPageFactory(
        parent=home_page, title="Биотехнологии черновик", slug="draft", publish=False, live=False
    )
    response = client.get("/search/", {"q": "Биотехнологии"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Биотехнологии Горки" in html
    assert "Биотехнологии черновик" not in html


def test_empty_and_oversized_queries_are_handled(client, home_page):
    """No query shows the form only; a 10 KB query is trimmed, not an error."""
    assert client.get("/search/").status_code == 200
    response = client.get("/search/", {"q": "кластер " * 1300})
    assert response.status_code == 200
    assert len(response.context["search_query"]) <= 200


def test_no_results_shows_empty_state(client, home_page):
    """A query that matches nothing says so."""
    html = client.get("/search/", {"q": "несуществующееслово"}).content.decode()
    assert "Ничего не найдено" in html


def test_results_are_paginated(client, home_page):
    """More results than a page holds are split into numbered pages."""
    for n in range(12):
        StandardPageFactory(parent=home_page, title=f"Кластер номер {n}", slug=f"k{n}")
    first = client.get("/search/", {"q": "Кластер"})
    second = client.get("/search/", {"q": "Кластер", "page": 2})
    assert len(first.context["search_results"].object_list) == 10
    assert len(second.context["search_results"].object_list) == 2
    assert client.get("/search/", {"q": "Кластер", "page": "abc"}).status_code == 200


@pytest.mark.postgres
def test_russian_stemming_on_postgres(client, home_page):
    """On PostgreSQL, search uses the Russian configuration: an inflected form finds the page."""
    if connection.vendor != "postgresql":
        pytest.skip("Russian full-text configuration exists on PostgreSQL only")
    StandardPageFactory(parent=home_page, title="Участники кластера", slug="members-page")
    html = client.get("/search/", {"q": "кластерами участников"}).content.decode()
    assert "Участники кластера" in html
