"""The personal cabinet shows a signed-in user their own data and nobody else's."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_guest_is_sent_to_login(client, home_page):
    """/cabinet/ needs a login; a guest is redirected to allauth's login with next."""
    response = client.get("/cabinet/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/cabinet/")


def test_user_sees_own_data_and_approval_notice(client, home_page):
    """A signed-in user sees their e-mail and names, and the common group notice."""
    me = UserFactory(email="me@example.com", first_name="Иван", last_name="Иванов")
    other = UserFactory(email="other@example.com")
    client.force_login(me)
    html = client.get("/cabinet/").content.decode()
    assert "me@example.com" in html and "Иванов" in html
    assert other.email not in html
    assert "станет доступна после" in html
