"""Who may see what of the site shell (the one place home's views ask)."""

from django.conf import settings
from wagtail import hooks

# Apps that know more trusted people than staff say so without home importing them: each
# function registered here takes the user and returns True to show them the style guide
# (the extranet's portal admins: extranet/members/wagtail_hooks.py).
STYLEGUIDE_VIEWER_HOOK = "home_styleguide_viewer"


def can_view_styleguide(user) -> bool:
    """The component gallery: everyone in development; on a live site staff and whoever a
    ``STYLEGUIDE_VIEWER_HOOK`` function lets in."""
    if settings.DEBUG:
        return True
    if not user.is_authenticated:
        return False
    return user.is_staff or any(allows(user) for allows in hooks.get_hooks(STYLEGUIDE_VIEWER_HOOK))
