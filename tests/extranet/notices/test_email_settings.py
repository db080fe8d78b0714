"""The e-mail preferences page (/cabinet/notifications/settings/): who may open it, what it
shows, what bad input gets, and that the saved choices route the next notices."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from extranet.feed import services as feed
from extranet.members.models import Profile
from extranet.notices.kinds import DEFAULT_MODES, Category, Mode
from extranet.notices.models import DigestItem, EmailSettings
from tests.conftest import EXTRANET_ROLES

pytestmark = pytest.mark.django_db

URL = "/cabinet/notifications/settings/"


def _data(**overrides) -> dict[str, str]:
    data = {category: str(mode) for category, mode in DEFAULT_MODES.items()}
    data["language"] = "ru"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_url_name_resolves_to_the_page():
    """``notification_settings`` is the address the e-mails' footers link to."""
    assert reverse("notification_settings") == URL


@pytest.mark.parametrize("extranet_client", EXTRANET_ROLES, indirect=True)
def test_every_signed_in_role_sees_its_own_preferences_and_a_guest_is_sent_to_log_in(
    extranet_client, people, request
):
    """Each role of the extranet opens its own page (its address, the defaults); a guest is
    redirected to the login page with the page as ``next``."""
    role = request.node.callspec.params["extranet_client"]
    response = extranet_client.get(URL)
    if role == "guest":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert "next=" in response["Location"]
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert people[role].email in html
    for category in Category.values:
        assert f'name="{category}"' in html


def test_an_inactive_account_is_treated_as_a_guest(client, people):
    """A blocked account's old session does not open the page."""
    user = people["member"]
    client.force_login(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = client.get(URL)
    assert response.status_code == 302
    assert not EmailSettings.objects.filter(user=user).exists()


def test_the_defaults_are_checked_when_nothing_was_saved(client, people):
    """Without a saved row the radio buttons show the defaults (membership and messages at
    once, group activity as a digest), in Russian, with the three choices of the issue."""
    client.force_login(people["member"])
    response = client.get(URL)
    form = response.context["form"]
    for category, mode in DEFAULT_MODES.items():
        assert form[category].value() == mode
    html = response.content.decode()
    assert re.search(r'name="group" value="digest"[^>]*checked', html)
    assert re.search(r'name="membership" value="immediate"[^>]*checked', html)
    for label in ("Сразу", "Ежедневная сводка", "Не присылать"):
        assert label in html
    assert not EmailSettings.objects.exists()


def test_saving_stores_the_choices_and_redirects_with_a_message(client, people):
    """A valid POST saves every category and the language, then redirects (PRG) to the page,
    which shows the success message and the saved choices."""
    user = people["member"]
    client.force_login(user)
    response = client.post(URL, _data(group=Mode.OFF, messages=Mode.DIGEST, language="en"))
    assert response.status_code == 302 and response["Location"] == URL
    own = EmailSettings.objects.get(user=user)
    assert (own.group, own.messages, own.membership, own.language) == (
        Mode.OFF,
        Mode.DIGEST,
        Mode.IMMEDIATE,
        "en",
    )
    page = client.get(URL)
    assert "Настройки уведомлений по e-mail сохранены." in page.content.decode()
    assert page.context["form"]["group"].value() == Mode.OFF
    assert page.context["form"]["language"].value() == "en"


@pytest.mark.parametrize(
    "overrides",
    [
        {"group": "weekly"},
        {"membership": None},
        {"language": "de"},
        {"events": "immediate'; DROP TABLE x;--"},
        {"ideas": "д" * 5000},
    ],
)
def test_bad_values_show_the_form_with_errors_and_save_nothing(client, people, overrides):
    """An unknown mode or language, or a missing choice, shows the page again with the field's
    error in Russian and saves nothing, not even the valid fields."""
    user = people["member"]
    client.force_login(user)
    response = client.post(URL, _data(**{"messages": Mode.OFF, **overrides}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Исправьте ошибки ниже." in html or "field__errors" in html
    field = next(iter(overrides))
    assert response.context["form"].errors[field]
    assert not EmailSettings.objects.filter(user=user).exists()


def test_unsubscribing_from_everything_and_back(client, people):
    """«Отписаться» turns the profile's newsletter off and the block then says «Вы отписались
    от email рассылки» with «Подписаться»; pressing that turns it on again. The page says
    service e-mails still go."""
    user = people["member"]
    client.force_login(user)
    page = client.get(URL).content.decode()
    assert "Вы подписаны на email рассылку" in page
    assert "Отписаться" in page
    assert "восстановление пароля" in page
    response = client.post(URL, {"subscribed": "0"})
    assert response.status_code == 302
    assert Profile.objects.get(user=user).newsletter is False
    page = client.get(URL).content.decode()
    assert "Вы отписались от email рассылки" in page and "Подписаться" in page
    client.post(URL, {"subscribed": "1"})
    assert Profile.objects.get(user=user).newsletter is True


def test_a_bad_switch_value_changes_nothing(client, people):
    """The switch accepts 0 or 1 only; anything else shows an error and keeps the state."""
    user = people["member"]
    client.force_login(user)
    response = client.post(URL, {"subscribed": "maybe"})
    assert response.status_code == 200
    assert "Укажите, получать ли письма." in response.content.decode()
    assert Profile.objects.get(user=user).newsletter is True


def test_the_page_in_english(client, people):
    """The English address shows the English labels of the modes."""
    client.force_login(people["member"])
    html = client.get("/en" + URL).content.decode()
    for label in ("At once", "Daily digest", "Do not send", "Group activity"):
        assert label in html


def test_choosing_do_not_send_for_group_activity_stops_the_digest_item(
    client, people, gorki, django_capture_on_commit_callbacks
):
    """With the default (digest) a new post queues a digest item for the member; after they
    choose «не присылать» for group activity on the page, the next post queues none (the
    bell still gets it)."""
    member = people["member"]
    author = people["initiative_admin"]
    with django_capture_on_commit_callbacks(execute=True):
        feed.post_create(initiative=gorki, author=author, kind="news", text="Первый")
    assert DigestItem.objects.filter(recipient=member).count() == 1
    client.force_login(member)
    assert client.post(URL, _data(group=Mode.OFF)).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        feed.post_create(initiative=gorki, author=author, kind="news", text="Второй")
    assert DigestItem.objects.filter(recipient=member).count() == 1
    from notifications.models import Notification

    assert Notification.objects.filter(recipient=member, verb="feed.post_new").count() == 2
