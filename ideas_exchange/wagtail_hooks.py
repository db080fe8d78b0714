"""The ideas exchange in Wagtail: its moderation menu, the home section, the feed link, and
the guard that keeps an initiative with ideas from being deleted."""

from django.utils.translation import gettext as _
from wagtail import hooks

from initiatives.extensions import HOOK_DELETE_GUARD

from . import admin_moderation, exports, feed_link, sections  # noqa: F401  (they register hooks)
from .models import Idea


@hooks.register(HOOK_DELETE_GUARD)
def refuse_deleting_initiatives_with_ideas(initiative):
    if Idea.objects.filter(initiative=initiative).exists():
        return _("it has ideas in the ideas exchange")
    return None
