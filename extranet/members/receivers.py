"""Membership events turned into notices (``extranet.notices.services.notify``).

Connected by ``MembersConfig.ready``. Who is told: a new application goes to the
initiative's admins (the portal admins when it has none); the decision goes to the applicant
(a service notice: mailed whatever their preferences); a new admin role to the person. The
invitation itself is e-mail only and is sent by ``invitations.invitation_send``.
"""

from __future__ import annotations

from django.conf import settings
from django.dispatch import receiver
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from extranet.notices.kinds import Category, NoticeKind, register_kind
from extranet.notices.services import notify

from . import events
from .group_tabs import group_home_url
from .models import Membership
from .selectors import initiative_admin_ids, portal_admin_ids

APPLICATION_NEW = register_kind(
    NoticeKind(
        key="members.application_new",
        category=Category.MEMBERSHIP,
        text=_("%(actor)s applied to join «%(initiative)s»"),
    )
)
APPLICATION_APPROVED = register_kind(
    NoticeKind(
        key="members.application_approved",
        category=Category.MEMBERSHIP,
        text=_("You are now a member of «%(initiative)s»"),
        service=True,
    )
)
APPLICATION_REJECTED = register_kind(
    NoticeKind(
        key="members.application_rejected",
        category=Category.MEMBERSHIP,
        text=_("Your application to «%(initiative)s» was declined"),
        service=True,
    )
)
ROLE_ADMIN = register_kind(
    NoticeKind(
        key="members.role_admin",
        category=Category.MEMBERSHIP,
        text=_("%(actor)s made you an administrator of «%(initiative)s»"),
    )
)


def _path(name: str, *args, **kwargs) -> str:
    # Stored without a language prefix; each reader's link gets their own (notices.site_link).
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(name, args=args, kwargs=kwargs)


@receiver(events.membership_applied, dispatch_uid="members.notify_applied")
def application_new(sender, membership: Membership, **kwargs):
    initiative = membership.initiative
    admins = initiative_admin_ids(initiative=initiative) or portal_admin_ids()
    notify(
        kind=APPLICATION_NEW.key,
        recipients=admins,
        actor=membership.user,
        target=membership,
        initiative=initiative,
        url=_path("groups:applications", slug=initiative.slug),
        excerpt=membership.message,
    )


@receiver(events.membership_approved, dispatch_uid="members.notify_approved")
def application_approved(sender, membership: Membership, actor=None, **kwargs):
    initiative = membership.initiative
    with translation.override(settings.LANGUAGE_CODE):
        url = group_home_url(initiative) or reverse("cabinet")
    notify(
        kind=APPLICATION_APPROVED.key,
        recipients=[membership.user_id],
        actor=actor,
        target=membership,
        initiative=initiative,
        url=url,
    )


@receiver(events.membership_rejected, dispatch_uid="members.notify_rejected")
def application_rejected(sender, membership: Membership, actor=None, reason="", **kwargs):
    # The reason is the applicant's own business, not group content: it is mailed too.
    notify(
        kind=APPLICATION_REJECTED.key,
        recipients=[membership.user_id],
        actor=actor,
        target=membership,
        initiative=membership.initiative,
        url=_path("cabinet"),
        excerpt=reason,
        email_excerpt=True,
    )


@receiver(events.membership_role_changed, dispatch_uid="members.notify_role")
def role_changed(sender, membership: Membership, actor=None, role="", **kwargs):
    if role != Membership.Role.ADMIN:
        return
    initiative = membership.initiative
    notify(
        kind=ROLE_ADMIN.key,
        recipients=[membership.user_id],
        actor=actor,
        target=membership,
        initiative=initiative,
        url=_path("groups:applications", slug=initiative.slug),
    )
