"""Who may open the portal administrator's cabinet (the one place its views ask)."""

from extranet.members.permissions import administered_initiative_ids, is_editor, is_portal_admin


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


# --- Indicators -----------------------------------------------------------------------------


def can_view_platform_indicators(user) -> bool:
    """``/cabinet/admin/indicators/``: the whole platform and any one initiative."""
    return is_portal_admin(user)


def can_view_initiative_indicators(user, initiative) -> bool:
    """``/cabinet/groups/<slug>/indicators/``: the portal admin and that initiative's admins
    (never another initiative's)."""
    return is_portal_admin(user) or initiative.pk in administered_initiative_ids(user)


def indicator_initiative_ids(user) -> frozenset[int] | None:
    """The initiatives whose indicators ``user`` may open: None means every one."""
    if is_portal_admin(user):
        return None
    return administered_initiative_ids(user)


def can_set_targets(user) -> bool:
    """Targets per indicator, year and initiative are the portal admin's."""
    return is_portal_admin(user)


def can_see_indicators_summary(user) -> bool:
    """The counts-only panel on the Wagtail dashboard: portal admins and editors."""
    return is_portal_admin(user) or is_editor(user)
