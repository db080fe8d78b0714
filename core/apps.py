from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every project app uses (e-mail, private files, paging, text, demo data).

    It imports no project app, so any app may import it without making a cycle.
    """

    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import checks, locales, pagecache  # noqa: F401 - checks registers the system checks

        pagecache.connect_signals()
        locales.connect_signals()
