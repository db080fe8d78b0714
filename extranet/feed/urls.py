"""The feed's pages, mounted under /cabinet/groups/<slug:slug>/ in the «groups» namespace
together with the members app's group pages (cms/urls.py joins the two lists)."""

from django.urls import path  # noqa: F401  (the views are added with the feed's pages)

urlpatterns: list = []
