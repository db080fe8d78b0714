"""The chat's pages: the conversation list (order, role labels, previews, unread badges,
photos under the privacy rule, «show more»), «Поиск по имени или email» and the search in
one's own messages, one conversation (date separators, the «Непрочитанное» divider, «show
earlier» by keyset, read state on GET), «Написать» (chat:with), blocking, and the «написать»
buttons of other apps' pages."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone, translation

from extranet.chat import services
from extranet.chat.models import Block, Conversation, Inbox, Message, Participant
from extranet.chat.selectors import MESSAGES_PAGE_SIZE
from extranet.members.models import Membership
from extranet.members.profiles import DELETED_USER_LABEL
from tests.extranet.chat.page_helpers import bulk_conversations, talk, url

pytestmark = pytest.mark.django_db


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def list_order(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-conversation="(\d+)"', page)]


# --- The list ----------------------------------------------------------------------------------


def test_list_is_ordered_by_last_message_with_roles_previews_and_unread(people, client_for):
    """The member's conversations come newest first, each with the other person's role
    label, the last message's preview and the unread count."""
    member, admin, portal = people["member"], people["initiative_admin"], people["portal_admin"]
    with_admin = talk(member, admin, (admin, "Добрый день"), (admin, "Есть вопрос"))
    with_portal = talk(member, portal, (portal, "Приветствую всех"))
    talk(member, admin, (member, "Слушаю"), conversation=with_admin)

    page = html(client_for(member).get(url("chat:index")))

    assert list_order(page) == [with_admin.pk, with_portal.pk]
    with translation.override("ru"):
        from extranet.chat.templatetags.chat_tags import role_label

        admin_label = role_label("initiative_admin")
        portal_label = role_label("portal_admin")
    assert f'{admin.get_full_name()} <span class="chat-list__role">({admin_label})' in page
    assert f"({portal_label})" in page
    assert "Слушаю" in page and "Приветствую всех" in page
    badges = re.findall(r'data-chat-unread(?: hidden)?><span aria-hidden="true">(\d+)', page)
    assert badges == ["2", "1"]
    assert 'data-chat-unread hidden><span aria-hidden="true">2' not in page


def test_a_deleted_account_is_shown_as_deleted_user(people, client_for):
    """When the other person deleted their account, the conversation stays with
    «Удалённый пользователь»."""
    member, admin = people["member"], people["initiative_admin"]
    conversation = talk(member, admin, (admin, "До свидания"))
    admin.delete()
    page = html(client_for(member).get(url("chat:index")))
    with translation.override("ru"):
        label = str(DELETED_USER_LABEL)
    assert f'data-conversation="{conversation.pk}"' in page
    assert label in page
    page = html(client_for(member).get(url("chat:conversation", conversation.pk)))
    assert label in page
    assert "data-chat-closed" in page and "data-chat-composer" not in page


def test_photos_follow_the_privacy_rule(people, client_for):
    """A member sees the photo of a member of the same initiative, but a registered user
    does not see the portal admin's (they share no initiative)."""
    from extranet.members.models import Profile

    member, admin = people["member"], people["initiative_admin"]
    registered, portal = people["registered"], people["portal_admin"]
    Profile.objects.filter(user__in=[admin, portal]).update(photo="photos/x.jpg")
    talk(member, admin, (admin, "Фото"))
    talk(registered, portal, (portal, "Без фото"))

    assert f"/files/photos/{admin.pk}/" in html(client_for(member).get(url("chat:index")))
    assert f"/files/photos/{portal.pk}/" not in html(client_for(registered).get(url("chat:index")))


def test_show_more_pages_the_list_by_keyset(people, client_for):
    """With more conversations than a page, «show more» leads to the rest, none twice."""
    from extranet.chat.selectors import CONVERSATIONS_PAGE_SIZE

    member = people["member"]
    conversations = bulk_conversations(member, CONVERSATIONS_PAGE_SIZE + 5)
    client = client_for(member)
    first = html(client.get(url("chat:index")))
    match = re.search(r'href="(\?after=[^"]+)" rel="next"', first)
    assert match
    second = html(client.get(url("chat:index") + match.group(1)))
    shown = list_order(first) + list_order(second)
    assert sorted(shown) == sorted(c.pk for c in conversations)
    assert 'rel="next"' not in second


