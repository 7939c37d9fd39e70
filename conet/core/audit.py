"""The audit log: who did what privileged thing, where and when, append-only.

    audit.record("membership.revoked", actor=user, about=membership, summary="…",
                 data={…}, request=request)

Services call it inside their transaction, so an entry exists exactly when the change does.
Logins and lockouts are recorded from Django's and axes' signals (conet/accounts/audit.py).
Platform admins read every entry; a network's coordinators read their network's and its partner
cities' (the page lives in networks, which knows the partnerships).
"""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from conet.core.http import client_address
from conet.core.models import AuditEntry

# What each action is called on the page and in the CSV, in the reader's language.
ACTIONS = {
    "login.succeeded": _("signed in"),
    "login.failed": _("sign-in failed"),
    "login.locked_out": _("locked out after failed sign-ins"),
    "invitation.sent": _("invitation sent"),
    "invitation.withdrawn": _("invitation withdrawn"),
    "membership.granted": _("role granted"),
    "membership.revoked": _("role revoked"),
    "api_token.created": _("API token created"),
    "api_token.deleted": _("API token deleted"),
    "plan.launched": _("plan launched"),
    "statement.moderated": _("statement moderated"),
    "burst.set_aside": _("suspicious votes set aside"),
    "burst.restored": _("set-aside votes restored"),
    "card.hidden": _("workshop card hidden"),
    "card.shown": _("workshop card shown again"),
    "participant.removed": _("workshop participant removed"),
    "personal_data.exported": _("personal data downloaded"),
    "account.deleted": _("account deleted"),
    "translation.saved": _("translation saved"),
    "translation.removed": _("translation removed"),
    "translation.requested": _("machine translation requested"),
    "photo.added": _("photo added"),
    "photo.removed": _("photo removed"),
}


def record(
    action: str,
    *,
    actor=None,
    about=None,
    summary: str = "",
    data: dict | None = None,
    request=None,
) -> AuditEntry:
    """`about`: what the action concerns — anything with a `network_id` and/or a `city_id` (an
    invitation, a membership, a consultation, a workshop, a partnership): the entry is filed under
    that network and city, which decides which coordinators read it."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        action=action,
        actor=actor if authenticated else None,
        actor_label=(getattr(actor, "email", "") or "") if authenticated else "",
        network_id=getattr(about, "network_id", None),
        city_id=getattr(about, "city_id", None),
        summary=summary[:500],
        data=data or {},
        address=client_address(request) if request is not None else "",
    )


def entries(*, network_ids=None, city_ids=None, q: str = "", action: str = "") -> QuerySet:
    """Entries, newest first; limited to the given networks and cities when those are given."""
    from django.db.models import Q

    rows = AuditEntry.objects.all()
    if network_ids is not None or city_ids is not None:
        rows = rows.filter(
            Q(network_id__in=list(network_ids or [])) | Q(city_id__in=list(city_ids or []))
        )
    if action:
        rows = rows.filter(action=action)
    if q:
        rows = rows.filter(Q(summary__icontains=q) | Q(actor_label__icontains=q))
    return rows
