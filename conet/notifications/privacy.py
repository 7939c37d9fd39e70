"""What notifications hold about a person: their inbox and their e-mail setting (see
conet/accounts/personal_data.py). Both go with the account; others' notifications that name the
person keep the sentence and lose the name."""

from conet.accounts.personal_data import register_personal_data, row, rows
from conet.core.formatting import FORMER_MEMBER
from conet.notifications.models import Notification, NotificationPreference


def export_notifications(user) -> dict:
    preference = NotificationPreference.objects.filter(user=user).first()
    return {
        "notifications": rows(Notification.objects.filter(recipient=user)),
        "preference": row(preference) if preference else None,
    }


def erase_notifications(user) -> None:
    names = {user.name, str(user)} - {""}
    for notification in Notification.objects.filter(actor=user).exclude(recipient=user):
        notification.params = {
            key: FORMER_MEMBER if value in names else value
            for key, value in notification.params.items()
        }
        notification.actor = None
        notification.save(update_fields=["params", "actor"])
    # The person's own inbox and setting go with the account (on delete cascade).


register_personal_data("notifications", export=export_notifications, erase=erase_notifications)
