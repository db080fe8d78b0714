"""One idea at /ideas/<id>/: who may open it (404 for everyone else), names only for
signed-in readers, escaped text, the consortium, and the context contract the discussion,
partners, respond, stage and matches blocks read."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.utils import translation

from ideas_exchange import views
from ideas_exchange.models import Idea, IdeaStageChange, Partnership
from tests.conftest import EXTRANET_ROLES
from tests.ideas_exchange.factories import IdeaCommentFactory, IdeaFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

MODERATORS = {"editor", "portal_admin"}
GORKI_INSIDE = {"member", "initiative_admin"} | MODERATORS


def _url(page, idea) -> str:
    with translation.override("ru"):
        return page.url + page.reverse_subpage("idea", args=[idea.pk])


@pytest.mark.parametrize("role", EXTRANET_ROLES)
def test_public_idea_opens_for_every_role(role, people, client_for, ideas_page, public_idea):
    """A public approved idea opens for everyone; the author's name only for the signed-in,
    the organisation for all."""
    response = client_for(people[role]).get(_url(ideas_page, public_idea))
    assert response.status_code == 200
    html = response.content.decode()
    assert public_idea.title in html and "УО «БГСХА»" in html
    assert (people["member"].get_full_name() in html) == (role != "guest")


@pytest.mark.parametrize("role", EXTRANET_ROLES)
def test_members_only_idea_is_404_outside_the_initiative(
    role, people, client_for, ideas_page, gorki
):
    """A members-only idea of «gorki» by another member opens for gorki's members and admins
    and the moderators; everyone else gets 404, as for an idea that does not exist."""
    idea = IdeaFactory(
        initiative=gorki,
        visibility=Idea.Visibility.MEMBERS,
        author=people["initiative_admin"] if role == "member" else people["member"],
    )
    status = client_for(people[role]).get(_url(ideas_page, idea)).status_code
    assert status == (200 if role in GORKI_INSIDE else 404)


@pytest.mark.parametrize("role", EXTRANET_ROLES)
@pytest.mark.parametrize("moderation", [Idea.Moderation.PENDING, Idea.Moderation.HIDDEN])
def test_waiting_or_hidden_idea_only_for_author_and_moderators(
    role, moderation, people, client_for, ideas_page, gorki
):
    """An idea waiting for moderation or hidden opens only for its author (with the outcome)
    and its moderators (editors, the portal admin, the initiative's admins)."""
    idea = IdeaFactory(
        initiative=gorki,
        author=people["registered"],
        moderation=moderation,
        moderation_reason="Нет описания" if moderation == Idea.Moderation.HIDDEN else "",
        published_at=None,
    )
    response = client_for(people[role]).get(_url(ideas_page, idea))
    allowed = role in MODERATORS | {"registered", "initiative_admin"}
    assert response.status_code == (200 if allowed else 404)
    if role == "registered" and moderation == Idea.Moderation.HIDDEN:
        assert "Нет описания" in response.content.decode()


def test_unknown_idea_is_404(client, ideas_page):
    """A made-up id is 404, not 500."""
    assert client.get("/ideas/999999/").status_code == 404


def test_guest_sees_no_names_of_commenters_or_partners(
    client, client_for, people, ideas_page, project
):
    """Commenters' and partners' names are for signed-in readers; guests see the partners'
    organisations in the consortium."""
    comment = IdeaCommentFactory(idea=project, author=people["registered"])
    partner = PartnershipFactory(
        idea=project,
        user=people["other_member"],
        status=Partnership.Status.ACCEPTED,
        organisation_name="ОАО «Полоцк-Стекловолокно»",
        role=Partnership.Role.SUPPLIER,
    )
    url = _url(ideas_page, project)
    guest = client.get(url)
    html = guest.content.decode()
    assert "ОАО «Полоцк-Стекловолокно»" in html and "ОАО «Нафтан»" in html
    for user in (people["member"], people["registered"], people["other_member"]):
        for part in (user.first_name, user.last_name):
            assert part not in html
    rows = guest.context["consortium"]
    assert [row["organisation"] for row in rows] == ["ОАО «Нафтан»", partner.organisation_name]
    assert rows[0]["role"] == "lead" and rows[1]["role"] == "supplier"
    assert all(row["name"] is None for row in rows)
    member_view = client_for(people["registered"]).get(url)
    assert member_view.context["consortium"][1]["name"] == people["other_member"].get_full_name()
    assert comment.pk in [c.pk for c in member_view.context["comments"]]


def _board():
    from ideas_exchange.selectors import board_page

    return board_page()


def test_text_is_escaped_with_paragraphs(client, ideas_page):
    """Markup in the title, summary and text is shown as text; blank lines make paragraphs."""
    idea = IdeaFactory(
        title="<script>alert('t')</script>",
        summary="<b>жирный</b>",
        text="Первый абзац <img src=x onerror=alert(1)>\n\nВторой абзац",
    )
    html = client.get(_url(ideas_page, idea)).content.decode()
    assert "<script>alert('t')</script>" not in html
    assert "<img src=x" not in html and "<b>жирный</b>" not in html
    assert "&lt;script&gt;" in html
    assert "<p>Первый абзац &lt;img src=x onerror=alert(1)&gt;</p>" in html
    assert "<p>Второй абзац</p>" in html


def test_context_contract(client_for, people, project):
    """The names the page's includes read are all there, with the right content: comments
    top-level with replies, hidden ones only for moderators; pending partnerships only for
    the author; the viewer's live request; the dated stages."""
    page = _board()
    top = IdeaCommentFactory(idea=project, author=people["registered"])
    reply = IdeaCommentFactory(idea=project, parent=top, author=people["editor"])
    hidden = IdeaCommentFactory(idea=project, hidden=True)
    pending = PartnershipFactory(idea=project, user=people["other_member"])
    accepted = PartnershipFactory(idea=project, status=Partnership.Status.ACCEPTED)
    IdeaStageChange.objects.create(idea=project, stage=Idea.Stage.IDEA)
    IdeaStageChange.objects.create(idea=project, stage=Idea.Stage.SEEKING)
    url = _url(page, project)

    author = client_for(people["member"]).get(url).context
    for key in (
        "page",
        "idea",
        "viewer",
        "can",
        "comments",
        "attachments",
        "partnerships",
        "consortium",
        "stage_changes",
        "my_partnership",
        "matches",
        "comment_form",
        "partner_form",
        "respond_form",
        "stage_form",
        "reply_to",
    ):
        assert key in author, key
    assert set(author["can"]) == {
        "see_names",
        "edit",
        "comment",
        "respond",
        "ask_partnership",
        "decide_partnership",
        "change_stage",
        "moderate",
    }
    assert author["can"]["decide_partnership"] and author["can"]["edit"]
    assert not author["can"]["ask_partnership"]
    assert [c.pk for c in author["comments"]] == [top.pk]
    assert [r.pk for r in author["comments"][0].replies_list] == [reply.pk]
    assert {p.pk for p in author["partnerships"]} == {pending.pk, accepted.pk}
    assert [s.stage for s in author["stage_changes"]] == ["idea", "seeking"]

    asker = client_for(people["other_member"]).get(url).context
    assert [p.pk for p in asker["partnerships"]] == [accepted.pk]
    assert asker["my_partnership"].pk == pending.pk
    assert not asker["can"]["decide_partnership"]

    moderator = client_for(people["editor"]).get(url).context
    assert {c.pk for c in moderator["comments"]} == {top.pk, hidden.pk}
    assert moderator["can"]["moderate"]


def test_detail_response_keeps_overrides_and_status(rf: RequestFactory, people, public_idea):
    """idea_detail_response re-renders the page with what a POST view passes (a bound form,
    the comment replied to) and the status it asks for."""
    page = _board()
    request = rf.get("/ideas/")
    request.user = people["registered"]
    marker = object()
    response = views.idea_detail_response(
        request, page=page, idea=public_idea, status=400, comment_form=marker, reply_to=7
    )
    assert response.status_code == 400
    assert response.context_data["comment_form"] is marker
    assert response.context_data["reply_to"] == 7
