"""Moderation in Wagtail admin («Биржа идей»): the list shows each moderator only the ideas
they moderate (editors and the portal admin all, an initiative's admins their initiative's);
approve publishes once, hide needs a reason and hides the idea from everyone but its author
and moderators, close closes; a moderator hides a comment; the services refuse anybody else."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from ideas_exchange import permissions, services, signals
from ideas_exchange.models import Idea
from initiatives.services import initiative_admin_sync
from tests.ideas_exchange.factories import IdeaCommentFactory, IdeaFactory
from tests.ideas_exchange.test_posting import Caught, url

pytestmark = pytest.mark.django_db

NO_ADMIN = {"guest", "registered", "pending", "other_member", "member"}


def admin_url(name: str, *args) -> str:
    with translation.override("ru"):
        return reverse(name, args=args)


@pytest.fixture
def roles(people, gorki):
    """The extranet roles, the initiative admin put in gorki's Wagtail group (as the role
    change does)."""
    initiative_admin_sync(user=people["initiative_admin"], initiative=gorki, is_admin=True)
    return people


@pytest.fixture
def ideas(ideas_page, people, gorki, polotsk):
    """A waiting idea of gorki, one of polotsk, one platform-wide; titles tell which."""
    author = people["registered"]
    return {
        "gorki": IdeaFactory(
            title="Горки: ждёт модерации",
            initiative=gorki,
            author=author,
            moderation=Idea.Moderation.PENDING,
            published_at=None,
        ),
        "polotsk": IdeaFactory(title="Полоцк: идея", initiative=polotsk, author=author),
        "platform": IdeaFactory(title="Платформа: идея", author=author),
    }


# Which ideas' rows each role sees in the admin list.
SEES = {
    "initiative_admin": {"gorki"},
    "editor": {"gorki", "polotsk", "platform"},
    "portal_admin": {"gorki", "polotsk", "platform"},
}


@pytest.mark.parametrize("role", [*sorted(NO_ADMIN), "guest", *SEES])
def test_admin_list_by_role(client_for, roles, ideas, role):
    """The list holds only the rows the role moderates, whatever the query string asks;
    people without admin access are sent away and see no row."""
    client = client_for(roles[role])
    index = admin_url("ideas_exchange_idea_modeladmin_index")
    for query in (
        {},
        {"moderation__exact": "pending"},
        {"initiative__isnull": "True"},
        {"author__password__startswith": "p"},
        {"q": "идея"},
    ):
        response = client.get(index, query)
        body = response.content.decode()
        seen = {key for key, idea in ideas.items() if idea.title in body}
        if role in NO_ADMIN or role == "guest":
            assert response.status_code in (302, 403), (role, query)
            assert seen == set()
        else:
            assert response.status_code == 200, (role, query)
            assert seen <= SEES[role], (role, query)
            if not query:
                assert seen == SEES[role]


def test_admin_list_filters(client_for, roles, ideas):
    """The moderation filter narrows the list to waiting ideas."""
    response = client_for(roles["editor"]).get(
        admin_url("ideas_exchange_idea_modeladmin_index"), {"moderation__exact": "pending"}
    )
    body = response.content.decode()
    assert "Горки: ждёт модерации" in body
    assert "Полоцк: идея" not in body


@pytest.mark.parametrize("role", [*sorted(NO_ADMIN), "guest", *SEES])
def test_moderation_page_by_role(client_for, roles, ideas, role):
    """The moderation page of gorki's idea opens for its moderators; anybody else is refused
    (403, or the login page without admin access) and changes nothing by POST."""
    client = client_for(roles[role])
    page = admin_url("ideas_exchange_moderate", ideas["gorki"].pk)
    response = client.get(page)
    post = client.post(page, {"action": "approve"})
    ideas["gorki"].refresh_from_db()
    if role in SEES:
        assert response.status_code == 200
        assert post.status_code == 302
        assert ideas["gorki"].moderation == Idea.Moderation.APPROVED
    else:
        assert response.status_code in (302, 403)
        assert post.status_code in (302, 403)
        assert ideas["gorki"].moderation == Idea.Moderation.PENDING


def test_initiative_admin_cannot_moderate_another_initiative(client_for, roles, ideas):
    """Gorki's admin is refused polotsk's and the platform-wide idea."""
    client = client_for(roles["initiative_admin"])
    for key in ("polotsk", "platform"):
        page = admin_url("ideas_exchange_moderate", ideas[key].pk)
        assert client.get(page).status_code == 403
        assert client.post(page, {"action": "hide", "reason": "Спам"}).status_code == 403
        ideas[key].refresh_from_db()
        assert ideas[key].moderation == Idea.Moderation.APPROVED


def test_approve_publishes_once(roles, ideas, django_capture_on_commit_callbacks):
    """The first approval sets published_at and sends ``idea_published`` and
    ``idea_moderated``; approving again after a hide publishes no second time."""
    idea = ideas["gorki"]
    editor = roles["editor"]
    with (
        Caught(signals.idea_published) as published,
        Caught(signals.idea_moderated) as moderated,
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.idea_moderate(idea=idea, actor=editor, action="approve")
        services.idea_moderate(idea=idea, actor=editor, action="hide", reason="Дубликат")
        services.idea_moderate(idea=idea, actor=editor, action="approve")
    idea.refresh_from_db()
    assert idea.moderation == Idea.Moderation.APPROVED
    assert idea.moderation_reason == ""
    assert idea.published_at is not None
    assert len(published.calls) == 1
    assert len(moderated.calls) == 3
    assert moderated.calls[1]["actor"] == editor


def test_hide_needs_a_reason(client_for, roles, ideas):
    """Hiding without a reason is a 400 with the form and a sentence; nothing changes."""
    idea = ideas["polotsk"]
    response = client_for(roles["editor"]).post(
        admin_url("ideas_exchange_moderate", idea.pk), {"action": "hide", "reason": "  "}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    idea.refresh_from_db()
    assert idea.moderation == Idea.Moderation.APPROVED


@pytest.mark.parametrize("action", ["", "delete", "x" * 5000])
def test_unknown_moderation_action_is_400(client_for, roles, ideas, action):
    """A forged action is refused with the form again and changes nothing."""
    idea = ideas["polotsk"]
    response = client_for(roles["editor"]).post(
        admin_url("ideas_exchange_moderate", idea.pk), {"action": action}
    )
    assert response.status_code == 400
    idea.refresh_from_db()
    assert idea.moderation == Idea.Moderation.APPROVED
    assert idea.status == Idea.Status.OPEN


def test_hidden_idea_is_seen_only_by_author_and_moderators(client_for, roles, ideas_page, gorki):
    """After a hide the idea's page is a 404 for everyone but its author (who sees the
    reason) and its moderators; it leaves the board and the visible list."""
    idea = IdeaFactory(title="Скрываемая идея", initiative=gorki, author=roles["member"])
    services.idea_moderate(
        idea=idea, actor=roles["editor"], action="hide", reason="Нарушает правила"
    )
    page = url(ideas_page, "idea", idea.pk)
    for role, user in roles.items():
        allowed = role in ("member", "initiative_admin", "editor", "portal_admin")
        assert permissions.can_view_idea(user, idea) is allowed, role
        assert client_for(user).get(page).status_code == (200 if allowed else 404), role
        assert not permissions.visible_ideas(user).filter(pk=idea.pk).exists(), role
    assert "Нарушает правила" in client_for(roles["member"]).get(page).content.decode()


def test_close_closes(roles, ideas):
    """«Close» closes the idea (status closed, date set); comments stop."""
    idea = ideas["polotsk"]
    services.idea_moderate(idea=idea, actor=roles["editor"], action="close")
    idea.refresh_from_db()
    assert idea.status == Idea.Status.CLOSED
    assert idea.closed_at is not None
    assert not permissions.can_comment(roles["member"], idea)


def test_services_refuse_non_moderators(roles, ideas):
    """The service asks the permission again: a member or another initiative's admin cannot
    approve through it."""
    for role in ("member", "other_member", "registered"):
        with pytest.raises(services.IdeaDenied):
            services.idea_moderate(idea=ideas["gorki"], actor=roles[role], action="approve")
    with pytest.raises(services.IdeaDenied):
        services.idea_moderate(
            idea=ideas["polotsk"], actor=roles["initiative_admin"], action="approve"
        )
    ideas["gorki"].refresh_from_db()
    assert ideas["gorki"].moderation == Idea.Moderation.PENDING


def test_moderator_hides_a_comment(client_for, roles, public_idea):
    """«Hide» on a comment hides it from the discussion (moderators still see it); a forged
    comment id or another idea's comment changes nothing."""
    comment = IdeaCommentFactory(idea=public_idea, text="Оскорбительный комментарий")
    other = IdeaCommentFactory(text="Чужой комментарий")
    client = client_for(roles["initiative_admin"])
    page = admin_url("ideas_exchange_moderate", public_idea.pk)
    assert "Оскорбительный комментарий" in client.get(page).content.decode()
    for forged in ("abc", "999999", str(other.pk), "1" * 30):
        assert client.post(page, {"hide_comment": forged}).status_code == 302
    other.refresh_from_db()
    assert not other.hidden
    assert client.post(page, {"hide_comment": str(comment.pk)}).status_code == 302
    comment.refresh_from_db()
    assert comment.hidden
    body = client_for(roles["registered"]).get(url(public_idea_page(), "idea", public_idea.pk))
    assert "Оскорбительный комментарий" not in body.content.decode()


