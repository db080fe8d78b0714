"""Who is told what, in the bell and by e-mail, for every event that exists so far
(membership and feed), and that delivery happens once."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django.utils import translation
from notifications.models import Notification

from core.models import OutgoingEmail
from extranet.feed import events as feed_events
from extranet.feed import services as feed
from extranet.members import services as members
from extranet.notices import services as notices
from extranet.notices.kinds import Mode
from extranet.notices.models import DigestItem, NoticeEvent
from tests.factories import MembershipFactory, PortalAdminFactory, ProfileFactory

pytestmark = pytest.mark.django_db


def _told(kind: str) -> set:
    return set(Notification.objects.filter(verb=kind).values_list("recipient__email", flat=True))


def _mail_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


# --- Membership ------------------------------------------------------------------------------


def test_an_application_tells_the_initiatives_admins_only(people, gorki, run):
    """A new application reaches gorki's admins in the bell and by e-mail at once
    (membership defaults to «сразу»); not the applicant, members, other admins."""
    applicant = ProfileFactory(user__email="new@example.com").user
    run(members.membership_apply, user=applicant, initiative=gorki, message="Хотим участвовать")
    admin = people["initiative_admin"]
    assert _told("members.application_new") == {admin.email}
    [message] = _mail_to(admin.email)
    assert applicant.get_full_name() in message.subject
    assert "/cabinet/groups/gorki/applications/" in message.body
    notification = Notification.objects.get(verb="members.application_new")
    assert notification.data["excerpt"] == "Хотим участвовать"
    assert notification.unread and notification.emailed


def test_an_application_to_an_initiative_without_admins_tells_the_portal_admins(
    people, polotsk, run
):
    """Nobody administers polotsk: the portal admins decide, so they are told."""
    applicant = ProfileFactory(user__email="new@example.com").user
    run(members.membership_apply, user=applicant, initiative=polotsk)
    assert _told("members.application_new") == {people["portal_admin"].email}


def test_approval_tells_the_applicant_in_the_bell_and_by_service_mail(people, gorki, run):
    """The applicant is told, in the bell and by e-mail, even with every optional e-mail
    off (a decision is a service e-mail): no unsubscribe header; the admin is not told."""
    pending = people["pending"]
    notices.newsletter_set(user=pending, subscribed=False)
    membership = pending.memberships.get(initiative=gorki)
    run(members.membership_approve, membership=membership, by=people["initiative_admin"])
    assert _told("members.application_approved") == {pending.email}
    [message] = _mail_to(pending.email)
    assert gorki.title in message.subject
    assert "List-Unsubscribe" not in message.extra_headers
    assert "/cabinet/groups/gorki/" in message.body
    assert not _mail_to(people["initiative_admin"].email)


def test_rejection_carries_the_reason(people, gorki, run):
    """The applicant reads the reason in the bell's excerpt and in the e-mail."""
    pending = people["pending"]
    membership = pending.memberships.get(initiative=gorki)
    run(
        members.membership_reject,
        membership=membership,
        by=people["initiative_admin"],
        reason="Не указана организация",
    )
    assert _told("members.application_rejected") == {pending.email}
    [message] = _mail_to(pending.email)
    assert "Не указана организация" in message.body
    assert "Не указана организация" in message.alternatives[0][0]


def test_making_someone_an_admin_tells_them(people, gorki, run):
    """A new admin role is announced to the person (not to the portal admin who gave it)."""
    member = people["member"]
    membership = member.memberships.get(initiative=gorki)
    run(members.membership_set_role, membership=membership, role="admin", by=people["portal_admin"])
    assert _told("members.role_admin") == {member.email}


def test_a_rolled_back_change_tells_nobody(people, gorki):
    """Notices go out after commit: an approval that is rolled back leaves no trace."""
    membership = people["pending"].memberships.get(initiative=gorki)
    with pytest.raises(RuntimeError), transaction.atomic():
        members.membership_approve(membership=membership, by=people["initiative_admin"])
        raise RuntimeError
    assert not Notification.objects.exists() and not OutgoingEmail.objects.exists()


# --- Feed -----------------------------------------------------------------------------------


