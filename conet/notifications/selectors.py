"""Reads for the notification list, the header badge and the API."""

from conet.notifications.models import Notification


def inbox(user):
    """The user's notifications, newest first, with the actor fetched in the same query."""
    return Notification.objects.filter(recipient=user).select_related("actor")


def unread_count(user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    cached = getattr(user, "_conet_unread_notifications", None)
    if cached is None:
        cached = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        user._conet_unread_notifications = cached
    return cached
