import logging

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from conet.core.http import client_address
from conet.core.ratelimit import within_limit

logger = logging.getLogger("conet.accounts")
HOUR = 3600


class EmailLoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class ThrottledPasswordResetForm(PasswordResetForm):
    """Password reset that sends at most CONET_PASSWORD_RESET_PER_HOUR mails to one address and
    takes at most CONET_PASSWORD_RESET_PER_CLIENT_HOUR requests from one client an hour.

    Past a limit the page says the same as always ("if the address has an account, a mail is on
    its way"), so the limit tells nobody whether an account exists; the refusal is logged.
    """

    def save(self, request=None, **kwargs):
        email = self.cleaned_data["email"].strip().casefold()
        address = client_address(request) if request is not None else "-"
        if not within_limit(
            f"pwreset:client:{address}", settings.CONET_PASSWORD_RESET_PER_CLIENT_HOUR, HOUR
        ) or not within_limit(
            f"pwreset:email:{email}", settings.CONET_PASSWORD_RESET_PER_HOUR, HOUR
        ):
            logger.warning(
                "password reset for %s from %s refused: over the hourly limit", email, address
            )
            return
        super().save(request=request, **kwargs)

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        # In the account holder's language, and so is the link in it (/it/accounts/...): the
        # person who asked may be on another computer, in another language, or someone else.
        user = context.get("user")
        language = getattr(user, "language", "") or translation.get_language()
        with translation.override(language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class AcceptInvitationForm(forms.Form):
    """For someone without an account yet: their name and a password."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_password(self):
        password = self.cleaned_data["password"]
        from conet.accounts.models import User

        password_validation.validate_password(
            password, User(email=self.email, name=self.data.get("name", ""))
        )
        return password


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the script that uses it."),
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
