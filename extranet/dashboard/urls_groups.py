"""The indicators of one initiative, mounted with the group's pages at
``/cabinet/groups/<slug>/`` in the «groups» namespace (cms/urls.py)."""

from django.urls import path

from . import views_indicators

urlpatterns = [
    path("indicators/", views_indicators.group_indicators_view, name="indicators"),
    path(
        "indicators/export/<slug:table>.<slug:fmt>",
        views_indicators.group_indicators_export_view,
        name="indicators_export",
    ),
    path(
        "indicators/report.xlsx",
        views_indicators.group_indicators_report_view,
        name="indicators_report",
    ),
]
