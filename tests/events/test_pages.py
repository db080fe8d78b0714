"""The event pages: every role sees the public pages, drafts are hidden, the online link
reaches only people with a seat, times are shown in the event's zone and language."""

import datetime

import pytest
from django.utils import timezone

from tests.conftest import EXTRANET_ROLES
from tests.events.factories import EventPageFactory, FeedbackFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", EXTRANET_ROLES)
def test_every_public_page_answers_every_role(client_for, people, event, past_event, gorki, role):
    """/events/ (tabs, calendar), an event, a past event, the plan, the XLSX, the initiative
    and home pages answer 200 to every role; a draft event is 404 for them all but editors."""
    client = client_for(people[role])
    urls = [
        "/events/",
        "/events/?tab=past",
        "/events/?view=calendar",
        event.url,
        past_event.url,
        "/events/plan/",
        "/events/plan.xlsx",
        gorki.url,
        "/",
    ]
    for url in urls:
        assert client.get(url).status_code == 200, (role, url)
    EventPageFactory(publish=False, slug="draft-event")
    if role in ("guest", "registered", "pending", "other_member", "member"):
        assert client.get("/events/draft-event/").status_code == 404


def test_online_link_hidden_from_guest_and_non_registered(client_for, people, event):
    """The online link is never in the HTML for a guest or a signed-in person without a
    seat, and is there for a confirmed participant."""
    secret = event.online_url
    assert secret not in client_for(None).get(event.url).content.decode()
    assert secret not in client_for(people["member"]).get(event.url).content.decode()
    RegistrationFactory(event=event, user=people["member"])
    assert secret in client_for(people["member"]).get(event.url).content.decode()


def test_time_in_event_zone_and_language(client, event_index, event_kind):
    """10:00 Minsk time is shown as 10:00 with the zone named, in Russian and in English."""
    starts = datetime.datetime(2026, 3, 12, 7, 0, tzinfo=datetime.UTC)
    ev = EventPageFactory(
        slug="zone", kind=event_kind, starts_at=starts, ends_at=starts + datetime.timedelta(hours=3)
    )
    ru = client.get(ev.url).content.decode()
    assert "12 марта 2026, 10:00–13:00" in ru and "UTC+3" in ru
    en = client.get("/en" + ev.url).content.decode()
    assert "12 March 2026, 10:00–13:00" in en and "UTC+3" in en


def test_report_and_rating_for_organisers_only(client_for, people, past_event):
    """After the event the report and participants' count show; the rating average only
    to an organiser (editor), not to a member."""
    FeedbackFactory(registration__event=past_event, rating=4)
    FeedbackFactory(registration__event=past_event, rating=2)
    member_html = client_for(people["member"]).get(past_event.url).content.decode()
    assert "Обсудили итоги года" in member_html
    assert "3,0" not in member_html and "3.0" not in member_html
    editor_html = client_for(people["editor"]).get(past_event.url).content.decode()
    assert "3,0" in editor_html or "3.0" in editor_html


def test_cancelled_event_marked(client, event):
    """A cancelled event stays in the list, marked «Отменено»."""
    event.cancelled = True
    event.save_revision().publish()
    assert "Отменено" in client.get("/events/").content.decode()
    assert "Отменено" in client.get(event.url).content.decode()


def test_home_and_initiative_sections(client, home_page, event, gorki):
    """The initiative page shows its upcoming event and its plan with links to /events/."""
    html = client.get(gorki.url).content.decode()
    assert event.title in html
    assert "/events/?initiative=gorki" in html
    assert "/events/plan/?initiative=gorki" in html
    from home import sections

    source = sections.get_section_source(sections.EVENTS)
    assert [item.title for item in source.items(None, 3)] == [event.title]
    assert source.index_url(None) == "/events/"
    assert timezone.now() < event.starts_at
