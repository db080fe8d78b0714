"""Initiative administrators' Wagtail rights on their initiative's events (events live under
/events/, outside the initiative's subtree), the admin form's time zone and initiative
choices, and the delete guard."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from events.models import EventPage
from extranet.members.services import membership_end, membership_set_role
from initiatives.extensions import delete_refusal_reasons
from tests.events.factories import EventPageFactory
from tests.factories import MembershipFactory, PortalAdminFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def gorki_admin(gorki, event_index):
    membership = MembershipFactory(initiative=gorki)
    membership_set_role(membership=membership, role="admin", by=PortalAdminFactory())
    user = type(membership.user).objects.get(pk=membership.user_id)
    return user


def _fresh(user):
    return type(user).objects.get(pk=user.pk)


def _form(*, title, slug, initiative, kind, starts="2027-03-12 10:00", zone="Europe/Minsk"):
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "intro": "",
            "initiative": initiative.pk if initiative else "",
            "kind": kind.pk,
            "format": "offline",
            "starts_at": starts,
            "ends_at": "2027-03-12 13:00",
            "time_zone": zone,
            "venue": "",
            "address": "",
            "online_url": "",
            "organisers": "",
            "body": streamfield([]),
            "programme": streamfield([]),
            "speakers": inline_formset([]),
            "registration_enabled": "on",
            "audience": "everyone",
            "capacity": "",
            "registration_deadline": "",
            "in_plan": "on",
            "plan_participants": "",
            "plan_timing": "",
            "plan_budget": "",
            "plan_funding_source": "",
            "plan_results": "",
            "report": rich_text(""),
            "report_participants": "",
            "photos": inline_formset([]),
            "documents": inline_formset([]),
            "comments": inline_formset([]),
        }
    )


def _add_url(index):
    return f"/admin/pages/add/events/eventpage/{index.pk}/"


def test_initiative_admin_creates_an_event_of_their_initiative_only(
    client, gorki_admin, gorki, polotsk, event_index, event_kind
):
    """The admin of «gorki» may add an event for gorki; polotsk or the whole platform are
    refused by the form, nothing is created."""
    client.force_login(gorki_admin)
    response = client.post(
        _add_url(event_index),
        _form(title="Семинар Горки", slug="gorki-seminar", initiative=gorki, kind=event_kind),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = EventPage.objects.get(slug="gorki-seminar")
    assert event.initiative_id == gorki.pk
    for initiative, slug in ((polotsk, "polotsk-x"), (None, "platform-x")):
        response = client.post(
            _add_url(event_index),
            _form(title="Чужое", slug=slug, initiative=initiative, kind=event_kind),
        )
        assert response.status_code == 200
        assert not EventPage.objects.filter(slug=slug).exists()


def test_rights_follow_the_events_initiative_and_the_role(gorki_admin, gorki, polotsk, event_index):
    """gorki's admin edits and publishes gorki's events, not polotsk's; moving an event to
    polotsk moves the right; ending the admin's membership takes it away."""
    ours = EventPageFactory(index=event_index, initiative=gorki)
    theirs = EventPageFactory(index=event_index, initiative=polotsk)
    user = _fresh(gorki_admin)
    assert ours.permissions_for_user(user).can_edit()
    assert ours.permissions_for_user(user).can_publish()
    assert not theirs.permissions_for_user(user).can_edit()
    ours.initiative = polotsk
    ours.save()
    assert not ours.permissions_for_user(_fresh(gorki_admin)).can_edit()
    ours.initiative = gorki
    ours.save()
    assert ours.permissions_for_user(_fresh(gorki_admin)).can_edit()
    membership = gorki_admin.memberships.get(initiative=gorki)
    membership_end(membership=membership, by=PortalAdminFactory())
    assert not ours.permissions_for_user(_fresh(gorki_admin)).can_edit()


def test_a_group_made_after_the_events_gets_their_rights(gorki, event_index):
    """Events created before the initiative had an admin become editable by its first admin."""
    event = EventPageFactory(index=event_index, initiative=gorki)
    membership = MembershipFactory(initiative=gorki)
    membership_set_role(membership=membership, role="admin", by=PortalAdminFactory())
    assert event.permissions_for_user(_fresh(membership.user)).can_edit()


@pytest.mark.parametrize("zone", ["Europe/Minsk", "Europe/Moscow", "Asia/Novosibirsk"])
def test_times_typed_in_admin_are_read_in_the_events_zone(
    client, gorki, event_index, event_kind, zone, settings
):
    """«10:00» typed for an event in ``zone`` is ten o'clock there, whatever the admin's own
    zone; the edit form shows it back as 10:00."""
    client.force_login(PortalAdminFactory())
    slug = f"tz-{zone.split('/')[1].lower()}"
    response = client.post(
        _add_url(event_index),
        _form(title="Вебинар", slug=slug, initiative=gorki, kind=event_kind, zone=zone),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = EventPage.objects.get(slug=slug)
    expected = datetime.datetime(2027, 3, 12, 10, 0, tzinfo=ZoneInfo(zone))
    assert event.starts_at == expected
    edit = client.get(f"/admin/pages/{event.pk}/edit/").content.decode()
    assert "2027-03-12 10:00" in edit


def test_an_initiative_with_events_is_not_deleted(gorki, event_index):
    """The delete guard names the events."""
    assert not [r for r in delete_refusal_reasons(gorki) if "event" in r or "мероприят" in r]
    EventPageFactory(index=event_index, initiative=gorki)
    reasons = delete_refusal_reasons(gorki)
    assert any("event" in r or "мероприят" in r for r in reasons), reasons