def test_a_post_tells_the_groups_members_by_digest_by_default(people, gorki, run):
    """Members and admins of gorki are told (group activity is a daily digest by default, so
    no e-mail now); the author, applicants, other initiatives' members, the portal admin and
    blocked members are not."""
    blocked = MembershipFactory(initiative=gorki).user
    blocked.is_active = False
    blocked.save()
    author = people["member"]
    post = run(feed.post_create, initiative=gorki, author=author, kind="news", text="Секрет группы")
    assert _told("feed.post_new") == {people["initiative_admin"].email}
    assert DigestItem.objects.filter(notification__target_object_id=str(post.pk)).count() == 1
    assert not mail.outbox


def test_a_post_mailed_at_once_carries_no_private_text_unless_excerpts_are_on(people, gorki, run):
    """A member who wants group activity «сразу» gets who-did-what-where with a link, and the
    post's text only when the initiative switched excerpts on."""
    reader = people["initiative_admin"]
    notices.email_settings_save(user=reader, modes={"group": Mode.IMMEDIATE})
    run(feed.post_create, initiative=gorki, author=people["member"], kind="news", text="Секрет")
    [message] = _mail_to(reader.email)
    assert "Секрет" not in message.body and "Секрет" not in message.alternatives[0][0]
    assert "/cabinet/groups/gorki/posts/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/unsubscribe/" in message.extra_headers["List-Unsubscribe"]

    mail.outbox.clear()
    gorki.email_excerpts = True
    gorki.save_revision().publish()
    run(feed.post_create, initiative=gorki, author=people["member"], kind="news", text="Открыто")
    [message] = _mail_to(reader.email)
    assert "Открыто" in message.body


def test_no_notices_while_the_feed_is_switched_off(people, gorki, run):
    """An event from a group whose feed is off (its pages are 404) tells nobody; the
    services refuse to post there anyway, so the signal is sent by hand."""
    post = run(feed.post_create, initiative=gorki, author=people["member"], kind="news", text="x")
    Notification.objects.all().delete()
    gorki.feed_enabled = False
    gorki.save_revision().publish()
    post.initiative.refresh_from_db()
    with transaction.atomic():
        run(
            feed_events.post_created.send,
            sender=type(post),
            post=post,
            actor=people["member"],
        )
    assert not Notification.objects.exists()


def test_a_comment_tells_the_author_and_earlier_commenters_who_still_read_the_group(
    people, gorki, run
):
    """The post's author hears «commented on your post», earlier commenters «also
    commented»; the commenter and an earlier commenter who left the group hear nothing."""
    author = people["member"]
    admin = people["initiative_admin"]
    leaver = MembershipFactory(initiative=gorki).user
    post = run(feed.post_create, initiative=gorki, author=author, kind="news", text="Вопрос")
    run(feed.comment_create, post=post, author=admin, text="Первый")
    run(feed.comment_create, post=post, author=leaver, text="Второй")
    members.membership_end(membership=leaver.memberships.get(initiative=gorki), by=None)
    Notification.objects.all().delete()
    third = MembershipFactory(initiative=gorki).user
    comment = run(feed.comment_create, post=post, author=third, text="Третий")
    assert _told("feed.comment_on_my_post") == {author.email}
    assert _told("feed.comment_in_thread") == {admin.email}
    notification = Notification.objects.get(verb="feed.comment_on_my_post")
    assert notification.data["url"].endswith(f"#comment-{comment.pk}")


def test_the_author_commenting_on_their_own_post_tells_earlier_commenters_only(people, gorki, run):
    """The author's own comment is not news to the author."""
    author = people["member"]
    admin = people["initiative_admin"]
    post = run(feed.post_create, initiative=gorki, author=author, kind="news", text="Вопрос")
    run(feed.comment_create, post=post, author=admin, text="Ответ")
    Notification.objects.all().delete()
    run(feed.comment_create, post=post, author=author, text="Спасибо")
    assert _told("feed.comment_on_my_post") == set()
    assert _told("feed.comment_in_thread") == {admin.email}


def test_a_pin_tells_the_members_but_not_the_admin_who_pinned(people, gorki, run):
    """Pinning is news for the group; the admin who pinned is not told."""
    post = run(feed.post_create, initiative=gorki, author=people["member"], kind="news", text="x")
    run(feed.post_pin, post=post, by=people["initiative_admin"])
    assert _told("feed.post_pinned") == {people["member"].email}


# --- Preferences, language, delivery ----------------------------------------------------------


