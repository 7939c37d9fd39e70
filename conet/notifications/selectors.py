"""Reads for the notification list, the header badge and the API."""

from django.core.cache import cache

from conet.notifications.models import Notification

UNREAD_TTL = 3600


def unread_cache_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def inbox(user):
    """The user's notifications, newest first, with the actor fetched in the same query."""
    return Notification.objects.filter(recipient=user).select_related("actor")


def unread_count(user) -> int:
    """The header badge's number. It is on every page a signed-in person sees, so it is kept in
    the cache (emptied by every write that changes it) instead of costing a query per page."""
    if user is None or not user.is_authenticated:
        return 0
    cached = getattr(user, "_conet_unread_notifications", None)
    if cached is None:
        key = unread_cache_key(user.pk)
        cached = cache.get(key)
        if cached is None:
            cached = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
            cache.set(key, cached, UNREAD_TTL)
        user._conet_unread_notifications = cached
    return cached
