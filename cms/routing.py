"""Every websocket route of the site. Feature apps add theirs here as they land."""

from django.urls import path

from extranet.chat.consumers import ChatConsumer
from extranet.notices.consumers import NotificationsConsumer

from .consumers import PingConsumer

websocket_urlpatterns = [
    path("ws/ping/", PingConsumer.as_asgi()),
    path("ws/notifications/", NotificationsConsumer.as_asgi()),
    path("ws/chat/", ChatConsumer.as_asgi()),
]
