"""The chat's addresses: conversations under /cabinet/messages/, the message to everyone under
/cabinet/admin/broadcast/, files under /files/chat/. Mounted by cms/urls.py."""

from django.urls import path

from . import views, views_broadcast, views_files

app_name = "chat"

urlpatterns = [
    path("", views.conversation_list, name="index"),
    path("with/<int:user_id>/", views.conversation_with, name="with"),
    path("<int:pk>/", views.conversation_detail, name="conversation"),
    path("<int:pk>/files/", views.conversation_files, name="files"),
    path("<int:pk>/block/", views.conversation_block, name="block"),
    path("<int:pk>/unblock/", views.conversation_unblock, name="unblock"),
]

broadcast_urlpatterns = [
    path("", views_broadcast.broadcast_new, name="broadcast"),
    path("<int:pk>/", views_broadcast.broadcast_detail, name="broadcast_detail"),
]

file_urlpatterns = [
    path("chat/<int:pk>/", views_files.attachment_download, name="file"),
]
