from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedConfig(AppConfig):
    name = "extranet.feed"
    label = "feed"
    verbose_name = _("Common group feed")

    def ready(self):
        from . import receivers  # noqa: F401 - connects the notices' receivers
