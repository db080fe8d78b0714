"""The portal admin's «Письма» at /cabinet/admin/emails/: who may open it, the log and its
filters, paging in constant queries, «Отправить снова», and the account menu's link."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from core.models import OutgoingEmail
from tests.conftest import EXTRANET_ROLES

pytestmark = pytest.mark.django_db

URL = "/en/cabinet/admin/emails/"
Status = OutgoingEmail.Status


def _email(**fields) -> OutgoingEmail:
    """An outbox row as core.email leaves it (created ``age`` minutes ago)."""
    age = fields.pop("age", 0)
    fields = {
        "to": ["someone@example.com"],
        "from_email": "Платформа <noreply@example.com>",
        "subject": "Тема письма",
        "body": "Текст письма",
        "kind": "notice:feed.post_new",
        **fields,
    }
    outgoing = OutgoingEmail.objects.create(**fields)
    if age:
        created = timezone.now() - datetime.timedelta(minutes=age)
        OutgoingEmail.objects.filter(pk=outgoing.pk).update(created_at=created)
        outgoing.created_at = created
    return outgoing


def _failed(**fields) -> OutgoingEmail:
    return _email(
        status=Status.FAILED,
        attempts=5,
        last_error="SMTPRecipientsRefused: {'lost@example.com': (550, b'No such user')}",
        **fields,
    )


def _sent(**fields) -> OutgoingEmail:
    return _email(status=Status.SENT, attempts=1, sent_at=timezone.now(), **fields)


def _resend_url(outgoing) -> str:
    return f"{URL}{outgoing.pk}/resend/"


@pytest.fixture
def admin_client(client, people):
    client.force_login(people["portal_admin"])
    return client


@pytest.mark.parametrize(
    ("extranet_client", "role"), [(r, r) for r in EXTRANET_ROLES], indirect=["extranet_client"]
)
def test_only_the_portal_admin_opens_the_log(extranet_client, role):
    """A guest is sent to log in; every other role but the portal admin is refused, and a
    refusal shows no recipient's address."""
    _failed(to=["secret-recipient@example.com"])
    response = extranet_client.get(URL)
    if role == "guest":
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
        assert "next=" in response["Location"]
    elif role == "portal_admin":
        assert response.status_code == 200
        assert "secret-recipient@example.com" in response.content.decode()
    else:
        assert response.status_code == 403
        assert "secret-recipient@example.com" not in response.content.decode()


@pytest.mark.parametrize(
    ("extranet_client", "role"), [(r, r) for r in EXTRANET_ROLES], indirect=["extranet_client"]
)
def test_only_the_portal_admin_resends(extranet_client, role, django_capture_on_commit_callbacks):
    """«Отправить снова» by anyone but the portal admin changes nothing and sends nothing
    (a guest is sent to log in, the others are refused)."""
    outgoing = _failed()
    with django_capture_on_commit_callbacks(execute=True):
        response = extranet_client.post(_resend_url(outgoing))
    outgoing.refresh_from_db()
    if role == "portal_admin":
        assert response.status_code == 302
        assert outgoing.status == Status.SENT
        assert len(mail.outbox) == 1
        return
    assert response.status_code == (302 if role == "guest" else 403)
    if role == "guest":
        assert "/accounts/login/" in response["Location"]
    assert outgoing.status == Status.FAILED
    assert mail.outbox == []


def test_superuser_opens_the_log(client, superuser):
    """A superuser counts as portal admin here as on the other admin pages."""
    client.force_login(superuser)
    assert client.get(URL).status_code == 200


