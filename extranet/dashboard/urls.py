from django.urls import path

from . import views, views_emails, views_indicators, views_targets

app_name = "dashboard"
urlpatterns = [
    path("initiatives/", views.initiatives_registry_view, name="initiatives"),
    path("users/", views.users_view, name="users"),
    path("memberships/<int:pk>/role/", views.membership_role_view, name="membership_role"),
    path("organisations/merge/", views.organisation_merge_view, name="organisation_merge"),
    path("emails/", views_emails.emails_view, name="emails"),
    path("emails/<int:pk>/resend/", views_emails.email_resend_view, name="email_resend"),
    path("indicators/", views_indicators.indicators_view, name="indicators"),
    path(
        "indicators/export/<slug:table>.<slug:fmt>",
        views_indicators.indicators_export_view,
        name="indicators_export",
    ),
    path(
        "indicators/report.xlsx", views_indicators.indicators_report_view, name="indicators_report"
    ),
    path("indicators/targets/", views_targets.targets_view, name="indicator_targets"),
]
