from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        # Signal receivers: first publication, deleted accounts (receivers), and the
        # initiative administrators' rights on their events (page_permissions).
        from core.pagecache import purge_on_change

        from . import page_permissions, receivers  # noqa: F401
        from .models import Feedback, Registration

        # An event's page says whether seats are left and shows its rating.
        for model in (Registration, Feedback):
            purge_on_change(model, lambda instance: [f"page:{instance.event_id}"])
