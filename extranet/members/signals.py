from .services import role_groups_ensure


def ensure_role_groups(sender, **kwargs):
    # Sent after each app's migrations (and after a test database flush); it does nothing
    # until every permission it needs exists, so the last call completes the groups.
    role_groups_ensure()
