"""Plain regression tests for the bugs the properties of this folder found (issue 16, part 3)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("next_value", ["0", "cabinet", "x:y"])
def test_a_bare_word_as_next_goes_back_to_the_default_list(people, gorki, client_for, next_value):
    """The role change's ``next`` that is no path («0») was handed to ``redirect``, which took
    it for a view name and failed with a 500; now it goes back to «Все пользователи»."""
    from extranet.members.models import Membership

    membership = Membership.objects.get(user=people["member"], initiative=gorki)
    response = client_for(people["portal_admin"]).post(
        reverse("dashboard:membership_role", args=[membership.pk]),
        {"role": "admin", "next": next_value},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:users")


def test_the_outbox_resend_with_a_bare_word_as_next(people, client_for):
    """The outbox's «Отправить снова» had the same ``next`` handling: back to the outbox."""
    from core.email import email_queue

    outgoing = email_queue(
        to=["someone@example.com"], subject="Тема", body="Текст", key="prop-regression"
    )
    response = client_for(people["portal_admin"]).post(
        reverse("dashboard:email_resend", args=[outgoing.pk]), {"next": "0"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:emails")


@pytest.mark.parametrize("query", ["\x00", "кластер\x00", '"\x00'])
def test_search_with_a_nul_character(home_page, client, query):
    """A NUL in the site search's query crashed the search backend (SQLite: «unterminated
    string», PostgreSQL refuses NUL in text); control characters are dropped first."""
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 200


def test_list_filters_with_a_nul_character(people, gorki, client_for):
    """A NUL in a list's filter (the events' kind and initiative, the ideas board's tag and
    kind, «Все пользователи»'s search) reached PostgreSQL, which refuses it in text: a 500
    there (SQLite takes it). The filters drop control characters first."""
    from tests.events.factories import event_index
    from tests.ideas_exchange.factories import ideas_page

    events, ideas = event_index(), ideas_page()
    guest = client_for(None)
    for params in ({"kind": "\x00"}, {"initiative": "gorki\x00"}):
        assert guest.get(events.url, params).status_code == 200
    for params in ({"tag": "\x00"}, {"kind": "request\x00"}, {"initiative": "\x00"}):
        assert guest.get(ideas.url, params).status_code == 200
    admin = client_for(people["portal_admin"])
    assert admin.get(reverse("dashboard:users"), {"q": "\x00"}).status_code == 200


@pytest.mark.parametrize("value", ["9223372036854775808", "99999999999999999999999"])
def test_ids_past_the_databases_range_are_invalid_choices(people, gorki, client_for, value):
    """A choice of a number past 2**63 - 1 crashed the query on SQLite (OverflowError, which
    Django's ModelChoiceField does not catch): «Сообщение всем»'s initiative, the group's
    administrators, the organisation merge. It is an invalid choice: the form again."""
    from extranet.chat.models import Broadcast

    admin = client_for(people["portal_admin"])
    posts = [
        (
            reverse("chat_admin:broadcast"),
            {"audience": "members", "initiative": value, "body": "x"},
        ),
        (reverse("groups:admins", args=["gorki"]), {"action": "add", "membership": value}),
        (reverse("groups:admins", args=["gorki"]), {"action": "remove", "membership": value}),
        (reverse("dashboard:organisation_merge"), {"duplicates": "1", "target": value}),
    ]
    for url, data in posts:
        assert admin.post(url, data).status_code in {200, 400}, url
    assert not Broadcast.objects.exists()
