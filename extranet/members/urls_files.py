from django.urls import path

from . import views_files

urlpatterns = [
    path("photos/<int:user_id>/", views_files.profile_photo, name="profile_photo"),
]
