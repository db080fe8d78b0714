"""Notices through a real SMTP server (aiosmtpd on 127.0.0.1, Django's SMTP backend): the
received messages' headers and both parts, one-click unsubscribe on optional mail only, no
private text unless the initiative allows excerpts, and a refusing server recorded for retry."""

from __future__ import annotations

import re

import pytest
from django.conf import settings as django_settings
from django.core import mail

from core.models import OutgoingEmail
from extranet.feed.services import post_create
from extranet.members.services import membership_approve
from extranet.notices.services import email_settings_save
from tests.smtp import Refuser
from tests.smtp import smtp_server as running_smtp_server

pytestmark = pytest.mark.django_db

UNSUBSCRIBE = re.compile(r"^<(https?://[^/>]+(?:/[a-z]{2})?/unsubscribe/[^/>]+/)>$")
POST_TEXT = "Секретная повестка: бюджет на 2027 год, только для участников"


@pytest.fixture
def smtp_server(settings):
    with running_smtp_server(settings) as handler:
        yield handler


def _approve(people, gorki, capture):
    pending = people["pending"].memberships.get(initiative=gorki)
    with capture(execute=True):
        membership_approve(membership=pending, by=people["initiative_admin"])
    return people["pending"]


def _post(people, gorki, capture, *, text=POST_TEXT):
    """The member wants group activity «сразу»; the initiative admin posts."""
    email_settings_save(user=people["member"], modes={"group": "immediate"})
    with capture(execute=True):
        return post_create(
            initiative=gorki, author=people["initiative_admin"], kind="news", text=text
        )


def _only_message_to(smtp_server, address):
    smtp_server.wait_for(1)
    found = [
        (envelope, message)
        for envelope, message in zip(smtp_server.messages, smtp_server.parsed(), strict=True)
        if envelope.rcpt_tos == [address]
    ]
    assert len(found) == 1, [envelope.rcpt_tos for envelope in smtp_server.messages]
    return found[0]


