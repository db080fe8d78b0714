from django.urls import path

from . import views_files

# Mounted at /files/ (cms/urls.py) beside the members app's /files/photos/.
urlpatterns = [
    path("<int:attachment_id>/", views_files.attachment_download, name="attachment_download"),
]
