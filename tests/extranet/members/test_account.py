"""Account actions of the cabinet: data export, deletion, consent withdrawal, safe redirects."""

from __future__ import annotations

import json

import pytest
from allauth.core import context
from django.core.files.base import ContentFile
from django.test import RequestFactory

from extranet.members.adapter import AccountAdapter
from extranet.members.models import Consent, Membership, Profile, User
from extranet.members.profiles import DELETED_USER_LABEL, consent_give
from tests.extranet.members.images import image_bytes
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_data_export_is_an_attachment_with_everything(client, people):
    """/cabinet/data.json downloads the user's own data: user, profile, memberships, consents,
    and nobody else's."""
    me = people["pending"]
    consent_give(user=me)
    client.force_login(me)
    response = client.get("/cabinet/data.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["user"]["email"] == me.email
    assert data["profile"]["phone"] == me.profile.phone.as_e164
    assert [m["initiative_slug"] for m in data["memberships"]] == ["gorki"]
    assert data["memberships"][0]["status"] == "pending"
    assert data["consents"][0]["policy_version"]
    assert people["member"].email not in response.content.decode()


def test_delete_needs_the_right_password(client, people):
    """A wrong password is a form error and deletes nothing."""
    me = people["member"]
    client.force_login(me)
    response = client.post("/en/cabinet/delete/", {"password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert User.objects.filter(pk=me.pk).exists()


def test_delete_removes_user_memberships_photo_and_logs_out(
    client, people, django_capture_on_commit_callbacks
):
    """The right password deletes the user, their memberships and consents cascade, the
    photo file is removed, the session ends and a message says so."""
    me = people["member"]
    profile = Profile.objects.get(user=me)
    profile.photo.save("p.jpg", ContentFile(image_bytes("JPEG")), save=True)
    storage, name = profile.photo.storage, profile.photo.name
    consent_give(user=me)
    client.force_login(me)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/cabinet/delete/", {"password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert "Your account and personal data have been deleted." in response.content.decode()
    assert not User.objects.filter(pk=me.pk).exists()
    assert not Membership.objects.filter(user_id=me.pk).exists()
    assert not Consent.objects.filter(user_id=me.pk).exists()
    assert not storage.exists(name)
    assert client.get("/cabinet/").status_code == 302


def test_delete_without_a_password_asks_for_the_email(client, people):
    """Someone who signed up socially (no usable password) confirms with their e-mail."""
    me = people["registered"]
    me.set_unusable_password()
    me.save()
    client.force_login(me)
    assert client.post("/en/cabinet/delete/", {"password": "x@example.com"}).status_code == 200
    assert User.objects.filter(pk=me.pk).exists()
    client.post("/en/cabinet/delete/", {"password": me.email.upper()})
    assert not User.objects.filter(pk=me.pk).exists()


def test_deleted_user_label_exists():
    """Content of a deleted author is labelled with a translatable «Deleted user»."""
    assert str(DELETED_USER_LABEL) in ("Deleted user", "Удалённый пользователь")


def test_consent_withdrawal_blocks_the_account(client, people):
    """Withdrawing consent (after a confirmation page) marks the consent withdrawn, makes the
    account inactive and signs the person out; they cannot sign in again."""
    me = people["registered"]
    consent = consent_give(user=me)
    client.force_login(me)
    assert client.get("/en/cabinet/consent/withdraw/").status_code == 200
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
    response = client.post("/en/cabinet/consent/withdraw/")
    assert response.status_code == 302
    consent.refresh_from_db()
    me.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert me.is_active is False
    assert client.get("/cabinet/").status_code == 302
    assert not client.login(email=me.email, password=PASSWORD)


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("/cabinet/", True),
        ("/en/initiatives/gorki/?a=1", True),
        ("http://testserver/cabinet/", True),
        ("https://evil.example.com/", False),
        ("//evil.example.com/", False),
        ("javascript:alert(1)", False),
        ("", False),
    ],
)
def test_adapter_keeps_next_on_this_site(url, safe):
    """allauth follows ``next`` only to this site: relative paths or this very host."""
    with context.request_context(RequestFactory().get("/accounts/login/")):
        assert AccountAdapter().is_safe_url(url) is safe


def test_login_ignores_a_foreign_next(client, people):
    """Signing in with next=https://evil.example.com/ lands on the site, not there."""
    response = client.post(
        "/en/accounts/login/?next=https://evil.example.com/",
        {"login": people["member"].email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert "evil.example.com" not in response["Location"]


# --- Deletion leaves nothing behind (issue 9, item 6) ---------------------------------------


def _invite(initiative, email, by):
    from extranet.members.invitations import invitation_create

    invitation, _token = invitation_create(initiative=initiative, email=email, invited_by=by)
    return invitation


def test_delete_removes_invitations_to_the_address_and_unlinks_sent_ones(
    client, people, gorki, polotsk
):
    """After deletion no invitation row carries the person's address (pending or accepted,
    whatever its case), invitations they sent as an admin keep no link to them, and the
    initiative admins' invite page no longer lists the address."""
    from django.utils import timezone

    from extranet.members.models import Invitation

    me = people["initiative_admin"]
    pending = _invite(polotsk, me.email.upper(), people["portal_admin"])
    accepted = Invitation.objects.create(
        initiative=gorki,
        email=me.email,
        token_hash="0" * 64,
        invited_by=people["portal_admin"],
        expires_at=timezone.now(),
        accepted_at=timezone.now(),
        accepted_by=me,
    )
    sent = _invite(gorki, "friend@example.com", me)
    client.force_login(me)
    client.post("/en/cabinet/delete/", {"password": PASSWORD})
    assert not User.objects.filter(pk=me.pk).exists()
    assert not Invitation.objects.filter(email__iexact=me.email).exists()
    assert not Invitation.objects.filter(pk__in=[pending.pk, accepted.pk]).exists()
    sent.refresh_from_db()
    assert sent.invited_by_id is None
    assert sent.email == "friend@example.com"
    client.force_login(people["portal_admin"])
    body = client.get("/en/cabinet/groups/gorki/invite/").content.decode()
    assert "friend@example.com" in body
    assert me.email not in body.lower()


def test_delete_removes_an_organisation_nobody_else_belongs_to(client, people):
    """The person's organisation goes with them when no other profile names it (a sole
    trader's name identifies a person); an organisation another person belongs to stays."""
    from extranet.members.models import Organisation
    from tests.factories import OrganisationFactory, ProfileFactory

    me, other = people["member"], people["pending"]
    alone = me.profile.organisation
    shared = OrganisationFactory(name="ИП Иванов И. И.")
    Profile.objects.filter(user=other).update(organisation=shared)
    colleague = ProfileFactory(organisation=shared).user
    client.force_login(colleague)
    client.post("/en/cabinet/delete/", {"password": PASSWORD})
    client.force_login(me)
    client.post("/en/cabinet/delete/", {"password": PASSWORD})
    assert not User.objects.filter(pk__in=[me.pk, colleague.pk]).exists()
    assert not Organisation.objects.filter(pk=alone.pk).exists()
    assert Organisation.objects.filter(pk=shared.pk).exists()


def test_privacy_policy_says_what_is_kept_after_deletion():
    """The demo's privacy policy tells what stays after an account is deleted: posts and
    comments without their author, shown as «Удалённый пользователь», and nothing else."""
    from home.demo import PRIVACY_BODY

    text = " ".join(str(block) for block in PRIVACY_BODY)
    assert "Удалённый пользователь" in text
    assert "приглашения" in text


# --- The export holds everything about the person (issue 9, item 8) -------------------------


def test_data_export_holds_invitations_received_and_sent(client, people, gorki, polotsk):
    """The export lists the invitations sent to the person's address (initiative, who sent
    it, dates, status) and those they sent as an admin (initiative, address, dates, status),
    and no invitation between two other people."""
    me = people["initiative_admin"]
    _invite(polotsk, me.email, people["portal_admin"])
    _invite(gorki, "friend@example.com", me)
    _invite(polotsk, "stranger@example.com", people["portal_admin"])
    client.force_login(me)
    data = json.loads(client.get("/cabinet/data.json").content)
    [received] = data["invitations_received"]
    assert received["initiative_slug"] == "polotsk"
    assert received["invited_by"] == str(people["portal_admin"])
    assert received["status"] == "pending"
    assert received["sent_at"] and received["expires_at"]
    assert received["accepted_at"] is None
    [sent] = data["invitations_sent"]
    assert (sent["initiative_slug"], sent["email"], sent["status"]) == (
        "gorki",
        "friend@example.com",
        "pending",
    )
    assert "stranger@example.com" not in json.dumps(data)


def test_data_export_takes_sections_from_registered_apps(people):
    """Feature apps add their sections through the members_account_export hook (members
    imports none of them); a section name that clashes with another is refused loudly."""
    from django.core.exceptions import ImproperlyConfigured
    from wagtail import hooks

    from extranet.members.exports import ACCOUNT_EXPORT_HOOK
    from extranet.members.profiles import account_export

    me = people["member"]

    def section(*, user):
        return {"bookings": [user.pk]}

    with hooks.register_temporarily(ACCOUNT_EXPORT_HOOK, section):
        assert account_export(user=me)["bookings"] == [me.pk]

    def clash(*, user):
        return {"consents": []}

    with (
        hooks.register_temporarily(ACCOUNT_EXPORT_HOOK, clash),
        pytest.raises(ImproperlyConfigured),
    ):
        account_export(user=me)