def test_comment_hide_service_refuses_others(roles, public_idea):
    """Only a moderator of the idea hides a comment."""
    comment = IdeaCommentFactory(idea=public_idea)
    with pytest.raises(services.IdeaDenied):
        services.comment_hide(comment=comment, actor=roles["other_member"])
    comment.refresh_from_db()
    assert not comment.hidden


def test_moderation_page_escapes_text(client_for, roles, ideas_page):
    """An idea's text with markup is shown as text in the admin."""
    idea = IdeaFactory(text="<script>alert(1)</script>")
    body = client_for(roles["editor"]).get(admin_url("ideas_exchange_moderate", idea.pk))
    content = body.content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def public_idea_page():
    from tests.ideas_exchange.factories import ideas_page

    return ideas_page()


@pytest.mark.parametrize("role", ["editor", "initiative_admin"])
@pytest.mark.parametrize("size", [10, 200])
def test_admin_list_queries_do_not_grow(
    client_for, roles, ideas_page, gorki, role, size, django_assert_max_num_queries
):
    """The «Биржа идей» list costs the same queries at 10 and 200 ideas of «gorki», for an
    editor and for the initiative's admin."""
    for n in range(size):
        IdeaFactory(title=f"Идея {n}", initiative=gorki, author=roles["registered"])
    client = client_for(roles[role])
    index = admin_url("ideas_exchange_idea_modeladmin_index")
    client.get(index)
    with django_assert_max_num_queries(30):
        response = client.get(index)
    assert response.status_code == 200
    assert f"Идея {size - 1}" in response.content.decode()  # the newest first
