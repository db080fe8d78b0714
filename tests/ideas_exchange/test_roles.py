"""The routes of posting, discussion and moderation × every extranet role (EXTRANET_ROLES):
posting, editing, the POST-only discussion, response, partnership and stage routes, and the
Wagtail admin's «Биржа идей» list and moderation page. The expected answer of each role is
written out in a table, so a change of the rule shows up as a changed row."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from ideas_exchange.models import Idea
from initiatives.services import initiative_admin_sync
from tests.conftest import EXTRANET_ROLES
from tests.ideas_exchange.factories import PartnershipFactory
from tests.ideas_exchange.test_discussion import only_respond_hook
from tests.ideas_exchange.test_posting import idea_data, url

pytestmark = pytest.mark.django_db

LOGIN = "login"  # a redirect to the sign-in page
BACK = "back"  # a redirect to the idea's page
DONE = "done"  # a redirect after the change was made

# role: (GET new, GET edit, POST comment, POST respond, POST partner, POST stage, POST decide)
# on the member's public request (edit, comment, respond) and public project (the rest).
PUBLIC = {
    "guest": (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    "registered": (200, 403, DONE, DONE, DONE, 403, 403),
    "editor": (200, 403, DONE, DONE, DONE, 403, 403),
    "pending": (200, 403, DONE, DONE, DONE, 403, 403),
    "other_member": (200, 403, DONE, DONE, DONE, 403, 403),
    "member": (200, 200, DONE, 403, 403, DONE, DONE),
    "initiative_admin": (200, 403, DONE, DONE, DONE, 403, 403),
    "portal_admin": (200, 403, DONE, DONE, DONE, 403, 403),
}

# GET of the POST-only routes of gorki's members-only offer: back to the idea for whoever may
# see it, 404 for the others (nobody learns it exists).
MEMBERS_GET = {
    "guest": 404,
    "registered": 404,
    "editor": BACK,
    "pending": 404,
    "other_member": 404,
    "member": BACK,
    "initiative_admin": BACK,
    "portal_admin": BACK,
}

# The admin list and gorki's idea's moderation page.
ADMIN = {
    "guest": (LOGIN, LOGIN),
    "registered": (LOGIN, LOGIN),
    "editor": (200, 200),
    "pending": (LOGIN, LOGIN),
    "other_member": (LOGIN, LOGIN),
    "member": (LOGIN, LOGIN),
    "initiative_admin": (200, 200),
    "portal_admin": (200, 200),
}


def check(response, expected, idea_page: str, role: str, what: str):
    if expected == LOGIN:
        assert response.status_code == 302, (role, what)
        assert "login" in response["Location"], (role, what)
    elif expected == BACK:
        assert response.status_code == 302, (role, what)
        assert response["Location"] == idea_page, (role, what)
    elif expected == DONE:
        assert response.status_code == 302, (role, what, response.content[:300])
        assert "login" not in response["Location"], (role, what)
    else:
        assert response.status_code == expected, (role, what)


@pytest.fixture
def chat(monkeypatch):
    only_respond_hook(monkeypatch, lambda **kwargs: "/extranet/messages/1/")


@pytest.mark.parametrize("role", EXTRANET_ROLES)
def test_site_routes_by_role(ideas_page, people, client_for, public_idea, project, chat, role):
    """What each role gets on each new route of a public request and project."""
    client = client_for(people[role])
    new, edit, comment, respond, partner, stage, decide = PUBLIC[role]
    request_page = url(ideas_page, "idea", public_idea.pk)
    project_page = url(ideas_page, "idea", project.pk)
    partnership = PartnershipFactory(idea=project)
    check(client.get(url(ideas_page, "new")), new, request_page, role, "new")
    check(client.get(url(ideas_page, "edit", public_idea.pk)), edit, request_page, role, "edit")
    check(
        client.post(url(ideas_page, "comment", public_idea.pk), {"text": "Интересно"}),
        comment,
        request_page,
        role,
        "comment",
    )
    check(
        client.post(url(ideas_page, "respond", public_idea.pk), {"text": "Напишу"}),
        respond,
        request_page,
        role,
        "respond",
    )
    check(
        client.post(url(ideas_page, "partner", project.pk), {"role": "partner", "note": ""}),
        partner,
        project_page,
        role,
        "partner",
    )
    check(
        client.post(url(ideas_page, "stage", project.pk), {"stage": "submitted"}),
        stage,
        project_page,
        role,
        "stage",
    )
    check(
        client.post(
            url(ideas_page, "partner_decide", project.pk, partnership.pk), {"decision": "accept"}
        ),
        decide,
        project_page,
        role,
        "decide",
    )
    for name in ("comment", "respond", "partner", "stage"):
        check(client.get(url(ideas_page, name, public_idea.pk)), BACK, request_page, role, name)


@pytest.mark.parametrize("role", EXTRANET_ROLES)
def test_edit_post_by_role(ideas_page, people, client_for, public_idea, role):
    """Only the author's edit is saved; guests go to sign in, everyone else gets a 403."""
    response = client_for(people[role]).post(
        url(ideas_page, "edit", public_idea.pk),
        idea_data(title="Правка", initiative=public_idea.initiative_id),
    )
    expected = {"guest": LOGIN, "member": DONE}.get(role, 403)
    check(response, expected, "", role, "edit")
    public_idea.refresh_from_db()
    assert (public_idea.title == "Правка") is (role == "member")


@pytest.mark.parametrize("role", EXTRANET_ROLES)
def test_members_only_routes_by_role(ideas_page, people, client_for, members_idea, role):
    """The POST-only routes of a members-only idea hide it from those who may not see it."""
    client = client_for(people[role])
    page = url(ideas_page, "idea", members_idea.pk)
    for name in ("comment", "respond", "partner", "stage", "edit"):
        expected = MEMBERS_GET[role]
        if name == "edit" and expected == BACK:
            expected = 200 if role == "member" else 403
        if name == "edit" and role == "guest":
            expected = LOGIN
        check(client.get(url(ideas_page, name, members_idea.pk)), expected, page, role, name)


@pytest.mark.parametrize("role", EXTRANET_ROLES)
def test_admin_routes_by_role(people, client_for, gorki, ideas_page, role):
    """The «Биржа идей» list and the moderation page of a gorki idea: its moderators only."""
    from tests.ideas_exchange.factories import IdeaFactory

    initiative_admin_sync(user=people["initiative_admin"], initiative=gorki, is_admin=True)
    idea = IdeaFactory(initiative=gorki, moderation=Idea.Moderation.PENDING, published_at=None)
    client = client_for(people[role])
    with translation.override("ru"):
        index = reverse("ideas_exchange_idea_modeladmin_index")
        moderate = reverse("ideas_exchange_moderate", args=[idea.pk])
    list_expected, page_expected = ADMIN[role]
    check(client.get(index), list_expected, "", role, "index")
    check(client.get(moderate), page_expected, "", role, "moderate")
