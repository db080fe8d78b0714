"""«Подписки на теги» at /ideas/subscriptions/: signed-in people choose tags (checkboxes of
the tags ideas carry, plus a free input), guests are sent to sign in, bad input is refused
with a sentence and the typed text kept; the service keeps exactly the chosen tags."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from taggit.models import Tag

from ideas_exchange import subscriptions
from ideas_exchange.models import TagSubscription
from tests.conftest import EXTRANET_ROLES
from tests.ideas_exchange.factories import IdeaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def url(ideas_page):
    with translation.override("ru"):
        return ideas_page.url + ideas_page.reverse_subpage("subscriptions")


def _followed(user) -> set[str]:
    return set(TagSubscription.objects.filter(user=user).values_list("tag__name", flat=True))


@pytest.mark.parametrize("role", EXTRANET_ROLES)
def test_every_role(client_for, people, public_idea, url, role):
    """Guests go to sign in (with next=); every signed-in role sees the page with the
    existing tags as checkboxes."""
    response = client_for(people[role]).get(url)
    if role == "guest":
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"] and "next=" in response["Location"]
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="checkbox"' in html and "биотехнологии" in html and "лаборатории" in html


def test_saving_checkboxes_and_new_tags(client_for, people, public_idea, url):
    """Checked tags and typed new ones are followed; a tag nobody used yet is created; the
    page then shows them checked; unchecking drops them."""
    user = people["registered"]
    client = client_for(user)
    bio = Tag.objects.get(name="биотехнологии")
    response = client.post(url, {"tags": [bio.pk], "other": "композиты,  Логистика , композиты"})
    assert response.status_code == 302
    assert _followed(user) == {"биотехнологии", "композиты", "Логистика"}
    html = client.get(url).content.decode()
    assert re.search(rf'value="{bio.pk}"[^>]*checked', html)
    new_tag = Tag.objects.get(name="композиты")
    assert re.search(rf'value="{new_tag.pk}"[^>]*checked', html)
    client.post(url, {"other": "композиты"})
    assert _followed(user) == {"композиты"}
    client.post(url, {})
    assert _followed(user) == set()


def test_an_existing_tag_is_found_whatever_its_case(public_idea, people):
    """«Биотехнологии» typed follows the existing «биотехнологии», not a second tag."""
    subscriptions.tag_subscriptions_set(user=people["registered"], tag_names=["Биотехнологии"])
    assert _followed(people["registered"]) == {"биотехнологии"}
    assert Tag.objects.filter(name__iexact="биотехнологии").count() == 1


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"tags": ["999999"]}, "not offered"),
        ({"tags": ["abc"]}, "not offered"),
        ({"other": "х" * 51}, "50"),
        ({"other": ",".join(f"тег{n}" for n in range(31))}, "30"),
        ({"other": "х" * 1001}, "1000"),
    ],
)
def test_bad_input_is_refused_with_the_text_kept(client_for, people, public_idea, url, data, error):
    """A forged tag id, a too long tag, too many tags or a huge input: a 200 with the
    reason, nothing saved, the typed text back in the form."""
    with translation.override("en"):
        response = client_for(people["registered"]).post(url.replace("/ideas/", "/en/ideas/"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert error in html
    assert not TagSubscription.objects.exists()
    if data.get("other") and len(data["other"]) <= 1000:
        assert data["other"][:40] in html


def test_script_in_a_tag_is_only_text(client_for, people, public_idea, url):
    """A tag «<script>…» is stored as typed and shown escaped."""
    client = client_for(people["registered"])
    client.post(url, {"other": "<script>alert(1)</script>"})
    assert _followed(people["registered"]) == {"<script>alert(1)</script>"}
    html = client.get(url).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_followed_tags_stay_offered_after_their_ideas_go(client_for, people, ideas_page, url):
    """A followed tag no idea carries any more is still a checkbox (so it can be dropped)."""
    idea = IdeaFactory(tags=["редкий тег"])
    subscriptions.tag_subscriptions_set(user=people["member"], tag_names=["редкий тег"])
    idea.delete()
    html = client_for(people["member"]).get(url).content.decode()
    assert "редкий тег" in html


def test_the_service_refuses_guests(public_idea):
    """Nobody signed in: PermissionDenied."""
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        subscriptions.tag_subscriptions_set(user=AnonymousUser(), tag_names=["x"])


def test_following_leads_to_a_notice_of_a_new_idea(
    people, public_idea, django_capture_on_commit_callbacks
):
    """End to end with the posting service: a follower of «композиты» is told when an
    approved member posts an idea with that tag; the author is not."""
    from notifications.models import Notification

    from ideas_exchange import services

    subscriptions.tag_subscriptions_set(user=people["registered"], tag_names=["композиты"])
    subscriptions.tag_subscriptions_set(user=people["member"], tag_names=["композиты"])
    with django_capture_on_commit_callbacks(execute=True):
        idea = services.idea_create(
            author=people["member"],
            data={
                "title": "Испытания композитных материалов",
                "kind": "offer",
                "summary": "Предлагаем испытания на растяжение и изгиб.",
                "text": "Лаборатория аккредитована.",
                "tags": ["композиты"],
                "initiative": None,
                "visibility": "public",
            },
        )
    notices = Notification.objects.filter(verb="ideas.matching")
    assert set(notices.values_list("recipient_id", flat=True)) == {people["registered"].pk}
    assert notices.get().data["url"] == f"/ideas/{idea.pk}/"