def test_preferences_route_each_category(people, gorki, run):
    """«не присылать» for membership: the admin still gets the notice in the bell, no mail;
    the newsletter switch off: no optional mail either."""
    admin = people["initiative_admin"]
    notices.email_settings_save(user=admin, modes={"membership": Mode.OFF})
    run(members.membership_apply, user=people["registered"], initiative=gorki)
    assert _told("members.application_new") == {admin.email}
    assert not _mail_to(admin.email)

    notices.email_settings_save(user=admin, modes={"membership": Mode.IMMEDIATE})
    notices.newsletter_set(user=admin, subscribed=False)
    run(members.membership_apply, user=people["editor"], initiative=gorki)
    assert not _mail_to(admin.email)
    assert Notification.objects.filter(recipient=admin).count() == 2


def test_an_english_reader_gets_english_mail_with_english_links(people, gorki, run):
    """The e-mail is rendered in the recipient's chosen language, whatever the actor's."""
    admin = people["initiative_admin"]
    notices.email_settings_save(user=admin, modes={}, language="en")
    with translation.override("ru"):
        run(members.membership_apply, user=people["registered"], initiative=gorki)
    [message] = _mail_to(admin.email)
    assert "applied to join" in message.subject
    assert "http://testserver/en/cabinet/groups/gorki/applications/" in message.body


def test_a_name_with_line_breaks_cannot_add_headers(people, gorki, run):
    """The actor's name lands in the subject folded onto one line: no injected Bcc."""
    applicant = ProfileFactory(user__email="evil@example.com").user
    applicant.first_name = "Иван\r\nBcc: victim@example.com"
    applicant.save()
    run(members.membership_apply, user=applicant, initiative=gorki)
    [message] = _mail_to(people["initiative_admin"].email)
    assert "\n" not in message.subject and "\r" not in message.subject
    assert not message.bcc
    assert "victim@example.com" not in str(message.message()["Bcc"] or "")


def _event(**overrides):
    event = {
        "event_id": "e" * 32,
        "kind": "members.application_new",
        "recipient_ids": [],
        "actor_id": None,
        "target_type": 1,
        "target_id": "1",
        "url": "/cabinet/",
        "initiative_id": None,
        "initiative_title": "",
        "params": {"actor": "A", "initiative": "B"},
        "excerpt": "",
        "email_excerpt": False,
    }
    event.update(overrides)
    return event


def test_a_retried_delivery_task_delivers_once(people, run, django_capture_on_commit_callbacks):
    """The fan-out task run twice for one event (a worker retrying it) creates one
    notification and one e-mail per recipient."""
    admin = people["initiative_admin"]
    event = _event(recipient_ids=[admin.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.notice_event_deliver(**event) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.notice_event_deliver(**event) == 0
    assert Notification.objects.filter(recipient=admin).count() == 1
    assert len(_mail_to(admin.email)) == 1
    assert NoticeEvent.objects.count() == 1


def test_notify_refuses_an_unknown_kind(people, gorki):
    """A typo in a kind is a programming error, raised at once rather than lost."""
    with pytest.raises(ValueError):
        notices.notify(kind="nope", recipients=[people["member"]], target=gorki, url="/")


def test_fan_out_is_constant_in_queries(gorki, django_assert_max_num_queries, run):
    """Delivering one event costs the same number of queries for 3 or 30 recipients (bulk
    inserts), so a 1,000-member group costs no more statements than a small one."""
    for size in (3, 30):
        users = [PortalAdminFactory() for _ in range(size)]
        for user in users[: size // 2]:
            notices.email_settings_save(user=user, modes={"membership": Mode.DIGEST})
        event = _event(event_id=f"{size:032d}", recipient_ids=[u.pk for u in users])
        with django_assert_max_num_queries(16):
            notices.notice_event_deliver(**event)
        assert Notification.objects.filter(recipient__in=users).count() == size


def test_a_notice_without_an_actor_or_with_missing_params_reads_cleanly(people, gorki, run):
    """A role given by nobody (seeded data) names the platform; a parameter missing from an
    old notice reads as empty, never as a raw «%(name)s»."""
    from extranet.notices.kinds import kind_text

    membership = people["member"].memberships.get(initiative=gorki)
    run(members.membership_set_role, membership=membership, role="admin", by=None)
    notification = Notification.objects.get(verb="members.role_admin")
    text = kind_text(notification.verb, notification.data["params"])
    assert "%(" not in text and gorki.title in text
    assert "%(" not in kind_text("feed.post_new", {})
