"""The discussion and «Откликнуться»: signed-in people who may see an open idea comment and
reply (one level deep), the first outside comment moves it into discussion, guests are sent
to sign in, GET is sent back to the idea, closed ideas take no comments, and «Откликнуться»
sends the author a message through the chat's hook (or says why it cannot)."""

from __future__ import annotations

import pytest
from wagtail import hooks

from ideas_exchange import extensions, services, signals
from ideas_exchange.models import Idea, IdeaComment
from tests.ideas_exchange.factories import IdeaCommentFactory, IdeaFactory
from tests.ideas_exchange.test_posting import Caught, url

pytestmark = pytest.mark.django_db


def test_comment_is_published(
    ideas_page, people, client_for, public_idea, django_capture_on_commit_callbacks
):
    """A registered user's comment appears under the idea, moves it OPEN → DISCUSSION and
    sends ``idea_commented``."""
    with (
        Caught(signals.idea_commented) as commented,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client_for(people["registered"]).post(
            url(ideas_page, "comment", public_idea.pk), {"text": "Готовы помочь."}
        )
    comment = IdeaComment.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    assert comment.author == people["registered"]
    public_idea.refresh_from_db()
    assert public_idea.status == Idea.Status.DISCUSSION
    assert [c["comment"].pk for c in commented.calls] == [comment.pk]


def test_authors_own_comment_keeps_the_idea_open(ideas_page, people, client_for, public_idea):
    """The author adding details is not a discussion yet."""
    client_for(people["member"]).post(
        url(ideas_page, "comment", public_idea.pk), {"text": "Уточнение."}
    )
    public_idea.refresh_from_db()
    assert public_idea.status == Idea.Status.OPEN


def test_reply_to_a_reply_joins_the_top_level_comment(people, public_idea):
    """Replies are one level deep: answering a reply attaches to its top-level comment."""
    top = IdeaCommentFactory(idea=public_idea)
    reply = services.comment_create(
        idea=public_idea, author=people["registered"], text="Ответ", parent=top
    )
    second = services.comment_create(
        idea=public_idea, author=people["member"], text="Ответ на ответ", parent=reply
    )
    assert reply.parent == top
    assert second.parent == top


def test_reply_through_the_form(ideas_page, people, client_for, public_idea):
    """The reply form's hidden parent id makes a reply."""
    top = IdeaCommentFactory(idea=public_idea)
    client_for(people["registered"]).post(
        url(ideas_page, "comment", public_idea.pk), {"text": "Ответ", "parent": str(top.pk)}
    )
    assert IdeaComment.objects.get(text="Ответ").parent == top


def test_guest_is_sent_to_sign_in(ideas_page, client, public_idea):
    """A guest's comment, response or partnership request goes to the sign-in page."""
    for name in ("comment", "respond", "partner"):
        response = client.post(url(ideas_page, name, public_idea.pk), {"text": "Гость"})
        assert response.status_code == 302
        assert "next=" in response["Location"]
    assert not IdeaComment.objects.exists()


def test_get_goes_back_to_the_idea(ideas_page, people, client_for, public_idea):
    """The POST-only routes answer a GET with a redirect to the idea."""
    client = client_for(people["registered"])
    for name in ("comment", "respond", "partner", "stage"):
        response = client.get(url(ideas_page, name, public_idea.pk))
        assert response.status_code == 302
        assert response["Location"] == url(ideas_page, "idea", public_idea.pk)


def test_closed_idea_takes_no_comments(ideas_page, people, client_for, public_idea):
    """A closed idea refuses comments (403) and stores nothing."""
    public_idea.status = Idea.Status.CLOSED
    public_idea.save()
    response = client_for(people["registered"]).post(
        url(ideas_page, "comment", public_idea.pk), {"text": "Поздно"}
    )
    assert response.status_code == 403
    assert not IdeaComment.objects.exists()


def test_members_idea_is_404_to_outsiders(ideas_page, people, client_for, members_idea):
    """Someone who may not see a members-only idea cannot comment on it (404: it is not
    there for them)."""
    response = client_for(people["other_member"]).post(
        url(ideas_page, "comment", members_idea.pk), {"text": "Привет"}
    )
    assert response.status_code == 404
    assert not IdeaComment.objects.exists()


def test_comment_text_is_escaped_on_the_page(ideas_page, people, client_for, public_idea):
    """A comment with markup is shown as text."""
    client = client_for(people["registered"])
    client.post(url(ideas_page, "comment", public_idea.pk), {"text": "<script>alert('x')</script>"})
    body = client.get(url(ideas_page, "idea", public_idea.pk)).content.decode()
    assert "<script>alert('x')</script>" not in body
    assert "&lt;script&gt;" in body


def test_guest_sees_no_commenter_names(ideas_page, people, client, client_for, public_idea):
    """Guests read the discussion without people's names; signed-in users see them."""
    author = people["registered"]
    author.first_name, author.last_name = "Ольга", "Комментаторова"
    author.save()
    IdeaCommentFactory(idea=public_idea, author=author, text="Видимый комментарий")
    page = url(ideas_page, "idea", public_idea.pk)
    guest_body = client.get(page).content.decode()
    assert "Видимый комментарий" in guest_body
    assert "Комментаторова" not in guest_body
    assert "Комментаторова" in client_for(people["other_member"]).get(page).content.decode()


def only_respond_hook(monkeypatch, provider):
    """``provider`` answers «Откликнуться» instead of the chat (the other hooks stay)."""
    original = hooks.get_hooks

    def get_hooks(name):
        return [provider] if name == extensions.HOOK_RESPOND else original(name)

    monkeypatch.setattr(hooks, "get_hooks", get_hooks)


@pytest.fixture
def chat(monkeypatch):
    """A stand-in for the chat's «Откликнуться» hook: records the messages."""
    sent: list[dict] = []

    def respond(*, sender, recipient, text, idea):
        sent.append({"sender": sender, "recipient": recipient, "text": text, "idea": idea})
        return "/extranet/messages/1/"

    only_respond_hook(monkeypatch, respond)
    return sent


def test_respond_sends_a_message_to_the_author(ideas_page, people, client_for, public_idea, chat):
    """«Откликнуться» hands the text to the chat for the author and opens the conversation."""
    response = client_for(people["other_member"]).post(
        url(ideas_page, "respond", public_idea.pk), {"text": "Можем предоставить оборудование."}
    )
    assert response.status_code == 302
    assert response["Location"] == "/extranet/messages/1/"
    assert chat == [
        {
            "sender": people["other_member"],
            "recipient": people["member"],
            "text": "Можем предоставить оборудование.",
            "idea": public_idea,
        }
    ]


def test_author_cannot_respond_to_own_idea(ideas_page, people, client_for, public_idea, chat):
    """The author has nobody to write to (403)."""
    response = client_for(people["member"]).post(
        url(ideas_page, "respond", public_idea.pk), {"text": "Себе"}
    )
    assert response.status_code == 403
    assert chat == []


def test_respond_to_a_project_is_refused(ideas_page, people, client_for, project, chat):
    """Projects take partners, not responses."""
    response = client_for(people["registered"]).post(
        url(ideas_page, "respond", project.pk), {"text": "Привет"}
    )
    assert response.status_code == 403
    assert chat == []


def test_chat_refusal_is_shown(ideas_page, people, client_for, public_idea, monkeypatch):
    """When the chat refuses (a block, say), the page comes back with its sentence and the
    typed text (400)."""

    def refuse(**kwargs):
        raise extensions.RespondError("Автор не принимает сообщения.")

    only_respond_hook(monkeypatch, refuse)
    response = client_for(people["registered"]).post(
        url(ideas_page, "respond", public_idea.pk), {"text": "Мой отклик"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Автор не принимает сообщения." in body
    assert "Мой отклик" in body


def test_respond_service_checks_the_permission(people, public_idea):
    """The service refuses a guest and the author whatever the view did."""
    with pytest.raises(services.IdeaDenied):
        services.idea_respond(idea=public_idea, sender=people["member"], text="Себе")
    closed = IdeaFactory(status=Idea.Status.CLOSED)
    with pytest.raises(services.IdeaDenied):
        services.idea_respond(idea=closed, sender=people["member"], text="Поздно")
