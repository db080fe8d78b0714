"""The person's registrations and ratings in their data export (/cabinet/data.json).

Registered by the hook's name (``members_account_export``, the members app's
``ACCOUNT_EXPORT_HOOK``) so this public app imports nothing from the extranet; imported by
``receivers`` (``EventsConfig.ready``).
"""

from __future__ import annotations

from wagtail import hooks

from .selectors_registration import registration_export

ACCOUNT_EXPORT_HOOK = "members_account_export"


@hooks.register(ACCOUNT_EXPORT_HOOK)
def events_account_export(*, user) -> dict:
    return {"events": registration_export(user=user)}
