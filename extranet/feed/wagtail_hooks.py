"""The feed plugs into the initiative pages' delete guard (initiatives.extensions)."""

from django.utils.translation import gettext as _
from wagtail import hooks

from initiatives.extensions import HOOK_DELETE_GUARD

from .models import Post


@hooks.register(HOOK_DELETE_GUARD)
def refuse_deleting_initiatives_with_posts(initiative):
    # Posts are PROTECTed: without this guard Wagtail's delete would fail with an error page.
    if Post.objects.filter(initiative=initiative).exists():
        return _("its common group has posts")
    return None
