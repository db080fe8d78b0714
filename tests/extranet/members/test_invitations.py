"""Invitations: the «Добавить участника» page, the e-mail, and /invitations/<token>/ for new
and existing users, members, expired, reused, revoked, unknown and malformed tokens."""

from __future__ import annotations

import datetime
import hashlib
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode

from extranet.members import events
from extranet.members.invitations import (
    InvitationError,
    invitation_accept,
    invitation_create,
)
from extranet.members.models import Invitation, Membership, User
from tests.conftest import EXTRANET_ROLES
from tests.factories import PASSWORD, UserFactory, signup_form_data

pytestmark = pytest.mark.django_db

ADMINS = {"initiative_admin", "portal_admin"}
LINK_RE = re.compile(r"http://testserver(/invitations/([A-Za-z0-9_-]+)/)")


def _url(name: str, **kwargs) -> str:
    """The Russian (unprefixed) address, whatever language an earlier request left active."""
    with translation.override("ru"):
        return reverse(name, kwargs=kwargs)


def _invite_url(slug: str = "gorki") -> str:
    return _url("groups:invite", slug=slug)


def _accept_url(token: str) -> str:
    return _url("invitations:accept", token=token)


@pytest.fixture
def received():
    """member_invited and membership_approved events, as (name, kwargs)."""
    log = []
    handlers = []
    for name in ("member_invited", "membership_approved", "membership_rejected"):
        signal = getattr(events, name)

        def handler(sender, _name=name, **kwargs):
            log.append((_name, kwargs))

        signal.connect(handler, weak=False)
        handlers.append((signal, handler))
    yield log
    for signal, handler in handlers:
        signal.disconnect(handler)


@pytest.fixture
def invite(people, gorki):
    """A fresh invitation of new@example.com to Gorki by its admin: (invitation, token)."""
    return invitation_create(
        initiative=gorki, email="new@example.com", invited_by=people["initiative_admin"]
    )


def _sent_token(index: int = -1) -> tuple[str, str]:
    """(path, token) of the invitation link in the outbox's message ``index``."""
    match = LINK_RE.search(mail.outbox[index].body)
    assert match, mail.outbox[index].body
    return match.group(1), match.group(2)


# --- Who may do what ---------------------------------------------------------------------


@pytest.mark.parametrize("extranet_client", EXTRANET_ROLES, indirect=True)
def test_invite_page_and_sending_by_role(
    extranet_client, request, people, gorki, django_capture_on_commit_callbacks
):
    """Only the initiative's admins and the portal admin open «Добавить участника» and send
    invitations; everyone else gets 403 (guests the login) and nothing is sent."""
    role = request.node.callspec.params["extranet_client"]
    page = extranet_client.get("/en" + _invite_url())
    with django_capture_on_commit_callbacks(execute=True):
        response = extranet_client.post(_invite_url(), {"email": "someone@example.com"})
    if role in ADMINS:
        assert page.status_code == 200
        body = page.content.decode()
        assert "Send invitation" in body
        assert "Cancel" in body
        assert response.status_code == 302
        assert Invitation.objects.filter(email="someone@example.com").count() == 1
        assert len(mail.outbox) == 1
    else:
        expected = 302 if role == "guest" else 403
        assert page.status_code == expected
        assert response.status_code == expected
        assert people["pending"].email not in page.content.decode()
        assert not Invitation.objects.exists()
        assert mail.outbox == []


@pytest.mark.parametrize("extranet_client", EXTRANET_ROLES, indirect=True)
def test_revoke_by_role(extranet_client, request, invite):
    """Only the admins can revoke; for anyone else the invitation keeps working."""
    role = request.node.callspec.params["extranet_client"]
    invitation, _token = invite
    response = extranet_client.post(
        _url("groups:invitation_revoke", slug="gorki", invitation_id=invitation.pk)
    )
    invitation.refresh_from_db()
    if role in ADMINS:
        assert response.status_code == 302
        assert invitation.revoked_at is not None
    else:
        assert response.status_code == (302 if role == "guest" else 403)
        assert invitation.revoked_at is None


