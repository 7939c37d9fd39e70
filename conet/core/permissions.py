"""The one way a service, a view or an API endpoint refuses: `require(who, perm, obj)`.

`who` is the acting user (services take it as `by`) or the request (views and API endpoints);
None, an anonymous user or a user without the permission on the object raise PermissionDenied
naming the permission, which the views turn into a 403 (or the sign-in page) and the API into its
error answer. Permissions themselves are `rules` predicates in each app's rules.py.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def require(who, perm: str, obj=None) -> None:
    user = who.user if isinstance(who, HttpRequest) else who
    if user is None or not user.has_perm(perm, obj):
        raise PermissionDenied(perm)
