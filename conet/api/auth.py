"""Who is calling the API: a script with `Authorization: Bearer <token>`, or a signed-in browser."""

from ninja.security import HttpBearer, SessionAuth

from conet.accounts.services import user_for_api_key


class ApiTokenAuth(HttpBearer):
    openapi_description = "A personal API token, made on the page “API tokens” after signing in."

    def authenticate(self, request, token: str):
        user = user_for_api_key(token)
        if user is not None:
            request.user = user
        return user


WRITE_AUTH = [ApiTokenAuth(), SessionAuth()]


def reader(request) -> bool:
    """Optional sign-in for reads: a token identifies the caller; without one they read as a visitor.

    Use as `auth=reader` on read endpoints whose answer depends on who asks."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        user = user_for_api_key(header.removeprefix("Bearer ").strip())
        if user is not None:
            request.user = user
    return True
