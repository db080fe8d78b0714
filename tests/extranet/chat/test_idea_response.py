"""«Откликнуться» on an idea of the ideas exchange, the chat's side: the hook opens (or
reuses) the conversation with ``opened_via_idea``, the first message names the idea and its
address, and its two people may then write to each other whatever their initiatives, on the
pages and over /ws/chat/; a block either way, a blocked account or a bad text still refuse."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.utils import translation

from extranet.chat import permissions, services
from extranet.chat.models import Block, Conversation, Message
from extranet.members.profiles import consent_withdraw
from ideas_exchange.extensions import RespondError, respond
from tests.ideas_exchange.factories import IdeaFactory, ideas_page


@pytest.fixture
def public_idea(home_page, people, gorki):
    """A public request of «gorki» by its member, on the /ideas/ page."""
    ideas_page()
    return IdeaFactory(
        title="Совместное использование лабораторного оборудования",
        author=people["member"],
        initiative=gorki,
    )


def _respond(sender, idea, text="Готовы помочь с оборудованием."):
    return respond(sender=sender, recipient=idea.author, text=text, idea=idea)


@pytest.mark.django_db
def test_respond_opens_a_conversation_marked_from_the_idea(people, public_idea):
    """A registered user with no initiative (who may not write to the member otherwise)
    responds: one conversation marked opened_via_idea, one message starting with the idea's
    title and absolute address, then the text; the hook returns the conversation's page."""
    sender, author = people["registered"], public_idea.author
    assert not permissions.can_write(sender, author)
    with translation.override("ru"):
        url = _respond(sender, public_idea)
    conversation = Conversation.objects.get()
    assert conversation.opened_via_idea
    assert url == f"/cabinet/messages/{conversation.pk}/"
    message = Message.objects.get()
    assert message.sender == sender and message.conversation == conversation
    first_line, _blank, rest = message.body.partition("\n\n")
    assert f"«{public_idea.title}»" in first_line
    assert first_line.rstrip().endswith(f"/ideas/{public_idea.pk}/")
    assert "://" in first_line
    assert rest == "Готовы помочь с оборудованием."


@pytest.mark.django_db
def test_both_people_may_write_in_it_afterwards(people, public_idea):
    """The author answers in that conversation and the responder writes again; without the
    conversation (or in another one) the usual rule still says no."""
    sender, author = people["registered"], public_idea.author
    _respond(sender, public_idea)
    conversation = Conversation.objects.get()
    assert permissions.can_write(author, sender, conversation=conversation)
    assert permissions.can_write(sender, author, conversation=conversation)
    services.message_send(sender=author, conversation=conversation, body="Спасибо, созвонимся.")
    services.message_send(sender=sender, conversation=conversation, body="Договорились.")
    assert Message.objects.count() == 3
    assert not permissions.can_write(sender, author)
    stranger_chat = services.conversations_ensure(
        user_id=sender.pk, other_ids=[people["other_member"].pk]
    )[people["other_member"].pk]
    assert not permissions.can_write(sender, people["other_member"], conversation=stranger_chat)
    # A conversation of two other people marked from an idea opens nothing for this pair.
    stranger_chat.opened_via_idea = True
    assert not permissions.can_write(author, people["other_member"], conversation=stranger_chat)


@pytest.mark.django_db
def test_an_existing_conversation_is_reused_and_marked(people, public_idea, conversation):
    """Two people who already talk: the same conversation, now marked, gets the message."""
    sender = people["initiative_admin"]
    existing = conversation(sender, public_idea.author)
    assert not existing.opened_via_idea
    url = _respond(sender, public_idea)
    existing.refresh_from_db()
    assert existing.opened_via_idea and Conversation.objects.count() == 1
    assert url.endswith(f"/{existing.pk}/")
    assert Message.objects.filter(conversation=existing).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("blocker", ["author", "sender"])
def test_a_block_either_way_refuses_and_stores_nothing(people, public_idea, blocker):
    """Blocked either way: RespondError with a sentence, no conversation, no message."""
    sender, author = people["registered"], public_idea.author
    if blocker == "author":
        Block.objects.create(blocker=author, blocked=sender)
    else:
        Block.objects.create(blocker=sender, blocked=author)
    with pytest.raises(RespondError) as error:
        _respond(sender, public_idea)
    assert str(error.value)
    assert not Conversation.objects.exists() and not Message.objects.exists()


@pytest.mark.django_db
def test_a_block_after_the_response_ends_the_writing(people, public_idea):
    """Once either blocks the other, neither writes in the idea's conversation."""
    sender, author = people["registered"], public_idea.author
    _respond(sender, public_idea)
    conversation = Conversation.objects.get()
    Block.objects.create(blocker=author, blocked=sender)
    assert not permissions.can_write(sender, author, conversation=conversation)
    assert not permissions.can_write(author, sender, conversation=conversation)
    with pytest.raises(services.ChatError):
        services.message_send(sender=sender, conversation=conversation, body="Ещё раз")


@pytest.mark.django_db
def test_blocked_accounts_refuse(people, public_idea):
    """An inactive author cannot be written to; an inactive responder cannot write, also
    in a conversation opened from the idea."""
    sender, author = people["registered"], public_idea.author
    _respond(sender, public_idea)
    conversation = Conversation.objects.get()
    consent_withdraw(user=author)
    author.refresh_from_db()
    assert not author.is_active
    assert not permissions.can_write(sender, author, conversation=conversation)
    with pytest.raises(RespondError):
        _respond(sender, public_idea)
    assert Message.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["", "   \n ", "х" * 4001])
def test_empty_or_too_long_text_refuses(people, public_idea, text):
    """An empty or too long answer: RespondError with the chat's sentence, nothing stored."""
    with pytest.raises(RespondError) as error:
        _respond(people["registered"], public_idea, text=text)
    assert str(error.value)
    assert not Conversation.objects.exists() and not Message.objects.exists()


@pytest.mark.django_db
def test_the_conversation_page_lets_the_author_answer(people, public_idea, client_for):
    """The author opens the conversation: the composer is there (not «you cannot write»),
    and a POST of the answer is stored."""
    sender, author = people["registered"], public_idea.author
    url = _respond(sender, public_idea)
    client = client_for(author)
    html = client.get(url).content.decode()
    assert "<textarea" in html
    response = client.post(url, {"text": "Отвечаю со страницы."})
    assert response.status_code in (200, 302)
    assert Message.objects.filter(sender=author, body="Отвечаю со страницы.").exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_the_author_answers_over_the_socket(people, public_idea, chat_socket):
    """/ws/chat/ asks can_write with the conversation: the author's answer is accepted; once
    the responder blocks the author the same frame is refused with not_allowed."""
    sender, author = people["registered"], public_idea.author
    await database_sync_to_async(_respond)(sender, public_idea)
    conversation = await database_sync_to_async(Conversation.objects.get)()
    socket, connected = await chat_socket(author)
    assert connected
    ack = await socket.write(conversation, "Ответ по сокету")
    assert ack["id"]
    assert await database_sync_to_async(
        Message.objects.filter(sender=author, body="Ответ по сокету").exists
    )()
    await database_sync_to_async(Block.objects.create)(blocker=sender, blocked=author)
    reply = await socket.ask(
        {"type": "send", "conversation": conversation.pk, "text": "Ещё", "client_id": 3}
    )
    assert reply["type"] == "error" and reply["code"] == "not_allowed"
