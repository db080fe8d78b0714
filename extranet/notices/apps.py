from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    """Notifications: in-app (the bell, /cabinet/notifications/) and e-mail (at once or in a
    daily digest, per the recipient's preferences), with one-click unsubscribe.

    It knows no feature: source apps register their kinds of notice (``kinds.register_kind``)
    and call ``services.notify`` from their own ``receivers.py``.
    """

    name = "extranet.notices"
    label = "notices"
    verbose_name = _("Notifications")
