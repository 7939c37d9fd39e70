"""What the accounts app holds about a person: the profile, roles, invitations, API tokens, and the
activity they caused in the feeds; and the photos they uploaded (see personal_data.py). Core's
activity feed and photos are declared here because core never imports accounts."""

import posixpath

from django.conf import settings
from django.db.models import Q

from conet.accounts.models import ApiToken, Invitation, Membership
from conet.accounts.personal_data import register_personal_data, row, rows
from conet.core.formatting import FORMER_MEMBER
from conet.core.models import ActivityEvent, Photo


def export_account(user) -> dict:
    return {
        "profile": row(user),
        "memberships": [
            row(m) | {"role_label": str(m.get_role_display()), "scope": str(m.scope)}
            for m in Membership.objects.filter(user=user).select_related("network", "city")
        ],
        "invitations_received": rows(
            Invitation.objects.filter(Q(accepted_by=user) | Q(email__iexact=user.email))
        ),
        "invitations_sent": rows(Invitation.objects.filter(invited_by=user)),
        # Names and dates only: neither the key nor its hash or prefix leaves the server.
        "api_tokens": rows(ApiToken.objects.filter(user=user), exclude=("prefix",)),
        "activity": rows(ActivityEvent.objects.filter(actor=user)),
    }


def erase_account(user) -> None:
    # Invitations waiting for this address would re-create the person's data on acceptance.
    Invitation.objects.filter(email__iexact=user.email, accepted_at__isnull=True).delete()
    # The feed keeps what happened; a field that held the person's name reads "a former member"
    # (the actor link itself is emptied by the deletion: on delete set null).
    names = {user.name, str(user)} - {""}
    mentions = Q(actor=user)
    for name in names:
        mentions |= Q(data__icontains=name)
    for event in ActivityEvent.objects.filter(mentions).iterator():
        data = {
            key: FORMER_MEMBER if value in names else value for key, value in event.data.items()
        }
        if data != event.data:
            event.data = data
            event.save(update_fields=["data"])
    # Memberships and API tokens go with the account (on delete cascade); so do invitations the
    # person sent: the memberships they led to stay.


register_personal_data("account", export=export_account, erase=erase_account)


def _uploaded_photos(user):
    return Photo.objects.filter(uploaded_by=user).select_related("content_type").order_by("pk")


def export_photos(user) -> dict:
    site = settings.CONET_SITE_URL.rstrip("/")
    return {
        "photos_uploaded": [
            row(photo)
            | {
                "object": f"{photo.content_type.app_label}.{photo.content_type.model}",
                # Served after the page's own permission: a draft's photo stays its editors'.
                "address": site + photo.large_url,
            }
            for photo in _uploaded_photos(user)
        ]
    }


def photo_files(user):
    # The large size only: the small one is the same picture, smaller.
    for photo in _uploaded_photos(user).exclude(large=""):
        yield photo.large, f"{photo.pk}-{posixpath.basename(photo.large.name)}"


# A photo belongs to the page it illustrates: it stays, with its description and credit, and
# forgets who uploaded it (on delete set null), as meeting documents and practice attachments do.
register_personal_data("photos", export=export_photos, files=photo_files)
