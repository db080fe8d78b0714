"""ASGI entry point: HTTP goes to Django, websockets to Channels consumers.

Django is set up before anything imports models (Channels' documented order).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from core.requestid import RequestIdASGIMiddleware  # noqa: E402

from .routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            # One request id per connection in every log line of its consumer (core/requestid.py).
            AuthMiddlewareStack(RequestIdASGIMiddleware(URLRouter(websocket_urlpatterns)))
        ),
    }
)
