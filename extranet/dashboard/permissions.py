"""Who may open the portal administrator's cabinet (the one place its views ask)."""

from extranet.members.permissions import is_portal_admin


def can_view_initiatives_registry(user) -> bool:
    return is_portal_admin(user)


def can_view_all_users(user) -> bool:
    """«All users» with everyone's personal data, its exports and the Wagtail registries."""
    return is_portal_admin(user)


def can_change_roles(user) -> bool:
    """Give or take an initiative's admin role."""
    return is_portal_admin(user)


def can_merge_organisations(user) -> bool:
    return is_portal_admin(user)


def can_view_emails(user) -> bool:
    """The log of outgoing e-mails (recipients' addresses, errors) and «Отправить снова»."""
    return is_portal_admin(user)