def test_a_forged_cursor_shows_the_first_page(people, client_for):
    """An edited «show more» cursor shows the first page with a notice, not an error."""
    member, admin = people["member"], people["initiative_admin"]
    conversation = talk(member, admin, (admin, "Текст"))
    page = html(client_for(member).get(url("chat:index") + "?after=bm9wZQ"))
    assert f'data-conversation="{conversation.pk}"' in page
    assert "alert--warning" in page


# --- Search ------------------------------------------------------------------------------------


def test_search_finds_people_i_may_write_to_by_name(people, client_for):
    """«Поиск по имени или email»: a member finds a member of the same initiative by last
    name, with «Написать» to chat:with; a member of another initiative is not found."""
    member, colleague, stranger = (
        people["member"],
        people["initiative_admin"],
        people["other_member"],
    )
    stranger.last_name = colleague.last_name
    stranger.save()
    page = html(client_for(member).get(url("chat:index"), {"q": colleague.last_name.lower()}))
    assert url("chat:with", colleague.pk) in page
    assert url("chat:with", stranger.pk) not in page


def test_search_by_email_only_where_the_data_is_visible(people, client_for):
    """The portal admin is found by name, but not by their e-mail by a member who may not
    see their data; a colleague is found by e-mail."""
    member, portal, colleague = people["member"], people["portal_admin"], people["initiative_admin"]
    client = client_for(member)
    assert url("chat:with", portal.pk) in html(
        client.get(url("chat:index"), {"q": portal.last_name})
    )
    assert url("chat:with", portal.pk) not in html(
        client.get(url("chat:index"), {"q": portal.email})
    )
    assert url("chat:with", colleague.pk) in html(
        client.get(url("chat:index"), {"q": colleague.email})
    )


def test_search_in_my_messages_links_to_the_message(people, client_for):
    """Full-text search finds words of one's own conversations (not others'), linking to
    the message inside its conversation."""
    member, admin, other = people["member"], people["initiative_admin"], people["other_member"]
    mine = talk(member, admin, (admin, "Отчёт о семинаре готов"), (member, "Спасибо"))
    talk(other, people["portal_admin"], (other, "Семинар и отчёт чужие"))
    page = html(client_for(member).get(url("chat:index"), {"q": "отчёт"}))
    hit = Message.objects.get(body="Отчёт о семинаре готов")
    assert f"#message-{hit.pk}" in page
    assert url("chat:conversation", mine.pk) in page
    assert "чужие" not in page
    # The link opens the page that holds the message.
    link = re.search(rf'href="([^"]+#message-{hit.pk})"', page).group(1).replace("&amp;", "&")
    target = html(client_for(member).get(link.split("#")[0]))
    assert f'id="message-{hit.pk}"' in target


# --- One conversation --------------------------------------------------------------------------


def test_date_separators_in_russian(people, client_for):
    """Messages of two days get two separators, «10 октября 2019» and the next day's."""
    member, admin = people["member"], people["initiative_admin"]
    conversation = talk(member, admin, (admin, "Первый"), (member, "Второй"), (admin, "Третий"))
    first, second, third = conversation.messages.order_by("id")
    tz = timezone.get_current_timezone()
    Message.objects.filter(pk=first.pk).update(
        created_at=datetime.datetime(2019, 10, 10, 17, 37, tzinfo=tz)
    )
    Message.objects.filter(pk__in=[second.pk, third.pk]).update(
        created_at=datetime.datetime(2019, 10, 11, 14, 54, tzinfo=tz)
    )
    page = html(client_for(member).get(url("chat:conversation", conversation.pk)))
    assert re.findall(r"<li class=\"chat-date\"[^>]*><span>([^<]+)</span>", page) == [
        "10 октября 2019",
        "11 октября 2019",
    ]
    assert ">17:37</time>" in page and ">14:54</time>" in page


