from django.urls import path

from . import views, views_directory, views_organisations

urlpatterns = [
    path("", views.cabinet, name="cabinet"),
    path(
        "memberships/<int:pk>/withdraw/",
        views.membership_withdraw_view,
        name="cabinet_membership_withdraw",
    ),
    path("memberships/<int:pk>/leave/", views.membership_leave, name="cabinet_membership_leave"),
    path("data.json", views.account_data, name="cabinet_data"),
    path("delete/", views.account_delete, name="cabinet_delete"),
    path("consent/withdraw/", views.consent_withdraw, name="cabinet_consent_withdraw"),
    path(
        "organisations/suggest/",
        views_organisations.organisation_suggest,
        name="organisation_suggest",
    ),
    # /cabinet/groups/<slug>/... is mounted before /cabinet/ (cms/urls.py); the list of
    # groups has no slug, so it lives here.
    path("groups/", views_directory.groups_index, name="groups_index"),
    path("people/<int:user_id>/", views_directory.person, name="person"),
]