def test_the_log_shows_each_email_newest_first(admin_client):
    """Created and sent times, recipients, subject, kind, attempts and the last error are
    shown, the newest row first; a failed row has the resend button, a queued one not."""
    old = _failed(to=["old@example.com"], subject="Старое письмо", age=60)
    new = _sent(to=["new@example.com", "second@example.com"], subject="Новое письмо", age=1)
    waiting = _email(
        to=["waiting@example.com"],
        subject="Ждёт",
        attempts=1,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
        next_attempt_at=timezone.now() + datetime.timedelta(minutes=5),
        age=30,
    )
    html = admin_client.get(URL).content.decode()
    assert html.index("Новое письмо") < html.index("Ждёт") < html.index("Старое письмо")
    assert "new@example.com, second@example.com" in html
    assert "No such user" in html
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in html
    assert "notice:feed.post_new" in html
    assert (
        f'datetime="{old.created_at.isoformat()}"' in html
        or old.created_at.strftime("%d.%m.%Y") in html
    )
    assert "next try" in html
    assert f'action="/en/cabinet/admin/emails/{old.pk}/resend/"' in html
    assert f'action="/en/cabinet/admin/emails/{new.pk}/resend/"' in html
    assert f"/emails/{waiting.pk}/resend/" not in html
    assert "3 e-mails" in html


def test_user_text_in_a_subject_is_escaped(admin_client):
    """A subject is user text (a name): it is shown, never run as markup."""
    _failed(subject="<script>alert(1)</script> подал заявку")
    html = admin_client.get(URL).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; подал заявку" in html


def test_filters_by_status_with_failed_first(admin_client):
    """The status filter offers «failed» first, then queued, sending, sent, and each keeps
    only its rows; the kind filter keeps one kind."""
    _failed(subject="Сбой")
    _email(subject="В очереди", kind="invitation")
    _sent(subject="Доставлено")
    html = admin_client.get(URL).content.decode()
    start = html.index('name="status"')
    select = html[start : html.index("</select>", start)]
    values = [part.split('"')[0] for part in select.split('option value="')[2:]]
    assert values == ["failed", "queued", "sending", "sent"]
    for status, subject in (("failed", "Сбой"), ("queued", "В очереди"), ("sent", "Доставлено")):
        html = admin_client.get(f"{URL}?status={status}").content.decode()
        assert subject in html
        others = {"Сбой", "В очереди", "Доставлено"} - {subject}
        assert not [other for other in others if other in html], status
    html = admin_client.get(f"{URL}?kind=invitation").content.decode()
    assert "В очереди" in html and "Сбой" not in html and "Доставлено" not in html
    assert '<option value="invitation" selected>' in html


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("?status=lost", "There is no status «lost»: all e-mails are shown."),
        ("?kind=nonsense", "There are no e-mails of the kind «nonsense»: all e-mails are shown."),
        ("?status=%3Cb%3Ex", "There is no status «&lt;b&gt;x»"),
    ],
)
def test_an_unknown_filter_says_so_and_shows_everything(admin_client, query, text):
    """A status or kind the log does not know gets a message and the whole list, not a 500
    or an empty page."""
    _failed(subject="Сбой")
    _sent(subject="Доставлено")
    response = admin_client.get(URL + query)
    assert response.status_code == 200
    html = response.content.decode()
    assert text in html
    assert "Сбой" in html and "Доставлено" in html


def test_a_bad_page_number_shows_a_page(admin_client):
    """?page=abc or a page past the end shows a page of the list (Paginator.get_page)."""
    _failed(subject="Сбой")
    for page in ("abc", "999", "-1"):
        response = admin_client.get(f"{URL}?page={page}")
        assert response.status_code == 200
        assert "Сбой" in response.content.decode()


def test_the_log_is_paged_25_at_a_time(admin_client):
    """30 e-mails: the first page has the 25 newest, the second the 5 oldest."""
    for number in range(30):
        _sent(subject=f"Письмо №{number:02d}", age=30 - number)
    first = admin_client.get(URL).content.decode()
    second = admin_client.get(f"{URL}?page=2").content.decode()
    assert "Письмо №29" in first and "Письмо №05" in first and "Письмо №04" not in first
    assert "Письмо №04" in second and "Письмо №00" in second and "Письмо №05" not in second


