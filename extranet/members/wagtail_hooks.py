"""The membership app plugs into the public initiative pages (initiatives.extensions) and
gives the common group its «Участники» tab (.group_tabs)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks

from events.extensions import HOOK_IS_PORTAL_ADMIN, HOOK_MEMBER_INITIATIVES, HOOK_REGISTRANT_DETAILS
from home.permissions import STYLEGUIDE_VIEWER_HOOK
from ideas_exchange.extensions import HOOK_ADMIN_INITIATIVES as IDEAS_ADMIN_INITIATIVES
from ideas_exchange.extensions import HOOK_AUTHOR_DETAILS as IDEAS_AUTHOR_DETAILS
from ideas_exchange.extensions import HOOK_IS_MODERATOR as IDEAS_IS_MODERATOR
from ideas_exchange.extensions import HOOK_MEMBER_INITIATIVES as IDEAS_MEMBER_INITIATIVES
from initiatives.extensions import HOOK_DELETE_GUARD, HOOK_ORGANISATIONS
from initiatives.features import Service, service_enabled

from . import selectors
from .group_tabs import GROUP_TAB_HOOK
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


@hooks.register(GROUP_TAB_HOOK, order=20)
def directory_tab(initiative):
    if service_enabled(initiative, Service.DIRECTORY):
        yield "members", _("Members"), reverse("groups:members", kwargs={"slug": initiative.slug})


# --- Events (issue 12): who is a member, a registrant's profile, who organises every event ---
# events is a public app and imports nothing from the extranet; it asks through these hooks.


@hooks.register(HOOK_MEMBER_INITIATIVES)
@hooks.register(IDEAS_MEMBER_INITIATIVES)
def approved_initiatives(user):
    # Read fresh: a membership approved a minute ago opens a members-only event or idea now.
    return set(
        Membership.objects.filter(user=user, status=Membership.Status.APPROVED).values_list(
            "initiative_id", flat=True
        )
    )


@hooks.register(HOOK_REGISTRANT_DETAILS)
@hooks.register(IDEAS_AUTHOR_DETAILS)
def person_details(user):
    """Name and organisation from the profile (a registrant's, an idea's author's)."""
    from .models import Profile

    profile = Profile.objects.filter(user=user).select_related("organisation").first()
    organisation = profile.organisation.name if profile and profile.organisation else ""
    return {"name": user.get_full_name() or user.email, "organisation": organisation}


@hooks.register(HOOK_IS_PORTAL_ADMIN)
def event_portal_admin(user):
    return is_portal_admin(user)


# --- The ideas exchange (issue 13): who moderates (members and authors' details: above) ---
# ideas_exchange is a public app and imports nothing from the extranet; it asks through these.


@hooks.register(IDEAS_ADMIN_INITIATIVES)
def idea_admin_initiatives(user):
    """The initiatives ``user`` administers: they moderate those initiatives' ideas."""
    return set(
        Membership.objects.filter(
            user=user, status=Membership.Status.APPROVED, role=Membership.Role.ADMIN
        ).values_list("initiative_id", flat=True)
    )


@hooks.register(IDEAS_IS_MODERATOR)
def idea_moderator(user):
    """Wagtail's editors and the portal admin moderate every idea."""
    from .permissions import EDITORS_GROUP

    return is_portal_admin(user) or user.groups.filter(name=EDITORS_GROUP).exists()
