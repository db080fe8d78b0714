"""Posting at /ideas/new/ and the author's edit: sign-in required, members publish at once,
people approved nowhere post into moderation, projects start at stage «idea», the author's
organisation is kept, files go through the upload checks, only the author edits."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from ideas_exchange import signals
from ideas_exchange.forms import PLATFORM_WIDE
from ideas_exchange.models import Idea, IdeaAttachment, IdeaStageChange
from tests.factories import MINIMAL_PDF

pytestmark = pytest.mark.django_db


def url(page, name: str = "", *args) -> str:
    """A route of the /ideas/ page (``""`` is the board), in Russian."""
    with translation.override("ru"):
        if not name:
            return page.url
        return page.url + page.reverse_subpage(name, args=list(args))


def idea_data(**overrides) -> dict:
    data = {
        "title": "Нужен доступ к ПЦР-амплификатору",
        "kind": "request",
        "summary": "Ищем лабораторию с ПЦР-оборудованием на два месяца.",
        "text": "Подробности.\n\nВторой абзац.",
        "tags": "биотехнологии, лаборатории",
        "initiative": "",
        "visibility": "public",
    }
    data.update(overrides)
    return data


def pdf(name: str = "план.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


class Caught:
    """Collects what a signal sent."""

    def __init__(self, signal):
        self.calls: list[dict] = []
        self.signal = signal

    def __call__(self, sender, **kwargs):
        self.calls.append(kwargs)

    def __enter__(self):
        self.signal.connect(self, weak=False)
        return self

    def __exit__(self, *exc):
        self.signal.disconnect(self)


def test_guest_is_sent_to_sign_in(ideas_page, client):
    """A guest opening or posting /ideas/new/ goes to the sign-in page with ``next`` back, and
    nothing is stored."""
    new = url(ideas_page, "new")
    for response in (client.get(new), client.post(new, idea_data())):
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"] or "login" in response["Location"]
        assert "next=" in response["Location"]
    assert not Idea.objects.exists()


def test_new_form_renders_for_a_signed_in_user(ideas_page, people, client_for, gorki):
    """The form shows the kinds, the initiatives taking ideas and «Вся платформа»."""
    response = client_for(people["registered"]).get(url(ideas_page, "new"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="title"' in body and 'name="attachments"' in body
    assert "Горки" in body
    with translation.override("ru"):
        assert str(PLATFORM_WIDE) in body


def test_member_publishes_at_once(
    ideas_page, people, client_for, gorki, django_capture_on_commit_callbacks
):
    """An approved member's idea is published (published_at set, ``idea_published`` sent),
    with the organisation of their profile and the tags, and they land on its page."""
    member = people["member"]
    with (
        Caught(signals.idea_published) as published,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client_for(member).post(
            url(ideas_page, "new"), idea_data(initiative=str(gorki.pk))
        )
    idea = Idea.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url(ideas_page, "idea", idea.pk)
    assert idea.moderation == Idea.Moderation.APPROVED
    assert idea.published_at is not None
    assert idea.author == member
    assert idea.initiative == gorki
    assert idea.organisation_name == member.profile.organisation.name
    assert sorted(t.name for t in idea.tags.all()) == ["биотехнологии", "лаборатории"]
    assert [call["idea"].pk for call in published.calls] == [idea.pk]


@pytest.mark.parametrize("role", ["registered", "pending", "other_member"])
def test_approved_nowhere_posts_into_moderation(
    ideas_page, people, client_for, role, django_capture_on_commit_callbacks
):
    """Someone approved in no initiative (registered, pending applicant) posts an idea that
    waits for a moderator: not published, no ``idea_published``; a member elsewhere publishes."""
    with (
        Caught(signals.idea_published) as published,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client_for(people[role]).post(url(ideas_page, "new"), idea_data())
    assert response.status_code == 302
    idea = Idea.objects.get()
    if role == "other_member":
        assert idea.moderation == Idea.Moderation.APPROVED
        assert len(published.calls) == 1
    else:
        assert idea.moderation == Idea.Moderation.PENDING
        assert idea.published_at is None
        assert published.calls == []


def test_pending_idea_is_shown_to_its_author_with_a_badge(ideas_page, people, client_for):
    """The author of an idea in moderation reaches its page after posting."""
    client = client_for(people["registered"])
    response = client.post(url(ideas_page, "new"), idea_data(), follow=True)
    assert response.status_code == 200
    assert "Нужен доступ к ПЦР-амплификатору" in response.content.decode()


def test_project_starts_at_stage_idea(ideas_page, people, client_for):
    """A new project has stage «idea» and one dated stage change by its author."""
    client_for(people["member"]).post(url(ideas_page, "new"), idea_data(kind="project"))
    idea = Idea.objects.get()
    assert idea.stage == Idea.Stage.IDEA
    change = IdeaStageChange.objects.get()
    assert (change.idea, change.stage, change.changed_by) == (
        idea,
        Idea.Stage.IDEA,
        people["member"],
    )


def test_a_request_has_no_stage(ideas_page, people, client_for):
    """Only projects move through stages."""
    client_for(people["member"]).post(url(ideas_page, "new"), idea_data())
    assert Idea.objects.get().stage == ""
    assert not IdeaStageChange.objects.exists()


def test_members_only_idea_of_own_initiative(ideas_page, people, client_for, gorki):
    """A member posts for their initiative's members only."""
    response = client_for(people["member"]).post(
        url(ideas_page, "new"), idea_data(visibility="members", initiative=str(gorki.pk))
    )
    assert response.status_code == 302
    assert Idea.objects.get().visibility == Idea.Visibility.MEMBERS


