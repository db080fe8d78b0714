"""The per-cluster switches, read through initiatives.features only."""

import pytest
from django.http import Http404

from initiatives.features import (
    Service,
    directory_shows_phone,
    join_by_invitation_only,
    require_service,
    service_enabled,
)

pytestmark = pytest.mark.django_db


def test_services_default_on_and_switch_off(gorki):
    """Every service is on by default; switching one off makes require_service answer 404."""
    assert all(service_enabled(gorki, service) for service in Service)
    gorki.chat_enabled = False
    assert not service_enabled(gorki, Service.CHAT)
    assert service_enabled(gorki, "feed")
    with pytest.raises(Http404):
        require_service(gorki, Service.CHAT)
    require_service(gorki, Service.FEED)
    with pytest.raises(ValueError):
        service_enabled(gorki, "teleport")


def test_directory_phone_and_join_policy(gorki):
    """The directory's phone switch and the invitation-only policy are readable the same way."""
    assert directory_shows_phone(gorki)
    gorki.directory_shows_phone = False
    assert not directory_shows_phone(gorki)
    assert not join_by_invitation_only(gorki)
    gorki.join_policy = gorki.JoinPolicy.INVITATION
    assert join_by_invitation_only(gorki)


def test_cluster_settings_tab_in_the_editor(client, gorki, superuser):
    """The page editor has a «Cluster settings» tab with the switches."""
    client.force_login(superuser)
    html = client.get(f"/admin/pages/{gorki.pk}/edit/").content.decode()
    assert "Настройки кластера" in html or "Cluster settings" in html
    for field in ("join_policy", "feed_enabled", "chat_enabled", "directory_shows_phone"):
        assert f'name="{field}"' in html
