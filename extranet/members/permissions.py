"""Who may do what with people and memberships: the one place that decides (DESIGN.md).

Views, templates and consumers ask these functions; none of them re-derives a rule inline.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from .models import User

# The Django group whose members run the whole platform, beside superusers.
PORTAL_ADMINS_GROUP = "Администраторы портала"
# Wagtail's own editors group, created by Wagtail's migrations.
EDITORS_GROUP = "Editors"


def is_portal_admin(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    # Cached per request object: the header asks on every page.
    cached = getattr(user, "_is_portal_admin", None)
    if cached is None:
        cached = user.groups.filter(name=PORTAL_ADMINS_GROUP).exists()
        user._is_portal_admin = cached
    return cached


def can_open_cabinet(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active)