def test_unread_divider_before_the_first_unread_message_then_read(people, client_for):
    """The «Непрочитанное» divider stands before the first message the viewer has not read;
    opening the page marks the conversation read (participant, inbox), so it is gone next
    time."""
    member, admin = people["member"], people["initiative_admin"]
    conversation = talk(member, admin, (admin, "Старое"))
    services.conversation_mark_read(user=member, conversation=conversation)
    talk(
        member,
        admin,
        (member, "Моё"),
        (admin, "Новое 1"),
        (admin, "Новое 2"),
        conversation=conversation,
    )
    assert Inbox.objects.get(user=member).unread_total == 2
    client = client_for(member)
    page = html(client.get(url("chat:conversation", conversation.pk)))
    new_1 = Message.objects.get(body="Новое 1")
    order = re.findall(r'id="(unread|message-\d+)"', page)
    assert order.index("unread") == order.index(f"message-{new_1.pk}") - 1
    assert order.index("unread") > order.index(f"message-{Message.objects.get(body='Моё').pk}")
    participant = Participant.objects.get(user=member, conversation=conversation)
    assert participant.unread == 0 and participant.last_read_id == Message.objects.latest("id").pk
    assert Inbox.objects.get(user=member).unread_total == 0
    assert 'id="unread"' not in html(client.get(url("chat:conversation", conversation.pk)))


def test_show_earlier_loads_older_messages_by_keyset_without_marking_read(people, client_for):
    """The newest page holds the newest messages oldest first; «Показать ранее» gives the
    older ones, none twice, and does not mark anything read."""
    member = people["member"]
    (conversation,) = bulk_conversations(member, 1, messages_each=MESSAGES_PAGE_SIZE + 7)
    client = client_for(member)
    # An older page does not mark read.
    ids = list(conversation.messages.order_by("id").values_list("id", flat=True))
    first = html(client.get(url("chat:conversation", conversation.pk)))
    shown = [int(x) for x in re.findall(r'data-message-id="(\d+)"', first)]
    assert shown == ids[-MESSAGES_PAGE_SIZE:]
    link = re.search(r'href="(\?before=[^"]+)" rel="prev"', first).group(1)
    Participant.objects.filter(user=member).update(unread=5, last_read_id=0)
    older = html(client.get(url("chat:conversation", conversation.pk) + link))
    older_ids = [int(x) for x in re.findall(r'data-message-id="(\d+)"', older)]
    assert older_ids == ids[:7]
    assert 'rel="prev"' not in older
    assert Participant.objects.get(user=member).unread == 5


def test_with_redirects_to_an_existing_conversation(people, client_for):
    """«Написать» to someone one already talks to opens that conversation."""
    member, admin = people["member"], people["initiative_admin"]
    conversation = talk(member, admin, (admin, "Есть"))
    response = client_for(member).get(url("chat:with", admin.pk))
    assert response.status_code == 302
    assert response["Location"] == url("chat:conversation", conversation.pk)


def test_with_shows_an_empty_conversation_and_stores_nothing_until_the_first_message(
    people, client_for
):
    """GET shows the composer without creating a conversation; POST creates it with the
    first message and goes to it."""
    member, portal = people["member"], people["portal_admin"]
    client = client_for(member)
    page = html(client.get(url("chat:with", portal.pk)))
    assert "data-chat-composer" in page
    assert f'action="{url("chat:with", portal.pk)}"' in page
    assert not Conversation.objects.exists()
    response = client.post(url("chat:with", portal.pk), {"text": "Здравствуйте"})
    conversation = Conversation.objects.get()
    message = conversation.messages.get()
    assert message.body == "Здравствуйте" and message.sender == member
    assert response.status_code == 302
    assert (
        response["Location"] == url("chat:conversation", conversation.pk) + f"#message-{message.pk}"
    )


def test_with_a_refused_first_message_leaves_no_conversation(people, client_for):
    """An empty first message comes back with the error and no conversation is stored."""
    member, portal = people["member"], people["portal_admin"]
    response = client_for(member).post(url("chat:with", portal.pk), {"text": "   "})
    assert response.status_code == 200
    assert "data-chat-error-list" in response.content.decode()
    assert not Conversation.objects.exists()


