"""A project's stages: only its author moves it (each change dated with who made it); funded
or closed closes it, a consortium marks partners found, and a forged or repeated stage is
refused with the page again (400)."""

from __future__ import annotations

import pytest

from ideas_exchange import services
from ideas_exchange.models import Idea, IdeaStageChange
from tests.ideas_exchange.test_posting import url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("stage", "status"),
    [
        ("consortium", Idea.Status.PARTNERS_FOUND),
        ("submitted", Idea.Status.OPEN),
        ("funded", Idea.Status.CLOSED),
        ("closed", Idea.Status.CLOSED),
    ],
)
def test_author_changes_the_stage(ideas_page, people, client_for, project, stage, status):
    """Each change is a dated row by the author and sets the status the stage implies."""
    response = client_for(people["member"]).post(
        url(ideas_page, "stage", project.pk), {"stage": stage}
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.stage, project.status) == (stage, status)
    change = IdeaStageChange.objects.get()
    assert (change.stage, change.changed_by) == (stage, people["member"])
    assert change.changed_at is not None
    assert (project.closed_at is not None) is (status == Idea.Status.CLOSED)


def test_reopening_a_closed_project(people, project):
    """Back to «seeking partners» after closing reopens it."""
    services.idea_stage_change(idea=project, actor=people["member"], stage="closed")
    services.idea_stage_change(idea=project, actor=people["member"], stage="idea")
    project.refresh_from_db()
    assert project.status == Idea.Status.OPEN
    assert project.closed_at is None
    assert IdeaStageChange.objects.filter(idea=project).count() == 2


@pytest.mark.parametrize(
    "role", ["registered", "other_member", "editor", "initiative_admin", "portal_admin"]
)
def test_only_the_author_changes_the_stage(ideas_page, people, client_for, project, role):
    """Anybody else is refused (403) and the stage stays."""
    response = client_for(people[role]).post(
        url(ideas_page, "stage", project.pk), {"stage": "funded"}
    )
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.stage == Idea.Stage.SEEKING


def test_guest_is_sent_to_sign_in(ideas_page, client, project):
    """A guest's stage change goes to the sign-in page."""
    response = client.post(url(ideas_page, "stage", project.pk), {"stage": "funded"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.stage == Idea.Stage.SEEKING


@pytest.mark.parametrize("stage", ["", "seeking", "won", "x" * 5000])
def test_bad_stage_is_400(ideas_page, people, client_for, project, stage):
    """The current stage, an unknown one or nothing: the page again with the error."""
    response = client_for(people["member"]).post(
        url(ideas_page, "stage", project.pk), {"stage": stage}
    )
    assert response.status_code == 400
    assert response.context["stage_form"].errors["stage"]
    project.refresh_from_db()
    assert project.stage == Idea.Stage.SEEKING
    assert not IdeaStageChange.objects.exists()


def test_a_request_has_no_stages(ideas_page, people, client_for, public_idea):
    """A request's author cannot give it a stage (403)."""
    response = client_for(people["member"]).post(
        url(ideas_page, "stage", public_idea.pk), {"stage": "funded"}
    )
    assert response.status_code == 403
    with pytest.raises(services.IdeaDenied):
        services.idea_stage_change(idea=public_idea, actor=people["member"], stage="funded")
