"""What Local Support Groups hold about a person: the stakeholder entries linked to their account
(see conet/accounts/personal_data.py)."""

from conet.accounts.personal_data import register_personal_data, rows
from conet.core.formatting import FORMER_MEMBER
from conet.localgroups.models import Stakeholder


def export_localgroups(user) -> dict:
    return {"stakeholder_entries": rows(Stakeholder.objects.filter(user=user))}


def erase_localgroups(user) -> None:
    # The group's map keeps that a member was there (sector, kind, power, interest); the person's
    # name, contact details and notes about them go.
    Stakeholder.objects.filter(user=user).update(
        name=FORMER_MEMBER, organisation="", email="", phone="", consent_given_at=None, notes=""
    )


register_personal_data("localgroups", export=export_localgroups, erase=erase_localgroups)
