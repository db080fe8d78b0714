"""One setting, PLATFORM_NAME, names the platform everywhere: the site header and footer, the
page titles, the Wagtail admin, the sender and the text of every e-mail."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from extranet.members.invitations import invitation_create, invitation_send
from tests.cms.test_settings import run_python
from tests.factories import signup_form_data

pytestmark = pytest.mark.django_db

NAME = "Кластерная ИТ-платформа"


def test_default_name_follows_seed_000_and_the_home_page(settings):
    """The default is seed 000's «Кластерная ИТ-платформа», the home page's title; Wagtail's
    name and the sender's display name are the same setting."""
    assert settings.PLATFORM_NAME == NAME
    assert str(settings.WAGTAIL_SITE_NAME) == NAME
    assert f"{NAME} <noreply@localhost>" == settings.DEFAULT_FROM_EMAIL


def test_signup_confirmation_mail_greets_with_the_platform_name(client, home_page):
    """allauth's confirmation mail after sign-up: subject prefix, greeting and sign-off name the
    platform, never the request's host (the host appears only inside links)."""
    response = client.post("/accounts/signup/", signup_form_data(), HTTP_HOST="127.0.0.1")
    assert response.status_code == 302
    message = mail.outbox[-1]
    assert message.subject.startswith(f"[{NAME}] ")
    assert message.body.startswith(f"Вас приветствует {NAME}!")
    assert NAME in message.body.strip().splitlines()[-2]
    without_links = re.sub(r"https?://\S+", "", message.body)
    assert "127.0.0.1" not in without_links
    assert "testserver" not in without_links
    assert message.from_email == f"{NAME} <noreply@localhost>"


def test_header_footer_title_and_wagtail_admin_show_the_name(client, home_page, editor):
    """The header brand, the footer brand, the page title's suffix and the Wagtail dashboard
    all show PLATFORM_NAME."""
    html = client.get("/accounts/login/").content.decode()
    assert re.search(rf'<span class="brand__name">\s*{NAME}\s*</span>', html)
    assert re.search(rf'site-footer__brand">.*?<span>\s*{NAME}\s*</span>', html, re.S)
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.strip().endswith(f"— {NAME}")
    client.force_login(editor)
    dashboard = client.get("/admin/").content.decode()
    assert NAME in re.search(r"<h1[^>]*>(.*?)</h1>", dashboard, re.S).group(1)


def test_a_changed_name_reaches_pages_and_e_mails(
    client, home_page, settings, people, gorki, django_capture_on_commit_callbacks
):
    """Another PLATFORM_NAME (templates read it through the context processor, e-mails through
    core.email) shows in the header, the title and the invitation e-mail."""
    settings.PLATFORM_NAME = "Платформа «Тест»"
    html = client.get("/accounts/login/").content.decode()
    assert "Платформа «Тест»" in html.split("<title>")[1].split("</title>")[0]
    assert '<span class="brand__name">Платформа «Тест»</span>' in html
    invitation, token = invitation_create(
        initiative=gorki, email="guest@example.com", invited_by=people["initiative_admin"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(invitation=invitation, token=token)
    message = mail.outbox[-1]
    assert "Платформа «Тест»" in message.body
    assert "Платформа «Тест»" in message.alternatives[0][0]


def test_invitation_e_mail_is_signed_with_the_platform_name(
    people, gorki, django_capture_on_commit_callbacks
):
    """The invitation e-mail (text and HTML) ends with the platform's name and address."""
    invitation, token = invitation_create(
        initiative=gorki, email="guest@example.com", invited_by=people["initiative_admin"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(invitation=invitation, token=token)
    message = mail.outbox[-1]
    assert message.body.strip().splitlines()[-2:] == [NAME, "http://testserver/"]
    assert f"{NAME}<br>" in message.alternatives[0][0]
    assert message.from_email == f"{NAME} <noreply@localhost>"


def test_platform_name_is_read_from_the_environment():
    """PLATFORM_NAME set in the environment names Wagtail, the sender and allauth's subjects;
    an explicit DEFAULT_FROM_EMAIL still wins."""
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.PLATFORM_NAME, s.WAGTAIL_SITE_NAME, s.DEFAULT_FROM_EMAIL, "
        "s.ACCOUNT_EMAIL_SUBJECT_PREFIX, sep='|')"
    )
    result = run_python(code, DJANGO_SETTINGS_MODULE="cms.settings.dev", PLATFORM_NAME="Кластеры")
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip("\n").split("|") == [
        "Кластеры",
        "Кластеры",
        "Кластеры <noreply@localhost>",
        "[Кластеры] ",
    ]
    explicit = run_python(
        code,
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        PLATFORM_NAME="Кластеры",
        DEFAULT_FROM_EMAIL="Сайт <site@example.org>",
    )
    assert explicit.stdout.strip().split("|")[2] == "Сайт <site@example.org>"
