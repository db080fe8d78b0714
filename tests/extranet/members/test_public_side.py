"""The public initiative pages list member organisations, never a person."""

import re

import pytest
from django.urls import reverse

from initiatives.models import InitiativePage
from tests.factories import MembershipFactory, OrganisationFactory, ProfileFactory, SuperuserFactory

pytestmark = pytest.mark.django_db


def _member(initiative, organisation, **profile):
    user = ProfileFactory(organisation=organisation, **profile).user
    return MembershipFactory(user=user, initiative=initiative)


def test_organisations_of_approved_members_are_listed_once(client, gorki):
    """Distinct organisations of approved members appear on the cluster page and count on the
    index; pending applicants' organisations, hidden ones and people's data do not."""
    baa = OrganisationFactory(name="БГСХА", kind="university")
    park = OrganisationFactory(name="ООО «Технопарк Горки»")
    first = _member(gorki, baa)
    _member(gorki, baa)
    _member(gorki, park)
    _member(gorki, OrganisationFactory(name="Скрытая организация"), hide_organisation=True)
    pending = ProfileFactory(organisation=OrganisationFactory(name="Заявитель ООО")).user
    MembershipFactory(user=pending, initiative=gorki, status="pending")

    html = client.get("/initiatives/gorki/").content.decode()
    # The page's list, not the structured data (its Organization names its members too).
    listed = re.sub(r'<script type="application/ld\+json".*?</script>', "", html, flags=re.S)
    assert listed.count("БГСХА") == 1 and "Технопарк Горки" in listed
    assert "Скрытая организация" not in html and "Заявитель ООО" not in html
    assert first.user.email not in html
    assert str(first.user.profile.phone) not in html
    index = client.get("/initiatives/").content.decode()
    assert "Организаций-участников: 2" in index


def test_initiative_with_members_cannot_be_deleted(client, gorki):
    """With a membership the Wagtail delete view refuses and says why."""
    MembershipFactory(initiative=gorki, status="pending")
    client.force_login(SuperuserFactory())
    response = client.post(reverse("wagtailadmin_pages:delete", args=[gorki.pk]), follow=True)
    assert InitiativePage.objects.filter(pk=gorki.pk).exists()
    assert "есть участники или заявки" in response.content.decode()


def test_join_box_follows_the_viewers_membership(client, gorki):
    """Members see that they are members, applicants that they wait; others get «Вступить»."""
    member = MembershipFactory(initiative=gorki).user
    applicant = MembershipFactory(initiative=gorki, status="pending").user
    client.force_login(member)
    html = client.get("/en/initiatives/gorki/").content.decode()
    assert "You are a member of this initiative." in html and "?initiative=gorki" not in html
    client.force_login(applicant)
    html = client.get("/en/initiatives/gorki/").content.decode()
    assert "waiting for an administrator" in html and "?initiative=gorki" not in html
