from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatConfig(AppConfig):
    name = "extranet.chat"
    label = "chat"
    verbose_name = _("Chat")

    def ready(self):
        # revocation: open sockets lose access when rights end; receivers: notice kinds.
        from . import receivers, revocation  # noqa: F401
