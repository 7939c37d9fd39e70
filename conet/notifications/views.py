"""The notification list: read, mark read, choose how often to get e-mail."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from conet.core.languages import in_language
from conet.notifications import selectors, services
from conet.notifications.forms import PreferenceForm

PAGE_SIZE = 25


@login_required
def notification_list(request, form=None):
    page = Paginator(selectors.inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    form = form or PreferenceForm(initial={"email": services.email_preference(request.user)})
    context = {
        "page": page,
        "notifications": list(page.object_list),
        "unread": selectors.unread_count(request.user),
        "form": form,
    }
    return render(request, "notifications/list.html", context, status=422 if form.errors else 200)


@login_required
@require_POST
def mark_read(request):
    ids = request.POST.getlist("id")
    try:
        ids = [int(pk) for pk in ids] if ids else None
    except ValueError:
        ids = []
    services.mark_read(request.user, ids)
    return redirect("notifications:list")


@login_required
def open_notification(request, pk: int):
    """Follow a notification's link and mark it read on the way."""
    notification = selectors.inbox(request.user).filter(pk=pk).first()
    if notification is None:
        return redirect("notifications:list")
    services.mark_read(request.user, [notification.pk])
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}
    ):
        return redirect(in_language(notification.url))
    return redirect("notifications:list")


@login_required
@require_POST
def preferences(request):
    form = PreferenceForm(request.POST)
    if not form.is_valid():
        return notification_list(request, form=form)
    services.set_email_preference(request.user, form.cleaned_data["email"])
    messages.success(request, _("Your e-mail preference is saved."))
    return redirect("notifications:list")
