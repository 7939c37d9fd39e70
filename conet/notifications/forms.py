from django import forms
from django.utils.translation import gettext_lazy as _

from conet.notifications.models import NotificationPreference


class PreferenceForm(forms.Form):
    email = forms.ChoiceField(
        label=_("E-mail me about notifications"),
        choices=NotificationPreference.Email.choices,
        widget=forms.RadioSelect,
    )
