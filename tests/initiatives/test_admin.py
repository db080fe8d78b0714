"""Wagtail admin: editors publish news everywhere; an initiative admin edits only their subtree."""

import pytest
from django.urls import reverse

from initiatives.models import NewsPage
from initiatives.services import initiative_admin_group_ensure, initiative_admin_sync
from tests.factories import EditorFactory, UserFactory, news_index

pytestmark = pytest.mark.django_db


def _add_news(client, parent, title):
    return client.post(
        reverse("wagtailadmin_pages:add", args=["initiatives", "newspage", parent.pk]),
        {
            "title": title,
            # The editor's JavaScript fills the slug from the title; a plain POST must send it.
            "slug": f"news-{sum(map(ord, title))}",
            "date": "2026-11-20",
            "intro": "Анонс для ленты",
            "body-count": "0",
            "tags": "семинар",
            "action-publish": "publish",
        },
    )


def test_editor_publishes_news_that_appears_everywhere(client, gorki):
    """News published in Wagtail admin shows on the initiative page, /news/ and the feed."""
    client.force_login(EditorFactory())
    response = _add_news(client, gorki, "Итоги семинара в Горках")
    assert response.status_code == 302, response.content.decode()[:3000]
    item = NewsPage.objects.get(title="Итоги семинара в Горках")
    assert item.live and item.initiative_id == gorki.pk
    client.logout()
    assert "Итоги семинара в Горках" in client.get("/initiatives/gorki/").content.decode()
    assert "Итоги семинара в Горках" in client.get("/news/").content.decode()
    assert "Итоги семинара в Горках" in client.get("/news/feed/").content.decode()


def test_every_initiative_gets_its_own_admin_group(gorki, polotsk):
    """Creating an initiative creates a Wagtail group with page permissions on it alone."""
    gorki.refresh_from_db()
    polotsk.refresh_from_db()
    assert gorki.admin_group and polotsk.admin_group
    assert gorki.admin_group != polotsk.admin_group
    pages = set(gorki.admin_group.page_permissions.values_list("page_id", flat=True))
    assert pages == {gorki.pk}
    assert initiative_admin_group_ensure(initiative=gorki) == gorki.admin_group
    gorki.short_name = "Горки-2"
    gorki.save_revision().publish()
    gorki.refresh_from_db()
    assert "Горки-2" in gorki.admin_group.name


def test_initiative_admin_edits_own_subtree_only(client, gorki, polotsk, home_page):
    """An initiative admin can edit and add news under their initiative, and nothing else."""
    admin = UserFactory()
    initiative_admin_sync(user=admin, initiative=gorki, is_admin=True)
    client.force_login(admin)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[gorki.pk])).status_code == 200
    response = _add_news(client, gorki, "Новость от администратора Горок")
    assert response.status_code == 302
    own_news = NewsPage.objects.get(title="Новость от администратора Горок")
    assert own_news.live
    assert client.get(reverse("wagtailadmin_pages:edit", args=[own_news.pk])).status_code == 200

    for other in (polotsk, home_page, news_index()):
        response = client.get(reverse("wagtailadmin_pages:edit", args=[other.pk]))
        assert response.status_code in (302, 403), other
        assert not other.permissions_for_user(admin).can_edit()
    assert _add_news(client, polotsk, "Чужая новость").status_code in (302, 403)
    assert not NewsPage.objects.filter(title="Чужая новость").exists()


def test_taking_the_role_removes_the_permissions(gorki):
    """When the role is taken away, the user can no longer edit the initiative."""
    admin = UserFactory()
    initiative_admin_sync(user=admin, initiative=gorki, is_admin=True)
    assert gorki.permissions_for_user(admin).can_edit()
    initiative_admin_sync(user=admin, initiative=gorki, is_admin=False)
    admin = type(admin).objects.get(pk=admin.pk)  # drop cached permissions
    assert not gorki.permissions_for_user(admin).can_edit()
