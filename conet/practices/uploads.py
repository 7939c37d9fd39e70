"""Uploads to a practice are checked by what they are, not by what they are called."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MEGABYTE = 1024 * 1024

# kind → {extension: leading bytes}
SIGNATURES = {
    "image": {
        "jpg": [b"\xff\xd8\xff"],
        "jpeg": [b"\xff\xd8\xff"],
        "png": [b"\x89PNG\r\n\x1a\n"],
        "webp": [b"RIFF"],
        "gif": [b"GIF87a", b"GIF89a"],
    },
    "document": {
        "pdf": [b"%PDF-"],
        "docx": [b"PK\x03\x04"],
        "odt": [b"PK\x03\x04"],
        "pptx": [b"PK\x03\x04"],
        "xlsx": [b"PK\x03\x04"],
    },
}
LIMITS = {"image": 5 * MEGABYTE, "document": 20 * MEGABYTE}


def check_upload(kind: str, upload) -> None:
    """Refuse a file that is too large, or whose content does not match an allowed type."""
    if kind not in SIGNATURES:
        raise ValidationError({"file": _("A link has no file.")})
    if upload.size > LIMITS[kind]:
        raise ValidationError(
            {"file": _("The file is larger than %(size)s MB.") % {"size": LIMITS[kind] // MEGABYTE}}
        )
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    allowed = SIGNATURES[kind]
    head = upload.read(16)
    upload.seek(0)
    if extension not in allowed or not any(head.startswith(sig) for sig in allowed[extension]):
        raise ValidationError(
            {
                "file": _("Allowed files: %(types)s, and the content must match the name.")
                % {"types": ", ".join(sorted(allowed))}
            }
        )
    if extension == "webp" and head[8:12] != b"WEBP":
        raise ValidationError({"file": _("This is not a WebP image.")})
