"""The feed plugs into the initiative pages' delete guard (initiatives.extensions) and into
the members app's data export (extranet.members.exports)."""

from django.utils.translation import gettext as _
from wagtail import hooks

from extranet.members.exports import ACCOUNT_EXPORT_HOOK
from initiatives.extensions import HOOK_DELETE_GUARD

from . import exports
from .models import Post

hooks.register(ACCOUNT_EXPORT_HOOK, exports.account_export)


@hooks.register(HOOK_DELETE_GUARD)
def refuse_deleting_initiatives_with_posts(initiative):
    # Posts are PROTECTed: without this guard Wagtail's delete would fail with an error page.
    if Post.objects.filter(initiative=initiative).exists():
        return _("its common group has posts")
    return None
