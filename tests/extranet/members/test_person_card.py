"""A member's card at /cabinet/people/<id>/ (issue 5, item 4): only viewers the privacy rule
allows open it (everyone else 404, guests the login), it shows name, role, phone (per the
shared initiatives' setting), e-mail, the shared initiatives, organisation and position, and
«Back to the group» leads to the group the viewer came from."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from tests.conftest import EXTRANET_ROLES
from tests.factories import MembershipFactory, OrganisationFactory, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def _en(name: str, *args, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, args=args or None, kwargs=kwargs or None)


def _card_url(user) -> str:
    return _en("person", user.pk)


def _group_url(slug: str) -> str:
    """Where «Back to the group» leads: the feed once it exists, the directory until then."""
    try:
        return _en("groups:feed", slug=slug)
    except NoReverseMatch:
        return _en("groups:members", slug=slug)


@pytest.fixture
def subject(gorki):
    """An approved Gorki member with a full profile (organisation, position, phone)."""
    user = UserFactory(first_name="Иван", last_name="Иванов", email="ivan@example.com")
    ProfileFactory(
        user=user,
        organisation=OrganisationFactory(name="ООО «Технопарк Горки»"),
        position="Главный инженер",
        phone="+375291234567",
    )
    MembershipFactory(user=user, initiative=gorki)
    return user


# Who may open an approved Gorki member's card: the privacy rule.
OPENS_MEMBER_CARD = {"member", "initiative_admin", "portal_admin"}


@pytest.mark.parametrize("extranet_client", EXTRANET_ROLES, indirect=True)
def test_member_card_by_role(extranet_client, request, subject, people):
    """Members of the same initiative, its admins and the portal admin open the card; guests
    go to the login; everyone else (registered, editor, pending applicant, another initiative's
    member) gets 404 (not 403: the card's existence is not revealed) and no data."""
    role = request.node.callspec.params["extranet_client"]
    response = extranet_client.get(_card_url(subject))
    body = response.content.decode()
    if role in OPENS_MEMBER_CARD:
        assert response.status_code == 200
        assert "Иванов Иван" in body
        assert "ivan@example.com" in body
    else:
        assert response.status_code == (302 if role == "guest" else 404)
        if role == "guest":
            assert "/accounts/login/" in response["Location"]
        assert "ivan@example.com" not in body
        assert "Главный инженер" not in body


def test_card_shows_the_mock_ups_fields(client, subject, people, gorki):
    """Name, role «Member», contact number, e-mail, the initiative, organisation, position."""
    client.force_login(people["member"])
    body = client.get(_card_url(subject)).content.decode()
    assert '<h1 id="person-name" class="person-page__name">Иванов Иван</h1>' in body
    assert ">Member<" in body
    assert subject.profile.phone.as_international in body
    assert 'href="tel:+375291234567"' in body
    assert 'href="mailto:ivan@example.com"' in body
    assert gorki.title in body
    assert "ООО «Технопарк Горки»" in body
    assert "Главный инженер" in body
    assert "Back to the group" in body


def test_admin_role_is_named(client, people, gorki):
    """An initiative admin's card says «Initiative administrator» with the badge."""
    client.force_login(people["member"])
    body = client.get(_card_url(people["initiative_admin"])).content.decode()
    assert "Initiative administrator" in body
    assert 'class="badge badge--accent">Administrator<' in body


@pytest.mark.parametrize(
    ("viewer", "shown"),
    [("member", False), ("initiative_admin", False), ("portal_admin", True), ("subject", True)],
)
def test_phone_hidden_when_the_initiative_hides_phones(
    client, subject, people, gorki, viewer, shown
):
    """With phones off in the shared initiative, members and its admins do not see the phone;
    the person and the portal admin always do."""
    gorki.directory_shows_phone = False
    gorki.save_revision().publish()
    client.force_login(subject if viewer == "subject" else people[viewer])
    body = client.get(_card_url(subject)).content.decode()
    assert (subject.profile.phone.as_international in body) is shown
    assert ("tel:+375291234567" in body) is shown


def test_phone_shown_when_another_shared_initiative_shows_phones(
    client, subject, people, gorki, polotsk
):
    """One shared initiative that shows phones is enough."""
    gorki.directory_shows_phone = False
    gorki.save_revision().publish()
    MembershipFactory(user=subject, initiative=polotsk)
    viewer = people["member"]
    MembershipFactory(user=viewer, initiative=polotsk)
    client.force_login(viewer)
    body = client.get(_card_url(subject)).content.decode()
    assert subject.profile.phone.as_international in body


def test_only_shared_initiatives_are_listed(client, subject, people, gorki, polotsk):
    """A Gorki member sees the person's Gorki membership, not their Polotsk one; the portal
    admin sees both."""
    MembershipFactory(user=subject, initiative=polotsk)
    client.force_login(people["member"])
    body = client.get(_card_url(subject)).content.decode()
    assert 'data-initiative="gorki"' in body
    assert 'data-initiative="polotsk"' not in body
    client.force_login(people["portal_admin"])
    body = client.get(_card_url(subject)).content.decode()
    assert 'data-initiative="gorki"' in body and 'data-initiative="polotsk"' in body


def test_pending_applicant_card_is_for_the_initiatives_admins(client, people, gorki):
    """Before approval the applicant's card opens for Gorki's admins (marked pending) and the
    portal admin, and is 404 for Gorki's members."""
    applicant = people["pending"]
    client.force_login(people["initiative_admin"])
    response = client.get(_card_url(applicant))
    assert response.status_code == 200
    assert 'class="badge badge--warning">Pending<' in response.content.decode()
    client.force_login(people["portal_admin"])
    assert client.get(_card_url(applicant)).status_code == 200
    client.force_login(people["member"])
    assert client.get(_card_url(applicant)).status_code == 404


def test_own_card_opens_without_write_link(client, people):
    """Everyone may open their own card; it offers no «Write a message» to oneself."""
    me = people["registered"]
    client.force_login(me)
    response = client.get(_card_url(me))
    assert response.status_code == 200
    assert "Write a message" not in response.content.decode()


def test_inactive_or_unknown_people_are_404(client, subject, people):
    """A deactivated (deleted) account and an unknown id are 404, even for the portal admin."""
    client.force_login(people["portal_admin"])
    subject.is_active = False
    subject.save()
    assert client.get(_card_url(subject)).status_code == 404
    assert client.get(_en("person", 999999)).status_code == 404


def test_the_write_button_comes_from_the_chat(client, subject, people):
    """The card's buttons come from register_person_action: the chat's «Write a message»
    leads to its conversation with the person (tests/extranet/chat covers whom it is shown
    for)."""
    client.force_login(people["member"])
    body = client.get(_card_url(subject)).content.decode()
    assert "Write a message" in body
    assert f'/cabinet/messages/with/{subject.pk}/"' in body


def test_back_to_the_group(client, subject, people, gorki, polotsk):
    """«Back to the group» leads to the shared group (the one in ?group= when both share
    several), its directory while the feed does not exist."""
    MembershipFactory(user=subject, initiative=polotsk)
    viewer = people["member"]
    MembershipFactory(user=viewer, initiative=polotsk)
    client.force_login(viewer)
    response = client.get(_card_url(subject), {"group": "polotsk"})
    assert response.context["back_url"] == _group_url("polotsk")
    response = client.get(_card_url(subject), {"group": "gorki"})
    assert response.context["back_url"] == _group_url("gorki")
    # An unknown or unshared ?group= is ignored.
    response = client.get(_card_url(subject), {"group": "nowhere"})
    assert response.context["back_url"] in {_group_url("gorki"), _group_url("polotsk")}


def test_back_link_with_every_group_service_off_goes_to_the_list_of_groups(
    client, subject, people, gorki
):
    """With the shared group's feed and directory off, «Back to the group» is the groups list."""
    gorki.directory_enabled = False
    gorki.feed_enabled = False
    gorki.save_revision().publish()
    client.force_login(people["member"])
    response = client.get(_card_url(subject))
    assert response.context["back_url"] == _en("groups_index")


def test_directory_card_links_open_the_card(client, subject, people):
    """The directory's name links open the card for the same viewer (round trip)."""
    client.force_login(people["member"])
    directory = client.get(_en("groups:members", slug="gorki"))
    card = next(c for c in directory.context["cards"] if c.email == subject.email)
    assert client.get(card.url).status_code == 200


def test_card_costs_few_queries(client, subject, people, django_assert_max_num_queries):
    """The card is a handful of queries: 14 measured (session, viewer, portal-admin check,
    the viewer's memberships, the person, the privacy rule, the person's memberships, profile
    with organisation, whom the viewer may write to, site, menu, settings and Wagtail's user
    bar)."""
    client.force_login(people["member"])
    client.get(_card_url(subject))
    with django_assert_max_num_queries(14):
        assert client.get(_card_url(subject)).status_code == 200


def test_photo_on_the_card(client, subject, people):
    """With a photo the card shows it through the permission-checked /files/photos/<id>/;
    without one, the initials."""
    client.force_login(people["member"])
    assert 'avatar--initials avatar--large person-page__photo" aria-hidden="true">ИИ<' in (
        client.get(_card_url(subject)).content.decode()
    )
    subject.profile.photo.name = f"photos/{subject.pk}/x.jpg"
    subject.profile.save()
    body = client.get(_card_url(subject)).content.decode()
    assert f'src="{_en("profile_photo", subject.pk)}"' in body
