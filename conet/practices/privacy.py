"""What good practices hold about a person: the practices they proposed, attachments they added
(with the files) and their label assessments (see conet/accounts/personal_data.py)."""

import posixpath

from conet.accounts.personal_data import register_personal_data, rows
from conet.practices.models import Attachment, GoodPractice, LabelAssessment


def export_practices(user) -> dict:
    return {
        "practices_proposed": rows(GoodPractice.objects.filter(proposed_by=user)),
        "attachments_added": rows(Attachment.objects.filter(added_by=user)),
        "label_assessments": rows(LabelAssessment.objects.filter(assessed_by=user)),
    }


def attachment_files(user):
    for attachment in Attachment.objects.filter(added_by=user).exclude(file=""):
        yield attachment.file, f"{attachment.pk}-{posixpath.basename(attachment.file.name)}"


# Practices are the network's shared knowledge: they stay, without the name (on delete set null).
register_personal_data("practices", export=export_practices, files=attachment_files)