@pytest.mark.parametrize("extranet_client", EXTRANET_ROLES, indirect=True)
def test_accept_page_by_role(extranet_client, request, invite, people, gorki):
    """Anyone with the link sees the invitation (initiative, who invited, the address it was
    sent to, masked); guests get sign-in and sign-up links that come back here; members are
    told they already belong; every other account is told the invitation is for another
    address and offered to sign out and come back here, never an «Accept» button; no page
    shows a pending applicant's contact data."""
    role = request.node.callspec.params["extranet_client"]
    _invitation, token = invite
    path = "/en" + _accept_url(token)
    response = extranet_client.get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert gorki.title in body
    assert people["initiative_admin"].get_full_name() in body
    assert "new@example.com" not in body
    if role in {"member", "initiative_admin"}:
        assert "already a member" in body
    else:
        assert "This invitation was sent to n…@example.com" in body
    if role == "guest":
        assert f"/en/accounts/login/?next={path.replace('/', '%2F')}" in body
        assert f"/en/accounts/signup/?next={path.replace('/', '%2F')}" in body
    elif role not in {"member", "initiative_admin"}:
        assert "Accept the invitation" not in body
        assert f"you are signed in as {people[role].email}" in body
        assert 'action="/en/accounts/logout/"' in body
        assert f'name="next" value="{path}"' in body
    assert people["pending"].email not in body or role == "pending"
    assert str(people["pending"].profile.phone.as_international) not in body


def test_forged_invitation_id_of_another_initiative_is_404(client, people, polotsk):
    """Gorki's admin cannot revoke a Polotsk invitation through Gorki's URL."""
    foreign, _token = invitation_create(
        initiative=polotsk, email="x@example.com", invited_by=UserFactory()
    )
    client.force_login(people["initiative_admin"])
    url = _url("groups:invitation_revoke", slug="gorki", invitation_id=foreign.pk)
    assert client.post(url).status_code == 404
    foreign.refresh_from_db()
    assert foreign.revoked_at is None


# --- Creating and sending ----------------------------------------------------------------


def test_invitation_is_stored_hashed_and_mailed_with_link(
    client, people, gorki, received, django_capture_on_commit_callbacks, settings
):
    """Sending stores only the token's SHA-256, expires after INVITATION_EXPIRY_DAYS, mails a
    text and HTML message with {SITE_URL}/invitations/<token>/, sends member_invited, and the
    list shows the invitation as pending with «Revoke»."""
    settings.INVITATION_EXPIRY_DAYS = 3
    admin = people["initiative_admin"]
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en" + _invite_url(), {"email": " Friend@Example.COM "}, follow=True
        )
    assert "Invitation sent to friend@example.com" in response.content.decode()
    invitation = Invitation.objects.get()
    assert invitation.email == "friend@example.com"  # normalised as a login is
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["friend@example.com"]
    path, token = _sent_token()
    assert path == f"/invitations/{token}/"
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in invitation.token_hash
    assert f"http://testserver{path}" in message.alternatives[0][0]
    assert gorki.title in message.subject
    delta = invitation.expires_at - invitation.created_at
    assert datetime.timedelta(days=3) - delta < datetime.timedelta(seconds=5)
    assert [name for name, _kw in received] == ["member_invited"]
    assert received[0][1]["invitation"] == invitation
    assert received[0][1]["actor"] == admin
    body = response.content.decode()
    assert 'data-status="pending"' in body
    assert "Revoke" in body


def test_refused_for_members_and_pending_invitations(client, people, gorki):
    """An approved member's address and an address with a pending unexpired invitation are
    refused with a form error; after revoking, the address can be invited again."""
    client.force_login(people["initiative_admin"])
    response = client.post("/en" + _invite_url(), {"email": people["member"].email.upper()})
    assert response.status_code == 200
    assert "already a member" in response.content.decode()
    assert client.post(_invite_url(), {"email": "a@example.com"}).status_code == 302
    again = client.post("/en" + _invite_url(), {"email": "A@example.com"})
    assert again.status_code == 200
    assert "already waiting" in again.content.decode()
    assert Invitation.objects.count() == 1
    first = Invitation.objects.get()
    client.post(_url("groups:invitation_revoke", slug="gorki", invitation_id=first.pk))
    assert client.post(_invite_url(), {"email": "a@example.com"}).status_code == 302
    assert Invitation.objects.count() == 2


