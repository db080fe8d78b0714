"""Wagtail dashboard panels (home/admin_panels.py): «Недавно опубликованные» lists the latest
published pages the viewer may edit, with links to edit and view, in a fixed number of
queries; Wagtail's own «Awaiting your review» shows the editors what waits for them."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from home.admin_panels import RecentlyPublishedPanel, recently_published
from initiatives.services import initiative_admin_sync
from tests.conftest import EXTRANET_ROLES
from tests.factories import NewsPageFactory
from tests.initiatives.test_moderation import moderate

pytestmark = pytest.mark.django_db

DASHBOARD = "/admin/"


@pytest.fixture
def admin_of_gorki(gorki, people):
    initiative_admin_sync(user=people["initiative_admin"], initiative=gorki, is_admin=True)
    return people["initiative_admin"]


def _panel_html(user) -> str:
    request = RequestFactory().get(DASHBOARD)
    request.user = user
    return RecentlyPublishedPanel(request).render_html({"request": request})


def test_editor_sees_both_panels(gorki, people, admin_of_gorki, client):
    """With a news item of a moderated initiative waiting, the editor's dashboard has
    Wagtail's «Awaiting your review» with it and «Recently published» with the latest item,
    its edit link and its public address."""
    gorki = moderate(gorki)
    published = NewsPageFactory(parent=gorki, title="Опубликованная новость")
    waiting = NewsPageFactory(parent=gorki, publish=False, live=False, title="Ждёт проверки")
    waiting.save_revision(user=admin_of_gorki)
    waiting.get_workflow().start(waiting, admin_of_gorki)
    client.force_login(people["editor"])
    html = client.get(DASHBOARD).content.decode()
    assert 'id="awaiting-review"' in html or "awaiting-review" in html
    assert "Ждёт проверки" in html
    assert "recently-published" in html
    assert "Опубликованная новость" in html
    assert reverse("wagtailadmin_pages:edit", args=[published.pk]) in html
    assert published.url in html


def test_initiative_admin_sees_only_pages_they_may_edit(gorki, polotsk, people, admin_of_gorki):
    """An initiative admin's «Recently published» lists their initiative's pages, not the
    other initiative's news."""
    NewsPageFactory(parent=gorki, title="Новость Горок")
    NewsPageFactory(parent=polotsk, title="Новость Полоцка")
    titles = [row.title for row in recently_published(user=admin_of_gorki)]
    assert "Новость Горок" in titles
    assert "Новость Полоцка" not in titles
    editor_titles = [row.title for row in recently_published(user=people["editor"])]
    assert {"Новость Горок", "Новость Полоцка"} <= set(editor_titles)


def test_rows_carry_the_author_and_the_newest_first(gorki, people, admin_of_gorki):
    """The author is the revision's author; rows are newest first, at most ten."""
    for n in range(12):
        item = NewsPageFactory(parent=gorki, publish=False, title=f"Новость {n:02d}")
        item.save_revision(user=admin_of_gorki).publish()
    rows = recently_published(user=people["editor"])
    assert len(rows) == 10
    assert rows[0].title == "Новость 11"
    name = admin_of_gorki.get_full_name() or admin_of_gorki.email
    assert rows[0].author == name


@pytest.mark.parametrize("extra", [2, 12])
def test_panel_queries_do_not_grow(extra, gorki, people, django_assert_max_num_queries):
    """Rendering the panel costs the same few queries with 2 pages or 12 (and more)."""
    for n in range(extra):
        NewsPageFactory(parent=gorki, title=f"Новость {n}")
    user = type(people["editor"]).objects.get(pk=people["editor"].pk)
    with django_assert_max_num_queries(8):
        html = _panel_html(user)
    assert "recently-published" in html


@pytest.mark.parametrize("role", EXTRANET_ROLES)
def test_dashboard_per_role(role, gorki, people, admin_of_gorki, client_for):
    """The dashboard (Wagtail's URL, where the panel is added): guests and people without
    Wagtail admin are sent away; editors, the initiative admin and the portal admin see the
    panel with what they may edit."""
    NewsPageFactory(parent=gorki, title="Новость для панели")
    response = client_for(people[role]).get(DASHBOARD)
    if role in ("editor", "initiative_admin", "portal_admin"):
        assert response.status_code == 200
        html = response.content.decode()
        assert "recently-published" in html and "Новость для панели" in html
    else:
        assert response.status_code == 302
        assert "recently-published" not in response.content.decode()
