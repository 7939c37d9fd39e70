"""Sign-ins, failed sign-ins and lockouts go into the audit log, from Django's and axes' signals."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from conet.accounts.models import User
from conet.core import audit
from conet.core.http import login_identity


@receiver(user_logged_in, dispatch_uid="conet.audit.login")
def _signed_in(sender, request, user, **kwargs):
    audit.record("login.succeeded", actor=user, summary=user.email, request=request)


@receiver(user_login_failed, dispatch_uid="conet.audit.login_failed")
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    if request is None:  # a script calling authenticate() directly, not a person signing in
        return
    identity = login_identity(request, credentials)
    audit.record("login.failed", summary=identity, request=request)


@receiver(user_locked_out, dispatch_uid="conet.audit.locked_out")
def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    identity = (username or "").strip().casefold()
    user = User.objects.filter(email__iexact=identity).first() if identity else None
    audit.record(
        "login.locked_out",
        summary=identity,
        data={"account_exists": user is not None},
        request=request,
    )