def test_invalid_email_is_a_form_error(client, people):
    """A malformed or too long address is a form error and nothing is sent."""
    client.force_login(people["initiative_admin"])
    assert client.post(_invite_url(), {"email": "not-an-email"}).status_code == 200
    long_address = "a" * 250 + "@example.com"
    assert client.post(_invite_url(), {"email": long_address}).status_code == 200
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_rate_limit_per_admin_per_hour(
    client, people, gorki, settings, django_capture_on_commit_callbacks
):
    """An admin may send INVITATIONS_PER_ADMIN_PER_HOUR an hour (counted in the database);
    the next one is a clear form error; older invitations and other admins don't count."""
    settings.INVITATIONS_PER_ADMIN_PER_HOUR = 2
    admin = people["initiative_admin"]
    client.force_login(admin)
    for n in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(_invite_url(), {"email": f"p{n}@example.com"}).status_code == 302
    response = client.post("/en" + _invite_url(), {"email": "p2@example.com"})
    assert response.status_code == 200
    assert "too many invitations" in response.content.decode()
    assert Invitation.objects.count() == 2
    assert len(mail.outbox) == 2
    # Another admin still may.
    other = Client()
    other.force_login(people["portal_admin"])
    assert other.post(_invite_url(), {"email": "p2@example.com"}).status_code == 302
    # An hour later the limit is free again.
    Invitation.objects.filter(invited_by=admin).update(
        created_at=timezone.now() - datetime.timedelta(hours=1, minutes=1)
    )
    assert client.post(_invite_url(), {"email": "p3@example.com"}).status_code == 302


def test_mail_failure_is_a_form_error_and_the_invitation_is_withdrawn(client, people, monkeypatch):
    """When the mail server fails, the admin is told and no half-sent invitation stays open."""
    from extranet.members import views_groups

    def broken(**kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(views_groups, "invitation_send", broken)
    client.force_login(people["initiative_admin"])
    response = client.post("/en" + _invite_url(), {"email": "p@example.com"})
    assert response.status_code == 200
    assert "could not be sent" in response.content.decode()
    assert Invitation.objects.get().revoked_at is not None


# --- Accepting ---------------------------------------------------------------------------


def _signup_data(email: str, next_path: str) -> dict:
    return signup_form_data(email=email, password1=PASSWORD, password2=PASSWORD, next=next_path)


def _confirm_path(message) -> str:
    """The path of the e-mail confirmation link in an allauth verification mail."""
    match = re.search(r"http://testserver(\S*/confirm-email/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def _with_next(url: str, next_path: str) -> str:
    return f"{url}?{urlencode({'next': next_path})}"


def _final(response) -> str:
    """Where a followed chain of redirects ended."""
    return (
        response.redirect_chain[-1][0] if response.redirect_chain else response.request["PATH_INFO"]
    )


def test_sign_up_from_the_invitation_with_its_address_needs_no_second_mail(
    client, people, gorki, received, django_capture_on_commit_callbacks
):
    """The whole story for a new person: the invitation e-mail → the invitation page →
    «Sign up» (the form already holds the invited address) → signed in at once with that
    address verified, because following the mailed link proved the mailbox, so no
    verification mail → back on the invitation → accept → an approved member at once (no
    second approval), accepted_by recorded, membership_approved sent by the inviter."""
    admin = people["initiative_admin"]
    admin_client = Client()
    admin_client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(_invite_url(), {"email": "newcomer@example.com"})
    token_path, _token = _sent_token()
    path = "/en" + token_path

    page = client.get(path).content.decode()
    signup_url = _with_next("/en" + _url("account_signup"), path)
    assert signup_url.replace("&", "&amp;") in page
    form = client.get(signup_url).content.decode()
    assert 'value="newcomer@example.com"' in form
    sent = len(mail.outbox)
    response = client.post(signup_url, _signup_data("newcomer@example.com", path), follow=True)
    assert _final(response) == path, response.redirect_chain
    assert len(mail.outbox) == sent  # no verification mail
    user = User.objects.get(email="newcomer@example.com")
    assert response.context["user"] == user
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified")) == [
        ("newcomer@example.com", True)
    ]
    assert "Accept the invitation" in response.content.decode()
    assert not Membership.objects.filter(user=user).exists()  # joining stays a decision

    with django_capture_on_commit_callbacks(execute=True):
        accepted = client.post(path)
    assert accepted.status_code == 302
    assert accepted["Location"] == "/en" + _url("cabinet")
    membership = Membership.objects.get(user=user, initiative=gorki)
    assert membership.status == Membership.Status.APPROVED
    assert membership.decided_by == admin
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == user
    assert invitation.accepted_at is not None
    approved = [kw for name, kw in received if name == "membership_approved"]
    assert len(approved) == 1
    assert approved[0]["actor"] == admin
    assert approved[0]["membership"] == membership
    assert [name for name, _kw in received if name == "membership_rejected"] == []


def test_sign_up_from_the_invitation_with_another_address_is_verified_and_refused(
    client, gorki, invite
):
    """Signing up from the invitation with a different address is an ordinary sign-up: the
    invited address is not added to the account, a verification mail goes to the new address,
    confirming it leads through the login back to the invitation, and there accepting is
    refused (the invitation was sent to someone else) and the invitation stays pending."""
    _invitation, token = invite
    path = "/en" + _accept_url(token)
    client.get(path)
    signup_url = _with_next("/en" + _url("account_signup"), path)
    response = client.post(signup_url, _signup_data("other@example.com", path))
    assert response.status_code == 302
    user = User.objects.get(email="other@example.com")
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified")) == [
        ("other@example.com", False)
    ]
    assert mail.outbox[-1].to == ["other@example.com"]

    confirmed = client.post(_confirm_path(mail.outbox[-1]), follow=True)
    login_url = _final(confirmed)
    assert login_url.startswith("/en" + _url("account_login"))
    assert urlencode({"next": path}) in login_url
    assert EmailAddress.objects.get(user=user).verified
    login = client.post(
        login_url, {"login": "other@example.com", "password": PASSWORD}, follow=True
    )
    assert _final(login) == path
    body = login.content.decode()
    assert "n…@example.com" in body
    assert "you are signed in as other@example.com" in body
    assert "Accept the invitation" not in body

    refused = client.post(path)
    assert refused.status_code == 403
    assert "n…@example.com" in refused.content.decode()
    assert not Membership.objects.filter(user=user).exists()
    assert Invitation.objects.get().accepted_at is None


