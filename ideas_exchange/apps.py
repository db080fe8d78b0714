from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasExchangeConfig(AppConfig):
    name = "ideas_exchange"
    verbose_name = _("Ideas exchange")
