"""State changes for initiatives: the per-initiative Wagtail group and its administrators."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail import hooks
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from . import moderation
from .extensions import HOOK_ADMIN_GROUP_READY

PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
]


def group_name(initiative) -> str:
    # Group names are unique; the page id keeps them so when two initiatives share a name.
    return (
        f"Администраторы инициативы «{initiative.short_name or initiative.title}» #{initiative.pk}"
    )


@transaction.atomic
def initiative_admin_group_ensure(*, initiative) -> Group:
    """The Wagtail group whose page permissions cover this initiative's subtree. Idempotent."""
    group = initiative.admin_group
    if group is None:
        group, _created = Group.objects.get_or_create(name=group_name(initiative))
        type(initiative).objects.filter(pk=initiative.pk).update(admin_group=group)
        initiative.admin_group = group
    elif group.name != group_name(initiative):
        group.name = group_name(initiative)
        group.save(update_fields=["name"])
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    # Under moderation the admins submit news and events, the editors publish them.
    granted = moderation.admin_codenames(
        PAGE_PERMISSIONS, moderated=moderation.initiative_is_moderated(initiative.pk)
    )
    for permission in Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS
    ):
        if permission.codename in granted:
            GroupPagePermission.objects.get_or_create(
                group=group, page_id=initiative.pk, permission=permission
            )
        else:
            GroupPagePermission.objects.filter(
                group=group, page_id=initiative.pk, permission=permission
            ).delete()
    root = Collection.get_first_root_node()
    for app_label, codename in COLLECTION_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root, permission=permission
        )
    # Rights on pages outside the initiative's subtree (its events) follow the group.
    for ready in hooks.get_hooks(HOOK_ADMIN_GROUP_READY):
        ready(initiative=initiative, group=group)
    return group


@transaction.atomic
def initiative_admin_sync(*, user, initiative, is_admin: bool) -> None:
    """Put ``user`` in the initiative's admin group or take them out of it.

    The membership app calls this whenever the portal admin gives or takes the initiative
    admin role, so Wagtail's page permissions always follow the role.
    """
    group = initiative_admin_group_ensure(initiative=initiative)
    if is_admin:
        user.groups.add(group)
    else:
        user.groups.remove(group)
