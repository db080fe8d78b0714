"""Deleting an initiative that holds member data is refused; unpublishing stays possible."""

import pytest
from django.db import transaction
from django.urls import reverse

from initiatives.models import InitiativePage
from initiatives.signals import InitiativeDeletionRefused
from tests.factories import SuperuserFactory, initiative_index

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(SuperuserFactory())
    return client


def test_delete_view_refuses_with_a_clear_message(admin_client, gorki, members_guard):
    """Wagtail's delete view returns to the listing with the reason; the page remains."""
    members_guard.add(gorki.pk)
    url = reverse("wagtailadmin_pages:delete", args=[gorki.pk])
    for response in (admin_client.get(url), admin_client.post(url)):
        assert response.status_code == 302
    assert InitiativePage.objects.filter(pk=gorki.pk).exists()
    listing = admin_client.get(response["Location"]).content.decode()
    assert "нельзя удалить" in listing or "cannot be deleted" in listing
    assert "в инициативе есть участники" in listing


def test_deleting_the_parent_is_refused_too(admin_client, gorki, members_guard):
    """Deleting the initiatives index would take the initiative with it: refused as well."""
    members_guard.add(gorki.pk)
    index = initiative_index()
    admin_client.post(reverse("wagtailadmin_pages:delete", args=[index.pk]))
    assert InitiativePage.objects.filter(pk=gorki.pk).exists()


def test_bulk_delete_is_refused(admin_client, gorki, members_guard):
    """The page listing's bulk delete is refused for a guarded initiative."""
    members_guard.add(gorki.pk)
    url = (
        reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
        + f"?id={gorki.pk}&next=/admin/"
    )
    admin_client.post(url)
    assert InitiativePage.objects.filter(pk=gorki.pk).exists()


def test_model_level_backstop(gorki, members_guard):
    """Any other path (shell, scripts) is stopped before rows cascade away."""
    members_guard.add(gorki.pk)
    with pytest.raises(InitiativeDeletionRefused), transaction.atomic():
        gorki.delete()
    assert InitiativePage.objects.filter(pk=gorki.pk).exists()


def test_initiative_without_member_data_can_be_deleted(admin_client, gorki, members_guard):
    """Nothing to lose: the delete goes through."""
    admin_client.post(reverse("wagtailadmin_pages:delete", args=[gorki.pk]))
    assert not InitiativePage.objects.filter(pk=gorki.pk).exists()
