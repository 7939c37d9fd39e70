"""What action plans hold about a person: their comments, peer reviews, unsaved drafts, and the
sections and versions attributed to them (see conet/accounts/personal_data.py)."""

from conet.accounts.personal_data import register_personal_data, rows
from conet.actionplans.models import Draft, PeerReview, PlanComment, PlanSection, PlanVersion


def export_actionplans(user) -> dict:
    return {
        "comments": rows(PlanComment.objects.filter(author=user)),
        "peer_reviews": rows(PeerReview.objects.filter(reviewer=user)),
        "drafts": rows(Draft.objects.filter(user=user)),
        "sections_last_edited": rows(PlanSection.objects.filter(updated_by=user)),
        "versions_launched": rows(PlanVersion.objects.filter(launched_by=user)),
    }


# Comments, peer reviews and drafts are the person's own words and go with the account (on delete
# cascade). The plan's history stays: sections they edited and versions they launched keep their
# text and lose the name (on delete set null).
register_personal_data("actionplans", export=export_actionplans)
