"""WebSocket routes of the live board (included by conet/asgi.py)."""

from django.urls import path

from conet.workshops.consumers import BoardConsumer

websocket_urlpatterns = [
    path("ws/workshops/<int:workshop_id>/board/", BoardConsumer.as_asgi()),
]
