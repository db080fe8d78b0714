"""The member directory at /cabinet/groups/<slug>/members/ (issue 5, item 4): who opens it,
the cards (admins first and marked, phone per the initiative's setting), the tabs, search by
name, e-mail or organisation (Cyrillic too), numbered pagination, and a constant number of
queries however many members the initiative has."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from extranet.members.models import Membership, Organisation, Profile, User
from tests.conftest import EXTRANET_ROLES
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    ProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

READERS = {"member", "initiative_admin", "portal_admin"}


def _url(slug: str = "gorki", name: str = "members") -> str:
    """The English address, so the assertions can read English labels."""
    with translation.override("en"):
        return reverse(f"groups:{name}", kwargs={"slug": slug})


def _member(initiative, *, first_name, last_name, email=None, organisation=None, **kwargs):
    user = UserFactory(
        first_name=first_name, last_name=last_name, **({"email": email} if email else {})
    )
    ProfileFactory(
        user=user, **({"organisation": organisation} if organisation is not None else {})
    )
    return MembershipFactory(user=user, initiative=initiative, **kwargs).user


def _bulk_members(initiative, count: int, *, prefix: str = "bulk") -> None:
    """``count`` approved members with profiles and organisations, in a few bulk inserts."""
    organisation = Organisation.objects.create(name=f"ООО «{prefix}»")
    users = User.objects.bulk_create(
        [
            User(
                email=f"{prefix}{index}@example.com",
                first_name=f"Имя{index}",
                last_name=f"Фамилия{index:05d}",
                password="!",
            )
            for index in range(count)
        ]
    )
    Profile.objects.bulk_create(
        [
            Profile(user=user, organisation=organisation, phone=f"+37529{2000000 + i:07d}")
            for i, user in enumerate(users)
        ]
    )
    Membership.objects.bulk_create(
        [Membership(user=user, initiative=initiative, status="approved") for user in users]
    )


def _cards(response) -> list:
    return response.context["cards"]


@pytest.mark.parametrize("extranet_client", EXTRANET_ROLES, indirect=True)
def test_directory_by_role(extranet_client, request, people, gorki):
    """Gorki's members, its admins and the portal admin open the directory and see the
    members' e-mails; guests go to the login; everyone else (registered, editor, the pending
    applicant, a member of another initiative) gets 403 and no personal data."""
    role = request.node.callspec.params["extranet_client"]
    member = people["member"]
    response = extranet_client.get(_url())
    body = response.content.decode()
    if role in READERS:
        assert response.status_code == 200
        assert member.email in body
        assert member.get_full_name() in body
        assert people["initiative_admin"].email in body
        assert '<nav class="tabs"' in body and "All members" in body
    else:
        assert response.status_code == (302 if role == "guest" else 403)
        if role == "guest":
            assert "/accounts/login/" in response["Location"]
        assert member.email not in body


def test_only_approved_active_members_are_listed(client, people, gorki, polotsk):
    """Pending applicants, removed members, deactivated accounts and other initiatives'
    members are not in the directory."""
    removed = MembershipFactory(initiative=gorki, status="removed").user
    inactive = MembershipFactory(initiative=gorki).user
    inactive.is_active = False
    inactive.save()
    client.force_login(people["member"])
    emails = {card.email for card in _cards(client.get(_url()))}
    assert emails == {people["member"].email, people["initiative_admin"].email}
    for user in (people["pending"], people["other_member"], removed, inactive):
        assert user.email not in emails


def test_unknown_or_unpublished_initiative_is_404(client, people, gorki):
    """An unknown slug and an unpublished initiative answer 404, even to the portal admin."""
    client.force_login(people["portal_admin"])
    assert client.get(_url("no-such-cluster")).status_code == 404
    gorki.unpublish()
    assert client.get(_url()).status_code == 404


@pytest.mark.parametrize("role", ["member", "initiative_admin", "portal_admin"])
def test_switched_off_directory_is_404(client, people, gorki, role):
    """With the directory service off the page does not exist, for every reader."""
    gorki.directory_enabled = False
    gorki.save_revision().publish()
    client.force_login(people[role])
    assert client.get(_url()).status_code == 404


@pytest.mark.parametrize("shows_phone", [True, False])
def test_phone_follows_the_initiative_setting(client, people, gorki, shows_phone):
    """Other people's phones are on the cards exactly when the initiative's directory shows
    them; one's own number is always on one's own card (permissions.can_view_phone)."""
    gorki.directory_shows_phone = shows_phone
    gorki.save_revision().publish()
    client.force_login(people["member"])
    cards = _cards(client.get(_url()))
    phone = people["initiative_admin"].profile.phone
    others = [card for card in cards if card.email != people["member"].email]
    assert (phone.as_international in {card.phone for card in others}) is shows_phone
    assert any(card.phone for card in others) is shows_phone
    own = next(card for card in cards if card.email == people["member"].email)
    assert own.phone == people["member"].profile.phone.as_international
    assert people["initiative_admin"].email in {card.email for card in others}


def test_admins_first_and_marked(client, people, gorki):
    """Administrators come first, with the «Administrator» badge; members have none."""
    _member(gorki, first_name="Анна", last_name="Аверина")  # sorts before everyone by name
    client.force_login(people["member"])
    response = client.get(_url())
    cards = _cards(response)
    assert cards[0].email == people["initiative_admin"].email
    assert cards[0].badge == "Administrator"
    assert [card.badge for card in cards[1:]] == ["", ""]
    assert cards[1].name == "Аверина Анна"
    body = response.content.decode()
    assert body.count('class="badge badge--accent">Administrator<') == 1


def test_cards_link_to_the_member_card_and_show_the_initiative(client, people, gorki):
    """Each card's name links to /cabinet/people/<id>/ and names the initiative."""
    client.force_login(people["member"])
    body = client.get(_url()).content.decode()
    admin = people["initiative_admin"]
    assert f'href="/en/cabinet/people/{admin.pk}/?group=gorki"' in body
    assert gorki.title in body


