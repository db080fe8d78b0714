"""The portal admin's registry of initiatives at /cabinet/admin/initiatives/."""

import pytest
from django.urls import reverse

from tests.factories import InitiativePageFactory, PortalAdminFactory, SuperuserFactory

pytestmark = pytest.mark.django_db

URL = "/cabinet/admin/initiatives/"


@pytest.mark.parametrize("factory", [PortalAdminFactory, SuperuserFactory])
def test_portal_admin_sees_every_initiative_with_admin_links(client, gorki, factory):
    """Name, contact, phone, e-mail, site and «Изменить»/«Удалить» links per initiative, drafts
    included, plus «Добавить кластерную инициативу»."""
    draft = InitiativePageFactory(title="Черновик инициативы", slug="draft", live=False)
    client.force_login(factory())
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        gorki.title,
        "Тимаев Андрей",
        "+375 29 527 8510",
        gorki.contact_email,
        gorki.website,
        draft.title,
    ):
        assert text in html
    assert reverse("wagtailadmin_pages:edit", args=[gorki.pk]) in html
    assert reverse("wagtailadmin_pages:delete", args=[gorki.pk]) in html
    add_url = reverse(
        "wagtailadmin_pages:add", args=["initiatives", "initiativepage", gorki.get_parent().pk]
    )
    assert add_url in html
    assert "Добавить кластерную инициативу" in html


def test_the_add_link_opens_wagtails_form(client, gorki):
    """The «add» link leads to a working Wagtail page form for the portal admin."""
    client.force_login(SuperuserFactory())
    add_url = reverse(
        "wagtailadmin_pages:add", args=["initiatives", "initiativepage", gorki.get_parent().pk]
    )
    assert client.get(add_url).status_code == 200


def test_empty_registry(client, home_page):
    """With no initiatives yet the page says so instead of showing an empty table."""
    client.force_login(PortalAdminFactory())
    assert "Пока нет кластерных инициатив" in client.get(URL).content.decode()


def test_everyone_else_gets_403(client, gorki, registered_user, editor):
    """Guests, registered users and editors are refused with the designed 403 page."""
    assert client.get(URL).status_code == 403
    for user in (registered_user, editor):
        client.force_login(user)
        response = client.get(URL)
        assert response.status_code == 403
        assert gorki.contact_email not in response.content.decode()


def test_registry_shows_the_initiative_admins(client, gorki):
    """Once an initiative has admins, the «Администратор» column shows them with phone and
    e-mail instead of the public contact card."""
    from tests.factories import MembershipFactory

    admin = MembershipFactory(initiative=gorki, role="admin").user
    client.force_login(PortalAdminFactory())
    html = client.get(URL).content.decode()
    assert admin.email in html
    assert admin.get_full_name() in html
    assert "Тимаев Андрей" not in html
