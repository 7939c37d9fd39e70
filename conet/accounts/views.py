from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from conet.accounts import personal_data, selectors, services
from conet.accounts.forms import (
    AcceptInvitationForm,
    ApiTokenForm,
    DeleteAccountForm,
    EmailLoginForm,
)
from conet.accounts.models import ApiToken
from conet.core import audit


class LoginView(auth_views.LoginView):
    form_class = EmailLoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        # Django's view names the site after the request's host ("127.0.0.1:8000"), which would
        # hide the installation's name from the title and header.
        return {**super().get_context_data(**kwargs), "site_name": settings.CONET_SITE_NAME}


@login_required
def dashboard(request):
    return render(request, "accounts/dashboard.html", selectors.dashboard_for(request.user))


def accept_invitation(request, token: str):
    invitation = services.find_invitation(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    if not invitation.is_pending:
        return render(
            request, "accounts/invitation_invalid.html", {"invitation": invitation}, status=410
        )
    user = request.user if request.user.is_authenticated else None
    form = None if user else AcceptInvitationForm(request.POST or None, email=invitation.email)
    status = 200
    if request.method == "POST" and (user or form.is_valid()):
        try:
            membership = services.accept_invitation(
                invitation,
                user=user,
                name=form.cleaned_data["name"] if form else "",
                password=form.cleaned_data["password"] if form else "",
            )
        except PermissionDenied:
            status = 403
            messages.error(
                request,
                _("This invitation is for %(email)s. Sign out and accept it with that address.")
                % {"email": invitation.email},
            )
        except ValidationError as error:
            if form:
                form.add_error(None, error)
            else:
                messages.error(request, " ".join(error.messages))
        else:
            if user is None:
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Welcome! You are now %(role)s.") % {"role": membership.get_role_display()},
            )
            return redirect("accounts:dashboard")
    context = {"invitation": invitation, "form": form}
    return render(
        request,
        "accounts/accept_invitation.html",
        context,
        status=422 if form is not None and form.errors else status,
    )


@login_required
def api_tokens(request):
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = services.create_api_token(
                request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = ApiTokenForm()
    context = {
        "form": form,
        "tokens": ApiToken.objects.filter(user=request.user),
        "new_key": new_key,
    }
    return render(request, "accounts/api_tokens.html", context, status=422 if form.errors else 200)


@login_required
@require_POST
def api_token_delete(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.delete_api_token(token, by=request.user)
    messages.success(request, _("Token deleted. Scripts using it can no longer sign in."))
    return redirect("accounts:api_tokens")


@login_required
def my_data(request):
    """The person's own data: download it, or delete the account. Only ever the signed-in person's."""
    form = DeleteAccountForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_account(request.user, password=form.cleaned_data["password"])
        except ValidationError as error:
            form.add_error(None, error)
            status = 422
        else:
            logout(request)
            messages.success(request, _("Your account and your personal data have been deleted."))
            return redirect("/")
    elif form.errors:
        status = 422
    context = {"form": form, "orphaned": selectors.sole_coordinator_scopes(request.user)}
    return render(request, "accounts/my_data.html", context, status=status)


@login_required
@require_POST
def my_data_download(request):
    archive = personal_data.export_archive(request.user)
    audit.record(
        "personal_data.exported", actor=request.user, summary=request.user.email, request=request
    )
    filename = f"conet-my-data-{timezone.localdate().isoformat()}.zip"
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
