"""E-mail preferences and one-click unsubscribe (owned by the preferences work; see urls.py)."""

from django.http import Http404


def email_settings_view(request):
    raise Http404


unsubscribe = email_settings_view