def test_login_from_the_invitation_returns_to_it(client, gorki, invite):
    """A person whose account has the invited address signs in from the invitation's link
    and lands back on the invitation, where they can accept it."""
    user = UserFactory(email="new@example.com")
    _invitation, token = invite
    path = "/en" + _accept_url(token)
    login_url = _with_next("/en" + _url("account_login"), path)
    assert login_url in client.get(path).content.decode()
    response = client.post(login_url, {"login": user.email, "password": PASSWORD}, follow=True)
    assert _final(response) == path
    assert "Accept the invitation" in response.content.decode()
    client.post(path)
    assert Membership.objects.get(user=user, initiative=gorki).status == "approved"


def test_login_with_the_address_unverified_verifies_and_returns_to_the_invitation(
    client, gorki, invite
):
    """Mandatory verification keeps ``next``: an account whose invited address is not yet
    verified signs in from the invitation, gets the verification mail, confirms it, signs in
    and is back on the invitation, which now accepts them."""
    user = UserFactory(email="new@example.com", verified=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    _invitation, token = invite
    path = "/en" + _accept_url(token)
    client.get(path)
    login_url = _with_next("/en" + _url("account_login"), path)
    client.post(login_url, {"login": user.email, "password": PASSWORD})
    assert mail.outbox[-1].to == ["new@example.com"]
    assert not EmailAddress.objects.get(user=user).verified

    confirmed = client.post(_confirm_path(mail.outbox[-1]), follow=True)
    again = _final(confirmed)
    assert urlencode({"next": path}) in again
    response = client.post(again, {"login": user.email, "password": PASSWORD}, follow=True)
    assert _final(response) == path
    client.post(path)
    assert Membership.objects.get(user=user, initiative=gorki).status == "approved"


def test_guest_post_is_sent_to_login(client, invite):
    """A guest posting the accept form is sent to the login with next; nothing is used."""
    _invitation, token = invite
    response = client.post(_accept_url(token))
    assert response.status_code == 302
    assert response["Location"].startswith(_url("account_login"))
    assert "next=" in response["Location"]
    assert Invitation.objects.get().accepted_at is None


def test_account_with_another_address_is_refused(client, people, gorki, invite):
    """The link is not a bearer token: a signed-in account without the invited address is
    refused (a clear page, 403), nothing is created and the invitation stays pending for its
    addressee; the service itself refuses too; signing out leads back to the invitation."""
    user = people["registered"]
    client.force_login(user)
    path = "/en" + _accept_url(invite[1])
    response = client.post(path)
    assert response.status_code == 403
    body = response.content.decode()
    assert "This invitation was sent to n…@example.com" in body
    assert "you are signed in as registered@example.com" in body
    assert 'action="/en/accounts/logout/"' in body
    assert not Membership.objects.filter(user=user, initiative=gorki).exists()
    invitation = Invitation.objects.get()
    assert invitation.accepted_at is None
    assert invitation.accepted_by is None
    with pytest.raises(InvitationError) as exc:
        invitation_accept(token=invite[1], user=user)
    assert exc.value.code == "wrong_account"
    # The way out: sign out, back on the invitation, which now offers sign-in and sign-up.
    signed_out = client.post("/en" + _url("account_logout"), {"next": path}, follow=True)
    assert _final(signed_out) == path
    assert _with_next("/en" + _url("account_login"), path) in signed_out.content.decode()


def test_account_with_the_address_unverified_is_refused(client, gorki, invite):
    """An account that holds the invited address but has not verified it is refused, told
    to confirm it, and the invitation stays pending; the service refuses with "unverified"."""
    user = UserFactory(email="someone@example.com")
    EmailAddress.objects.create(user=user, email="new@example.com", verified=False)
    client.force_login(user)
    response = client.post("/en" + _accept_url(invite[1]))
    assert response.status_code == 403
    body = response.content.decode()
    assert "n…@example.com" in body
    assert "not confirmed" in body
    assert "/en" + _url("account_email") in body
    assert not Membership.objects.filter(user=user).exists()
    assert Invitation.objects.get().accepted_at is None
    with pytest.raises(InvitationError) as exc:
        invitation_accept(token=invite[1], user=user)
    assert exc.value.code == "unverified"


def test_account_with_the_address_verified_in_another_case_accepts(client, gorki, invite):
    """The address matches case-insensitively, also as a verified secondary address: that
    account accepts, becomes an approved member and is recorded as the one who accepted."""
    user = UserFactory(email="main@example.com")
    EmailAddress.objects.create(user=user, email="NEW@Example.com", verified=True)
    client.force_login(user)
    response = client.post("/en" + _accept_url(invite[1]), follow=True)
    assert "You are now a member" in response.content.decode()
    assert Membership.objects.get(user=user, initiative=gorki).status == "approved"
    assert Invitation.objects.get().accepted_by == user


def test_pending_applicant_is_approved_by_the_invitation(
    client, people, gorki, received, django_capture_on_commit_callbacks
):
    """A pending applicant invited at their address who accepts has their application
    approved, decided by the inviter, with one approval event and no rejection."""
    user = people["pending"]
    _invitation, token = invitation_create(
        initiative=gorki, email=user.email, invited_by=people["initiative_admin"]
    )
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_accept_url(token))
    membership = Membership.objects.get(user=user, initiative=gorki)
    assert membership.status == Membership.Status.APPROVED
    assert membership.decided_by == people["initiative_admin"]
    assert Membership.objects.filter(user=user, initiative=gorki).count() == 1
    assert [name for name, _kw in received] == ["membership_approved"]
    assert received[0][1]["actor"] == people["initiative_admin"]


