"""«Анонс мероприятия» linking an event: the composer offers the initiative's and the
platform's upcoming events (through the events app's hook), accepts only those, links nothing
for other kinds, shows the link on the post, and drops it when the event is unpublished."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from extranet.feed.models import Post
from tests.events.factories import EventPageFactory, event_index
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def url(suffix=""):
    return f"/en/cabinet/groups/gorki/{suffix}"


@pytest.fixture
def events(gorki, polotsk):
    index = event_index()
    past = timezone.now() - datetime.timedelta(days=10)
    return {
        "ours": EventPageFactory(index=index, initiative=gorki, title="Семинар Горки"),
        "platform": EventPageFactory(index=index, initiative=None, title="Форум платформы"),
        "theirs": EventPageFactory(index=index, initiative=polotsk, title="Полоцк: выставка"),
        "past": EventPageFactory(
            index=index,
            initiative=gorki,
            title="Прошедший семинар",
            starts_at=past,
            ends_at=past + datetime.timedelta(hours=2),
        ),
        "cancelled": EventPageFactory(
            index=index, initiative=gorki, title="Отменённый", cancelled=True
        ),
    }


def test_composer_offers_only_upcoming_events_of_the_initiative_and_platform(
    client_for, people, events
):
    """The choice lists gorki's and the platform's upcoming events, not polotsk's, past or
    cancelled ones."""
    html = client_for(people["member"]).get(url("posts/new/")).content.decode()
    assert "Семинар Горки" in html and "Форум платформы" in html
    for title in ("Полоцк: выставка", "Прошедший семинар", "Отменённый"):
        assert title not in html


def test_announcement_links_the_chosen_event_and_shows_it(client_for, people, events):
    """A posted announcement keeps the event; the feed shows a link to the event's page."""
    client = client_for(people["member"])
    response = client.post(
        url("posts/new/"),
        {"text": "Приглашаем", "kind": "announcement", "event": events["ours"].pk},
    )
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.event_id == events["ours"].pk
    html = client.get(url()).content.decode()
    assert f'href="{events["ours"].url}"' in html or events["ours"].url in html
    assert "Семинар Горки" in html


@pytest.mark.parametrize("target", ["theirs", "past", "cancelled", "missing"])
def test_a_tampered_event_is_refused_and_the_text_kept(client_for, people, events, target):
    """An id that was not offered is a form error; nothing is saved and the text comes back."""
    event_id = 999999 if target == "missing" else events[target].pk
    response = client_for(people["member"]).post(
        url("posts/new/"), {"text": "Мой анонс", "kind": "announcement", "event": event_id}
    )
    assert response.status_code == 200
    assert not Post.objects.exists()
    assert "Мой анонс" in response.content.decode()


def test_other_kinds_link_nothing(client_for, people, events):
    """A news post with an event chosen is saved without the link."""
    client_for(people["member"]).post(
        url("posts/new/"), {"text": "Новость", "kind": "news", "event": events["ours"].pk}
    )
    assert Post.objects.get().event_id is None


def test_unpublished_event_disappears_from_the_post(client_for, people, events, gorki):
    """When the event is unpublished the post stays and its link card goes."""
    post = PostFactory(initiative=gorki, author=people["member"], kind="announcement")
    post.event = events["ours"]
    post.save()
    client = client_for(people["member"])
    assert "Семинар Горки" in client.get(url()).content.decode()
    events["ours"].unpublish()
    response = client.get(url())
    assert response.status_code == 200
    assert "Семинар Горки" not in response.content.decode()


def test_editing_keeps_a_link_to_an_event_that_has_passed(client_for, people, events, gorki):
    """The edit form still offers the post's own event after it has passed, so saving the
    text does not drop the link."""
    post = PostFactory(initiative=gorki, author=people["member"], kind="announcement")
    post.event = events["past"]
    post.save()
    response = client_for(people["member"]).post(
        url(f"posts/{post.pk}/edit/"),
        {"text": "Исправленный текст", "kind": "announcement", "event": events["past"].pk},
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.text == "Исправленный текст" and post.event_id == events["past"].pk


@pytest.mark.parametrize("role", ["guest", "registered", "other_member", "editor"])
def test_only_writers_reach_the_composer(client_for, people, events, role):
    """Who may not post in gorki does not get the composer or its event choices."""
    response = client_for(people[role]).get(url("posts/new/"))
    assert response.status_code in (302, 403, 404)
    assert "Семинар Горки" not in response.content.decode()


def test_the_persons_data_export_names_the_announced_event(client_for, people, events, gorki):
    """/cabinet/data.json lists the event an announcement linked, by title."""
    post = PostFactory(initiative=gorki, author=people["member"], kind="announcement")
    post.event = events["ours"]
    post.save()
    data = client_for(people["member"]).get("/cabinet/data.json").json()
    (exported,) = [p for p in data["posts"] if p["id"] == post.pk]
    assert exported["event"] == "Семинар Горки"
