"""Who may open the portal administrator's cabinet (the one place its views ask)."""

from extranet.members.permissions import is_portal_admin


def can_view_initiatives_registry(user) -> bool:
    return is_portal_admin(user)
