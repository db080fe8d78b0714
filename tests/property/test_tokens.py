"""Links with tokens fed garbage (issue 16, part 3): invitations, one-click unsubscribe,
allauth's password reset and e-mail confirmation, the events' registration links.

Properties: any string in the token's place (lone surrogates sent as invalid UTF-8
included), a valid token with one character changed, an expired token: never a 5xx, a page
that says so (4xx) and nothing written; a token used twice (an invitation accepted twice,
an unsubscribe confirmed twice) has no second effect.
"""

from __future__ import annotations

import datetime
from urllib.parse import quote_from_bytes

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.property.conftest import changes, snapshot

pytestmark = pytest.mark.django_db

token_text = st.one_of(
    st.text(st.characters(codec=None), min_size=1, max_size=80),
    st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_:.", min_size=1),
    st.just("x" * 5000),
    st.sampled_from(["..", "%00", "\x00", "a:b:c", "eyJ1IjoxfQ:1:x", "0-0", "-"]),
)


def _path_part(token: str) -> str:
    return quote_from_bytes(token.encode("utf-8", "surrogatepass"), safe="")


def _flip(token: str, position: int) -> str:
    position %= len(token)
    char = "A" if token[position] != "A" else "B"
    return token[:position] + char + token[position + 1 :]


@pytest.fixture
def links(people, gorki):
    """Valid tokens of each kind, for the member (unsubscribe) and a new invitee."""
    from allauth.account.forms import default_token_generator
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC
    from allauth.account.utils import user_pk_to_url_str

    from extranet.members.invitations import invitation_create
    from extranet.notices.tokens import unsubscribe_token
    from tests.factories import UserFactory

    member = people["member"]
    invitee = UserFactory(email="invitee@example.com")
    invitation, token = invitation_create(
        initiative=gorki, email=invitee.email, invited_by=people["initiative_admin"]
    )
    unverified = EmailAddress.objects.create(
        user=member, email="second@example.com", verified=False, primary=False
    )
    return {
        "member": member,
        "invitee": invitee,
        "invitation": invitation,
        "invitation_token": token,
        "unsubscribe": unsubscribe_token(user_id=member.pk, scope="digest"),
        "reset": f"{user_pk_to_url_str(member)}-{default_token_generator.make_token(member)}",
        "confirm": EmailConfirmationHMAC(unverified).key,
    }


ROUTES = {
    "invitation": ("/invitations/{}/", {404, 410}),
    "unsubscribe": ("/unsubscribe/{}/", {400, 404, 410}),
    "e-mail confirmation": ("/accounts/confirm-email/{}/", {200, 302, 404}),
    "password reset": ("/accounts/password/reset/key/{}/", {200, 302, 404}),
    "event registration": ("/events/any/registration/{}/", {400, 404, 410}),
}


@pytest.mark.parametrize("route", list(ROUTES))
def test_any_string_as_a_token_gets_a_clear_refusal(route, links):
    """Any string where the token goes, by GET and POST: a 4xx (or allauth's page saying the
    link is bad), never a 5xx, nothing written."""
    template, allowed = ROUTES[route]

    @settings(max_examples=max(5, settings.default.max_examples // 3))
    @given(token=token_text, method=st.sampled_from(["get", "post"]))
    def run(token, method):
        cache.clear()
        before = snapshot()
        response = getattr(Client(), method)(template.format(_path_part(token)))
        assert response.status_code < 500, token
        assert response.status_code in allowed, (response.status_code, token)
        assert changes(before, snapshot()) == {}

    run()


TAMPERED = {
    "invitation": ("/invitations/{}/", "invitation_token", "invitee", {403, 404, 410}),
    "unsubscribe": ("/unsubscribe/{}/", "unsubscribe", None, {400}),
    "password reset": ("/accounts/password/reset/key/{}/", "reset", None, {200, 302}),
    "e-mail confirmation": ("/accounts/confirm-email/{}/", "confirm", "member", {200, 302, 404}),
}


@pytest.mark.parametrize("kind", list(TAMPERED))
def test_a_tampered_token_changes_nothing(kind, links):
    """A valid token with one character changed, posted by the person it was for: refused,
    nothing written (no membership, no setting, no password, no verified address)."""
    template, key, who, allowed = TAMPERED[kind]
    valid = links[key]

    @settings(max_examples=max(5, settings.default.max_examples // 3))
    @given(position=st.integers(min_value=0, max_value=len(valid) - 1))
    def run(position):
        tampered = _flip(valid, position)
        if tampered == valid:
            return
        client = Client()
        if who:
            client.force_login(links[who])
        before = snapshot()
        verified = _verified_addresses()
        response = client.post(
            template.format(_path_part(tampered)),
            {
                "password1": "a-long-and-unusual-pass-42",
                "password2": "a-long-and-unusual-pass-42",
            },
        )
        assert response.status_code in allowed, (response.status_code, tampered)
        assert changes(before, snapshot()) == {}
        assert _verified_addresses() == verified
        links["member"].refresh_from_db()
        assert links["member"].check_password("a-long-and-unusual-pass-42") is False

    run()


def _verified_addresses():
    from allauth.account.models import EmailAddress

    return set(EmailAddress.objects.filter(verified=True).values_list("email", flat=True))


def test_an_invitation_accepted_twice_makes_one_membership(links, gorki):
    """Replay: the second POST of the same link is 410 («used») and no second membership or
    notice is made; an expired invitation is 410 too and makes none."""
    from extranet.members.models import Membership

    client = Client()
    client.force_login(links["invitee"])
    url = reverse("invitations:accept", args=[links["invitation_token"]])
    assert client.post(url).status_code == 302
    assert Membership.objects.filter(user=links["invitee"], initiative=gorki).count() == 1
    before = snapshot()
    assert client.post(url).status_code == 410
    assert client.get(url).status_code == 410
    assert changes(before, snapshot()) == {}

    from extranet.members.invitations import invitation_create
    from tests.factories import UserFactory

    late = UserFactory(email="late@example.com")
    invitation, token = invitation_create(
        initiative=gorki, email=late.email, invited_by=links["member"]
    )
    invitation.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    invitation.save(update_fields=["expires_at"])
    client.force_login(late)
    before = snapshot()
    assert client.post(reverse("invitations:accept", args=[token])).status_code == 410
    assert changes(before, snapshot()) == {}


def test_an_unsubscribe_confirmed_twice_has_one_effect(links, settings):
    """Replay: posting the unsubscribe link again answers the same page and changes nothing
    more; the same link once expired is 410 and changes nothing."""
    from extranet.notices.models import EmailSettings

    url = reverse("unsubscribe", args=[links["unsubscribe"]])
    assert Client().post(url).status_code == 200
    state = list(EmailSettings.objects.values())
    before = snapshot()
    again = Client().post(url)
    assert again.status_code == 200
    assert list(EmailSettings.objects.values()) == state
    assert changes(before, snapshot()) == {}

    settings.UNSUBSCRIBE_TOKEN_MAX_AGE_DAYS = -1
    assert Client().post(url).status_code == 410
    assert list(EmailSettings.objects.values()) == state