def test_attachments_are_stored(ideas_page, people, client_for):
    """Files chosen with the idea are stored as its attachments, named as uploaded."""
    client_for(people["member"]).post(
        url(ideas_page, "new"), {**idea_data(), "attachments": [pdf(), pdf("смета.pdf")]}
    )
    idea = Idea.objects.get()
    assert sorted(a.name for a in idea.attachments.all()) == ["план.pdf", "смета.pdf"]


def test_author_edits(ideas_page, people, client_for, public_idea):
    """The author changes the title, text and tags; the page shows them."""
    client = client_for(people["member"])
    edit = url(ideas_page, "edit", public_idea.pk)
    form = client.get(edit)
    assert form.status_code == 200
    assert public_idea.title in form.content.decode()
    response = client.post(
        edit,
        idea_data(
            title="Новое название", tags="оборудование", initiative=public_idea.initiative_id
        ),
    )
    assert response.status_code == 302
    public_idea.refresh_from_db()
    assert public_idea.title == "Новое название"
    assert [t.name for t in public_idea.tags.all()] == ["оборудование"]


def test_author_removes_and_adds_files(ideas_page, people, client_for, public_idea):
    """The edit removes the ticked files and adds new ones."""
    client = client_for(people["member"])
    edit = url(ideas_page, "edit", public_idea.pk)
    client.post(edit, {**idea_data(initiative=public_idea.initiative_id), "attachments": [pdf()]})
    old = IdeaAttachment.objects.get()
    client.post(
        edit,
        {
            **idea_data(initiative=public_idea.initiative_id),
            "remove_attachments": [str(old.pk)],
            "attachments": [pdf("новый.pdf")],
        },
    )
    assert [a.name for a in IdeaAttachment.objects.all()] == ["новый.pdf"]


def test_author_turns_a_request_into_a_project(ideas_page, people, client_for, public_idea):
    """Changing the kind to project starts its stages; back to a request ends them."""
    client = client_for(people["member"])
    edit = url(ideas_page, "edit", public_idea.pk)
    client.post(edit, idea_data(kind="project", initiative=public_idea.initiative_id))
    public_idea.refresh_from_db()
    assert public_idea.stage == Idea.Stage.IDEA
    client.post(edit, idea_data(kind="offer", initiative=public_idea.initiative_id))
    public_idea.refresh_from_db()
    assert (public_idea.kind, public_idea.stage) == ("offer", "")


@pytest.mark.parametrize("role", ["registered", "other_member", "editor", "portal_admin"])
def test_only_the_author_edits(ideas_page, people, client_for, public_idea, role):
    """Nobody but the author opens or saves the edit form (moderators moderate in the admin,
    they do not rewrite people's ideas)."""
    client = client_for(people[role])
    edit = url(ideas_page, "edit", public_idea.pk)
    assert client.get(edit).status_code == 403
    assert client.post(edit, idea_data(title="Чужая правка")).status_code == 403
    public_idea.refresh_from_db()
    assert public_idea.title != "Чужая правка"


def test_hidden_idea_is_not_edited(ideas_page, people, client_for, public_idea):
    """After a moderator hid it, the author sees it but cannot edit it."""
    public_idea.moderation = Idea.Moderation.HIDDEN
    public_idea.save()
    client = client_for(people["member"])
    assert client.get(url(ideas_page, "edit", public_idea.pk)).status_code == 403


def test_edit_of_an_unseen_idea_is_404(ideas_page, people, client_for, members_idea):
    """An idea the viewer may not see is a 404, never a hint that it exists."""
    client = client_for(people["other_member"])
    assert client.get(url(ideas_page, "edit", members_idea.pk)).status_code == 404
    assert client.get(url(ideas_page, "edit", 999_999)).status_code == 404
