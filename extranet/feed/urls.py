"""The feed's pages, mounted under /cabinet/groups/<slug:slug>/ in the «groups» namespace
together with the members app's group pages (cms/urls.py joins the two lists)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.feed, name="feed"),
    path("documents/", views.documents, name="documents"),
    path("posts/new/", views.post_create, name="post_create"),
    path("posts/<int:post_id>/", views.post_detail, name="post_detail"),
    path("posts/<int:post_id>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:post_id>/delete/", views.post_delete, name="post_delete"),
    path("posts/<int:post_id>/pin/", views.post_pin, name="post_pin"),
    path("posts/<int:post_id>/comments/", views.comment_create, name="comment_create"),
    path("comments/<int:comment_id>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:comment_id>/delete/", views.comment_delete, name="comment_delete"),
]
