"""Event addresses Wagtail's catch-all cannot serve, as Django routes.

The catch-all serves only paths of ``[\\w-]+/`` segments: not the downloads whose names carry
a dot (``calendar.ics``, ``plan.xlsx``, ``event.ics``) nor a registration link whose signed
token has a colon. These routes sit at the same addresses the pages' ``routablepageurl``
gives, find the live page and hand it to the same method the page route calls.
"""

from django.urls import path

from . import views_downloads

app_name = "events"

urlpatterns = [
    path("calendar.ics", views_downloads.calendar_ics, name="calendar_ics"),
    path("plan.xlsx", views_downloads.plan_xlsx, name="plan_xlsx"),
    path("<slug:slug>/event.ics", views_downloads.event_ics, name="event_ics"),
    path(
        "<slug:slug>/registration/<str:token>/",
        views_downloads.registration,
        name="registration",
    ),
]
