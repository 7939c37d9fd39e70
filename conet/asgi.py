"""ASGI entry point: HTTP through Django, WebSockets through Channels (the live workshop board)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conet.settings")

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.core.asgi import get_asgi_application  # noqa: E402

django_application = get_asgi_application()

# Feature apps add their WebSocket routes here (workshops: the live board).
websocket_urlpatterns: list = []

application = ProtocolTypeRouter(
    {
        "http": django_application,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
