import hashlib
import logging

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from conet.core.http import client_address
from conet.core.ratelimit import within_limit
from conet.follows import selectors, services
from conet.follows.forms import FollowForm

logger = logging.getLogger(__name__)

_HOUR = 3600
_DAY = 24 * _HOUR


def _within_limits(request, email: str) -> bool:
    """Per client address (a script filling the form) and per e-mail address (someone's inbox
    flooded with confirmation mail by others)."""
    mailbox = hashlib.sha256(services.normalise_email(email).encode()).hexdigest()[:32]
    return within_limit(
        f"follow:address:{client_address(request)}",
        settings.CONET_FOLLOW_REQUESTS_PER_ADDRESS_HOUR,
        _HOUR,
        refund=True,
    ) and within_limit(
        f"follow:mailbox:{mailbox}", settings.CONET_FOLLOW_REQUESTS_PER_EMAIL_DAY, _DAY, refund=True
    )


def _mailed(email: str, target) -> bool:
    try:
        services.request_follow(email, target, language=get_language())
    except OSError:  # smtplib's errors are OSErrors too
        logger.exception("follows: the confirmation e-mail for %s could not be sent", target.key)
        return False
    return True


@require_POST
def follow(request):
    form = FollowForm(request.POST)
    status = 422
    if form.is_valid():
        email, target = form.cleaned_data["email"], form.cleaned_data["target"]
        if not _within_limits(request, email):
            form.add_error(
                None,
                _(
                    "Too many requests to follow from here or for this address. "
                    "Please try again later."
                ),
            )
            status = 429
        elif not _mailed(email, target):
            form.add_error(
                None, _("We could not send the e-mail just now. Please try again in a while.")
            )
            status = 503
        else:
            messages.success(
                request,
                _(
                    "Almost done: we sent a link to %(email)s. Open it to confirm that you want "
                    "to follow %(name)s. Until you do, we keep nothing."
                )
                % {"email": email, "name": target.name},
            )
            return redirect(target.page_url + "#follow")
    target = selectors.target_from_key(request.POST.get("target", ""))
    context = {"form": form, "targets": [target] if target else [], "target": target}
    return render(request, "follows/follow.html", context, status=status)


def _link_problem(request, problem: services.LinkProblem):
    status = 410 if problem.reason == "expired" else 400
    return render(request, "follows/link_problem.html", {"reason": problem.reason}, status=status)


@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    """GET shows what the link confirms and a button; POST stores the follow. A link scanner that
    opens every link in a mail therefore confirms nothing: a person has to press the button."""
    try:
        email, target, language = services.read_confirmation(token)
    except services.LinkProblem as problem:
        return _link_problem(request, problem)
    if request.method == "POST":
        follow, _created = services.confirm_follow(email, target, language=language)
        context = {
            "target": target,
            "email": email,
            "unsubscribe_url": services.unsubscribe_url(follow),
        }
        return render(request, "follows/confirmed.html", context)
    return render(request, "follows/confirm.html", {"target": target, "email": email})


@csrf_exempt  # the signed link is the authority; mail clients post here for one-click unsubscribe
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET shows a button (mail scanners open links; they must not unsubscribe anyone); POST, from
    the button or from a mail client's one-click unsubscribe (RFC 8058), deletes the follow."""
    try:
        follow_id = services.read_unsubscribe(token)
    except services.LinkProblem as problem:
        return _link_problem(request, problem)
    if request.method == "POST":
        follow = services.unsubscribe(follow_id)
        target = selectors.target_of(follow) if follow is not None else None
        return render(request, "follows/unsubscribed.html", {"target": target})
    follow = selectors.follow_named_by(follow_id)
    if follow is None:
        return render(request, "follows/unsubscribed.html", {"target": None})
    return render(
        request,
        "follows/unsubscribe.html",
        {"target": selectors.target_of(follow), "email": follow.email},
    )
