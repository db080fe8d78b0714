from django.urls import path

from . import views_invitations

app_name = "invitations"

# Mounted at /invitations/ (cms/urls.py). Any string is routed; the view answers 404 for a
# malformed token, so odd input never reaches the database.
urlpatterns = [
    path("<str:token>/", views_invitations.accept, name="accept"),
]
