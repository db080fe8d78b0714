"""The list: tabs, filters that combine and survive pagination, bad params never fail."""

import datetime

import pytest
from django.utils import timezone

from tests.events.factories import EventKindFactory, EventPageFactory

pytestmark = pytest.mark.django_db


def test_upcoming_soonest_first_past_latest_first(client, event_index):
    """Upcoming lists the soonest first; past lists the latest first; drafts never."""
    now = timezone.now()
    for days, slug in [(5, "later"), (2, "sooner"), (-3, "recent"), (-9, "older")]:
        start = now + datetime.timedelta(days=days)
        EventPageFactory(slug=slug, title=f"evt-{slug}", starts_at=start, ends_at=start)
    EventPageFactory(slug="draft", title="draftevent", publish=False)
    up = client.get("/events/").content.decode()
    assert up.index("evt-sooner") < up.index("evt-later") and "evt-recent" not in up
    assert "draftevent" not in up
    past = client.get("/events/?tab=past").content.decode()
    assert past.index("evt-recent") < past.index("evt-older") and "evt-sooner" not in past


def test_filters_combine_and_survive_pagination(client, event_index, gorki):
    """initiative+kind+format select the right events; page 2 links keep the filters."""
    kind = EventKindFactory(slug="forum")
    for i in range(14):
        EventPageFactory(title=f"match-{i}", initiative=gorki, kind=kind, format="online")
    EventPageFactory(title="other-format", initiative=gorki, kind=kind, format="offline")
    response = client.get("/events/", {"initiative": "gorki", "kind": "forum", "format": "online"})
    html = response.content.decode()
    assert response.context["page_obj"].paginator.count == 14
    assert "other-format" not in html
    assert "format=online" in html and "page=2" in html
    page2 = client.get(
        "/events/", {"initiative": "gorki", "kind": "forum", "format": "online", "page": 2}
    )
    assert len(page2.context["page_obj"]) == 2


@pytest.mark.parametrize(
    "params",
    [{"initiative": "nope"}, {"kind": "nope"}, {"page": "abc"}, {"format": "x"}, {"page": "999"}],
)
def test_bad_params_never_fail(client, event, params):
    """Unknown slugs give an empty state, a bad page or format is ignored: never a 500."""
    response = client.get("/events/", params)
    assert response.status_code == 200
    if "initiative" in params or "kind" in params:
        assert (
            "Сбросить" in response.content.decode()
            or response.context["page_obj"].paginator.count == 0
        )


def test_filter_options_follow_publishing(client, event_index, gorki, polotsk):
    """The initiatives and kinds offered by the filters are cached; publishing an event of
    another initiative and kind adds them, unpublishing it takes them away again."""
    from events.selectors import filter_options

    EventPageFactory(initiative=gorki)
    assert [slug for slug, _ in filter_options()["initiatives"]] == [gorki.slug]
    kind = EventKindFactory(name="Хакатон")
    event = EventPageFactory(initiative=polotsk, kind=kind)
    options = filter_options()
    assert {slug for slug, _ in options["initiatives"]} == {gorki.slug, polotsk.slug}
    assert "Хакатон" in {name for _, name in options["kinds"]}
    event.unpublish()
    options = filter_options()
    assert [slug for slug, _ in options["initiatives"]] == [gorki.slug]
    assert "Хакатон" not in {name for _, name in options["kinds"]}
