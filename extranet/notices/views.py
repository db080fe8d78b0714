"""The bell's pages (owned by the notices UI work; see urls.py)."""

from django.http import Http404


def notification_list(request):
    raise Http404


notification_open = notification_read = notifications_read_all = notification_list
