"""API: a person's own notifications (read, mark read) and their e-mail preference."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate

from conet.api.auth import WRITE_AUTH
from conet.api.pagination import Id
from conet.notifications import selectors, services
from conet.notifications.models import NotificationPreference

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    sentence: str
    params: dict
    url: str
    actor: str | None
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_actor(obj) -> str | None:
        return str(obj.actor) if obj.actor_id else None


class MarkReadIn(Schema):
    ids: list[Id] | None = None


class CountOut(Schema):
    unread: int


class PreferenceIn(Schema):
    email: str


class PreferenceOut(Schema):
    email: str


@router.get("/notifications", response=list[NotificationOut], auth=WRITE_AUTH)
@paginate
def list_notifications(request, unread: bool = False):
    notifications = selectors.inbox(request.user)
    if unread:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications


@router.get("/notifications/unread-count", response=CountOut, auth=WRITE_AUTH)
def unread_count(request):
    return {"unread": selectors.unread_count(request.user)}


@router.post("/notifications/read", response=CountOut, auth=WRITE_AUTH)
def mark_read(request, payload: MarkReadIn):
    services.mark_read(request.user, payload.ids)
    request.user._conet_unread_notifications = None
    return {"unread": selectors.unread_count(request.user)}


@router.get("/notifications/preferences", response=PreferenceOut, auth=WRITE_AUTH)
def get_preference(request):
    return {"email": services.email_preference(request.user)}


@router.put("/notifications/preferences", response=PreferenceOut, auth=WRITE_AUTH)
def put_preference(request, payload: PreferenceIn):
    if payload.email not in NotificationPreference.Email.values:
        raise ValidationError(
            {
                "email": _("Choose one of: %(choices)s.")
                % {"choices": ", ".join(NotificationPreference.Email.values)}
            }
        )
    return {"email": services.set_email_preference(request.user, payload.email).email}
