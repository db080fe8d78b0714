"""State changes around people and roles (DESIGN.md: writes with side effects live here)."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from .permissions import EDITORS_GROUP, PORTAL_ADMINS_GROUP

# (app_label, codename) pairs each role group holds globally.
_COLLECTION_PERMS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]
_EDITOR_GLOBAL = [
    ("wagtailadmin", "access_admin"),
    *_COLLECTION_PERMS,
    ("wagtailimages", "delete_image"),
    ("wagtaildocs", "delete_document"),
]
_EDITOR_PAGE = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
_PORTAL_ADMIN_GLOBAL = [
    *_EDITOR_GLOBAL,
    ("home", "change_sitesettings"),
    ("wagtailredirects", "add_redirect"),
    ("wagtailredirects", "change_redirect"),
    ("wagtailredirects", "delete_redirect"),
]
_PORTAL_ADMIN_PAGE = [*_EDITOR_PAGE, "bulk_delete_page"]


def _permissions(pairs) -> list[Permission] | None:
    found = {
        (p.content_type.app_label, p.codename): p
        for p in Permission.objects.select_related("content_type").filter(
            codename__in=[codename for _app, codename in pairs]
        )
    }
    result = [found.get(pair) for pair in pairs]
    return None if None in result else result


@transaction.atomic
def role_groups_ensure() -> bool:
    """Create or complete the editors' and portal admins' groups. Idempotent.

    Returns False when the permissions do not exist yet (early in a first ``migrate``);
    it runs again after every app's migrations, so the last run completes it.
    """
    root = Page.get_first_root_node()
    collection = Collection.get_first_root_node()
    page_perms = _permissions([("wagtailcore", c) for c in _PORTAL_ADMIN_PAGE])
    editor_global = _permissions(_EDITOR_GLOBAL)
    admin_global = _permissions(_PORTAL_ADMIN_GLOBAL)
    collection_perms = _permissions(_COLLECTION_PERMS)
    if None in (root, collection) or not all(
        (page_perms, editor_global, admin_global, collection_perms)
    ):
        return False
    page_by_code = {p.codename: p for p in page_perms}
    for name, global_perms, page_codes in (
        (EDITORS_GROUP, editor_global, _EDITOR_PAGE),
        (PORTAL_ADMINS_GROUP, admin_global, _PORTAL_ADMIN_PAGE),
    ):
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*global_perms)
        for code in page_codes:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root, permission=page_by_code[code]
            )
        for permission in collection_perms:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=permission
            )
    return True
