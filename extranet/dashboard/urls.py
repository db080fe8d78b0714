from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("initiatives/", views.initiatives_registry_view, name="initiatives"),
    path("users/", views.users_view, name="users"),
    path("memberships/<int:pk>/role/", views.membership_role_view, name="membership_role"),
    path("organisations/merge/", views.organisation_merge_view, name="organisation_merge"),
]
