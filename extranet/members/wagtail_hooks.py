"""The membership app plugs into the public initiative pages (initiatives.extensions)."""

from django.utils.translation import gettext as _
from wagtail import hooks

from home.permissions import STYLEGUIDE_VIEWER_HOOK
from initiatives.extensions import HOOK_DELETE_GUARD, HOOK_ORGANISATIONS

from . import selectors
from .models import Invitation, Membership
from .permissions import is_portal_admin


@hooks.register(HOOK_ORGANISATIONS)
def participating_organisations(initiative_ids):
    return selectors.organisations_by_initiative(initiative_ids)


@hooks.register(HOOK_DELETE_GUARD)
def refuse_deleting_initiatives_with_members(initiative):
    if Membership.objects.filter(initiative=initiative).exists():
        return _("it has members or applications")
    if Invitation.objects.filter(initiative=initiative).exists():
        return _("it has invitations")
    return None


@hooks.register(STYLEGUIDE_VIEWER_HOOK)
def portal_admins_see_the_styleguide(user):
    return is_portal_admin(user)
