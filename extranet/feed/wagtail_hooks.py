"""The feed plugs into the initiative pages' delete guard (initiatives.extensions), the
members app's data export (extranet.members.exports) and the group's tabs
(extranet.members.group_tabs)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks

from extranet.members.exports import ACCOUNT_EXPORT_HOOK
from extranet.members.group_tabs import GROUP_TAB_HOOK
from initiatives.extensions import HOOK_DELETE_GUARD
from initiatives.features import Service, service_enabled

from . import exports
from .models import Post

hooks.register(ACCOUNT_EXPORT_HOOK, exports.account_export)


@hooks.register(HOOK_DELETE_GUARD)
def refuse_deleting_initiatives_with_posts(initiative):
    # Posts are PROTECTed: without this guard Wagtail's delete would fail with an error page.
    if Post.objects.filter(initiative=initiative).exists():
        return _("its common group has posts")
    return None


@hooks.register(GROUP_TAB_HOOK, order=10)
def feed_tabs(initiative):
    if service_enabled(initiative, Service.FEED):
        slug = {"slug": initiative.slug}
        yield "feed", _("Feed"), reverse("groups:feed", kwargs=slug)
        yield "documents", _("Documents"), reverse("groups:documents", kwargs=slug)