def test_photo_is_served_through_the_permission_checked_view(client, people, gorki):
    """A member's photo comes from /files/photos/<id>/, others get initials."""
    profile = people["initiative_admin"].profile
    profile.photo.name = f"photos/{profile.user_id}/x.jpg"
    profile.save()
    client.force_login(people["member"])
    body = client.get(_url()).content.decode()
    assert f'src="/en/files/photos/{profile.user_id}/"' in body
    assert f'/files/photos/{people["member"].pk}/"' not in body


def test_write_link_only_when_the_chat_exists(client, people, gorki):
    """«write» goes to the chat's messages:new when that URL exists, and is absent until then;
    nobody is offered to write to themselves."""
    client.force_login(people["member"])
    body = client.get(_url()).content.decode()
    try:
        url = reverse("messages:new", args=[people["initiative_admin"].pk])
    except NoReverseMatch:
        assert ">write<" not in body.replace("\n", "").replace(" ", "")
        assert "messages/new" not in body
    else:
        assert url in body
    own = [c for c in _cards(client.get(_url())) if c.email == people["member"].email]
    assert own[0].actions == ()


@pytest.mark.parametrize("role", ["initiative_admin", "portal_admin"])
def test_managers_see_unconfirmed_tab_and_add_member(client, people, gorki, role):
    """Those who manage members get «Unconfirmed (N)» (the applications queue) and «Add
    member» (the invitation form) beside «All members»."""
    client.force_login(people[role])
    body = client.get(_url()).content.decode()
    assert "Unconfirmed (1)" in body
    assert f'href="{_url(name="applications")}"' in body
    assert f'href="{_url(name="invite")}"' in body
    assert "Add member" in body


def test_members_see_only_the_all_members_tab(client, people, gorki):
    """A plain member sees no applications tab, no invitation link and no «Change»."""
    client.force_login(people["member"])
    body = client.get(_url()).content.decode()
    assert "Unconfirmed" not in body
    assert _url(name="applications") not in body
    assert _url(name="invite") not in body
    assert _url(name="admins") not in body


def test_portal_admin_gets_change_link(client, people, gorki):
    """The portal admin's directory links to «Change» (the initiative's administrators)."""
    client.force_login(people["portal_admin"])
    assert f'href="{_url(name="admins")}"' in client.get(_url()).content.decode()
    client.force_login(people["initiative_admin"])
    assert _url(name="admins") not in client.get(_url()).content.decode()


def test_applications_page_shares_the_tabs(client, people, gorki):
    """The applications queue shows the same tabs, with «All members» linking here."""
    client.force_login(people["initiative_admin"])
    body = client.get(_url(name="applications")).content.decode()
    assert f'href="{_url()}"' in body and "All members" in body


# --- Search ------------------------------------------------------------------------------------


@pytest.fixture
def searchable(gorki, polotsk, people):
    """Three Gorki members with distinct names, e-mails and organisations."""
    return {
        "gulyaev": _member(
            gorki,
            first_name="Юрий",
            last_name="Гуляев",
            email="yuri.g@agro.example",
            organisation=OrganisationFactory(name="УО «Белорусская сельхозакадемия»"),
        ),
        "ilyin": _member(
            gorki,
            first_name="Илья",
            last_name="Ильин",
            email="ilya@technopark.example",
            organisation=OrganisationFactory(name="ООО «Технопарк Горки»"),
        ),
        "smith": _member(
            gorki,
            first_name="John",
            last_name="Smith",
            email="john@biotech.example",
            organisation=OrganisationFactory(name="Biotech Solutions"),
        ),
        # Someone of another initiative who would match every query.
        "outsider": _member(
            polotsk,
            first_name="Юрий",
            last_name="Гуляев",
            email="yuri.outsider@technopark.example",
            organisation=OrganisationFactory(name="Biotech Polotsk"),
        ),
    }


