from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        # Signal receivers: first publication, deleted accounts (receivers), and the
        # initiative administrators' rights on their events (page_permissions).
        from . import page_permissions, receivers  # noqa: F401
