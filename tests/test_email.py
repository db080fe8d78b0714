"""The platform's one e-mail service (core.email.send_templated_email), in memory and through
a real SMTP server."""

from __future__ import annotations

import email
import email.policy
import json

import pytest
from django.core import mail

from core.email import send_templated_email
from core.models import OutgoingEmail
from extranet.members.invitations import invitation_create, invitation_send
from tests.smtp import smtp_server as running_smtp_server

pytestmark = pytest.mark.django_db

TEMPLATE = "members/emails/invitation"


def _context(gorki, url="http://testserver/invitations/abc/"):
    return {"initiative": gorki, "inviter_name": "Тимаев Андрей", "url": url, "expires_at": None}


def test_renders_text_and_html_parts_from_two_templates(
    gorki, settings, django_capture_on_commit_callbacks
):
    """One message with the .txt template as body and the .html one as alternative, from
    DEFAULT_FROM_EMAIL, to the given addresses."""
    settings.DEFAULT_FROM_EMAIL = "Платформа <noreply@example.com>"
    with django_capture_on_commit_callbacks(execute=True):
        send_templated_email(
            to=["a@example.com", "b@example.com"],
            subject="Приглашение",
            template=TEMPLATE,
            context=_context(gorki),
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["a@example.com", "b@example.com"]
    assert message.from_email == "Платформа <noreply@example.com>"
    assert "http://testserver/invitations/abc/" in message.body
    assert "<html" not in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert 'href="http://testserver/invitations/abc/"' in html
    assert gorki.title in html


def test_subject_is_folded_onto_one_line(gorki, django_capture_on_commit_callbacks):
    """A subject with line breaks (from a title, say) cannot inject headers."""
    with django_capture_on_commit_callbacks(execute=True):
        send_templated_email(
            to=["a@example.com"],
            subject="Привет\r\nBcc: victim@example.com\n  мир",
            template=TEMPLATE,
            context=_context(gorki),
        )
    message = mail.outbox[0]
    assert message.subject == "Привет Bcc: victim@example.com мир"
    assert message.bcc == []


def test_html_part_escapes_context(gorki, django_capture_on_commit_callbacks):
    """Context values are escaped in the HTML part (a name cannot inject markup)."""
    with django_capture_on_commit_callbacks(execute=True):
        send_templated_email(
            to=["a@example.com"],
            subject="x",
            template=TEMPLATE,
            context={**_context(gorki), "inviter_name": "<script>alert(1)</script>"},
        )
    html = mail.outbox[0].alternatives[0][0]
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 and Django's SMTP backend pointed at it."""
    with running_smtp_server(settings) as handler:
        yield handler


def test_invitation_goes_through_a_real_smtp_server(
    smtp_server, people, gorki, django_capture_on_commit_callbacks
):
    """Integration: the invitation travels over SMTP to a server on 127.0.0.1 and arrives as a
    multipart message (text and HTML) carrying {SITE_URL}/invitations/<token>/."""
    invitation, token = invitation_create(
        initiative=gorki, email="guest@example.com", invited_by=people["initiative_admin"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(invitation=invitation, token=token)
    smtp_server.wait_for(1)
    assert len(smtp_server.messages) == 1
    envelope = smtp_server.messages[0]
    assert envelope.rcpt_tos == ["guest@example.com"]
    message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    assert message.is_multipart()
    link = f"http://testserver/invitations/{token}/"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert link in text
    assert f'href="{link}"' in html
    assert gorki.title in str(message["Subject"])
    assert mail.outbox == []  # it really went through SMTP, not the test backend


def test_nothing_is_sent_before_the_transaction_commits(gorki, django_capture_on_commit_callbacks):
    """The message waits for the caller's transaction: before the commit the outbox is empty
    and one sending task is queued; a rolled-back change would send nothing."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_templated_email(
            to=["a@example.com"], subject="x", template=TEMPLATE, context=_context(gorki)
        )
    assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1


def test_the_sending_task_takes_only_json_arguments(gorki, django_capture_on_commit_callbacks):
    """What the task receives is the outbox row's id (so the database backend stores a
    number), and the row holds the text rendered in the language active when the caller
    rendered it."""
    from django.utils import translation
    from django_tasks.signals import task_enqueued

    seen = []

    def remember(sender, task_result, **kwargs):
        seen.append(task_result)

    task_enqueued.connect(remember)
    try:
        with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
            send_templated_email(
                to=["a@example.com"], subject="x", template=TEMPLATE, context=_context(gorki)
            )
    finally:
        task_enqueued.disconnect(remember)
    assert [result.task.name for result in seen] == ["email_send"]
    kwargs = seen[0].kwargs
    assert json.loads(json.dumps(kwargs)) == kwargs
    outgoing = OutgoingEmail.objects.get()
    assert kwargs == {"outgoing_id": outgoing.pk}
    assert "Тимаев Андрей" in outgoing.body
    assert "You are invited to join" in outgoing.body  # English, as the caller was
    assert mail.outbox[0].body == outgoing.body
