"""Who may see what of the site shell (the one place home's views ask)."""

from django.conf import settings

from extranet.members.permissions import is_portal_admin


def can_view_styleguide(user) -> bool:
    """The component gallery: everyone in development; on a live site staff and portal admins."""
    if settings.DEBUG:
        return True
    return bool(user.is_authenticated and (user.is_staff or is_portal_admin(user)))