def _found(client, query) -> set[str]:
    return {card.email for card in _cards(client.get(_url(), {"q": query}))}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Гуляев", {"gulyaev"}),  # family name as written
        ("гуляев", {"gulyaev"}),  # Cyrillic, lower case
        ("ГУЛЯЕВ", {"gulyaev"}),  # Cyrillic, upper case
        ("гуляев юрий", {"gulyaev"}),  # several words: each must match
        ("ильин илья", {"ilyin"}),
        ("smith", {"smith"}),  # ASCII, any case
        ("JOHN@BIOTECH", {"smith"}),  # e-mail, case-insensitive
        ("technopark.example", {"ilyin"}),  # e-mail domain
        ("технопарк", {"ilyin"}),  # organisation, Cyrillic lower case
        ("biotech solutions", {"smith"}),  # organisation, ASCII
        ("сельхозакадемия", {"gulyaev"}),
        ("никто-такой", set()),
    ],
)
def test_search_by_name_email_or_organisation(client, people, searchable, query, expected):
    """?q= finds members by name, e-mail or organisation, case-insensitively in Cyrillic and
    Latin, every word narrowing it; only this initiative's approved members."""
    client.force_login(people["member"])
    assert _found(client, query) == {searchable[key].email for key in expected}


def test_search_shows_query_and_empty_state(client, people, searchable):
    """The search box keeps the query; no match gives the empty state, not an empty grid."""
    client.force_login(people["member"])
    body = client.get(_url(), {"q": "никто-такой"}).content.decode()
    assert 'value="никто-такой"' in body
    assert "Nobody found" in body
    assert 'class="grid directory__list"' not in body


def test_search_escapes_and_survives_odd_input(client, people, searchable):
    """Markup, LIKE wildcards and a very long query are harmless: 200, nothing injected."""
    client.force_login(people["member"])
    response = client.get(_url(), {"q": "<script>alert(1)</script>"})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert _found(client, "%") == set()
    assert _found(client, "_") == set()
    assert client.get(_url(), {"q": "я" * 5000}).status_code == 200


# --- Pagination and query budget ---------------------------------------------------------------


def test_numbered_pagination_keeps_the_query(client, people, gorki):
    """24 cards a page, numbered links that keep ?q=, and the rest on page 2."""
    _bulk_members(gorki, 30)
    client.force_login(people["member"])
    first = client.get(_url(), {"q": "фамилия"})
    assert len(_cards(first)) == 24
    assert first.context["page_obj"].paginator.num_pages == 2
    body = first.content.decode()
    assert 'class="pagination"' in body
    assert "?page=2&amp;q=%D1%84%D0%B0%D0%BC%D0%B8%D0%BB%D0%B8%D1%8F" in body
    assert "30 members" in body
    second = client.get(_url(), {"q": "фамилия", "page": 2})
    assert len(_cards(second)) == 6
    # Out-of-range and garbage page numbers fall back to a real page.
    assert client.get(_url(), {"page": 99}).status_code == 200
    assert client.get(_url(), {"page": "x"}).status_code == 200


# Measured on SQLite, the same at 10 and at 1,000 members: 13 for a member (session, user,
# portal-admin check, the viewer's memberships, the initiative, the count, the page of cards
# with users, profiles and organisations, the privacy rule for the page, site, menu, settings)
# and 14 for an initiative admin (the pending count, Wagtail's user bar), 15 for the portal
# admin (the privacy rule asks which of the page's people are blocked accounts).
# An N+1 would add 24 per page.
DIRECTORY_BUDGET = 15


@pytest.mark.parametrize("role", ["member", "initiative_admin", "portal_admin"])
@pytest.mark.parametrize("size", [10, 1000])
def test_queries_do_not_grow_with_members(
    client, people, gorki, role, size, django_assert_max_num_queries
):
    """The directory costs the same few queries with 10 members as with 1,000, searching or
    not: the cards' users, profiles and organisations come in one query."""
    _bulk_members(gorki, size)
    client.force_login(people[role])
    client.get(_url())  # warm the per-process caches (site, settings) for both sizes alike
    with django_assert_max_num_queries(DIRECTORY_BUDGET):
        response = client.get(_url())
    assert response.status_code == 200
    assert len(_cards(response)) == min(24, size + 2)
    with django_assert_max_num_queries(DIRECTORY_BUDGET):
        response = client.get(_url(), {"q": "фамилия", "page": 2})
    assert response.status_code == 200


def test_russian_pages_render(client, people, gorki):
    """The unprefixed (Russian) addresses of the directory render too."""
    client.force_login(people["initiative_admin"])
    with translation.override("ru"):
        url = reverse("groups:members", kwargs={"slug": "gorki"})
    assert not url.startswith("/en/")
    response = client.get(url, {"q": "а"})
    assert response.status_code == 200
    assert '<html lang="ru"' in response.content.decode()