@pytest.mark.parametrize("size", [3, 40])
def test_the_log_costs_the_same_queries_at_any_size(
    admin_client, size, django_assert_max_num_queries
):
    """The page's queries do not grow with the e-mails shown (3 or 40, the page holds 25)."""
    for number in range(size):
        (_failed if number % 2 else _sent)(subject=f"Письмо {number}", kind=f"kind-{number % 3}")
    admin_client.get(URL)  # the session, the user and the header's caches warm up
    with django_assert_max_num_queries(14):
        response = admin_client.get(URL + "?status=failed")
    assert response.status_code == 200


def test_resend_of_a_failed_email_sends_it_and_returns_to_the_list(
    admin_client, django_capture_on_commit_callbacks
):
    """«Отправить снова» queues the failed e-mail again (attempts from zero) and its task
    sends it; the admin is sent back to the filtered list with a message."""
    outgoing = _failed(to=["lost@example.com"])
    back = f"{URL}?status=failed"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(_resend_url(outgoing), {"next": back})
    assert response.status_code == 302
    assert response["Location"] == back
    outgoing.refresh_from_db()
    assert (outgoing.status, outgoing.attempts, outgoing.last_error) == (Status.SENT, 1, "")
    assert [message.to for message in mail.outbox] == [["lost@example.com"]]
    page = admin_client.get(back).content.decode()
    assert "The e-mail to lost@example.com is queued to be sent again." in page


def test_resend_of_a_sent_email_sends_it_again(admin_client, django_capture_on_commit_callbacks):
    """A sent e-mail can be sent again (the recipient lost it)."""
    outgoing = _sent()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(_resend_url(outgoing))
    assert len(mail.outbox) == 1
    outgoing.refresh_from_db()
    assert outgoing.status == Status.SENT


def test_resend_of_a_queued_email_is_refused_with_a_message(admin_client):
    """An e-mail still waiting for its (re)try is not queued twice: a message says why."""
    outgoing = _email(attempts=1, next_attempt_at=timezone.now() + datetime.timedelta(hours=1))
    response = admin_client.post(_resend_url(outgoing), follow=True)
    assert "still waiting to be sent" in response.content.decode()
    outgoing.refresh_from_db()
    assert (outgoing.status, outgoing.attempts) == (Status.QUEUED, 1)
    assert mail.outbox == []


def test_resend_ignores_a_next_address_on_another_site(admin_client):
    """``next`` pointing elsewhere falls back to the log (no open redirect)."""
    outgoing = _sent()
    response = admin_client.post(_resend_url(outgoing), {"next": "https://evil.example/"})
    assert response["Location"] == "/en/cabinet/admin/emails/"


def test_resend_of_an_unknown_email_is_404(admin_client):
    """A resend for an id that does not exist is a 404, not a 500."""
    assert admin_client.post(f"{URL}999999/resend/").status_code == 404


def test_resend_by_get_is_refused(admin_client):
    """Resending changes data: GET gets 405 and changes nothing."""
    outgoing = _failed()
    assert admin_client.get(_resend_url(outgoing)).status_code == 405
    outgoing.refresh_from_db()
    assert outgoing.status == Status.FAILED


def test_the_account_menu_links_to_the_log_with_the_failed_count(client, people):
    """The portal admin's menu has «E-mails», with «(N failed)» while e-mails failed; a
    member's menu has no such link."""
    client.force_login(people["portal_admin"])
    assert "E-mails</a>" in client.get("/en/cabinet/").content.decode().replace("\n", "")
    client.force_login(people["member"])
    assert URL not in client.get("/en/cabinet/").content.decode()
    from django.core.cache import cache

    _failed()
    _failed()
    cache.clear()  # the count is kept a minute
    client.force_login(people["portal_admin"])
    html = client.get("/en/cabinet/").content.decode()
    assert "E-mails (2 failed)" in html
    assert f'href="{URL}"' in html
