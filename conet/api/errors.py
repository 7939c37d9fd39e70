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


# The errors every operation can answer, as the OpenAPI document states them. Which apply to an
# operation follows from its shape: a signed-in one can be 401 and 403, one with a body or
# parameters 422, a body with `version` 409; any request 400 (a NUL character, refused before any
# view runs) and 404 (what the address, a parameter or the body names does not exist or is not
# public: `?network=` or a body's `city` as much as a {slug} in the path).
ERROR_SCHEMAS = {
    "Error": {
        "title": "Error",
        "type": "object",
        "properties": {"detail": {"title": "Detail", "type": "string"}},
        "required": ["detail"],
    },
    "ValidationErrors": {
        "title": "ValidationErrors",
        "type": "object",
        "properties": {
            "detail": {
                "title": "Detail",
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "loc": {"type": "array", "items": {"type": ["string", "integer"]}},
                        "msg": {"type": "string"},
                    },
                    "required": ["loc", "msg"],
                },
            }
        },
        "required": ["detail"],
    },
    "EditConflict": {
        "title": "EditConflict",
        "type": "object",
        "properties": {
            "detail": {"title": "Detail", "type": "string"},
            "current_version": {"title": "Current version", "type": "integer"},
            "fields": {"title": "Fields", "type": "array", "items": {"type": "string"}},
        },
        "required": ["detail", "current_version", "fields"],
    },
}
ERROR_RESPONSES = {
    "400": ("The request holds a NUL character.", "Error"),
    "401": ("No valid API token was given.", "Error"),
    "403": ("The token's person may not do this.", "Error"),
    "404": ("Something the request names does not exist (or is not public).", "Error"),
    "409": ("Someone else saved this since the given version.", "EditConflict"),
    "422": ("A parameter or a field of the body is not valid.", "ValidationErrors"),
}


def _body_has_version(operation: dict, schemas: dict) -> bool:
    content = operation.get("requestBody", {}).get("content", {})
    for media in content.values():
        ref = media.get("schema", {}).get("$ref", "")
        if "version" in schemas.get(ref.rsplit("/", 1)[-1], {}).get("properties", {}):
            return True
    return False


def document(schema: dict) -> dict:
    """Add the error responses that each operation can give to the OpenAPI document."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(ERROR_SCHEMAS)
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            codes = {"400", "404"}
            if operation.get("parameters") or operation.get("requestBody"):
                codes.add("422")
            if operation.get("security"):
                codes |= {"401", "403"}
            if _body_has_version(operation, components):
                codes.add("409")
            # ninja keys its own responses by int (201); JSON writes both 422 and "422" as "422",
            # a duplicate key that Swagger UI's parser refuses. One kind of key: strings.
            responses = {str(code): value for code, value in operation.get("responses", {}).items()}
            operation["responses"] = responses
            for code in sorted(codes):
                description, name = ERROR_RESPONSES[code]
                ours = {"$ref": f"#/components/schemas/{name}"}
                own = responses.get(code)
                if own is None:
                    responses[code] = {
                        "description": description,
                        "content": {"application/json": {"schema": ours}},
                    }
                    continue
                # The operation documents its own body for this code (an import's problems by row,
                # say); the request can still fail ninja's checks first, with the common body.
                media = own.setdefault("content", {}).setdefault("application/json", {})
                theirs = media.get("schema")
                if theirs is None:
                    media["schema"] = ours
                elif theirs != ours and ours not in theirs.get("anyOf", []):
                    media["schema"] = {"anyOf": [theirs, ours]}
    return schema