def test_xhr_send_answers_json(people, client_for):
    """chat.js's XMLHttpRequest gets the message's payload (201) or the errors (400)."""
    member, admin = people["member"], people["initiative_admin"]
    conversation = talk(member, admin, (admin, "Начало"))
    client = client_for(member)
    response = client.post(
        url("chat:conversation", conversation.pk),
        {"text": "Живое https://example.com"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 201
    payload = response.json()["message"]
    assert payload["text"] == "Живое https://example.com"
    assert 'href="https://example.com"' in payload["html"]
    response = client.post(
        url("chat:conversation", conversation.pk), {"text": ""}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["text"]


def test_block_and_unblock(people, client_for):
    """«Заблокировать» stops the conversation for both sides (the composer gives way to a
    sentence), «Разблокировать» lifts it."""
    member, admin = people["member"], people["initiative_admin"]
    conversation = talk(member, admin, (admin, "Привет"))
    client = client_for(member)
    response = client.post(url("chat:block", conversation.pk))
    assert response.status_code == 302
    assert Block.objects.filter(blocker=member, blocked=admin).exists()
    page = html(client.get(url("chat:conversation", conversation.pk)))
    assert "data-chat-closed" in page and "data-chat-composer" not in page
    assert url("chat:unblock", conversation.pk) in page
    other_side = html(client_for(admin).get(url("chat:conversation", conversation.pk)))
    assert "data-chat-closed" in other_side and "data-chat-composer" not in other_side
    client.post(url("chat:unblock", conversation.pk))
    assert not Block.objects.exists()
    assert "data-chat-composer" in html(client.get(url("chat:conversation", conversation.pk)))


def test_history_stays_when_the_membership_ends(people, client_for, gorki):
    """A member who left the initiative still reads the conversation with another member,
    without a composer."""
    from tests.factories import MembershipFactory

    member, colleague = people["member"], MembershipFactory(initiative=gorki).user
    conversation = talk(member, colleague, (colleague, "До встречи"))
    Membership.objects.filter(user=member, initiative=gorki).update(
        status=Membership.Status.WITHDRAWN
    )
    page = html(client_for(member).get(url("chat:conversation", conversation.pk)))
    assert "До встречи" in page
    assert "data-chat-closed" in page and "data-chat-composer" not in page


# --- «написать» elsewhere ----------------------------------------------------------------------


def test_write_buttons_on_the_directory_card_and_the_member_card(people, client_for, gorki):
    """The directory's card and the member card carry «Написать» to chat:with."""
    member, colleague = people["member"], people["initiative_admin"]
    client = client_for(member)
    with translation.override("ru"):
        from django.urls import reverse

        directory = reverse("groups:members", kwargs={"slug": gorki.slug})
        card = reverse("person", kwargs={"user_id": colleague.pk})
    assert url("chat:with", colleague.pk) in html(client.get(directory))
    assert url("chat:with", colleague.pk) in html(client.get(card))


def test_write_buttons_in_the_applications_queue_and_all_users(people, client_for, gorki):
    """The initiative admin's applications queue offers «Написать» to the applicant; the
    portal admin's «Все пользователи» to every active user."""
    from django.urls import reverse

    admin, applicant, portal = people["initiative_admin"], people["pending"], people["portal_admin"]
    with translation.override("ru"):
        applications = reverse("groups:applications", kwargs={"slug": gorki.slug})
        users = reverse("dashboard:users")
    assert url("chat:with", applicant.pk) in html(client_for(admin).get(applications))
    page = html(client_for(portal).get(users))
    for role in ("member", "pending", "registered", "initiative_admin"):
        assert url("chat:with", people[role].pk) in page
    assert url("chat:with", portal.pk) not in page


def test_write_button_on_the_feed_contact_card(people, client_for, gorki):
    """The group's contact cards (the feed's side panel) offer «Написать» to the admin."""
    from django.urls import reverse

    with translation.override("ru"):
        feed = reverse("groups:feed", kwargs={"slug": gorki.slug})
    page = html(client_for(people["member"]).get(feed))
    assert url("chat:with", people["initiative_admin"].pk) in page


def test_cards_ask_about_their_own_people_and_others_still_get_an_answer(people, gorki):
    """A page of cards announces its people (people.prepare_person_actions): the chat looks
    up only those, a person blocked among them gets no «Написать», and a card the page did
    not announce (a template asking per person) is still answered correctly."""
    from extranet.chat.wagtail_hooks import write_to
    from extranet.members.people import prepare_person_actions
    from tests.factories import MembershipFactory

    member, admin = people["member"], people["initiative_admin"]
    blocked = MembershipFactory(initiative=gorki).user
    Block.objects.create(blocker=member, blocked=blocked)
    prepare_person_actions(member, [admin.pk, blocked.pk])
    decided, writable = member._chat_writable
    assert decided == {admin.pk, blocked.pk}
    assert writable == {admin.pk}
    assert write_to(member, admin) is not None
    assert write_to(member, blocked) is None
    # Not announced: the pending applicant (no) and another Gorki member (yes).
    colleague = MembershipFactory(initiative=gorki).user
    assert write_to(member, people["pending"]) is None
    assert write_to(member, colleague) is not None
