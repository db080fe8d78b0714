"""The daily digest (``manage.py send_digests``): one e-mail per recipient grouped per
initiative, one SMTP connection per batch, preferences read at send time, idempotent, with
one-click unsubscribe headers, no private text unless the initiative allows excerpts, in the
recipient's language."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext
from notifications.models import Notification

from core.models import OutgoingEmail
from extranet.feed import services as feed
from extranet.notices import services as notices
from extranet.notices.digests import digests_send
from extranet.notices.kinds import Category, Mode
from extranet.notices.models import DigestItem
from extranet.notices.tokens import DIGEST, unsubscribe_token_read
from tests.factories import InitiativePageFactory, MembershipFactory, ProfileFactory

pytestmark = pytest.mark.django_db

BACKEND = f"{__name__}.CountingBackend"


class CountingBackend(EmailBackend):
    """The locmem backend that remembers each connection made and what it sent."""

    connections: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sent = []
        self.opened = 0
        CountingBackend.connections.append(self)

    def open(self):
        self.opened += 1
        return True

    def send_messages(self, messages):
        self.sent.extend(messages)
        return super().send_messages(messages)


class RefusingBackend(EmailBackend):
    """An SMTP server that is down: opening and sending fail."""

    def open(self):
        raise ConnectionRefusedError("connection refused")

    def send_messages(self, messages):
        raise ConnectionRefusedError("connection refused")


@pytest.fixture
def counting(settings):
    settings.EMAIL_BACKEND = BACKEND
    CountingBackend.connections = []
    return CountingBackend


def _person(email: str, *initiatives, language: str | None = None):
    user = ProfileFactory(user__email=email).user
    for initiative in initiatives:
        MembershipFactory(initiative=initiative, user=user)
    if language:
        notices.email_settings_save(user=user, modes={}, language=language)
    return user


def _post(run, initiative, author, text="Запись"):
    return run(feed.post_create, initiative=initiative, author=author, kind="news", text=text)


def _digests_to(address: str) -> list:
    return [
        m for m in mail.outbox if address in m.to and m.subject.startswith(("Ежедневная", "Daily"))
    ]


def _html(message) -> str:
    return message.alternatives[0][0]


@pytest.fixture
def author(gorki, polotsk):
    """Someone who posts in both groups (never told of their own posts)."""
    return _person("author@example.com", gorki, polotsk)


def test_one_email_per_recipient_grouped_per_initiative(run, gorki, polotsk, author):
    """A member of two initiatives gets one digest: a heading per initiative, each item's
    sentence, time and link under its own; the items are gone and the notifications marked
    e-mailed afterwards."""
    reader = _person("reader@example.com", gorki, polotsk)
    gorki_posts = [_post(run, gorki, author), _post(run, gorki, author)]
    polotsk_post = _post(run, polotsk, author)
    assert DigestItem.objects.filter(recipient=reader).count() == 3
    mail.outbox.clear()

    result = digests_send()

    [message] = _digests_to(reader.email)
    assert result.emails == 1  # the author is never told of their own posts
    body = message.body
    assert body.index(gorki.title) < body.index(polotsk.title)
    gorki_part = body[body.index(gorki.title) : body.index(polotsk.title)]
    for post in gorki_posts:
        assert f"http://testserver/cabinet/groups/gorki/posts/{post.pk}/" in gorki_part
    assert f"/cabinet/groups/polotsk/posts/{polotsk_post.pk}/" in body[body.index(polotsk.title) :]
    assert gorki_part.count("Новая запись в группе") == 2
    assert re.search(r"\(\d{1,2} \w+, \d\d:\d\d\)", body)
    html = _html(message)
    assert html.count("<h2") == 2
    assert "3 уведомления" in message.subject
    assert not DigestItem.objects.filter(recipient=reader).exists()
    assert set(Notification.objects.filter(recipient=reader).values_list("emailed", flat=True)) == {
        True
    }
    assert OutgoingEmail.objects.get(to=[reader.email], kind="digest").status == "sent"


def test_one_connection_per_batch(run, gorki, author, counting, settings):
    """5 recipients with DIGEST_BATCH_SIZE=2: 3 batches, 3 connections (each opened once),
    each sending at most 2 digests; 5 e-mails in all; the command prints the counts."""
    settings.DIGEST_BATCH_SIZE = 2
    readers = [_person(f"r{n}@example.com", gorki) for n in range(5)]
    _post(run, gorki, author)
    counting.connections = []
    mail.outbox.clear()

    out = io.StringIO()
    call_command("send_digests", stdout=out)

    assert len(counting.connections) == 3
    assert [c.opened for c in counting.connections] == [1, 1, 1]
    assert sorted(len(c.sent) for c in counting.connections) == [1, 2, 2]
    assert {m.to[0] for m in mail.outbox} == {r.email for r in readers}
    printed = out.getvalue()
    assert "5 recipients" in printed and "5 e-mails (5 sent)" in printed and "5 items" in printed
    assert "3 batches" in printed and "seconds" in printed


def test_recipients_are_read_a_batch_at_a_time(run, gorki, author, settings):
    """The recipients are walked by a keyset with LIMIT DIGEST_BATCH_SIZE: no query reads
    them all (bounded memory for 10,000 recipients)."""
    settings.DIGEST_BATCH_SIZE = 2
    for n in range(5):
        _person(f"k{n}@example.com", gorki)
    _post(run, gorki, author)
    with CaptureQueriesContext(db_connection) as queries:
        digests_send()
    recipient_queries = [
        q["sql"]
        for q in queries.captured_queries
        if "DISTINCT" in q["sql"] and "recipient_id" in q["sql"]
    ]
    assert len(recipient_queries) == 4  # three batches and the empty one that ends the walk
    assert all(re.search(r"LIMIT 2\b", sql) for sql in recipient_queries)


def test_preferences_are_read_at_send_time(run, gorki, author):
    """Items queued under the digest default, then: one person chose «не присылать» for group
    activity, one unsubscribed from everything, one was blocked, one chose «сразу» — they get
    no digest and their items are dropped; the one who kept the digest gets it."""
    kept = _person("kept@example.com", gorki)
    off = _person("off@example.com", gorki)
    unsubscribed = _person("unsub@example.com", gorki)
    blocked = _person("blocked@example.com", gorki)
    immediate = _person("immediate@example.com", gorki)
    _post(run, gorki, author)
    notices.email_settings_save(user=off, modes={Category.GROUP: Mode.OFF})
    notices.newsletter_set(user=unsubscribed, subscribed=False)
    blocked.is_active = False
    blocked.save(update_fields=["is_active"])
    notices.email_settings_save(user=immediate, modes={Category.GROUP: Mode.IMMEDIATE})
    mail.outbox.clear()

    result = digests_send()

    assert [m.to for m in mail.outbox] == [[kept.email]]
    assert result.dropped == 4 and result.items == 1
    assert not DigestItem.objects.exists()
    for person in (off, unsubscribed, blocked, immediate):
        assert not Notification.objects.get(recipient=person).emailed
    assert Notification.objects.get(recipient=kept).emailed


def test_running_twice_sends_nothing_twice(run, gorki, author):
    """The second run finds no items and sends nothing; a digest written by another run
    (its outbox key exists) is not written or sent again."""
    reader = _person("twice@example.com", gorki)
    _post(run, gorki, author)
    mail.outbox.clear()
    first = digests_send()
    second = digests_send()
    assert first.emails >= 1 and second.emails == 0 and second.recipients == 0
    assert len(_digests_to(reader.email)) == 1

    _post(run, gorki, author)
    item = DigestItem.objects.get(recipient=reader)
    OutgoingEmail.objects.create(
        key=f"digest:{reader.pk}:{item.pk}", kind="digest", to=[reader.email], subject="x", body="x"
    )
    mail.outbox.clear()
    digests_send()
    assert _digests_to(reader.email) == []
    assert OutgoingEmail.objects.filter(key=f"digest:{reader.pk}:{item.pk}").count() == 1
    assert not DigestItem.objects.filter(recipient=reader).exists()


def test_every_digest_has_one_click_unsubscribe_and_footer_links(run, gorki, author):
    """List-Unsubscribe names /unsubscribe/<token>/ with scope "digest" for this recipient,
    List-Unsubscribe-Post is RFC 8058's; both parts link to the preferences and the same
    unsubscribe address."""
    reader = _person("headers@example.com", gorki)
    _post(run, gorki, author)
    mail.outbox.clear()
    digests_send()
    [message] = _digests_to(reader.email)
    header = message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.fullmatch(r"<(http://testserver/unsubscribe/([^/]+)/)>", header)
    assert link
    request = unsubscribe_token_read(link.group(2))
    assert (request.user_id, request.scope) == (reader.pk, DIGEST)
    for part in (message.body, _html(message)):
        assert link.group(1) in part
        assert "http://testserver/cabinet/notifications/settings/" in part


def test_no_private_text_unless_the_initiative_allows_excerpts(run, gorki, author):
    """gorki quotes nothing (the default): the post's text is neither in the digest nor its
    subject. An initiative with excerpts on quotes the text."""
    open_group = InitiativePageFactory(title="Открытый кластер", slug="open", email_excerpts=True)
    MembershipFactory(initiative=open_group, user=author)
    reader = _person("private@example.com", gorki, open_group)
    _post(run, gorki, author, text="Секретная смета проекта")
    _post(run, open_group, author, text="Приглашаем всех на встречу")
    mail.outbox.clear()
    digests_send()
    [message] = _digests_to(reader.email)
    everything = message.subject + message.body + _html(message)
    assert "Секретная смета" not in everything
    assert "Приглашаем всех на встречу" in message.body
    assert "Приглашаем всех на встречу" in _html(message)


def test_russian_and_english_recipients_get_their_language(run, gorki, author):
    """EmailSettings.language decides: the Russian reader's digest is in Russian with
    unprefixed links, the English reader's in English with /en/ links."""
    ru = _person("ru@example.com", gorki)
    en = _person("en@example.com", gorki, language="en")
    _post(run, gorki, author)
    mail.outbox.clear()
    digests_send()
    [ru_mail] = _digests_to(ru.email)
    [en_mail] = _digests_to(en.email)
    assert ru_mail.subject == "Ежедневная сводка: 1 уведомление"
    assert "Новая запись в группе" in ru_mail.body
    assert "http://testserver/cabinet/groups/gorki/" in ru_mail.body
    assert en_mail.subject == "Daily digest: 1 notification"
    assert "posted in the group" in en_mail.body
    assert "http://testserver/en/cabinet/groups/gorki/" in en_mail.body
    assert "http://testserver/en/unsubscribe/" in en_mail.extra_headers["List-Unsubscribe"]
    assert 'lang="en"' in _html(en_mail)


def test_a_refused_connection_is_recorded_for_retry(run, gorki, author, settings):
    """SMTP down: the run does not crash; the digest stays in the outbox, queued for a retry
    with the error recorded (nothing is lost although the items are consumed)."""
    reader = _person("down@example.com", gorki)
    _post(run, gorki, author)
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    result = digests_send()
    assert result.sent == 0 and result.emails >= 1
    row = OutgoingEmail.objects.get(kind="digest", to=[reader.email])
    assert row.status == "queued" and row.attempts == 1
    assert "ConnectionRefusedError" in row.last_error
    assert not DigestItem.objects.filter(recipient=reader).exists()


def test_nothing_waiting_means_nothing_sent(counting):
    """An empty run opens no connection and prints zeros."""
    out = io.StringIO()
    call_command("send_digests", stdout=out)
    assert counting.connections == []
    assert "0 recipients, 0 e-mails" in out.getvalue()
