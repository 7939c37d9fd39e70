"""Checking uploaded meeting documents: a known type (by name and by content) and a size limit."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ZIP = b"PK\x03\x04"
# extension → (content type, the bytes a real file of that type starts with)
ALLOWED = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (ZIP,)),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", (ZIP,)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (ZIP,)),
    "odt": ("application/vnd.oasis.opendocument.text", (ZIP,)),
    "odp": ("application/vnd.oasis.opendocument.presentation", (ZIP,)),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", (ZIP,)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}


def max_upload_bytes() -> int:
    return int(getattr(settings, "CONET_MEETING_UPLOAD_MAX_MB", 20)) * 1024 * 1024


def check_upload(upload) -> str:
    """The content type of an acceptable upload; a ValidationError on `file` naming the reason."""
    name = (upload.name or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if extension not in ALLOWED:
        raise ValidationError(
            {
                "file": _("Upload a PDF, an office document or an image (%(types)s).")
                % {"types": ", ".join(sorted(ALLOWED))}
            }
        )
    if upload.size > max_upload_bytes():
        raise ValidationError(
            {
                "file": _("The file is larger than %(mb)s MB.")
                % {"mb": max_upload_bytes() // (1024 * 1024)}
            }
        )
    if upload.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    content_type, signatures = ALLOWED[extension]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in signatures):
        raise ValidationError(
            {
                "file": _("The file's content is not what its name says (.%(ext)s).")
                % {"ext": extension}
            }
        )
    return content_type
