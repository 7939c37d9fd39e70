"""ASGI entry point: HTTP through Django, WebSockets through Channels (the live workshop board)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conet.settings")

from channels.auth import AuthMiddlewareStack
from channels.routing import ProtocolTypeRouter, URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from django.core.asgi import get_asgi_application

django_application = get_asgi_application()

from conet.workshops.routing import websocket_urlpatterns as workshop_routes  # noqa: E402

# Feature apps add their WebSocket routes here (workshops: the live board).
websocket_urlpatterns: list = [*workshop_routes]

application = ProtocolTypeRouter(
    {
        "http": django_application,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
