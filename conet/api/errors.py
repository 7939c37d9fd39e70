"""Errors as the API reports them: the field and the reason, in the caller's language."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from conet.core.concurrency import EditConflict


def install(api) -> None:
    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        if hasattr(exc, "error_dict"):
            detail = [
                {"loc": [field], "msg": " ".join(str(m) for m in messages)}
                for field, messages in exc.message_dict.items()
            ]
        else:
            detail = [{"loc": [], "msg": message} for message in exc.messages]
        return api.create_response(request, {"detail": detail}, status=422)

    @api.exception_handler(PermissionDenied)
    def permission_denied(request, exc):
        return api.create_response(
            request, {"detail": _("You are not allowed to do this.")}, status=403
        )

    @api.exception_handler(EditConflict)
    def edit_conflict(request, exc: EditConflict):
        return api.create_response(
            request,
            {
                "detail": _("Someone else saved this since you loaded it."),
                "current_version": exc.current.version,
                "fields": exc.changed_fields,
            },
            status=409,
        )
