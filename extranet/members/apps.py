from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "extranet.members"
    label = "members"
    verbose_name = _("Members")

    def ready(self):
        # page_notices (Wagtail's moderation) must run before wagtail.admin's ready: see it.
        from . import (  # noqa: F401 - connect the notices' receivers
            event_notices,
            idea_notices,
            page_notices,
            receivers,
        )
        from .signals import ensure_role_groups

        post_migrate.connect(ensure_role_groups, dispatch_uid="members.ensure_role_groups")

        from . import pagecache  # noqa: F401 - purges the public pages' organisations
