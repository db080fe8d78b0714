"""An idea's files at /ideas/<id>/files/<aid>/: downloaded by whoever may see the idea (so
public only for a public idea), 404 for everyone else and for a file of another idea."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from ideas_exchange.models import Idea, IdeaAttachment
from tests.conftest import EXTRANET_ROLES
from tests.ideas_exchange.factories import IdeaFactory

pytestmark = pytest.mark.django_db

GORKI_INSIDE = {"member", "initiative_admin", "editor", "portal_admin"}


def _attach(idea, name="Техзадание.pdf", data=b"%PDF-1.4 test"):
    attachment = IdeaAttachment(
        idea=idea, name=name, content_type="application/pdf", size=len(data)
    )
    attachment.file.save("spec.pdf", ContentFile(data), save=False)
    attachment.save()
    return attachment


def _url(idea, attachment) -> str:
    return f"/ideas/{idea.pk}/files/{attachment.pk}/"


@pytest.mark.parametrize("role", EXTRANET_ROLES)
def test_public_ideas_file_for_every_role(role, people, client_for, public_idea):
    """A public idea's file downloads for every role, under the name it was uploaded with,
    not sniffable and not kept by shared caches."""
    attachment = _attach(public_idea)
    response = client_for(people[role]).get(_url(public_idea, attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert "attachment" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")


@pytest.mark.parametrize("role", EXTRANET_ROLES)
def test_members_only_file_is_404_outside(role, people, client_for, ideas_page, gorki):
    """A members-only idea's file is for those who may see the idea; others get 404."""
    idea = IdeaFactory(
        initiative=gorki, visibility=Idea.Visibility.MEMBERS, author=people["initiative_admin"]
    )
    attachment = _attach(idea)
    status = client_for(people[role]).get(_url(idea, attachment)).status_code
    assert status == (200 if role in GORKI_INSIDE else 404)


@pytest.mark.parametrize("role", EXTRANET_ROLES)
def test_waiting_ideas_file_only_for_author_and_moderators(role, people, client_for, ideas_page):
    """While an idea waits for moderation its files are only for its author and moderators."""
    idea = IdeaFactory(
        author=people["registered"], moderation=Idea.Moderation.PENDING, published_at=None
    )
    attachment = _attach(idea)
    status = client_for(people[role]).get(_url(idea, attachment)).status_code
    assert status == (200 if role in {"registered", "editor", "portal_admin"} else 404)


def test_file_of_another_idea_or_unknown_is_404(client, public_idea, ideas_page, gorki):
    """A forged pair (a members-only idea's file under a public idea's id) or an unknown id
    is 404: the file is looked up under its own idea."""
    secret = IdeaFactory(initiative=gorki, visibility=Idea.Visibility.MEMBERS)
    attachment = _attach(secret)
    assert client.get(_url(public_idea, attachment)).status_code == 404
    assert client.get(f"/ideas/{public_idea.pk}/files/999999/").status_code == 404


def test_post_is_refused(client, public_idea):
    """The download route is GET only."""
    attachment = _attach(public_idea)
    assert client.post(_url(public_idea, attachment)).status_code == 405


def test_idea_page_lists_its_files(client, public_idea):
    """The idea page links each file to the download route with its name and size."""
    attachment = _attach(public_idea)
    html = client.get(f"/ideas/{public_idea.pk}/").content.decode()
    assert f'href="{_url(public_idea, attachment)}"' in html
    assert "Техзадание.pdf" in html
