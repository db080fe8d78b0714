from django.urls import path

from . import views, views_email

# Mounted at /cabinet/notifications/ (cms/urls.py).
urlpatterns = [
    path("", views.notification_list, name="notifications"),
    path("<int:pk>/open/", views.notification_open, name="notification_open"),
    path("<int:pk>/read/", views.notification_read, name="notification_read"),
    path("read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("settings/", views_email.email_settings_view, name="notification_settings"),
]

# Mounted at /unsubscribe/ (cms/urls.py): no login, the signed token is the key.
unsubscribe_urlpatterns = [
    path("<str:token>/", views_email.unsubscribe, name="unsubscribe"),
]
