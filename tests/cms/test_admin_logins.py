"""Every login and password-reset form of the site goes through allauth (pen test, issue 9).

The Django admin (/django-admin/, the task queue's only screen) and the Wagtail admin (/admin/)
have forms of their own that skip allauth's rate limits and its e-mail verification.
"""

from urllib.parse import unquote

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.test import RequestFactory
from wagtail.admin.views import account as wagtail_account

from cms.settings import base
from tests.factories import PASSWORD, SuperuserFactory, UserFactory

ALLAUTH_LOGIN = "/accounts/login/"
ALLAUTH_RESET = "/accounts/password/reset/"


@pytest.fixture
def production_limits(settings):
    """allauth's rate limits as production has them (the test settings switch them off)."""
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS


@pytest.fixture
def staff(db):
    return SuperuserFactory(email="root@example.com")


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_django_admin_login_sends_to_allauth(client, staff):
    """/django-admin/login/ checks no password: wrong and right ones alike are redirected
    to allauth's login (keeping next), and nobody is signed in."""
    for password in ["wrong-1", "wrong-2", PASSWORD]:
        response = client.post(
            "/django-admin/login/?next=/django-admin/",
            {"username": staff.email, "password": password},
        )
        assert response.status_code == 302
        assert response["Location"].startswith(f"{ALLAUTH_LOGIN}?next=/django-admin/")
        assert not _signed_in(client)
    assert client.get("/django-admin/").status_code == 302


def test_guest_at_django_admin_lands_on_allauth_login(client, home_page):
    """A guest opening /django-admin/ ends on allauth's login form, not Django's."""
    response = client.get("/django-admin/", follow=True)
    last = unquote(response.redirect_chain[-1][0])
    assert last.startswith(f"{ALLAUTH_LOGIN}?next=/django-admin/")
    assert response.status_code == 200
    assert "allauth" in " ".join(t.name for t in response.templates if t.name)


def test_password_guessing_through_django_admin_is_rate_limited(
    client, staff, home_page, production_limits
):
    """With allauth's limits on, the path a browser follows from /django-admin/login/ (redirect,
    then allauth's form) refuses guesses after five per account and answers 429 after 30
    per minute from one address; the right password after 30 wrong ones does not sign in."""
    codes = []
    statuses = []
    for n in range(31):
        response = client.post(
            "/django-admin/login/?next=/django-admin/",
            {"username": staff.email, "password": f"wrong-{n}"},
        )
        response = client.post(
            response["Location"], {"login": staff.email, "password": f"wrong-{n}"}
        )
        statuses.append(response.status_code)
        if response.status_code == 200:
            codes.append([e.code for e in response.context["form"].non_field_errors().as_data()])
    assert "too_many_login_attempts" not in codes[0]
    assert all("too_many_login_attempts" in c for c in codes[5:])
    assert statuses[-1] == 429

    client.post(
        f"{ALLAUTH_LOGIN}?next=/django-admin/", {"login": staff.email, "password": PASSWORD}
    )
    assert not _signed_in(client)


def test_unverified_staff_cannot_enter_django_admin(client, home_page):
    """A staff account without a verified e-mail is not signed in by any login form
    (Django admin's, Wagtail admin's, allauth's) and so never reaches /django-admin/."""
    user = UserFactory(email="unverified@example.com", verified=False, is_staff=True)
    user.is_superuser = True
    user.save()
    forms = [
        ("/django-admin/login/?next=/django-admin/", {"username": user.email}),
        ("/admin/login/?next=/django-admin/", {"username": user.email}),
        (f"{ALLAUTH_LOGIN}?next=/django-admin/", {"login": user.email}),
    ]
    for url, data in forms:
        client.post(url, {**data, "password": PASSWORD}, follow=True)
        assert not _signed_in(client), url
        response = client.get("/django-admin/")
        assert response.status_code == 302, url
        assert response["Location"].startswith("/django-admin/login/"), url


def test_wagtail_password_reset_sends_no_mail(client, home_page):
    """Twelve POSTs to Wagtail's own reset form send nothing: they are redirected to
    allauth's reset page, which has rate limits."""
    member = UserFactory(email="member@example.com")
    for _ in range(12):
        response = client.post("/admin/password_reset/", {"email": member.email})
        assert response.status_code == 302
        assert response["Location"] == ALLAUTH_RESET
    assert mail.outbox == []


@pytest.mark.parametrize(
    "path",
    [
        "/admin/password_reset/done/",
        "/admin/password_reset/confirm/MQ/abc-123/",
        "/admin/password_reset/complete/",
    ],
)
def test_wagtail_password_reset_pages_lead_to_allauth(client, home_page, path):
    """Wagtail's reset sub-pages (done, confirm link, complete) all lead to allauth's reset."""
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == ALLAUTH_RESET


def test_reset_mails_through_the_browser_path_are_rate_limited(
    client, home_page, production_limits
):
    """With allauth's limits on, twelve requests from Wagtail's reset form (redirect, then
    allauth's form) send at most allauth's limit per address: five a minute."""
    member = UserFactory(email="member@example.com")
    for _ in range(12):
        response = client.post("/admin/password_reset/", {"email": member.email})
        client.post(response["Location"], {"email": member.email})
    assert 1 <= len(mail.outbox) <= 5
    assert all(message.to == [member.email] for message in mail.outbox)


def test_wagtail_login_page_does_not_offer_its_own_reset(rf: RequestFactory, home_page):
    """Wagtail's login template shows no link to Wagtail's reset form (it is switched off)."""
    request = rf.get("/admin/login/")
    request.user = AnonymousUser()
    request.session = {}
    response = wagtail_account.LoginView.as_view()(request)
    assert not response.context_data["show_password_reset"]


@pytest.mark.parametrize("url", ["/django-admin/", "/admin/"])
def test_signed_in_person_without_admin_access_is_refused_not_looped(client, home_page, url):
    """A signed-in account without access to an admin is refused (403) on its way there;
    allauth's login would otherwise send them straight back, round and round."""
    client.force_login(UserFactory(email="member@example.com"))
    response = client.get(url, follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) == 1