def _parts(message):
    assert message.get_content_type() == "multipart/alternative"
    types = [part.get_content_type() for part in message.iter_parts()]
    assert types == ["text/plain", "text/html"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def _common_headers(message, address):
    assert django_settings.PLATFORM_NAME in str(message["From"])
    assert message["From"].addresses[0].display_name == django_settings.PLATFORM_NAME
    assert [a.addr_spec for a in message["To"].addresses] == [address]
    assert re.fullmatch(r"<[^<>@\s]+@[^<>@\s]+>", str(message["Message-ID"]))
    assert message["Date"].datetime is not None


def test_the_approval_mail_arrives_as_a_service_mail(
    smtp_server, people, gorki, django_capture_on_commit_callbacks
):
    """The applicant's approval travels over SMTP: the platform's name in From, their address
    in To, the decoded Russian subject naming the initiative, Message-ID and Date, a text and
    an HTML part both linking to the group; a service mail has no List-Unsubscribe."""
    applicant = _approve(people, gorki, django_capture_on_commit_callbacks)
    _, message = _only_message_to(smtp_server, applicant.email)
    _common_headers(message, applicant.email)
    assert gorki.title in str(message["Subject"])
    text, html = _parts(message)
    link = f"http://testserver/cabinet/groups/{gorki.slug}/"
    assert link in text
    assert f'href="{link}' in html
    assert message["List-Unsubscribe"] is None
    assert message["List-Unsubscribe-Post"] is None
    assert mail.outbox == []  # really sent over SMTP
    outgoing = OutgoingEmail.objects.get(to=[applicant.email])
    assert outgoing.status == OutgoingEmail.Status.SENT


def test_a_group_post_mail_has_one_click_unsubscribe_and_no_private_text(
    smtp_server, people, gorki, django_capture_on_commit_callbacks
):
    """A member who wants group activity at once gets the post by SMTP: who posted where,
    a link in both parts, List-Unsubscribe to /unsubscribe/<token>/ with RFC 8058's
    List-Unsubscribe-Post; the post's text is not in the mail (excerpts are off)."""
    assert not gorki.email_excerpts
    post = _post(people, gorki, django_capture_on_commit_callbacks)
    member = people["member"]
    envelope, message = _only_message_to(smtp_server, member.email)
    _common_headers(message, member.email)
    subject = str(message["Subject"]).strip()  # decoded from =?utf-8?b?...?=
    assert gorki.title in subject
    assert people["initiative_admin"].last_name in subject
    text, html = _parts(message)
    link = f"http://testserver/cabinet/groups/{gorki.slug}/posts/{post.pk}/"
    assert link in text
    assert f'href="{link}' in html
    unsubscribe = UNSUBSCRIBE.match(str(message["List-Unsubscribe"]).strip())
    assert unsubscribe, message["List-Unsubscribe"]
    assert str(message["List-Unsubscribe-Post"]).strip() == "List-Unsubscribe=One-Click"
    assert POST_TEXT not in text and POST_TEXT not in html
    assert "Секретная" not in envelope.original_content.decode("utf-8", "replace")
    # The author is never told of their own post.
    assert people["initiative_admin"].email not in {
        rcpt for envelope in smtp_server.messages for rcpt in envelope.rcpt_tos
    }


def test_the_one_click_link_unsubscribes_without_login(
    smtp_server, client, people, gorki, django_capture_on_commit_callbacks
):
    """A mail client POSTs «List-Unsubscribe=One-Click» to the header's link, with no
    session: the member's group activity mail is off."""
    from extranet.notices.selectors import email_modes

    _post(people, gorki, django_capture_on_commit_callbacks)
    _, message = _only_message_to(smtp_server, people["member"].email)
    url = UNSUBSCRIBE.match(str(message["List-Unsubscribe"]).strip()).group(1)
    response = client.post(url.removeprefix("http://testserver"), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    people["member"].refresh_from_db()
    assert email_modes(people["member"].email_settings)["group"] == "off"


def test_excerpts_switched_on_put_the_post_text_in_both_parts(
    smtp_server, people, gorki, django_capture_on_commit_callbacks
):
    """An initiative that switched e-mail excerpts on gets the post's text quoted, in the
    plain and the HTML part."""
    gorki.email_excerpts = True
    gorki.save()
    _post(people, gorki, django_capture_on_commit_callbacks)
    _, message = _only_message_to(smtp_server, people["member"].email)
    text, html = _parts(message)
    assert POST_TEXT in text
    assert POST_TEXT in html


def test_a_refusing_server_is_recorded_for_retry_and_shown_to_the_portal_admin(
    settings, client, people, gorki, django_capture_on_commit_callbacks
):
    """The server answers «550» to the recipient: the outbox row stays queued with the
    error, one attempt and its next try after the first delay, and the portal admin's log
    lists it with the error."""
    settings.EMAIL_RETRY_DELAYS = [60, 300]
    with running_smtp_server(settings, Refuser()) as refuser:
        applicant = _approve(people, gorki, django_capture_on_commit_callbacks)
    assert refuser.messages == []
    outgoing = OutgoingEmail.objects.get(to=[applicant.email])
    assert outgoing.status == OutgoingEmail.Status.QUEUED
    assert outgoing.attempts == 1
    assert outgoing.last_error.startswith("SMTPRecipientsRefused")
    assert "550" in outgoing.last_error and "Mailbox unavailable" in outgoing.last_error
    assert outgoing.next_attempt_at is not None
    assert 55 <= (outgoing.next_attempt_at - outgoing.created_at).total_seconds() <= 70
    client.force_login(people["portal_admin"])
    html = client.get("/en/cabinet/admin/emails/?status=queued").content.decode()
    assert applicant.email in html
    assert "Mailbox unavailable" in html
