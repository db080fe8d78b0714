"""The cached roster of a group (extranet.members.roster): the feed's side panel and the
directory's unfiltered pages read the members' order from the cache, and every change that
alters who is listed or in what order shows at once on the next page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from extranet.members.models import Membership
from extranet.members.roster import roster_of
from extranet.members.services import (
    membership_approve,
    membership_end,
    membership_set_role,
)
from tests.factories import MembershipFactory, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def _url(name: str = "members", slug: str = "gorki") -> str:
    with translation.override("en"):
        return reverse(f"groups:{name}", kwargs={"slug": slug})


def _member(initiative, last_name: str, **kwargs):
    user = UserFactory(first_name="Иван", last_name=last_name)
    ProfileFactory(user=user)
    return MembershipFactory(user=user, initiative=initiative, **kwargs)


def _names_in_order(html: str, *names: str) -> list[str]:
    """``names`` sorted by where they first appear in ``html`` (absent ones left out)."""
    found = {name: html.find(name) for name in names}
    return [name for name in sorted(found, key=found.get) if found[name] >= 0]


def _directory(client) -> str:
    response = client.get(_url())
    assert response.status_code == 200
    return response.content.decode()


def _contacts(client) -> str:
    """The feed side panel's «Contacts» section: the group's administrators."""
    html = client.get(_url("feed")).content.decode()
    start = html.index('aria-labelledby="feed-admins-title"')
    return html[start : html.index("</section>", start)]


def _count(html: str) -> int:
    return int(re.search(r'class="directory__count"[^>]*>\s*(\d+)', html).group(1))


def test_an_approval_shows_in_the_directory_at_once(people, gorki, client_for):
    """The roster is cached after the first page; approving an application purges it, so the
    new member and the new count are on the very next page."""
    client = client_for(people["member"])
    before = _directory(client)
    applicant = _member(gorki, "Яковлев", status=Membership.Status.PENDING)
    assert "Яковлев" not in _directory(client)
    membership_approve(membership=applicant, by=people["initiative_admin"])
    after = _directory(client)
    assert "Яковлев" in after
    assert _count(after) == _count(before) + 1


def test_a_rename_reorders_and_a_departure_leaves(people, gorki, client_for):
    """Renaming an account changes its place; a member who leaves is gone from the page."""
    first = _member(gorki, "Аксёнов")
    second = _member(gorki, "Борисов")
    client = client_for(people["member"])
    assert _names_in_order(_directory(client), "Аксёнов", "Борисов") == ["Аксёнов", "Борисов"]
    first.user.last_name = "Воронов"
    first.user.save()
    html = _directory(client)
    assert _names_in_order(html, "Воронов", "Борисов") == ["Борисов", "Воронов"]
    membership_end(membership=second)
    html = _directory(client)
    assert "Борисов" not in html
    assert "Воронов" in html


def test_a_deactivated_account_leaves_the_directory_and_the_count(people, gorki, client_for):
    member = _member(gorki, "Гусев")
    client = client_for(people["member"])
    before = _directory(client)
    assert "Гусев" in before
    member.user.is_active = False
    member.user.save(update_fields=["is_active"])
    after = _directory(client)
    assert "Гусев" not in after
    assert _count(after) == _count(before) - 1


def test_a_new_administrator_is_listed_first_and_in_the_feed_contacts(people, gorki, client_for):
    """A role change purges the roster: the directory lists administrators first, and the
    feed's «Администраторы» contacts name the new one."""
    _member(gorki, "Аббасов")
    promoted = _member(gorki, "Юдин")
    client = client_for(people["member"])
    assert _names_in_order(_directory(client), "Аббасов", "Юдин") == ["Аббасов", "Юдин"]
    assert "Юдин" not in _contacts(client)
    membership_set_role(membership=promoted, role=Membership.Role.ADMIN, by=people["portal_admin"])
    assert _names_in_order(_directory(client), "Аббасов", "Юдин") == ["Юдин", "Аббасов"]
    assert promoted.user.pk in roster_of(initiative=gorki).admin_ids
    assert "Юдин" in _contacts(client)


def test_a_sign_in_keeps_the_cached_roster(people, gorki, django_assert_num_queries):
    """Saving ``last_login`` (every sign-in) changes no order, so it costs no new query."""
    roster_of(initiative=gorki)
    member = people["member"]
    member.save(update_fields=["last_login"])
    with django_assert_num_queries(0):
        roster = roster_of(initiative=gorki)
    assert member.pk in roster.by_name
    assert roster.count == len(roster.by_name)


def test_the_cache_never_mixes_groups(people, gorki, polotsk):
    """Each initiative has its own roster: a Polotsk member is not on Gorki's."""
    gorki_roster = roster_of(initiative=gorki)
    polotsk_roster = roster_of(initiative=polotsk)
    assert people["other_member"].pk in polotsk_roster.by_name
    assert people["other_member"].pk not in gorki_roster.by_name
    assert people["pending"].pk not in gorki_roster.by_name
    assert people["initiative_admin"].pk in gorki_roster.admin_ids
