"""What the expert exchange holds about a person: their expert profile and availability, invitations
they received or sent, support requests they wrote, visits they planned and visit reports they
wrote (see conet/accounts/personal_data.py)."""

from django.db.models import Q

from conet.accounts.personal_data import register_personal_data, row, rows
from conet.exchange.models import (
    Availability,
    ExpertInvitation,
    ExpertProfile,
    SupportRequest,
    Visit,
    VisitReport,
)


def export_exchange(user) -> dict:
    profile = ExpertProfile.objects.filter(user=user).first()
    return {
        "expert_profile": (
            row(profile) | {"core_tasks": [str(task) for task in profile.core_tasks.all()]}
            if profile
            else None
        ),
        "availability": rows(Availability.objects.filter(profile__user=user)),
        "invitations": rows(
            ExpertInvitation.objects.filter(Q(expert__user=user) | Q(invited_by=user))
        ),
        "support_requests_written": rows(SupportRequest.objects.filter(created_by=user)),
        "visits_planned": rows(Visit.objects.filter(planned_by=user)),
        "visit_reports_written": rows(VisitReport.objects.filter(author=user)),
    }


# The expert profile, its availability and the invitations it received go with the account (on
# delete cascade). Support requests, visits and visit reports are the cities' record: they stay,
# without the name (on delete set null).
register_personal_data("exchange", export=export_exchange)
