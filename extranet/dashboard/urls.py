from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("initiatives/", views.initiatives_registry_view, name="initiatives"),
]
