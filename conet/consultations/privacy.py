"""What consultations hold about a person who took part signed in: their participations, votes and
statements, and the consultations they created or moderated in (see
conet/accounts/personal_data.py). Anonymous devices delete theirs from the consultation's page."""

from conet.accounts.personal_data import register_personal_data, row, rows
from conet.consultations.models import Consultation, Participant, Statement, Vote
from conet.consultations.services import anonymise_user_participations


def export_consultations(user) -> dict:
    return {
        "participations": [
            row(participant) | {"question": participant.consultation.question}
            for participant in Participant.objects.filter(user=user).select_related("consultation")
        ],
        "votes": [
            row(vote) | {"statement_text": vote.statement.text}
            for vote in Vote.objects.filter(participant__user=user).select_related("statement")
        ],
        "statements": rows(Statement.objects.filter(author__user=user)),
        "statements_moderated": rows(Statement.objects.filter(moderated_by=user)),
        "consultations_created": rows(Consultation.objects.filter(created_by=user)),
    }


register_personal_data(
    "consultations", export=export_consultations, erase=anonymise_user_participations
)
