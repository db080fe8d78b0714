"""An event's programme (home.blocks.ProgrammeStreamBlock) renders its days and items."""

import pytest

from tests.events.factories import EventPageFactory

pytestmark = pytest.mark.django_db


def test_programme_renders_days_and_items(client, event_index):
    """Day headings and items (time, title, speakers) appear on the event page in order."""
    event = EventPageFactory(
        index=event_index,
        programme=[
            ("day", "День первый"),
            (
                "item",
                {
                    "time": "10:00–10:45",
                    "title": "Открытие семинара",
                    "speakers": "А. Тимаев",
                    "description": "",
                },
            ),
        ],
    )
    html = client.get(event.url).content.decode()
    assert 'class="programme"' in html
    day, item = html.index("День первый"), html.index("Открытие семинара")
    assert day < item
    assert "10:00–10:45" in html and "А. Тимаев" in html
