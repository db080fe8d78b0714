from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "extranet.members"
    label = "members"
    verbose_name = _("Members")

    def ready(self):
        from . import event_notices, idea_notices, receivers  # noqa: F401 - connect the notices' receivers
        from .signals import ensure_role_groups

        post_migrate.connect(ensure_role_groups, dispatch_uid="members.ensure_role_groups")

        from core.pagecache import purge_on_change

        from .models import Membership, Organisation, Profile

        # The public initiative pages list the organisations of approved members.
        for model in (Membership, Organisation, Profile):
            purge_on_change(model, lambda instance: ["organisations"])
