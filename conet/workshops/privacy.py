"""What Future Workshops hold about a person: the workshops they joined with an account, their cards,
dots and proposals there, and what they wrote or facilitated as a user (see
conet/accounts/personal_data.py)."""

from django.db.models import Q

from conet.accounts.personal_data import register_personal_data, row, rows
from conet.workshops.models import Card, Dot, Participant, Proposal, ProposalHelper, Workshop
from conet.workshops.services import anonymise_user_participations


def export_workshops(user) -> dict:
    return {
        "participations": [
            row(participant) | {"workshop_title": participant.workshop.title}
            for participant in Participant.objects.filter(user=user).select_related("workshop")
        ],
        "cards": rows(Card.objects.filter(Q(participant__user=user) | Q(written_by=user))),
        "dots": rows(Dot.objects.filter(participant__user=user)),
        "proposals": rows(
            Proposal.objects.filter(Q(created_by_participant__user=user) | Q(created_by=user))
        ),
        "proposals_helped": rows(ProposalHelper.objects.filter(participant__user=user)),
        "workshops_facilitated": [
            {"id": workshop.pk, "title": workshop.title}
            for workshop in user.facilitated_workshops.all()
        ],
        "workshops_created": rows(Workshop.objects.filter(created_by=user), exclude=("code",)),
    }


register_personal_data("workshops", export=export_workshops, erase=anonymise_user_participations)