def test_existing_member_gets_a_clear_message_and_the_token_stays_unused(client, people, gorki):
    """A member accepting an invitation to their own address (sent before they joined) is
    told they already belong; the invitation is not used up."""
    member = people["member"]
    _invitation, token = invitation_create(
        initiative=gorki, email="later@example.com", invited_by=people["initiative_admin"]
    )
    EmailAddress.objects.create(user=member, email="later@example.com", verified=True)
    client.force_login(member)
    response = client.post("/en" + _accept_url(token), follow=True)
    assert "already a member" in response.content.decode()
    assert Invitation.objects.get().accepted_at is None
    assert Membership.objects.filter(user=member, initiative=gorki).count() == 1
    with pytest.raises(InvitationError) as exc:
        invitation_accept(token=token, user=member)
    assert exc.value.code == "member"


def test_token_works_once(client, people, gorki, invite):
    """The second use of a token (even by another account of the same address) is a 410 page
    and creates nothing."""
    first, second = Client(), Client()
    owner = UserFactory(email="new@example.com")
    twin = people["other_member"]
    EmailAddress.objects.create(user=twin, email="NEW@example.com", verified=True)
    first.force_login(owner)
    second.force_login(twin)
    assert first.post(_accept_url(invite[1])).status_code == 302
    again = second.post("/en" + _accept_url(invite[1]))
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert second.get(_accept_url(invite[1])).status_code == 410
    assert not Membership.objects.filter(user=twin, initiative=gorki).exists()
    with pytest.raises(InvitationError) as exc:
        invitation_accept(token=invite[1], user=twin)
    assert exc.value.code == "used"


