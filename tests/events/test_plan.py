"""The plan is a view of the events: its rows and the XLSX follow the events' fields."""

import datetime
from io import BytesIO

import openpyxl
import pytest

from tests.events.factories import EventPageFactory

pytestmark = pytest.mark.django_db


def _plan_event(**kwargs):
    start = datetime.datetime(2026, 4, 10, 7, 0, tzinfo=datetime.UTC)
    return EventPageFactory(
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        plan_participants="ЦКиИР, ПГУ",
        plan_budget="зал, 2 000 BYN",
        plan_funding_source="средства кластера",
        plan_results="Соглашение о сотрудничестве",
        **kwargs,
    )


def test_plan_reflects_event_fields(client, event_index, gorki):
    """A change of the event's plan fields or cancelled flag changes the plan; events not
    in the plan and other years are left out."""
    ev = _plan_event(slug="p1", title="Собрание участников", initiative=gorki)
    _plan_event(slug="p2", title="Вне плана", in_plan=False)
    html = client.get("/events/plan/", {"year": 2026}).content.decode()
    assert "Собрание участников" in html and "ЦКиИР, ПГУ" in html and "Вне плана" not in html
    ev.plan_participants = "Совет кластера"
    ev.cancelled = True
    ev.save_revision().publish()
    html = client.get("/events/plan/", {"year": 2026, "initiative": "gorki"}).content.decode()
    assert "Совет кластера" in html and "Отменено" in html
    assert "Собрание участников" not in client.get("/events/plan/", {"year": 2025}).content.decode()
    assert client.get("/events/plan/", {"initiative": "nope"}).status_code == 200


def test_plan_xlsx_matches_events(client, event_index, gorki):
    """The XLSX has a title row, a bold header and one row per plan event with its fields."""
    ev = _plan_event(slug="x1", title="Семинар", initiative=gorki, plan_timing="апрель")
    response = client.get("/events/plan.xlsx", {"year": 2026, "initiative": "gorki"})
    assert response["Content-Disposition"] == 'attachment; filename="plan-2026-gorki.xlsx"'
    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    assert "2026" in sheet["A1"].value
    assert sheet["A2"].font.bold
    row = [cell.value for cell in sheet[3]]
    assert row == [
        1,
        ev.title,
        ev.plan_participants,
        "апрель",
        "зал, 2 000 BYN\nсредства кластера",
        ev.plan_results,
        str(ev.get_plan_status_display()),
    ]
