from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The portal administrator's cabinet: it may read every app; only the URLconf imports it."""

    name = "extranet.dashboard"
    label = "dashboard"
    verbose_name = _("Portal administration")
