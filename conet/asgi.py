"""ASGI entry point: HTTP through Django's WSGI handler, WebSockets through Channels (the live board).

Pages do not pay for the sockets (ADR 0007). Django's own ASGI handler runs a synchronous project
by handing every request to a thread three times (request started, the view, request finished) and
costs 1.3–2.5 ms of CPU more per request than the same view under WSGI (docs/benchmarks.md, "HTTP
under the ASGI server"). Here uvicorn speaks HTTP and hands each request once to a pool of threads
running Django's WSGI handler (a2wsgi); the WebSocket routes stay asynchronous with Channels.
`CONET_HTTP_HANDLER=asgi` serves HTTP with Django's ASGI handler instead (for comparison).
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conet.settings")

from channels.auth import AuthMiddlewareStack
from channels.routing import ProtocolTypeRouter, URLRouter
from channels.security.websocket import AllowedHostsOriginValidator


def http_application():
    """The HTTP half: Django's WSGI handler on a pool of threads, or its ASGI handler."""
    if os.environ.get("CONET_HTTP_HANDLER", "wsgi") == "asgi":
        from django.core.asgi import get_asgi_application

        return get_asgi_application()
    from a2wsgi import WSGIMiddleware
    from django.core.wsgi import get_wsgi_application

    # Requests served at once by one process. Each thread keeps its own database connection;
    # SQLite writes wait for each other (IMMEDIATE transactions, 20 s timeout).
    threads = int(os.environ.get("CONET_HTTP_THREADS", "4"))
    return WSGIMiddleware(get_wsgi_application(), workers=threads)


django_application = http_application()

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