def test_expired_token_is_410(client, people, gorki, invite):
    """Past expires_at the link shows a clear 410 page, GET and POST, and admits no one."""
    invitation, token = invite
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    client.force_login(people["registered"])
    page = client.get("/en" + _accept_url(token))
    assert page.status_code == 410
    assert "expired" in page.content.decode()
    assert client.post(_accept_url(token)).status_code == 410
    assert not Membership.objects.filter(user=people["registered"], initiative=gorki).exists()
    with pytest.raises(InvitationError) as exc:
        invitation_accept(token=token, user=people["registered"])
    assert exc.value.code == "expired"
    admin = Client()
    admin.force_login(people["initiative_admin"])
    assert 'data-status="expired"' in admin.get(_invite_url()).content.decode()


def test_revoked_token_is_410(client, people, gorki, invite):
    """After «Revoke» the link shows a clear 410 page and admits no one."""
    invitation, token = invite
    admin = Client()
    admin.force_login(people["initiative_admin"])
    admin.post(_url("groups:invitation_revoke", slug="gorki", invitation_id=invitation.pk))
    assert Client().get(_accept_url(token)).status_code == 410
    client.force_login(people["registered"])
    response = client.post("/en" + _accept_url(token))
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()
    assert not Membership.objects.filter(user=people["registered"], initiative=gorki).exists()
    assert 'data-status="revoked"' in admin.get(_invite_url()).content.decode()


@pytest.mark.parametrize(
    "token",
    [
        "A" * 43,  # well formed, unknown
        "short",
        "A" * 44,
        "A" * 5000,
        "abc%20def" + "A" * 34,
        "../../etc/passwd",
        "ÄÖÜ" + "A" * 40,
    ],
)
def test_unknown_or_malformed_token_is_404(client, people, token):
    """Unknown and malformed tokens are a 404, for GET and POST, never a 500."""
    client.force_login(people["registered"])
    path = f"/invitations/{token}/"
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404
    assert Client().get(path).status_code == 404


def test_accept_service_rejects_unknown_and_malformed_tokens(people):
    """The service itself refuses an unknown or malformed token with code "unknown"."""
    for token in ("A" * 43, "x", "A" * 100):
        with pytest.raises(InvitationError) as exc:
            invitation_accept(token=token, user=people["registered"])
        assert exc.value.code == "unknown"


def test_invite_page_lists_statuses(client, people, gorki):
    """The list under the form shows each invitation's status: pending, accepted, revoked."""
    admin = people["initiative_admin"]
    _accepted, token = invitation_create(
        initiative=gorki, email="acc@example.com", invited_by=admin
    )
    invitation_accept(token=token, user=UserFactory(email="acc@example.com"))
    revoked, _ = invitation_create(initiative=gorki, email="rev@example.com", invited_by=admin)
    revoked.revoked_at = timezone.now()
    revoked.save()
    invitation_create(initiative=gorki, email="pen@example.com", invited_by=admin)
    client.force_login(admin)
    body = client.get("/en" + _invite_url()).content.decode()
    for status in ("accepted", "revoked", "pending"):
        assert f'data-status="{status}"' in body
    assert body.count("Revoke</button>") + body.count("Revoke<span") == 1
