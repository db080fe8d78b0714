from django.urls import path

from . import views_directory, views_groups

app_name = "groups"

# Mounted at /cabinet/groups/<slug:slug>/ (cms/urls.py); every view gets ``slug``.
urlpatterns = [
    path("members/", views_directory.members, name="members"),
    path("admins/", views_directory.admins, name="admins"),
    path("applications/", views_groups.applications, name="applications"),
    path(
        "applications/<int:membership_id>/approve/",
        views_groups.application_approve,
        name="application_approve",
    ),
    path(
        "applications/<int:membership_id>/reject/",
        views_groups.application_reject,
        name="application_reject",
    ),
    path("invite/", views_groups.invite, name="invite"),
    path(
        "invitations/<int:invitation_id>/revoke/",
        views_groups.invitation_revoke_view,
        name="invitation_revoke",
    ),
]
