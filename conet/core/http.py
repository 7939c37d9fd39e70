from django.conf import settings
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def client_address(request: HttpRequest) -> str:
    """The client's address, the one notion of it behind every limit (login lockout, bot trap, votes).

    With CONET_PROXY_COUNT = N trusted reverse proxies in front of CoNet, it is the Nth address from
    the right of X-Forwarded-For: the one our own outermost proxy saw. Addresses further left were
    written by the client and are never trusted. With no proxy (the default) the header is ignored.
    """
    return _trusted_address(
        request.META.get("REMOTE_ADDR", ""), request.META.get("HTTP_X_FORWARDED_FOR", "")
    )


def scope_client_address(scope: dict) -> str:
    """`client_address` for a WebSocket (or any ASGI) connection, from its scope: the same rule."""
    forwarded = ",".join(
        value.decode("latin-1")
        for name, value in scope.get("headers", ())
        if name.lower() == b"x-forwarded-for"
    )
    client = scope.get("client") or ("", 0)
    return _trusted_address(client[0] or "", forwarded)


def _trusted_address(remote: str, forwarded: str) -> str:
    proxies = int(getattr(settings, "CONET_PROXY_COUNT", 0))
    if proxies:
        hops = [part.strip() for part in forwarded.split(",")]
        hops = [part for part in hops if part]
        if len(hops) >= proxies:
            return hops[-proxies]
    return remote or "0.0.0.0"


def login_identity(request: HttpRequest, credentials: dict | None = None) -> str:
    """The account a sign-in attempt is for, as the lockout counts it: e-mail addresses are
    compared without case (as sign-in does), so Victim@Example.org counts against victim@…."""
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(value).strip().casefold()


def safe_next(request, fallback: str) -> str:
    """The `next` address from the form if it stays on this site, else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
