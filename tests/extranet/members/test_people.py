"""The one way people are shown (extranet.members.people), the registries features plug into
the members' pages with (group tabs, person actions), and the one role-change path."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail import hooks

from extranet.members.group_tabs import GROUP_TAB_HOOK, group_tabs
from extranet.members.models import Membership, User
from extranet.members.people import PERSON_ACTION_HOOK, PersonAction, person_cards, profile_of
from extranet.members.services import MembershipError, membership_role_change
from tests.factories import MembershipFactory, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def _users(*people):
    return list(User.objects.filter(pk__in=[p.pk for p in people]).select_related("profile"))


def _write(viewer, subject):
    return "write", f"/chat/new/{subject.pk}/"


# --- person_cards ------------------------------------------------------------------------------


def test_cards_carry_contact_data_only_for_people_the_viewer_may_see(people, gorki):
    """A member of another initiative sees a gorki member's name only: no e-mail, phone,
    photo or member-card link; a gorki member sees all of them."""
    subject = people["member"]
    [hidden] = person_cards(viewer=people["other_member"], users=_users(subject))
    assert (hidden.email, hidden.phone, hidden.url, hidden.photo_url) == ("", "", "", "")
    [shown] = person_cards(
        viewer=people["initiative_admin"], users=_users(subject), initiative=gorki
    )
    assert shown.email == subject.email
    assert shown.phone == subject.profile.phone.as_international
    assert shown.url == f"{reverse('person', kwargs={'user_id': subject.pk})}?group=gorki"
    assert shown.initiative == gorki.title


def test_phones_follow_the_groups_directory_setting_but_not_for_the_portal_admin(people, gorki):
    """With the directory's phones off, a member sees no other member's phone; the portal
    admin still does (permissions.can_view_phone, the member card's rule)."""
    gorki.directory_shows_phone = False
    gorki.save_revision().publish()
    subject = _users(people["initiative_admin"])
    [card] = person_cards(viewer=people["member"], users=subject, initiative=gorki)
    assert card.email and not card.phone
    [card] = person_cards(viewer=people["portal_admin"], users=subject, initiative=gorki)
    assert card.phone


def test_admin_badge_only_for_admin_ids(people, gorki):
    """«Administrator» is on the cards of ``admin_ids`` only."""
    admin, member = people["initiative_admin"], people["member"]
    with translation.override("en"):
        cards = person_cards(
            viewer=member, users=_users(admin, member), initiative=gorki, admin_ids=[admin.pk]
        )
    badges = {card.email: card.badge for card in cards}
    assert badges == {admin.email: "Administrator", member.email: ""}


def test_cards_cost_one_query_however_many_people(people, gorki):
    """The privacy rule is asked once for the page: 3 people or 13, the same queries."""

    def count(users):
        viewer = User.objects.get(pk=people["member"].pk)
        with CaptureQueriesContext(connection) as queries:
            person_cards(viewer=viewer, users=users, initiative=gorki)
        return len(queries)

    few = _users(people["member"], people["initiative_admin"], people["pending"])
    for _ in range(10):
        MembershipFactory(initiative=gorki, user=ProfileFactory().user)
    many = list(
        User.objects.filter(memberships__initiative=gorki).select_related("profile").distinct()
    )
    assert len(many) >= 13
    # The privacy rule, the portal-admin check and whom the viewer may write to (the chat's
    # «Написать», read once for all cards).
    assert count(few) == count(many) <= 4


def test_profile_of_is_none_without_a_profile(db):
    """profile_of gives the loaded profile, or None (no exception) for a user without one."""
    assert profile_of(UserFactory()) is None
    assert profile_of(ProfileFactory().user) is not None


# --- register_person_action --------------------------------------------------------------------


def test_registered_person_action_is_on_others_cards_not_ones_own(people, gorki):
    """A feature's «write» (register_person_action) is on the cards of people the viewer
    may see, never on the viewer's own."""
    me, other = people["member"], people["initiative_admin"]
    with hooks.register_temporarily(PERSON_ACTION_HOOK, _write):
        cards = {c.email: c for c in person_cards(viewer=me, users=_users(me, other))}
    assert PersonAction("write", f"/chat/new/{other.pk}/") in cards[other.email].actions
    assert cards[me.email].actions == ()


def test_registered_person_action_shows_on_the_directory_and_the_member_card(client, people, gorki):
    """The directory and the member card render the registered action's link; without a
    registration there is none (no guessed URL names)."""
    client.force_login(people["member"])
    admin = people["initiative_admin"]
    directory = reverse("groups:members", kwargs={"slug": "gorki"})
    card_url = reverse("person", kwargs={"user_id": admin.pk})
    link = f'href="/chat/new/{admin.pk}/"'
    assert link not in client.get(directory).content.decode()
    with hooks.register_temporarily(PERSON_ACTION_HOOK, _write):
        assert link in client.get(directory).content.decode()
        assert link in client.get(card_url).content.decode()


# --- register_group_tab ------------------------------------------------------------------------


def test_group_tabs_come_from_the_apps_and_follow_the_switches(gorki):
    """The feed registers «Feed»/«Documents», members «Members», in that order; a switched-off
    service's tabs are gone."""
    with translation.override("en"):
        assert [tab.label for tab in group_tabs(gorki)] == ["Feed", "Documents", "Members"]
        gorki.feed_enabled = False
        assert [tab.key for tab in group_tabs(gorki)] == ["members"]


def test_a_registered_group_tab_is_in_the_group_header(client, people, gorki):
    """A tab another app registers is rendered by includes/group_header.html."""

    def extra(initiative):
        yield "extra", "Extra tab", f"/extra/{initiative.slug}/"

    client.force_login(people["member"])
    url = reverse("groups:members", kwargs={"slug": "gorki"})
    assert "/extra/gorki/" not in client.get(url).content.decode()
    with hooks.register_temporarily(GROUP_TAB_HOOK, extra):
        body = client.get(url).content.decode()
    assert 'href="/extra/gorki/"' in body and "Extra tab" in body


# --- membership_role_change --------------------------------------------------------------------


def test_role_change_needs_the_portal_admin_and_changes_nothing_otherwise(people, gorki):
    """An initiative admin may not give the admin role: PermissionDenied, the role unchanged."""
    membership = Membership.objects.get(user=people["member"], initiative=gorki)
    with pytest.raises(PermissionDenied):
        membership_role_change(membership=membership, role="admin", by=people["initiative_admin"])
    membership.refresh_from_db()
    assert membership.role == Membership.Role.MEMBER


def test_role_change_returns_the_confirmation_and_refuses_bad_input(people, gorki):
    """The portal admin's change is saved and confirmed by name; an unknown role or a pending
    applicant is a MembershipError."""
    membership = Membership.objects.get(user=people["member"], initiative=gorki)
    with translation.override("en"):
        text = membership_role_change(
            membership=membership, role="admin", by=people["portal_admin"]
        )
    membership.refresh_from_db()
    assert membership.role == Membership.Role.ADMIN
    assert text.startswith(people["member"].get_full_name()) and "is now an administrator" in text
    with pytest.raises(MembershipError):
        membership_role_change(membership=membership, role="boss", by=people["portal_admin"])
    pending = Membership.objects.get(user=people["pending"], initiative=gorki)
    with pytest.raises(MembershipError):
        membership_role_change(membership=pending, role="admin", by=people["portal_admin"])
